"""Who sees which assistance records beyond region and role (see fupin.core.policy).

A helper (帮扶责任人, role `helper`) works with the households paired with their party-member
record (`User.member`): they see those households, their members, incomes and procedures,
their pairings and measures, and only the visits they recorded themselves. A helper without
a member record sees none. Registered from AssistanceConfig.ready().
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from fupin.core.policy import Role, add_filter, role_of


def own_household_ids(user):
    """Ids of the households currently paired with the user's member record."""
    from fupin.assistance.models import Pairing

    today = timezone.localdate()
    return Pairing._base_manager.filter(Pairing.current_q(today), helper__user=user).values(
        "household_id")


def _households(field: str):
    def narrow(queryset, user, action):
        if role_of(user) != Role.HELPER:
            return queryset
        return queryset.filter(**{f"{field}__in": own_household_ids(user)})
    return narrow


def _visits(queryset, user, action):
    if role_of(user) != Role.HELPER:
        return queryset
    mine = Q(created_by=user)
    if getattr(user, "member_id", None):
        mine |= Q(visitor_id=user.member_id)
    # A visit to a household no longer paired with the helper stays theirs to read, not to edit.
    if action != "view":
        mine &= Q(household__in=own_household_ids(user))
    return queryset.filter(mine)


def _pairings(queryset, user, action):
    if role_of(user) != Role.HELPER:
        return queryset
    return queryset.filter(helper__user=user)


def register() -> None:
    add_filter("poverty.household", _households("pk"))
    for label in ("poverty.person", "poverty.incomerecord", "poverty.procedure",
                  "assistance.measure"):
        add_filter(label, _households("household_id"))
    add_filter("poverty.procedurestep", _households("procedure__household_id"))
    add_filter("assistance.visit", _visits)
    add_filter("assistance.pairing", _pairings)
