"""Demo generators of the app; the openness sub-area keeps its own in openness/demo.py."""

from fupin.democracy.openness import demo as _openness_demo  # noqa: F401  (found through this module)
