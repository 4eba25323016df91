"""Members: their stages and moves between organizations."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import choices as c
from fupin.party import rules
from fupin.party.actions.checks import (
    ActionRefused,
    _acting,
    _d,
    _in_scope,
    _lock,
    _refresh,
    _today,
)
from fupin.party.models import PartyMember, PartyOrg, Transfer


@transaction.atomic
@_acting
def advance_stage(member: PartyMember, stage: str, *, user, on: datetime.date) -> PartyMember:
    """Move a member one stage on (applicant, activist, development candidate, probationary,
    full), recording the date; the minimum durations are `rules.stage_ready`'s."""
    _in_scope(member, user, "change")
    locked = _lock(PartyMember, member)
    if on is None:
        raise ActionRefused(_("Give the date."), code="date")
    ready = rules.stage_ready(locked, stage, on, today=_today())
    if not ready:
        raise ActionRefused(ready.reason, code=ready.code)
    field = c.STAGE_DATE_FIELD[c.Stage(stage)]
    locked.stage = stage
    setattr(locked, field, on)
    locked.save(update_fields=["stage", field, "updated_at"])
    _refresh(member)
    return locked


def _pending_transfer(member: PartyMember) -> Transfer | None:
    return Transfer._base_manager.filter(member=member, state=c.TransferState.ISSUED).first()


def _check_receiving(org: PartyOrg, member: PartyMember) -> None:
    if org.pk == member.org_id:
        raise ActionRefused(_("%(name)s already belongs to “%(org)s”.")
                            % {"name": member.name, "org": org}, code="same_org")
    if org.dissolved_on is not None:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": org, "date": _d(org.dissolved_on)}, code="dissolved")
    if member.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": member.name, "date": _d(member.left_on)}, code="left")


@transaction.atomic
@_acting
def move_member(member: PartyMember, *, user, org: PartyOrg) -> PartyMember:
    """Put a member in another organization of the same region (a branch's party group, a
    second branch of the village). Across regions, a member moves only by a transfer."""
    _in_scope(member, user, "change")
    locked = _lock(PartyMember, member)
    org = PartyOrg._base_manager.get(pk=org.pk)
    _check_receiving(org, locked)
    if org.region_code != locked.region_code:
        raise ActionRefused(_("“%(org)s” is in another region: a member moves there only by a "
                              "membership transfer, issued by the sending organization and "
                              "accepted by the receiving one.") % {"org": org}, code="transfer")
    _in_scope(org, user, "view")
    if _pending_transfer(locked) is not None:
        raise ActionRefused(_("A membership transfer of %(name)s is pending: it must be accepted "
                              "or returned first.") % {"name": locked.name}, code="pending")
    locked.org = org
    locked.save(update_fields=["org", "updated_at"])
    _refresh(member)
    return locked
