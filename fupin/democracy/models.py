"""Models of village democracy (see the package docstring)."""

from fupin.democracy.openness.models import *  # noqa: E402, F401, F403  (the openness sub-area's models)
