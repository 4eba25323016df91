"""Sample makers of the app; the openness sub-area keeps its own in openness/testing.py."""

from fupin.democracy.openness import testing as _openness_testing  # noqa: F401  (found through this module)
