"""Transfers of membership between organizations (组织关系转接)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.policy import restrict
from fupin.party import choices as c
from fupin.party.actions.checks import (
    MEMBER_STAGES,
    ActionRefused,
    NotPermitted,
    _acting,
    _checked_here,
    _d,
    _in_scope,
    _lock,
    _not_future,
    _refresh,
    _require,
)
from fupin.party.actions.members import _check_receiving, _pending_transfer
from fupin.party.models import MemberPost, MobileMembership, PartyMember, PartyOrg, Transfer


@transaction.atomic
@_acting
def issue_transfer(member: PartyMember, to_org: PartyOrg, *, user, on: datetime.date,
                   note: str = "") -> Transfer:
    """The sending organization issues a transfer; the receiving one sees it and accepts it."""
    _in_scope(member, user, "change")
    _require(user, Transfer, "add")
    locked = _lock(PartyMember, member)
    to_org = PartyOrg._base_manager.get(pk=to_org.pk)
    _check_receiving(to_org, locked)
    if locked.stage not in MEMBER_STAGES:
        raise ActionRefused(_("Only party members (probationary or full) have their membership "
                              "transferred; %(name)s is “%(stage)s”.")
                            % {"name": locked.name, "stage": locked.get_stage_display()},
                            code="stage")
    if _pending_transfer(locked) is not None:
        raise ActionRefused(_("A membership transfer of %(name)s is pending: it must be accepted "
                              "or returned first.") % {"name": locked.name}, code="pending")
    _not_future(on)
    last = (Transfer._base_manager.filter(member=locked, state=c.TransferState.ACCEPTED)
            .order_by("-accepted_on").first())
    if last is not None and on < last.accepted_on:
        raise ActionRefused(_("The transfer cannot be dated %(date)s, before the previous one was "
                              "accepted (%(date_prev)s).")
                            % {"date": _d(on), "date_prev": _d(last.accepted_on)},
                            code="date_order")
    from_org = PartyOrg._base_manager.get(pk=locked.org_id)
    return Transfer.objects.create(member=locked, from_org=from_org, to_org=to_org,
                                   region_code=from_org.region_code,
                                   to_region_code=to_org.region_code, issued_on=on,
                                   note=(note or "").strip()[:200])


def _lock_transfer(transfer: Transfer) -> Transfer:
    locked = Transfer._base_manager.select_for_update().get(pk=transfer.pk)
    if locked.state != c.TransferState.ISSUED:
        raise ActionRefused(_("This transfer is no longer pending (%(state)s).")
                            % {"state": locked.get_state_display()}, code="closed")
    return locked


@transaction.atomic
@_acting
def accept_transfer(transfer: Transfer, *, user, on: datetime.date) -> Transfer:
    """The receiving organization accepts: the member belongs to it (and its region) from `on`.
    Open posts in the sending organization end, and an open mobile membership ends (the
    membership has followed the member); the sending org loses its secretary if it was them."""
    _require(user, Transfer, "change")
    _require(user, PartyMember, "change")
    to_org = PartyOrg._base_manager.get(pk=transfer.to_org_id)
    if not restrict(PartyOrg.objects.filter(pk=to_org.pk), user, "change").exists():
        raise NotPermitted(_("Only the receiving organization (“%(org)s”) accepts a transfer.")
                           % {"org": to_org}, code="scope")
    locked = _lock_transfer(transfer)
    _not_future(on)
    if on < locked.issued_on:
        raise ActionRefused(_("The transfer cannot be accepted on %(date)s, before it was issued "
                              "(%(issued)s).") % {"date": _d(on), "issued": _d(locked.issued_on)},
                            code="date_order")
    if to_org.dissolved_on is not None:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": to_org, "date": _d(to_org.dissolved_on)}, code="dissolved")
    member = _lock(PartyMember, locked.member)
    if member.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": member.name, "date": _d(member.left_on)}, code="left")
    with _checked_here(user):
        for post in MemberPost._base_manager.filter(member=member, ends_on__isnull=True):
            post.ends_on = max(on, post.starts_on)
            post.save(update_fields=["ends_on", "updated_at"])
        for away in MobileMembership._base_manager.filter(member=member, returned_on__isnull=True):
            away.returned_on = max(on, away.away_since)
            away.save(update_fields=["returned_on", "updated_at"])
        for org in PartyOrg._base_manager.filter(pk=locked.from_org_id, secretary=member):
            org.secretary = None
            org.save(update_fields=["secretary", "updated_at"])
        member.org = to_org
        member.region_code = to_org.region_code
        member.save(update_fields=["org", "region_code", "updated_at"])
        locked.state = c.TransferState.ACCEPTED
        locked.accepted_on = on
        locked.save(update_fields=["state", "accepted_on", "updated_at"])
    _refresh(transfer)
    return locked


@transaction.atomic
@_acting
def return_transfer(transfer: Transfer, *, user, reason: str) -> Transfer:
    """Either side sends a pending transfer back (the receiving org cannot take the member, or
    the sender withdraws it), with the reason; the member stays where they were."""
    _in_scope(transfer, user, "change")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give the reason for returning the transfer."), code="reason")
    locked = _lock_transfer(transfer)
    locked.state = c.TransferState.RETURNED
    locked.return_reason = reason[:200]
    locked.returned_on = timezone.localdate()
    locked.save(update_fields=["state", "return_reason", "returned_on", "updated_at"])
    _refresh(transfer)
    return locked
