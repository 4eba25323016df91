"""Keeping the rollups current: a write to a record that feeds an indicator marks its region,
and when the transaction commits the marked regions are refreshed (their ancestors' medians in
the background). Bulk writes send no per-row signals: an import announces its regions with
`fupin.core.signals.import_committed` after it commits (`_imported`), the demo calls
`rollups.refresh` itself.

The rollups of "now" figures that depend on the date (current pairings, visits in the last
90 days) also move with time: `fupin analytics refresh` rebuilds everything and is meant to
run nightly.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from fupin.analytics import indicators as ind
from fupin.core.signals import import_committed
from fupin.regions.scope import is_valid_code

logger = logging.getLogger(__name__)
_state = threading.local()


def _watched() -> set[str]:
    labels = {label for source in ind.SOURCES for label in source.models}
    return labels | {label for models in ind.MEDIAN_MODELS.values() for label in models}


def _touched(sender, instance, **kwargs) -> None:
    label = sender._meta.label_lower
    if label not in WATCHED:
        return
    code = getattr(instance, "region_code", "") or ""
    if not is_valid_code(code):
        return
    if getattr(_state, "paused", False):
        return
    pending = getattr(_state, "pending", None)
    if pending is None:
        pending = _state.pending = {"codes": set(), "labels": set()}
    pending["codes"].add(code)
    pending["labels"].add(label)
    # One callback per write: after a rollback its callbacks are gone, and whatever it left
    # pending is refreshed (needlessly, harmlessly) with the next commit.
    transaction.on_commit(_flush)


def _flush() -> None:
    pending = getattr(_state, "pending", None)
    _state.pending = None
    if not pending:
        return
    from fupin.analytics import rollups, tasks

    codes, labels = sorted(pending["codes"]), pending["labels"]
    try:
        rollups.refresh(codes, labels, ancestor_medians=False)
        if ind.medians_for(labels):
            tasks.refresh_medians.enqueue(codes, sorted(labels))
    except Exception:  # noqa: BLE001 - the write itself is committed; a refresh can be redone
        logger.exception("rollup refresh of %s regions failed", len(codes))


def _imported(sender, regions, models, **kwargs) -> None:
    """An import committed: its regions' rollups, ancestors' medians included, are refreshed
    at once (this runs in the import's on-commit callback, outside its transaction)."""
    from fupin.analytics import rollups

    rollups.refresh(regions, models)


WATCHED: set[str] = set()


@contextlib.contextmanager
def paused():
    """No refresh after writes inside (bulk loaders refresh once at the end)."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def connect() -> None:
    WATCHED.update(_watched())
    post_save.connect(_touched, dispatch_uid="analytics-touched-save")
    post_delete.connect(_touched, dispatch_uid="analytics-touched-delete")
    import_committed.connect(_imported, dispatch_uid="analytics-imported")
