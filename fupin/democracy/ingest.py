"""Import registries of the app; the openness sub-area keeps its own in openness/ingest.py."""

from fupin.democracy.openness import ingest as _openness_ingest  # noqa: F401  (found through this module)
