"""Demo generators of the app; the assessment sub-area keeps its own in assessment/demo.py."""

from fupin.supervision.assessment import demo as _assessment_demo  # noqa: F401  (found through this module)
