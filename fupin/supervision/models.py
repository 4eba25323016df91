"""Models of supervision (see the package docstring)."""

from fupin.supervision.assessment.models import *  # noqa: E402, F401, F403  (the assessment sub-area's models)
