"""The dashboard (指标看板) of a region, as tables that pages, charts and exports share.

Per indicator group (poverty, party building, assistance): the key figures, the children
compared on them (a table whose names drill down a level, and a bar chart of one selectable
indicator), the trends of the by-year indicators and the breakdowns (causes, monitored groups,
measures by category). Every chart is drawn from a `Table`, so its numbers are on the page
(the "table" toggle) and in its export, and they are the numbers of `services.figures`: only
the rollups are read, a few indexed rows whatever the level.

The dashboard is shown on the region page (a panel registered here) and on its own page
(`analytics:dashboard`, views.py), which the benchmark measures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.analytics import indicators as ind
from fupin.analytics import services
from fupin.analytics.models import Rollup
from fupin.core import panels
from fupin.core.policy import can, scope_code
from fupin.regions.models import Region
from fupin.regions.scope import is_within

GROUPS = (
    ("poverty", gettext_lazy("Poverty alleviation")),
    ("party", gettext_lazy("Party building")),
    ("assistance", gettext_lazy("Assistance")),
    ("training", gettext_lazy("Training")),
    ("democracy", gettext_lazy("Village democracy")),
    ("supervision", gettext_lazy("Supervision")),
)
DASH = "—"  # a ratio over zero, a median of nothing: shown, never an error


# --- numbers ------------------------------------------------------------------------------------
def plain(value):
    """The number as the API and `fupin stats --json` give it (int, float rounded to 2, None)."""
    return services.plain(value)


def show(value, item: ind.Indicator | None = None) -> str:
    """A figure as the page shows it: thousands separated, percentages with one decimal,
    "—" for no value."""
    if value is None:
        return DASH
    if item is not None and item.percent:
        return f"{float(value):.1f}%"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def unit_of(item: ind.Indicator) -> str:
    """The unit shown after a figure; a percentage carries its sign already."""
    return "" if item.percent else str(item.unit)


# --- tables -------------------------------------------------------------------------------------
@dataclass
class Cell:
    value: object  # plain: int, float, None or text
    text: str


@dataclass
class Column:
    name: str
    label: str
    unit: str = ""
    numeric: bool = True

    @property
    def heading(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass
class Row:
    label: str
    cells: list[Cell]
    code: str = ""  # a region: its name links to that region's page (drill-down)
    total: bool = False
    url: str = ""  # set by `link()`

    @property
    def html(self) -> str:
        """The table row, made here rather than in the template: template loops per cell, over
        a county's forty townships and three sections, cost more than the rest of the page."""
        label = escape(self.label)
        if self.url:
            label = f'<a href="{escape(self.url)}" data-testid="drill-down">{label}</a>'
        cells = "".join(f'<td class="text-end">{escape(c.text)}</td>' for c in self.cells)
        bold = ' class="fw-bold"' if self.total else ""
        return mark_safe(f'<tr{bold}><td class="text-nowrap">{label}</td>{cells}</tr>')  # noqa: S308 - escaped above


@dataclass
class Table:
    id: str
    title: str
    head: str  # the heading of the first column
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    chart: dict | None = None  # the spec charts.js draws
    select: list[tuple[str, str]] = field(default_factory=list)  # chart series to switch
    note: str = ""  # a line under the title

    @property
    def chart_id(self) -> str:
        return f"{self.id}-chart"

    @property
    def select_id(self) -> str:
        return f"{self.id}-select"

    def as_values(self) -> list[list]:
        """Header and rows, numbers plain: what the CSV and XLSX exports hold."""
        out = [[self.head, *(c.heading for c in self.columns)]]
        for row in self.rows:
            out.append([row.label, *(DASH if c.value is None else c.value for c in row.cells)])
        return out


def cell(value, item: ind.Indicator | None = None) -> Cell:
    return Cell(plain(value), show(value, item))


def _share(part, total) -> Cell:
    if not total:
        return Cell(None, DASH)
    value = round(100 * float(part or 0) / float(total), 2)
    return Cell(value, f"{value:.1f}%")


def _series(name: str, label: str, data: list, unit: str = "", **extra) -> dict:
    return {"key": name, "name": label, "data": data, "unit": unit, **extra}


# --- the dashboard ------------------------------------------------------------------------------
@dataclass
class Card:
    item: ind.Indicator
    value: object
    text: str
    unit: str
    note: str = ""


@dataclass
class Section:
    group: str
    label: str
    cards: list[Card]
    figures: Table
    children: Table | None
    trends: list[Table]
    breakdowns: list[Table]

    @property
    def tables(self) -> list[Table]:
        return [t for t in (self.children, *self.trends, *self.breakdowns, self.figures) if t]


@dataclass
class Dashboard:
    region: Region
    result: services.Figures
    sections: list[Section]
    refreshed_at: datetime.datetime | None
    export_url: str = ""

    def tables(self) -> dict[str, Table]:
        return {t.id: t for s in self.sections for t in s.tables}

    def link(self, link_name: str) -> Dashboard:
        """Where the children's names lead (their region pages or their dashboards), and the
        exports: URLs reversed once, not once a row (a county has forty townships)."""
        placeholder = "0" * 12
        pattern = reverse(link_name, args=[placeholder])
        for table in self.tables().values():
            for row in table.rows:
                if row.code:
                    row.url = pattern.replace(placeholder, row.code)
        self.export_url = reverse("analytics:export", args=[self.region.code])
        return self


def _choices(item: ind.Indicator) -> dict[str, str]:
    return {k: str(v) for k, v in (item.breakdown() if item.breakdown else {}).items()}


def _figures_table(group: str, items: list[ind.Indicator], values: dict) -> Table:
    table = Table(f"figures-{group}", _("All indicators"), _("Indicator"),
                  [Column("value", _("Value")), Column("unit", _("Unit"), numeric=False)])
    for item in items:
        if item.by_year or item.breakdown is not None:
            continue
        value = values.get(item.name)
        table.rows.append(Row(str(item.label), [cell(value, item),
                                                Cell(str(item.unit), str(item.unit))]))
    return table


def _children_table(group: str, items: list[ind.Indicator], result: services.Figures) -> Table:
    columns = [Column(i.name, str(i.label), str(i.unit)) for i in items]
    table = Table(f"children-{group}", _("Compared among subordinate regions"), _("Region"),
                  columns)
    for child, vals in result.children:
        table.rows.append(Row(child.name, [cell(vals.get(i.name), i) for i in items],
                              code=child.code))
    table.chart = {"kind": "bar", "categories": [c.name for c, _v in result.children],
                   "series": [_series(i.name, str(i.label),
                                      [plain(v.get(i.name)) for _c, v in result.children],
                                      str(i.unit)) for i in items]}
    table.select = [(i.name, str(i.label)) for i in items]
    return table


def _years(*series: dict) -> list[int]:
    """Every year from the first to the last with a figure: a year without one is a 0 on the
    axis, not a gap the line skips over."""
    found = {int(y) for s in series for y in s if int(y)}
    return list(range(min(found), max(found) + 1)) if found else []


def _trend_tables(items: list[ind.Indicator], values: dict, keyed: dict) -> list[Table]:
    """By-year indicators of one unit share a line chart; one broken down (measures by
    category) gets a stacked bar chart of its own. A trend without any year is left out."""
    by_unit: dict[str, list[ind.Indicator]] = {}
    broken_down = []
    for item in items:
        if not item.by_year:
            continue
        if item.breakdown is not None:
            broken_down.append(item)
        else:
            by_unit.setdefault(str(item.unit), []).append(item)
    tables = []
    for unit, same in by_unit.items():
        years = _years(*(values.get(i.name) or {} for i in same))
        table = Table(f"trend-{same[0].name}", _("Trend by year: %(unit)s") % {"unit": unit},
                      _("Year"), [Column(i.name, str(i.label), unit) for i in same])
        for year in years:
            table.rows.append(Row(str(year), [
                cell((values.get(i.name) or {}).get(year, Decimal(0)), i) for i in same]))
        table.chart = {"kind": "line", "unit": unit, "legend": "scroll",
                       "categories": [str(y) for y in years],
                       "series": [_series(i.name, str(i.label),
                                          [r.cells[k].value for r in table.rows], unit)
                                  for k, i in enumerate(same)]}
        tables.append(table)
    tables += [_trend_by_key(item, keyed) for item in broken_down]
    return [t for t in tables if t.rows]


def _trend_by_key(item: ind.Indicator, keyed: dict) -> Table:
    labels = _choices(item)
    by_year: dict[int, dict[str, Decimal]] = {}
    for (name, period, key), value in keyed.items():
        if name == item.name and period:
            by_year.setdefault(period, {})[key] = value
    keys = [k for k in labels if any(k in v for v in by_year.values())]
    keys += sorted({k for v in by_year.values() for k in v} - set(keys))
    unit = str(item.unit)
    table = Table(f"trend-{item.name}", _("%(indicator)s by year") % {"indicator": item.label},
                  _("Year"), [Column(k, labels.get(k, k or _("unspecified")), unit) for k in keys]
                  + [Column("total", _("Total"), unit)])
    for year in _years(by_year):
        row = by_year.get(year, {})
        table.rows.append(Row(str(year), [cell(row.get(k, Decimal(0))) for k in keys]
                              + [cell(sum(row.values(), Decimal(0)))]))
    table.chart = {"kind": "bar", "unit": unit, "legend": "scroll",
                   "categories": [r.label for r in table.rows],
                   "series": [_series(k, table.columns[n].label,
                                      [r.cells[n].value for r in table.rows], unit, stack="all")
                              for n, k in enumerate(keys)]}
    return table


def _breakdown_table(item: ind.Indicator, value: dict, values: dict | None = None) -> Table:
    labels = _choices(item)
    keys = list(labels) + sorted(set(value or {}) - set(labels))
    total = sum((value or {}).values(), Decimal(0))
    table = Table(f"breakdown-{item.name}", str(item.label), _("Category"),
                  [Column("value", _("Number"), str(item.unit)), Column("share", _("Share"))])
    for key in keys:
        part = (value or {}).get(key, Decimal(0))
        table.rows.append(Row(labels.get(key, key or _("unspecified")),
                              [cell(part), _share(part, total)]))
    table.rows.append(Row(_("Total"), [cell(total), _share(total, total)], total=True))
    rows = table.rows[:-1]
    if item.name == "monitored_households":
        # Monitored is what the county decided; the procedures still open are the rest of the
        # story (a dashboard of only the first shows 0 while hundreds are being assessed).
        assessed = ind.INDICATORS["households_under_assessment"]
        under = (values or {}).get(assessed.name)
        table.rows.append(Row(str(assessed.label), [cell(under), Cell(None, DASH)]))
        table.note = _("%(monitored)s households monitored; %(assessed)s more under assessment "
                       "(monitoring procedures not yet decided)") % {
            "monitored": show(total), "assessed": show(under or 0)}
    if not total:
        return table  # nothing to draw: the table says so, all zeros
    table.chart = {"kind": "pie" if len(keys) <= 5 else "bar", "horizontal": True,
                   "unit": str(item.unit), "categories": [r.label for r in rows],
                   "series": [_series(item.name, str(item.label),
                                      [r.cells[0].value for r in rows], str(item.unit))]}
    return table


def build(region: Region) -> Dashboard:
    """The dashboard of `region` from the rollups: four indexed queries whatever its level."""
    result = services.figures(region)
    values = result.values
    keyed_names = {i.name for i in ind.INDICATORS.values() if i.by_year and i.breakdown}
    # One more query: the by-year rows by key (measures by category and year), which the
    # summary adds up, and when the region's rows were refreshed.
    keyed, refreshed = {}, None
    for name, period, key, value, at in Rollup._base_manager.filter(
            region_code=region.code).values_list("indicator", "period", "key", "value",
                                                 "refreshed_at"):
        refreshed = at if refreshed is None or at > refreshed else refreshed
        if name in keyed_names:
            keyed[(name, period, key)] = value
    sections = []
    for group, label in GROUPS:
        items = [i for i in ind.INDICATORS.values() if i.group == group]
        if not items:
            continue
        key_items = [i for i in items if i.key_figure]
        cards = [Card(i, values.get(i.name), show(values.get(i.name), i), unit_of(i))
                 for i in key_items]
        for card in cards:
            if card.item.name == "income_per_capita_mean":
                card.note = _income_note(values)
        sections.append(Section(
            group=group, label=str(label), cards=cards,
            figures=_figures_table(group, items, values),
            children=_children_table(group, key_items, result)
            if result.children and key_items else None,
            trends=_trend_tables(items, values, keyed),
            breakdowns=[_breakdown_table(i, values.get(i.name), values) for i in items
                        if i.breakdown is not None and not i.by_year]))
    return Dashboard(region, result, sections, refreshed)


def _income_note(values: dict) -> str:
    """Income per person against the poverty line of the latest year that has one."""
    from fupin.poverty.models import PovertyLine

    line = (PovertyLine._base_manager.filter(year__lte=timezone.localdate().year)
            .order_by("-year").first())
    median = show(values.get("income_per_capita_median"),
                  ind.INDICATORS["income_per_capita_median"])
    if line is None:
        return _("median %(median)s; no poverty line is recorded") % {"median": median}
    mean = values.get("income_per_capita_mean")
    share = "—" if mean is None or not line.poverty_line else \
        f"{100 * float(mean) / float(line.poverty_line):.0f}%"
    return _("median %(median)s; poverty line %(year)s: %(line)s yuan (mean = %(share)s of it)") \
        % {"median": median, "year": line.year, "line": f"{line.poverty_line:,.0f}",
           "share": share}


# --- the region page's panel --------------------------------------------------------------------
def region_panel(region_code: str, user) -> dict | None:
    """The dashboard on the region page (which has checked the region is in scope; checked
    again here, cheaply, since a panel may be shown elsewhere)."""
    if not can(user, Rollup, "view") or not is_within(region_code, scope_code(user)):
        return None
    region = Region._base_manager.filter(code=region_code).first()
    if region is None:
        return None
    return {"template": "analytics/_dashboard_panel.html",
            "dashboard": build(region).link("regions:region"),
            "dashboard_url": reverse("analytics:dashboard", args=[region_code]),
            "report_url": reverse("analytics:report", args=[region_code])}


panels.register(region_panel)
