"""Sample makers of the app; the assessment sub-area keeps its own in assessment/testing.py."""

from fupin.supervision.assessment import testing as _assessment_testing  # noqa: F401  (found through this module)
