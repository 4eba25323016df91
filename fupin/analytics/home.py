"""This app's panels on the workbench (我的工作台) of the levels above the village: for a
township, county or prefecture, its children's overdue procedures and coverage gaps, worst
first, each figure linked to the page where it is dealt with; for a province, the headline
figures, the worst regions and the trend.

Cost is bounded whatever the level: the gap figures come from the rollups (one indexed query
for all children), the overdue procedures from one grouped query on the index (region_code,
state, deadline) over the few open procedures, and the province's cards and trend from the
dashboard (`panels.build`: four indexed queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.analytics import panels, services
from fupin.analytics.models import Rollup
from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.poverty.choices import ProcedureState
from fupin.poverty.models import Procedure
from fupin.poverty.workflows import overdue_procedures
from fupin.regions.models import Region
from fupin.regions.scope import PROVINCE, VILLAGE, pad, prefix_sql, within

# Roles whose day is their own village or households (their panels come from the domain apps).
VILLAGE_ROLES = {Role.HELPER, Role.VILLAGE, Role.WORK_TEAM}
WORST = 5  # regions a province leader sees first

# (key, label, indicator that counts what should be, indicator that counts what is)
SHORT = (
    ("households_without_helper", _("households in need without a helper"),
     "households_in_need", "households_with_helper"),
    ("households_not_visited", _("households in need not visited in 90 days"),
     "households_in_need", "households_visited_90d"),
    ("key_villages_without_team", _("key villages without a work team"),
     "key_villages", "key_villages_with_team"),
    ("orgs_short_of_meetings", _("organizations short of meetings"),
     "orgs_required_to_meet", "orgs_meeting_requirement"),
)
STORED = sorted({name for _k, _l, whole, part in SHORT for name in (whole, part)})
OVERDUE = "overdue_procedures"


@dataclass
class Figure:
    key: str
    label: str
    value: int
    url: str = ""


@dataclass
class ChildRow:
    region: Region
    url: str
    figures: list[Figure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(f.value for f in self.figures)


def _region(user) -> Region | None:
    code = scope_code(user)
    if code:
        return Region._base_manager.filter(code=code).first()
    return Region._base_manager.filter(level=PROVINCE).order_by("code").first()


def _links(code: str) -> dict[str, str]:
    gaps = reverse("assistance:gaps")
    return {
        OVERDUE: f"{reverse('poverty:procedure_list')}?"
                 f"{urlencode({'region': code, 'state': ProcedureState.OPEN})}",
        "households_without_helper": f"{gaps}?{urlencode({'region': code, 'gap': 'households_without_helper'})}",
        "households_not_visited": f"{gaps}?{urlencode({'region': code, 'gap': 'households_not_visited'})}",
        "key_villages_without_team": f"{gaps}?{urlencode({'region': code, 'gap': 'key_villages_without_team'})}",
        "orgs_short_of_meetings": f"{reverse('party:shortfalls')}?{urlencode({'region': code})}",
    }


def _overdue_by_child(user, region: Region) -> dict[str, int]:
    rows = overdue_procedures(
        restrict(Procedure.objects.filter(within(region.code)), user), timezone.localdate())
    grouped = (rows.order_by().annotate(child=prefix_sql("region_code", region.level + 1))
               .values("child").annotate(n=Count("pk")))
    return {pad(row["child"]): row["n"] for row in grouped}


def _figures(code: str, values: dict, overdue: int) -> list[Figure]:
    links = _links(code)
    out = [Figure(OVERDUE, str(_("overdue procedures")), overdue, links[OVERDUE])]
    for key, label, whole, part in SHORT:
        value = max(int(values.get(whole) or 0) - int(values.get(part) or 0), 0)
        out.append(Figure(key, str(label), value, links[key]))
    return out


def children_rows(user, region: Region) -> tuple[list[Figure], list[ChildRow]]:
    """The region's own totals and its children's, worst child first."""
    result = services.figures(region, names=STORED, child_names=STORED)
    overdue = _overdue_by_child(user, region)
    region_url = reverse("regions:region", args=["0" * 12])
    rows = [ChildRow(child, region_url.replace("0" * 12, child.code),
                     _figures(child.code, values, overdue.get(child.code, 0)))
            for child, values in result.children]
    rows.sort(key=lambda r: (-r.total, r.region.code))
    return _figures(region.code, result.values, sum(overdue.values())), rows


def _allowed(user) -> bool:
    return role_of(user) not in VILLAGE_ROLES and can(user, Rollup, "view")


def levels_panel(user) -> dict | None:
    """Township, county, prefecture: the children's overdue work and gaps."""
    region = _region(user) if _allowed(user) else None
    if region is None or region.level in (PROVINCE, VILLAGE):
        return None
    totals, rows = children_rows(user, region)
    return {"template": "analytics/home/levels.html", "order": 10, "width": 12, "region": region, "totals": totals,
            "rows": rows, "headings": [f.label for f in totals],
            "dashboard_url": reverse("analytics:dashboard", args=[region.code]),
            "region_url": reverse("regions:region", args=[region.code])}


def province_panel(user) -> dict | None:
    """A province: the headline figures (the dashboard's key-figure cards), the worst regions
    by their overdue work and gaps, and the trend of exits and identifications by year."""
    region = _region(user) if _allowed(user) else None
    if region is None or region.level != PROVINCE:
        return None
    dashboard = panels.build(region).link("regions:region")
    cards = [card for section in dashboard.sections for card in section.cards]
    trends = [t for section in dashboard.sections for t in section.trends][:1]
    totals, rows = children_rows(user, region)
    return {"template": "analytics/home/province.html", "order": 10, "width": 12, "region": region, "dashboard": dashboard,
            "cards": cards, "trends": trends, "totals": totals, "rows": rows[:WORST],
            "headings": [f.label for f in totals],
            "dashboard_url": reverse("analytics:dashboard", args=[region.code]),
            "region_url": reverse("regions:region", args=[region.code])}
