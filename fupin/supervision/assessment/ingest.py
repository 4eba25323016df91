"""The assessment sub-area's import registries."""

from fupin.ingest import registry  # noqa: F401  (the sub-area declares its registries on it)
