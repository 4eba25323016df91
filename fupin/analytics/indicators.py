"""Indicators (指标), defined once: name, label, unit, period and how each is computed.

Pages, the API, `fupin stats` and the yearly report read the same rollups, so a figure is the
same wherever it shows. Names follow ../shared/seed-figures.md where it names a figure
(`rural_population`, `poor_persons`, `low_income_persons`, `key_villages`).

Three kinds:
- SUM: counted or summed from records and added up the region tree (a county's value is the
  sum over the records under it). Computed by a `Source`, which groups its records by their own
  `region_code` (and year or breakdown key) in one query and yields rows for several
  indicators at once.
- RATIO: numerator / denominator of two SUM indicators of the same region, computed when read
  ("—" when the denominator is 0). Never stored.
- MEDIAN: recomputed from the records for every region (a median does not add up).

Each source names the models whose writes change it, so that a write refreshes only what it
can change (see signals.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, DecimalField, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.regions.scope import within

SUM, RATIO, MEDIAN = "sum", "ratio", "median"


# Units, translated in their own context ("households" as a unit is 户, not 贫困户).
UNITS = {
    "persons": pgettext_lazy("unit", "persons"),
    "households": pgettext_lazy("unit", "households"),
    "villages": pgettext_lazy("unit", "villages"),
    "organizations": pgettext_lazy("unit", "organizations"),
    "yuan": pgettext_lazy("unit", "yuan"),
    "measures": pgettext_lazy("unit", "measures"),
}
NOW = 0  # the period of a current-state figure

Row = tuple[str, str, int, str, object]  # indicator, region_code, period, key, value


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    unit: str
    kind: str = SUM
    by_year: bool = False  # period is a year (a trend); otherwise NOW
    breakdown: Callable[[], dict[str, str]] | None = None  # key -> label
    numerator: str = ""
    denominator: str = ""
    percent: bool = False
    group: str = "poverty"  # the dashboard section
    key_figure: bool = False  # shown in the region's headline and child comparison

    def ratio(self, numerator, denominator):
        if not denominator:
            return None
        value = float(numerator or 0) / float(denominator)
        return value * 100 if self.percent else value


@dataclass(frozen=True)
class Source:
    """Computes SUM rows (or MEDIAN samples) for the records under a region code (all when
    None). `models` are the labels whose writes change its figures."""

    models: tuple[str, ...]
    compute: Callable[[str | None], Iterable[Row]]
    indicators: tuple[str, ...]


INDICATORS: dict[str, Indicator] = {}
SOURCES: list[Source] = []
MEDIANS: dict[str, Callable[[str | None], Iterable[tuple[str, object]]]] = {}


def indicator(*args, **kwargs) -> Indicator:
    item = Indicator(*args, **kwargs)
    INDICATORS[item.name] = item
    return item


def source(models: tuple[str, ...], indicators: tuple[str, ...]):
    def register(func):
        SOURCES.append(Source(models, func, indicators))
        return func
    return register


def grouped(queryset, indicator_name: str, code: str | None, *, value=None, period=None,
            key=None, region_field: str = "region_code") -> Iterator[Row]:
    """Rows of one indicator: `queryset` under `code`, grouped by region (and period, key)."""
    queryset = queryset.filter(within(code, region_field)) if code else queryset
    fields = [region_field] + [f for f in (period, key) if f]
    rows = queryset.order_by().values(*fields).annotate(v=value if value is not None
                                                        else Count("pk"))
    for row in rows:
        if row["v"] is None:
            continue
        yield (indicator_name, row[region_field], int(row[period] or 0) if period else NOW,
               str(row[key] or "") if key else "", row["v"])


def split(queryset, code: str | None, field: str, names: dict[str, str], *,
          value=None) -> Iterator[Row]:
    """Rows of several indicators from one grouped query: `names` maps a value of `field` to
    the indicator it counts (a value may feed none)."""
    for _name, region, period, key, v in grouped(queryset, "", code, value=value, key=field):
        if key in names:
            yield names[key], region, period, "", v


def today() -> datetime.date:
    return timezone.localdate()


# --- poverty registry -------------------------------------------------------------------------
P = "poverty"
indicator("rural_population", _("rural population"), UNITS["persons"], group=P, key_figure=True)
indicator("villages", _("villages"), UNITS["villages"], group=P)
indicator("key_villages", _("key villages"), UNITS["villages"], group=P, key_figure=True)
indicator("poor_villages", _("poor villages"), UNITS["villages"], group=P)
indicator("poor_village_exits", _("poor villages exited"), UNITS["villages"], by_year=True, group=P)
indicator("poor_persons", _("poor persons"), UNITS["persons"], group=P, key_figure=True)
indicator("low_income_persons", _("low-income persons"), UNITS["persons"], group=P,
          key_figure=True)
indicator("registered_persons", _("registered persons"), UNITS["persons"], group=P)
indicator("poor_households", _("poor households"), UNITS["households"], group=P, key_figure=True)
indicator("low_income_households", _("low-income households"), UNITS["households"], group=P)
indicator("monitored_households", _("monitored households"), UNITS["households"], group=P,
          breakdown=lambda: _labels("fupin.poverty.choices", "MonitoredGroup"))
indicator("relapsed_households", _("households fallen back into poverty"), UNITS["households"],
          group=P)
indicator("registered_households", _("registered households"), UNITS["households"], group=P)
indicator("poverty_incidence", _("poverty incidence"), "%", kind=RATIO,
          numerator="poor_persons", denominator="rural_population", percent=True, group=P,
          key_figure=True)
indicator("exits", _("households exited from poverty"), UNITS["households"], by_year=True, group=P)
indicator("identified_households", _("households identified"), UNITS["households"], by_year=True,
          group=P)
indicator("poor_households_by_cause", _("poor households by main cause"), UNITS["households"],
          group=P, breakdown=lambda: _labels("fupin.poverty.choices", "PovertyCause"))
# A per-person figure is never added up: the mean is the households' net income (per person
# times members) over their members, each a sum that does add up the region tree.
indicator("registered_income_total", _("net income of registered households"), UNITS["yuan"],
          group=P)
indicator("persons_with_income", _("persons in registered households with a recorded income"),
          UNITS["persons"], group=P)
indicator("income_per_capita_mean", _("income per person of registered households (mean)"),
          UNITS["yuan"], kind=RATIO, numerator="registered_income_total",
          denominator="persons_with_income", group=P, key_figure=True)
indicator("income_per_capita_median", _("income per person of registered households (median "
                                        "of households)"), UNITS["yuan"], kind=MEDIAN, group=P)


def _labels(module: str, name: str) -> dict[str, str]:
    import importlib

    choices = getattr(importlib.import_module(module), name)
    return dict(choices.choices)


@source(("poverty.villageprofile",), ("rural_population", "villages", "key_villages",
                                      "poor_villages", "poor_village_exits"))
def _villages(code):
    from fupin.poverty.models import VillageProfile

    rows = VillageProfile._base_manager.all()
    yield from grouped(rows, "rural_population", code, value=Sum("rural_population"))
    yield from grouped(rows, "villages", code)
    yield from grouped(rows.filter(is_key_village=True), "key_villages", code)
    yield from grouped(rows.filter(is_poor_village=True), "poor_villages", code)
    yield from grouped(rows.filter(poor_village_exit_year__isnull=False), "poor_village_exits",
                       code, period="poor_village_exit_year")


@source(("poverty.person", "poverty.household"), ("poor_persons", "low_income_persons",
                                                  "registered_persons"))
def _persons(code):
    from fupin.poverty.models import Person

    rows = Person._base_manager.all()
    counts = {}
    for _name, region, _period, status, n in grouped(rows, "", code, key="household__status"):
        if status == "poor":
            yield "poor_persons", region, NOW, "", n
        elif status == "low_income":
            yield "low_income_persons", region, NOW, "", n
        if status != "removed":
            counts[region] = counts.get(region, 0) + n
    for region, n in counts.items():
        yield "registered_persons", region, NOW, "", n


@source(("poverty.household",), ("poor_households", "low_income_households",
                                 "monitored_households", "relapsed_households",
                                 "registered_households", "exits", "identified_households",
                                 "poor_households_by_cause", "registered_income_total",
                                 "persons_with_income"))
def _households(code):
    from fupin.poverty.models import Household

    rows = Household._base_manager.all()
    registered = rows.exclude(status="removed")
    yield from split(rows, code, "status", {
        "poor": "poor_households", "low_income": "low_income_households",
        "relapsed": "relapsed_households"})
    yield from grouped(registered, "registered_households", code)
    yield from grouped(rows.filter(status="monitored"), "monitored_households", code,
                       key="monitored_group")
    yield from grouped(rows.filter(exit_year__isnull=False), "exits", code, period="exit_year")
    yield from grouped(registered, "identified_households", code, period="identification_year")
    yield from grouped(rows.filter(status="poor").exclude(main_cause=""),
                       "poor_households_by_cause", code, key="main_cause")
    with_income = registered.filter(income_per_capita__isnull=False)
    yield from grouped(with_income, "registered_income_total", code, value=Sum(
        F("income_per_capita") * F("members_count"), output_field=DecimalField(max_digits=20, decimal_places=2)))
    yield from grouped(with_income, "persons_with_income", code, value=Sum("members_count"))


def _income_samples(code):
    from fupin.poverty.models import Household

    rows = Household._base_manager.exclude(status="removed").filter(
        income_per_capita__isnull=False)
    if code:
        rows = rows.filter(within(code))
    # As floats: the rows go straight from the cursor into polars (rollups._medians).
    return rows.order_by().annotate(v=Cast("income_per_capita", FloatField())).values_list(
        "region_code", "v")


MEDIANS["income_per_capita_median"] = _income_samples
MEDIAN_MODELS = {"income_per_capita_median": ("poverty.household",)}


# --- party building ---------------------------------------------------------------------------
G = "party"
indicator("party_members", _("party members"), UNITS["persons"], group=G, key_figure=True)
indicator("party_branches", _("party branches"), UNITS["organizations"], group=G)
indicator("committee_villages", _("villages with a branch committee in office"),
          UNITS["villages"], group=G)
indicator("one_shoulder_villages", _("villages whose branch secretary is also committee "
                                     "director"), UNITS["villages"], group=G)
indicator("one_shoulder_rate", _("one-shoulder rate"), "%", kind=RATIO,
          numerator="one_shoulder_villages", denominator="committee_villages", percent=True,
          group=G, key_figure=True)
indicator("college_graduate_villages", _("villages with a college graduate among the cadres"),
          UNITS["villages"], group=G)
indicator("college_graduate_rate", _("college-graduate villages"), "%", kind=RATIO,
          numerator="college_graduate_villages", denominator="committee_villages",
          percent=True, group=G)


@source(("party.partymember", "party.partyorg"), ("party_members", "party_branches"))
def _party(code):
    from fupin.party.models import PartyMember, PartyOrg

    yield from grouped(PartyMember._base_manager.filter(
        stage__in=("probationary", "full"), left_on__isnull=True), "party_members", code)
    yield from grouped(PartyOrg._base_manager.filter(kind="branch", dissolved_on__isnull=True),
                       "party_branches", code)


@source(("party.cadreposition", "party.committee", "party.cadre"),
        ("committee_villages", "one_shoulder_villages", "college_graduate_villages"))
def _cadres(code):
    """The derivations of fupin.party.rules (current_positions, one_shoulder,
    college_graduate_villages) as three grouped queries, not a walk over every position."""
    from django.db.models import Exists, OuterRef

    from fupin.party.models import CadrePosition
    from fupin.poverty.choices import Education

    day = today()
    current = (Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)))
    positions = CadrePosition._base_manager.filter(current)
    region = "committee__region_code"

    def villages(rows, name):
        rows = rows.filter(within(code, region)) if code else rows
        for value in rows.order_by().values_list(region, flat=True).distinct():
            yield name, value, NOW, "", 1

    yield from villages(positions.filter(committee__kind="branch"), "committee_villages")
    directs = positions.filter(cadre=OuterRef("cadre"), committee__kind="villagers",
                               post="director", committee__region_code=OuterRef(region))
    yield from villages(positions.filter(committee__kind="branch", post="secretary")
                        .filter(Exists(directs)), "one_shoulder_villages")
    yield from villages(positions.filter(Q(cadre__is_college_graduate=True)
                                         | Q(cadre__education=Education.COLLEGE)),
                        "college_graduate_villages")


indicator("orgs_required_to_meet", _("organizations that must hold meetings"),
          UNITS["organizations"], group=G)
indicator("orgs_meeting_requirement", _("organizations holding every required meeting"),
          UNITS["organizations"], group=G)
indicator("meeting_compliance", _("meeting-frequency compliance (last three months)"), "%",
          kind=RATIO, numerator="orgs_meeting_requirement", denominator="orgs_required_to_meet",
          percent=True, group=G, key_figure=True)


def meeting_period(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last three complete months, as the party shortfall page checks by default."""
    from fupin.party import rules

    end = day.replace(day=1) - datetime.timedelta(days=1)
    return rules.add_months(end.replace(day=1), -2), end


@source(("party.orgmeeting", "party.partyorg"),
        ("orgs_required_to_meet", "orgs_meeting_requirement"))
def _meetings(code):
    """rules.meeting_shortfalls for every organization at once (rules.meeting_compliance)."""
    from fupin.party import rules
    from fupin.party.models import OrgMeeting, PartyOrg

    start, end = meeting_period(today())
    orgs, meetings = PartyOrg._base_manager.all(), OrgMeeting._base_manager.all()
    if code:
        orgs, meetings = orgs.filter(within(code)), meetings.filter(within(code))
    counts = rules.meeting_compliance(orgs, start, end, meetings)
    for region, (required, meeting) in counts.items():
        yield "orgs_required_to_meet", region, NOW, "", required
        if meeting:
            yield "orgs_meeting_requirement", region, NOW, "", meeting


# --- village cadres page (party:cadre_derived) ---------------------------------------------------
indicator("cross_member_cadres", _("cadres on both committees of their village"),
          UNITS["persons"], group=G)


@source(("party.cadreposition", "party.committee"), ("cross_member_cadres",))
def _cross_members(code):
    """rules.cross_members counted: cadres holding a current post on the branch committee and
    on the villagers' committee of the same village."""
    from django.db.models import Exists, OuterRef

    from fupin.party.models import CadrePosition

    day = today()
    current = (Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)))
    positions = CadrePosition._base_manager.filter(current)
    region = "committee__region_code"
    other = positions.filter(cadre=OuterRef("cadre"), committee__kind="villagers",
                             committee__region_code=OuterRef(region))
    rows = positions.filter(committee__kind="branch").filter(Exists(other))
    yield from grouped(rows, "cross_member_cadres", code, value=Count("cadre", distinct=True),
                       region_field=region)


# --- assistance -------------------------------------------------------------------------------
A = "assistance"
indicator("key_villages_with_team", _("key villages with a work team"), UNITS["villages"], group=A)
indicator("team_coverage", _("work-team coverage of key villages"), "%", kind=RATIO,
          numerator="key_villages_with_team", denominator="key_villages", percent=True,
          group=A, key_figure=True)
indicator("households_in_need", _("households in need of help"), UNITS["households"], group=A)
indicator("households_with_helper", _("households in need with a current helper"),
          UNITS["households"], group=A)
indicator("helper_coverage", _("helper coverage of households in need"), "%", kind=RATIO,
          numerator="households_with_helper", denominator="households_in_need", percent=True,
          group=A, key_figure=True)
indicator("helpers", _("helpers with a current pairing"), UNITS["persons"], group=A)
indicator("branches_to_pair", _("branches of key and poor villages"), UNITS["organizations"],
          group=A)
indicator("branches_paired", _("branches of key and poor villages with a pairing"),
          UNITS["organizations"], group=A)
indicator("branch_pairing_coverage", _("branch-pairing coverage"), "%", kind=RATIO,
          numerator="branches_paired", denominator="branches_to_pair", percent=True, group=A)
indicator("households_visited_90d", _("households in need visited in the last 90 days"),
          UNITS["households"], group=A)
indicator("visit_coverage", _("share of households in need visited in the last 90 days"), "%",
          kind=RATIO, numerator="households_visited_90d", denominator="households_in_need",
          percent=True, group=A)
indicator("measures", _("assistance measures by category"), UNITS["measures"], by_year=True,
          group=A, breakdown=lambda: _labels("fupin.assistance.choices", "MeasureCategory"))


@source(("assistance.workteam", "poverty.villageprofile"), ("key_villages_with_team",))
def _teams(code):
    from fupin.assistance.models import WorkTeam
    from fupin.poverty.models import VillageProfile

    teams = WorkTeam._base_manager.filter(WorkTeam.current_q(today())).values("region_code")
    yield from grouped(VillageProfile._base_manager.filter(is_key_village=True,
                                                           region_code__in=teams),
                       "key_villages_with_team", code)


@source(("poverty.household", "assistance.pairing", "assistance.visit"),
        ("households_in_need", "households_with_helper", "households_visited_90d"))
def _households_helped(code):
    from django.db.models import Exists, OuterRef

    from fupin.assistance import rules
    from fupin.assistance.models import Pairing, Visit
    from fupin.poverty.models import Household

    day = today()
    need = Household._base_manager.filter(status__in=rules.helped_statuses())
    if code:
        need = need.filter(within(code))
    paired = Pairing._base_manager.filter(Pairing.current_q(day), household=OuterRef("pk"))
    visited = Visit._base_manager.filter(household=OuterRef("pk"), visited_on__lte=day,
                                         visited_on__gte=day - datetime.timedelta(days=90))
    # One pass over the households in need, each looked up in the two indexes.
    rows = (need.order_by().annotate(paired=Exists(paired), visited=Exists(visited))
            .values("region_code", "paired", "visited").annotate(n=Count("pk")))
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        region = row["region_code"]
        for name, counted in (("households_in_need", True),
                              ("households_with_helper", row["paired"]),
                              ("households_visited_90d", row["visited"])):
            if counted:
                totals[(name, region)] = totals.get((name, region), 0) + row["n"]
    for (name, region), n in totals.items():
        yield name, region, NOW, "", n


@source(("assistance.pairing", "party.partymember"), ("helpers",))
def _helpers(code):
    from fupin.assistance.models import Pairing
    from fupin.party.models import PartyMember

    helping = Pairing._base_manager.filter(Pairing.current_q(today())).values("helper_id")
    yield from grouped(PartyMember._base_manager.filter(pk__in=helping), "helpers", code)


@source(("assistance.branchpairing", "party.partyorg", "poverty.villageprofile"),
        ("branches_to_pair", "branches_paired"))
def _branch_pairings(code):
    from fupin.assistance.models import BranchPairing
    from fupin.party.models import PartyOrg
    from fupin.poverty.models import VillageProfile

    needy = VillageProfile._base_manager.filter(
        Q(is_key_village=True) | Q(is_poor_village=True)).values("region_code")
    branches = PartyOrg._base_manager.filter(
        kind__in=("branch", "general_branch", "committee"), region_code__in=needy,
        dissolved_on__isnull=True)
    yield from grouped(branches, "branches_to_pair", code)
    paired = BranchPairing._base_manager.filter(BranchPairing.current_q(today())).values(
        "village_org_id")
    yield from grouped(branches.filter(pk__in=paired), "branches_paired", code)


@source(("assistance.measure",), ("measures",))
def _measures(code):
    from fupin.assistance.models import Measure

    yield from grouped(Measure._base_manager.exclude(state="cancelled"), "measures", code,
                       period="year", key="category")


# --- rural income and monitoring (issue 11) ----------------------------------------------------
# The province's rural net income per capita is the villages' own figure (of their whole rural
# population, not only of registered households), weighted by rural population: the villages'
# net income over their people.
indicator("rural_income_total", _("rural net income of the villages"), UNITS["yuan"], group=P)
indicator("rural_population_with_income", _("rural population of villages with a recorded "
                                             "net income"), UNITS["persons"], group=P)
indicator("rural_income_per_capita", _("rural net income per capita"), UNITS["yuan"],
          kind=RATIO, numerator="rural_income_total",
          denominator="rural_population_with_income", group=P, key_figure=True)
# Beside the monitored households, those whose monitoring procedure is still open (lead taken,
# not yet decided by the county): the whole of the monitoring work.
indicator("households_under_assessment", _("households under monitoring assessment"),
          UNITS["households"], group=P)


@source(("poverty.villageprofile",), ("rural_income_total", "rural_population_with_income"))
def _rural_income(code):
    from fupin.poverty.models import VillageProfile

    rows = VillageProfile._base_manager.filter(net_income_per_capita__isnull=False)
    yield from grouped(rows, "rural_income_total", code, value=Sum(
        F("net_income_per_capita") * F("rural_population"), output_field=DecimalField(max_digits=20, decimal_places=2)))
    yield from grouped(rows, "rural_population_with_income", code,
                       value=Sum("rural_population"))


@source(("poverty.procedure",), ("households_under_assessment",))
def _under_assessment(code):
    from fupin.poverty.choices import ProcedureKind, ProcedureState
    from fupin.poverty.models import Procedure

    rows = Procedure._base_manager.filter(kind=ProcedureKind.MONITORING,
                                          state=ProcedureState.OPEN)
    yield from grouped(rows, "households_under_assessment", code,
                       value=Count("household", distinct=True))


# --- training and remote education (fupin.training) ---------------------------------------------
T = "training"
# (training's indicators and sources go here)


# --- village democracy and openness (fupin.democracy) -------------------------------------------
D = "democracy"
# (democracy's indicators and sources go here)


# --- responsibility and supervision (fupin.supervision) ------------------------------------------
S = "supervision"
# (supervision's indicators and sources go here)


def key_figures() -> list[Indicator]:
    return [i for i in INDICATORS.values() if i.key_figure]


def sources_for(labels: set[str]) -> list[Source]:
    return [s for s in SOURCES if labels & set(s.models)]


def medians_for(labels: set[str]) -> list[str]:
    return [name for name, models in MEDIAN_MODELS.items() if labels & set(models)]
