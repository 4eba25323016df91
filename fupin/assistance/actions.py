"""State transitions of the assistance mechanisms: one function per transition, atomic, the
acting user as the keyword `user` (see fupin.core.actions).

Records without a workflow (teams, contact points, plans, projects, envoys) are kept through
the generic forms; what has rules is here: pairing a helper with a household (one current
pairing per household, history kept, the load limit warned about), visits (by whom, not in
the future, a helper only to their own households), presence per month, and finishing a
measure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.assistance import choices as c
from fupin.assistance import rules
from fupin.assistance.models import Measure, Pairing, Presence, Visit, WorkTeamMember
from fupin.core import params
from fupin.core.actions import (
    ActionRefused,
    NotPermitted,
    acting,
    d,
    in_scope,
    not_future,
    region_in_scope,
    require,
)
from fupin.core.policy import Role, restrict, role_of
from fupin.party.models import PartyMember
from fupin.poverty.models import Household
from fupin.regions.scope import level_of

__all__ = ["ActionRefused", "NotPermitted", "PairingStarted", "end_pairing", "finish_measure",
           "record_presence", "record_visit", "start_pairing"]


@dataclass
class PairingStarted:
    pairing: Pairing
    ended: Pairing | None = None  # the previous helper's pairing, ended the day before
    warnings: list[str] = field(default_factory=list)


def _lock_household(household: Household) -> Household:
    return Household._base_manager.select_for_update().get(pk=household.pk)


@transaction.atomic
@acting
def start_pairing(household: Household, helper: PartyMember, *, user, starts_on: datetime.date,
                  helper_unit: str = "", unit_level: str = "") -> PairingStarted:
    """Make `helper` the household's responsible helper from `starts_on`. A current pairing
    with another helper ends the day before (reason: helper changed), so the history stays."""
    require(user, Pairing, "add")
    in_scope(household, user, "view")
    not_future(starts_on)
    if household.status not in rules.helped_statuses():
        raise ActionRefused(_("Household %(household)s is %(status)s; only households in need "
                              "are paired with a helper.")
                            % {"household": household.number,
                               "status": household.get_status_display()}, code="status")
    if unit_level and unit_level not in c.UnitLevel.values:
        raise ActionRefused(_("Choose the level of the helper's unit."), code="unit_level")
    if helper.left_on is not None or helper.stage not in ("probationary", "full"):
        raise ActionRefused(_("%(helper)s is not a current party member.") % {"helper": helper},
                            code="helper")
    _lock_household(household)
    current = Pairing._base_manager.filter(household=household, ends_on__isnull=True).first()
    ended = None
    if current is not None:
        if current.helper_id == helper.pk:
            raise ActionRefused(_("%(helper)s is already this household's helper (since "
                                  "%(date)s).") % {"helper": helper, "date": d(current.starts_on)},
                                code="same_helper")
        if starts_on <= current.starts_on:
            raise ActionRefused(_("The new pairing must start after the current one (which "
                                  "started on %(date)s).") % {"date": d(current.starts_on)},
                                code="order")
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.end_reason = c.PairingEndReason.HELPER_CHANGED
        current.save(update_fields=["ends_on", "end_reason", "updated_at", "updated_by"])
        ended = current
    pairing = Pairing.objects.create(
        household=household, helper=helper, region_code=household.region_code,
        starts_on=starts_on, helper_unit=helper_unit, unit_level=unit_level)
    warnings = []
    limit = int(params.get(rules.HELPER_LOAD_LIMIT))
    load = rules.helper_load(helper.pk, starts_on)
    if load > limit:
        warnings.append(_("%(helper)s now helps %(load)s households, more than the limit of "
                          "%(limit)s.") % {"helper": helper, "load": load, "limit": limit})
    return PairingStarted(pairing, ended, warnings)


@transaction.atomic
@acting
def end_pairing(pairing: Pairing, *, user, ends_on: datetime.date, reason: str) -> Pairing:
    in_scope(pairing, user, "change")
    pairing = Pairing._base_manager.select_for_update().get(pk=pairing.pk)
    if pairing.ends_on is not None:
        raise ActionRefused(_("This pairing already ended on %(date)s.") % {"date": d(pairing.ends_on)},
                            code="ended")
    not_future(ends_on)
    if ends_on < pairing.starts_on:
        raise ActionRefused(_("A pairing cannot end before it started (%(date)s).")
                            % {"date": d(pairing.starts_on)}, code="order")
    if reason not in c.PairingEndReason.values:
        raise ActionRefused(_("Choose the reason for ending the pairing."), code="reason")
    pairing.ends_on, pairing.end_reason = ends_on, reason
    pairing.save(update_fields=["ends_on", "end_reason", "updated_at", "updated_by"])
    return pairing


@transaction.atomic
@acting
def record_visit(*, user, visited_on: datetime.date, findings: str,
                 household: Household | None = None, region_code: str = "",
                 kind: str = c.VisitKind.HOME, help_given: str = "", follow_up: str = "",
                 visitor: PartyMember | None = None, visitor_name: str = "") -> Visit:
    """Log a visit to a household, or to a village (`region_code`) when no household is
    given. The visitor defaults to the user's own member record and name."""
    require(user, Visit, "add")
    if kind not in c.VisitKind.values:
        raise ActionRefused(_("Choose how the visit was made."), code="kind")
    not_future(visited_on)
    if not (findings or "").strip():
        raise ActionRefused(_("Say what was found on the visit."), code="findings")
    if household is not None:
        if not restrict(Household._base_manager.filter(pk=household.pk), user).exists():
            if role_of(user) == Role.HELPER:
                raise NotPermitted(_("Household %(household)s is not one of yours.")
                                   % {"household": household.number}, code="scope")
            in_scope(household, user, "view")
        region_code = household.region_code
        if kind == c.VisitKind.VILLAGE:
            kind = c.VisitKind.HOME
    else:
        if role_of(user) == Role.HELPER:
            raise NotPermitted(_("A helper logs visits to their own households."),
                               code="scope")
        if not region_code or level_of(region_code) != 5:
            raise ActionRefused(_("Choose the household, or the village visited."),
                                code="target")
        region_in_scope(region_code, user)
        kind = c.VisitKind.VILLAGE
    if visitor is None:
        visitor = getattr(user, "member", None)
    name = (visitor_name or (visitor.name if visitor else "") or str(user)).strip()
    return Visit.objects.create(
        household=household, region_code=region_code, visitor=visitor, visitor_name=name[:50],
        kind=kind, visited_on=visited_on, findings=findings.strip(),
        help_given=help_given.strip(), follow_up=follow_up.strip())


@transaction.atomic
@acting
def record_presence(team_member: WorkTeamMember, *, user, month: datetime.date,
                    days: int) -> Presence:
    """Days present in the village in a month (recording the month again corrects it)."""
    in_scope(team_member, user, "view")
    require(user, Presence, "add")
    month = month.replace(day=1)
    not_future(month)
    month_end = (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
    if not 0 <= days <= month_end.day:
        raise ActionRefused(_("Days present in %(month)s must be between 0 and %(days)s.")
                            % {"month": month.strftime("%Y-%m"), "days": month_end.day},
                            code="days")
    if team_member.starts_on > month_end or (team_member.ends_on and team_member.ends_on < month):
        raise ActionRefused(_("%(name)s was not on the team in %(month)s.")
                            % {"name": team_member.name, "month": month.strftime("%Y-%m")},
                            code="period")
    presence, _created = Presence._base_manager.update_or_create(
        team_member=team_member, month=month,
        defaults={"days": days, "region_code": team_member.region_code})
    return presence


@transaction.atomic
@acting
def finish_measure(measure: Measure, *, user, done_on: datetime.date,
                   amount: Decimal | None = None, effect: str = "") -> Measure:
    in_scope(measure, user, "change")
    measure = Measure._base_manager.select_for_update().get(pk=measure.pk)
    if measure.state in (c.MeasureState.DONE, c.MeasureState.CANCELLED):
        raise ActionRefused(_("This measure is already %(state)s.")
                            % {"state": measure.get_state_display()}, code="state")
    not_future(done_on)
    if amount is not None and amount < 0:
        raise ActionRefused(_("The amount cannot be negative."), code="amount")
    measure.state, measure.done_on = c.MeasureState.DONE, done_on
    if amount is not None:
        measure.amount = amount
    if effect:
        measure.effect = effect.strip()
    measure.save()
    return measure
