"""Mobile members (流动党员): away, in touch, back home."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import rules
from fupin.party.actions.checks import (
    ActionRefused,
    _acting,
    _d,
    _in_scope,
    _lock,
    _not_future,
    _refresh,
    _require,
    _today,
)
from fupin.party.models import MobileMembership, PartyMember, ServiceStation


class MobilityRecorded:
    """What `record_mobility` returns: the row, the rule ("card" or "transfer") and whether a
    transfer is suggested."""

    def __init__(self, membership: MobileMembership, rule: str):
        self.membership = membership
        self.rule = rule

    @property
    def transfer_suggested(self) -> bool:
        return self.rule == rules.TRANSFER

    def __repr__(self) -> str:
        return f"MobilityRecorded({self.membership.pk}, {self.rule})"


def _lock_open_mobility(membership: MobileMembership) -> MobileMembership:
    locked = MobileMembership._base_manager.select_for_update().get(pk=membership.pk)
    if locked.returned_on is not None:
        raise ActionRefused(_("The member came back on %(date)s.")
                            % {"date": _d(locked.returned_on)}, code="returned")
    return locked


@transaction.atomic
@_acting
def record_mobility(member: PartyMember, *, user, away_since: datetime.date, location: str,
                    reason: str = "", station: ServiceStation | None = None,
                    contact: PartyMember | None = None) -> MobilityRecorded:
    """Record a member working away: an activity card when away under
    `party.mobile_transfer_months` (6) so far; from then on a transfer is suggested."""
    _in_scope(member, user, "change")
    _require(user, MobileMembership, "add")
    locked = _lock(PartyMember, member)
    if locked.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": locked.name, "date": _d(locked.left_on)}, code="left")
    location = (location or "").strip()
    if not location:
        raise ActionRefused(_("Say where the member is."), code="location")
    _not_future(away_since)
    if MobileMembership._base_manager.filter(member=locked, returned_on__isnull=True).exists():
        raise ActionRefused(_("%(name)s is already recorded as away: record the return first.")
                            % {"name": locked.name}, code="open")
    if contact is not None:
        contact = PartyMember._base_manager.get(pk=contact.pk)
        if contact.pk == locked.pk or contact.org_id != locked.org_id \
                or contact.left_on is not None:
            raise ActionRefused(_("The contact person is another member of the home "
                                  "organization."), code="contact")
    row = MobileMembership(member=locked, region_code=locked.region_code, away_since=away_since,
                           location=location[:100], reason=(reason or "").strip()[:100],
                           station=station, contact=contact)
    rule = rules.mobile_rule(row, _today())
    row.has_activity_card = rule == rules.CARD
    row.save()
    return MobilityRecorded(row, rule)


@transaction.atomic
@_acting
def record_contact(membership: MobileMembership, *, user, on: datetime.date) -> MobileMembership:
    """The home organization was in touch with a mobile member on `on`."""
    _in_scope(membership, user, "change")
    locked = _lock_open_mobility(membership)
    _not_future(on)
    if on < locked.away_since:
        raise ActionRefused(_("The contact cannot be dated %(date)s, before the member left "
                              "(%(away)s).") % {"date": _d(on), "away": _d(locked.away_since)},
                            code="date_order")
    if locked.last_contact_on is not None and on < locked.last_contact_on:
        raise ActionRefused(_("A later contact (%(last)s) is already recorded.")
                            % {"last": _d(locked.last_contact_on)}, code="date_order")
    locked.last_contact_on = on
    locked.save(update_fields=["last_contact_on", "updated_at"])
    _refresh(membership)
    return locked


@transaction.atomic
@_acting
def record_return(membership: MobileMembership, *, user, on: datetime.date) -> MobileMembership:
    """A mobile member is back home."""
    _in_scope(membership, user, "change")
    locked = _lock_open_mobility(membership)
    _not_future(on)
    if on < locked.away_since:
        raise ActionRefused(_("The return cannot be dated %(date)s, before the member left "
                              "(%(away)s).") % {"date": _d(on), "away": _d(locked.away_since)},
                            code="date_order")
    locked.returned_on = on
    locked.save(update_fields=["returned_on", "updated_at"])
    _refresh(membership)
    return locked
