"""What every section of party actions shares: the refusals, the checks of `fupin.core.actions`
under their local names, locking, and the writes whose scope is checked here (see the package
docstring).
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.db.models import Model

from fupin.core import actions as core_actions
from fupin.core import context
from fupin.core.context import acting_as
from fupin.party import choices as c
from fupin.regions.models import Level

COVERED_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)
MEMBER_STAGES = (c.Stage.PROBATIONARY, c.Stage.FULL)  # those whose membership is transferred


ActionRefused = core_actions.ActionRefused
NotPermitted = core_actions.NotPermitted
_acting = core_actions.acting


@contextlib.contextmanager
def _checked_here(user):
    """Writes whose scope the actions have checked themselves (see the package docstring)."""
    with acting_as(user, request_id=context.current_request_id(), scope_checks=False):
        yield


# --- checks ------------------------------------------------------------------------------------
_d = core_actions.d
_today = core_actions.today
_require = core_actions.require
_in_scope = core_actions.in_scope
_region_in_scope = core_actions.region_in_scope
_not_future = core_actions.not_future


def _number(value: Decimal) -> str:
    """5.0 as 5, 2.5 as 2.5 (thresholds in messages)."""
    return format(value.normalize(), "f")


def _lock(model: type[Model], obj: Model) -> Model:
    return model._base_manager.select_for_update().get(pk=obj.pk)


def _refresh(obj: Model) -> None:
    obj.refresh_from_db()
