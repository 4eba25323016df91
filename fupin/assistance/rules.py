"""Rules of the assistance mechanisms as data, and the coverage gaps read from the records.

Thresholds (procedures.md "Village work teams"; the others are local practice, marked not
confirmed) are declared with `params.declare`. `GAPS` lists what 一级抓一级 must make visible:
each gap kind knows its rows (a queryset of the model that the policy restricts), the region
each row belongs to, where it is fixed, and so how its counts roll up through the five levels.
Pure: nothing here writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.assistance import models as m
from fupin.core import params
from fupin.core.policy import restrict
from fupin.poverty.choices import PovertyStatus
from fupin.poverty.models import Household, VillageProfile
from fupin.regions.scope import VILLAGE, level_of, pad, prefix_sql, within

TEAM_MIN_MEMBERS = params.declare(
    "assistance.team_min_members", 3,
    _("Minimum members of a work team stationed in a village (at least 3)."))
TEAM_MIN_TERM_DAYS = params.declare(
    "assistance.team_min_term_days", 730,
    _("Minimum term of a work team, in days (at least 2 years)."))
PRESENCE_MIN_DAYS = params.declare(
    "assistance.presence_min_days", 20,
    _("Minimum days a work-team member is present in the village each month."), confirmed=False)
HELPER_LOAD_LIMIT = params.declare(
    "assistance.helper_load_limit", 5,
    _("Most households one helper should be responsible for at a time."), confirmed=False)
HOUSEHOLD_VISIT_DAYS = params.declare(
    "assistance.household_visit_days", 90,
    _("A household in need should be visited at least once in this many days."),
    confirmed=False)
VILLAGE_VISIT_DAYS = params.declare(
    "assistance.village_visit_days", 30,
    _("A key village should be visited at least once in this many days."), confirmed=False)
HELPED_STATUSES = params.declare(
    "assistance.helped_statuses",
    [PovertyStatus.POOR, PovertyStatus.MONITORED, PovertyStatus.RELAPSED],
    _("Household statuses that need a helper, visits and a plan."))


def helped_statuses() -> list[str]:
    return [str(s) for s in params.get(HELPED_STATUSES)]


def last_month(today: datetime.date) -> datetime.date:
    """The first day of the last full month before `today`."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


# --- pairing load -----------------------------------------------------------------------------
def helper_load(helper_id: int, on: datetime.date) -> int:
    """Households currently paired with the helper."""
    return m.Pairing._base_manager.filter(m.Pairing.current_q(on), helper_id=helper_id).count()


def team_term_days(team: m.WorkTeam) -> int | None:
    return None if team.ends_on is None else (team.ends_on - team.starts_on).days


# --- coverage gaps ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    """A kind of gap: `rows(today)` is every offending row anywhere (the caller restricts it
    to the user's scope with `restrict`), grouped by `region_field`; `link(row)` is where it
    is fixed."""

    key: str
    label: str
    fix: str
    model: type
    rows: Callable[[datetime.date], QuerySet]
    link: Callable[[object], str]
    region_field: str = "region_code"
    describe: Callable[[object], str] = str


def _helped_households() -> QuerySet:
    return Household._base_manager.filter(status__in=helped_statuses())


def _key_villages_without_team(today):
    teams = m.WorkTeam._base_manager.filter(m.WorkTeam.current_q(today),
                                            region_code=OuterRef("region_code"))
    return VillageProfile._base_manager.filter(is_key_village=True).exclude(Exists(teams))


def _current_teams(today):
    return m.WorkTeam._base_manager.filter(m.WorkTeam.current_q(today))


def _small_teams(today):
    members = Count("members", filter=m.WorkTeamMember.current_q(today, "members__"))
    return _current_teams(today).annotate(current_members=members).filter(
        current_members__lt=int(params.get(TEAM_MIN_MEMBERS)))


def _teams_low_presence(today):
    """Current teams with a current member present fewer than the minimum days last month
    (no record counts as zero)."""
    month = last_month(today)
    enough = m.Presence._base_manager.filter(team_member=OuterRef("pk"), month=month,
                                             days__gte=int(params.get(PRESENCE_MIN_DAYS)))
    short = m.WorkTeamMember._base_manager.filter(
        m.WorkTeamMember.current_q(month), team=OuterRef("pk")).exclude(Exists(enough))
    return _current_teams(today).filter(starts_on__lte=month).filter(Exists(short))


def _households_without_helper(today):
    current = m.Pairing._base_manager.filter(m.Pairing.current_q(today),
                                             household=OuterRef("pk"))
    return _helped_households().exclude(Exists(current))


def _helpers_over_limit(today):
    from fupin.party.models import PartyMember

    load = Count("pairings", filter=m.Pairing.current_q(today, "pairings__"))
    return PartyMember._base_manager.annotate(load=load).filter(
        load__gt=int(params.get(HELPER_LOAD_LIMIT)))


def _branches_without_pairing(today):
    from fupin.party.models import PartyOrg

    needy = VillageProfile._base_manager.filter(
        Q(is_key_village=True) | Q(is_poor_village=True)).values("region_code")
    pairings = m.BranchPairing._base_manager.filter(m.BranchPairing.current_q(today),
                                                    village_org=OuterRef("pk"))
    return PartyOrg._base_manager.filter(
        kind__in=("branch", "general_branch", "committee"), region_code__in=needy,
        dissolved_on__isnull=True).exclude(Exists(pairings))


def _households_not_visited(today):
    since = today - datetime.timedelta(days=int(params.get(HOUSEHOLD_VISIT_DAYS)))
    visits = m.Visit._base_manager.filter(household=OuterRef("pk"), visited_on__gte=since)
    return _helped_households().exclude(Exists(visits))


def _villages_not_visited(today):
    since = today - datetime.timedelta(days=int(params.get(VILLAGE_VISIT_DAYS)))
    visits = m.Visit._base_manager.filter(region_code=OuterRef("region_code"),
                                          visited_on__gte=since)
    return VillageProfile._base_manager.filter(is_key_village=True).exclude(Exists(visits))


def _households_without_measure(today):
    measures = m.Measure._base_manager.filter(household=OuterRef("pk")).exclude(
        state="cancelled")
    return _helped_households().exclude(Exists(measures))


def _url(name: str, **query) -> Callable[[object], str]:
    def link(row) -> str:
        values = {k: (v(row) if callable(v) else v) for k, v in query.items()}
        return f"{reverse(name)}?{urlencode(values)}" if values else reverse(name)
    return link


def _detail(row) -> str:
    return row.get_absolute_url()


GAPS: list[Gap] = [
    Gap("key_villages_without_team", _("key villages without a work team"),
        _("station a work team"), VillageProfile, _key_villages_without_team,
        _url("assistance:workteam_add", region_code=lambda r: r.region_code),
        describe=lambda r: r.region_code),
    Gap("small_teams", _("work teams below the minimum size"), _("add team members"),
        m.WorkTeam, _small_teams, _detail),
    Gap("teams_low_presence", _("work teams short of days in the village last month"),
        _("record or improve presence"), m.WorkTeam, _teams_low_presence, _detail),
    Gap("households_without_helper", _("households in need without a current helper"),
        _("pair a helper"), Household, _households_without_helper,
        lambda row: reverse("assistance:household_pair", kwargs={"pk": row.pk})),
    Gap("helpers_over_limit", _("helpers over the load limit"), _("move households to "
        "another helper"), None, _helpers_over_limit, _detail),
    Gap("branches_without_pairing", _("branches of key and poor villages without a pairing"),
        _("pair a branch"), None, _branches_without_pairing,
        _url("assistance:branchpairing_add", village_org=lambda r: r.pk)),
    Gap("households_not_visited", _("households in need not visited recently"),
        _("visit the household"), Household, _households_not_visited,
        _url("assistance:visit_add", household=lambda r: r.pk)),
    Gap("villages_not_visited", _("key villages not visited recently"), _("visit the village"),
        VillageProfile, _villages_not_visited,
        _url("assistance:visit_add", region_code=lambda r: r.region_code),
        describe=lambda r: r.region_code),
    Gap("households_without_measure", _("households in need whose plan has no measure"),
        _("plan a measure"), Household, _households_without_measure,
        _url("assistance:measure_add", household=lambda r: r.pk)),
]
GAPS_BY_KEY = {gap.key: gap for gap in GAPS}


def add_gap(gap: Gap) -> Gap:
    """A kind of gap from an app above assistance (villages without a working remote-education
    station, overdue disclosures, overdue tasks), shown on the coverage-gap page and rolled up
    like these; called from that app's `ready()`."""
    if gap.key not in GAPS_BY_KEY:
        GAPS.append(gap)
        GAPS_BY_KEY[gap.key] = gap
    return gap


def _gap_model(gap: Gap):
    if gap.model is not None:
        return gap.model
    from fupin.party.models import PartyMember, PartyOrg

    return PartyMember if gap.key == "helpers_over_limit" else PartyOrg


def gap_rows(gap: Gap, user, region_code: str, today: datetime.date) -> QuerySet:
    """The gap's rows under `region_code` that the user may see."""
    model = _gap_model(gap)
    # A plain queryset of the model (the gap's own may carry aggregates), so that counting and
    # grouping by region stay simple.
    rows = model._base_manager.filter(within(region_code, gap.region_field),
                                      pk__in=gap.rows(today).values("pk"))
    return restrict(rows, user, "view")


def gap_counts(user, region_code: str, today: datetime.date) -> list[dict]:
    """Per gap kind: the total under `region_code` and the counts per child region (the level
    below; a village has no children), for the rollup table."""
    level = level_of(region_code)
    result = []
    for gap in GAPS:
        rows = gap_rows(gap, user, region_code, today)
        if level == VILLAGE:
            by_child = {}
            total = rows.count()
        else:
            grouped = rows.order_by().annotate(
                child=prefix_sql(gap.region_field, level + 1)).values("child").annotate(
                n=Count("pk", distinct=True))
            by_child = {pad(row["child"]): row["n"] for row in grouped}
            total = sum(by_child.values())
        result.append({"gap": gap, "total": total, "by_child": by_child})
    return result
