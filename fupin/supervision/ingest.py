"""Import registries of the app; the assessment sub-area keeps its own in assessment/ingest.py."""

from fupin.supervision.assessment import ingest as _assessment_ingest  # noqa: F401  (found through this module)
