"""The figures of the party pages that cover many villages (组织生活 shortfalls, village
cadres), read from the rollups: panels that fupin.party's pages show above a township, where
counting from the records would walk every organization or position of the province.

Each panel gets `{"region": code, "link": code -> drill-down URL, ...}` from the page and
gives the region's figures and one row per child region, named and linked a level down.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.analytics import indicators as ind
from fupin.analytics import rollups
from fupin.analytics.models import Rollup
from fupin.analytics.panels import show
from fupin.core import panels
from fupin.core.policy import can, scope_code
from fupin.regions.models import Region
from fupin.regions.scope import is_within


@dataclass
class Column:
    label: str
    value: object  # callable(stored) -> number | None
    item: ind.Indicator | None = None

    def cell(self, stored: dict) -> str:
        return show(self.value(stored), self.item)


def _figure(name: str) -> Column:
    item = ind.INDICATORS[name]
    return Column(item.label, lambda stored: rollups.figure(stored, name), item)


def _stored_names(names) -> list[str]:
    out = []
    for name in names:
        item = ind.INDICATORS[name]
        out += [item.numerator, item.denominator] if item.kind == ind.RATIO else [name]
    return out


def _panel(subject: dict, user, columns: list[Column], names: list[str], testid: str):
    code = subject["region"]
    if not can(user, Rollup, "view") or not is_within(code, scope_code(user)):
        return None
    region = Region._base_manager.filter(code=code).first()
    if region is None:
        return None
    children = list(Region._base_manager.filter(parent_id=code).order_by("code"))
    stored = rollups.values([code] + [c.code for c in children], _stored_names(names))
    refreshed = (Rollup._base_manager.filter(region_code=code, indicator__in=names)
                 .order_by("-refreshed_at").values_list("refreshed_at", flat=True).first())
    return {
        "template": "analytics/_party_figures.html",
        "testid": testid,
        "region": region,
        "columns": [c.label for c in columns],
        "cards": [(c.label, c.cell(stored[code])) for c in columns],
        "rows": [(child, subject["link"](child.code), [c.cell(stored[child.code])
                                                       for c in columns])
                 for child in children],
        "refreshed": refreshed,
    }


SHORTFALL_NAMES = ["orgs_required_to_meet", "orgs_meeting_requirement"]


def _short(stored: dict):
    required = rollups.figure(stored, "orgs_required_to_meet")
    return required - rollups.figure(stored, "orgs_meeting_requirement")


def shortfall_panel(subject: dict, user) -> dict | None:
    """Organizations falling short, per child region. The rollups hold the default period
    (the last three complete months); another period is counted by the page itself."""
    if (subject["start"], subject["end"]) != ind.meeting_period(timezone.localdate()):
        return None
    columns = [_figure("orgs_required_to_meet"),
               Column(_("organizations falling short"), _short),
               _figure("meeting_compliance")]
    return _panel(subject, user, columns, SHORTFALL_NAMES + ["meeting_compliance"],
                  "shortfall-children")


CADRE_NAMES = ["committee_villages", "one_shoulder_villages", "one_shoulder_rate",
               "cross_member_cadres", "college_graduate_villages", "college_graduate_rate"]


def cadre_panel(subject: dict, user) -> dict | None:
    columns = [_figure(name) for name in CADRE_NAMES]
    return _panel(subject, user, columns, CADRE_NAMES, "cadre-children")


def register() -> None:
    panels.register(shortfall_panel, page="shortfalls")
    panels.register(cadre_panel, page="cadre_figures")
