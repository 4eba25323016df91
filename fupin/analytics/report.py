"""The yearly report (年度统计报表) of a region: a printable page, a PDF and an XLSX workbook, in the
layout of the statistical returns officials send upward: a title with the region and the year,
the table number, the reporting region, the unit line, the table, and the compiled-by and date
line under it.

Table FP-1 holds the region's own figures: every indicator, current-state figures as of the
last refresh and by-year figures for the report's year, breakdowns by category. The workbook
then has one sheet per level below the region down to the villages (FP-2, FP-3, ...): a row per
region, a column per indicator, the region's total first. The page and the PDF show FP-1 and
the key figures of the children (the first level below; the workbook has all columns).

Everything is read from the rollups through `rollups.figure`, the function the dashboard, the
API and `fupin stats` use, so the numbers are the same everywhere. The workbook's headers are in
Chinese whatever the user's language (the returns are filed in Chinese); the page and the PDF
follow the user's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fupin.analytics import indicators as ind
from fupin.analytics import panels, rollups
from fupin.analytics.models import Rollup
from fupin.core import xlsx
from fupin.core.pdf import FAMILY, PdfUnavailable, cjk_pdf
from fupin.regions.models import Level, Region
from fupin.regions.scope import ancestor_codes, within

__all__ = ["PdfUnavailable", "Report", "build", "render_pdf", "render_xlsx"]

TABLE_PREFIX = "FP"


@dataclass(frozen=True)
class Column:
    """One figure of the report: an indicator at a period, a breakdown key or the total."""

    item: ind.Indicator
    period: int
    key: str = ""
    key_label: str | Promise = ""

    @property
    def label(self) -> str:
        label = str(self.item.label)
        if self.key:
            label = f"{label}: {self.key_label}"
        if self.item.by_year:
            label = _("%(indicator)s in %(year)s") % {"indicator": label, "year": self.period}
        return label

    @property
    def unit(self) -> str:
        return str(self.item.unit)

    @property
    def heading(self) -> str:
        return f"{self.label} ({self.unit})"

    def value(self, stored: dict):
        return rollups.figure(stored, self.item.name, self.period, self.key)

    def text(self, stored: dict) -> str:
        return panels.show(self.value(stored), self.item)


def columns(year: int) -> list[Column]:
    """Every indicator in definition order; a breakdown's total, then each of its keys."""
    out = []
    for item in ind.INDICATORS.values():
        period = year if item.by_year else ind.NOW
        out.append(Column(item, period))
        if item.breakdown is not None:
            out += [Column(item, period, key, label) for key, label in item.breakdown().items()]
    return out


def key_columns(year: int) -> list[Column]:
    """The children's table on the page and in the PDF: the key figures and the year's
    by-year totals."""
    return ([Column(i, ind.NOW) for i in ind.key_figures()]
            + [Column(i, year) for i in ind.INDICATORS.values() if i.by_year])


def _stored(rows) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for code, name, period, key, value in rows.values_list(
            "region_code", "indicator", "period", "key", "value"):
        out.setdefault(code, {})[(name, period, key)] = value
    return out


def stored_at_level(region: Region, level: int, year: int) -> dict[str, dict]:
    """region code -> stored rows (now and `year`) of every region at `level` under `region`:
    one range query on the rollups' region codes."""
    return _stored(Rollup._base_manager.filter(within(region.code), level=level,
                                                period__in=(ind.NOW, year)))


@dataclass
class Report:
    region: Region
    year: int
    years: list[int]
    compiled_by: str
    unit: str
    today: datetime.date
    refreshed_at: datetime.datetime | None
    stored: dict
    children: list[Region] = field(default_factory=list)
    children_stored: dict[str, dict] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"report-{self.region.code}-{self.year}"

    @property
    def title(self) -> str:
        return _("%(region)s: yearly statistical report on party building for poverty "
                 "alleviation, %(year)s") % {"region": self.region.name, "year": self.year}

    @property
    def levels_below(self) -> list[int]:
        return list(range(self.region.level + 1, 6))

    def table_number(self, n: int) -> str:
        return f"{TABLE_PREFIX}-{n}"

    @property
    def columns(self) -> list[Column]:
        return columns(self.year)

    @property
    def key_columns(self) -> list[Column]:
        return key_columns(self.year)

    def region_rows(self) -> list[tuple[Column, str]]:
        return [(c, c.text(self.stored)) for c in self.columns]

    def child_rows(self) -> list[tuple[Region, list[str]]]:
        cols = self.key_columns
        return [(child, [c.text(self.children_stored.get(child.code, {})) for c in cols])
                for child in self.children]

    def level_title(self, level: int) -> str:
        return _("Indicators by %(level)s") % {"level": Level(level).label}

    # for the template, which cannot pass arguments
    @property
    def table_number1(self) -> str:
        return self.table_number(1)

    @property
    def table_number2(self) -> str:
        return self.table_number(2)

    @property
    def children_title(self) -> str:
        return self.level_title(self.region.level + 1) if self.region.level < 5 else ""

    @property
    def total_texts(self) -> list[str]:
        return [c.text(self.stored) for c in self.key_columns]

    def meta(self) -> dict[str, str]:
        return {
            "reporting": _("Reporting region: %(name)s") % {"name": self.region.name},
            "year": _("Year: %(year)s") % {"year": self.year},
            "unit": _("Units: as given with each indicator"),
            "as_of": (_("Current figures as of %(date)s; figures by year for %(year)s.")
                      % {"date": timezone.localtime(self.refreshed_at).strftime("%Y-%m-%d %H:%M"),
                         "year": self.year}) if self.refreshed_at else
            _("The figures have not been computed yet."),
        }

    def footer(self) -> list[str]:
        compiled = self.compiled_by + (f" ({self.unit})" if self.unit else "")
        return [_("Head of unit:"), _("Statistics officer:"),
                _("Compiled by: %(name)s") % {"name": compiled},
                _("Date reported: %(date)s") % {"date": self.today.strftime("%Y-%m-%d")}]


def build(region: Region, year: int | None, user) -> Report:
    """The report of `region` for `year` (default: the latest year with by-year figures)."""
    years = sorted(Rollup._base_manager.filter(region_code=region.code, period__gt=0)
                   .values_list("period", flat=True).distinct())
    today = timezone.localdate()
    if year is None:
        year = years[-1] if years else today.year
    stored = _stored(Rollup._base_manager.filter(region_code=region.code,
                                                 period__in=(ind.NOW, year)))
    refreshed = Rollup._base_manager.filter(region_code=region.code).aggregate(
        at=Max("refreshed_at"))["at"]
    result = Report(region=region, year=year, years=years,
                    compiled_by=str(getattr(user, "full_name", "") or user.get_username()),
                    unit=getattr(user, "unit", "") or "", today=today, refreshed_at=refreshed,
                    stored=stored.get(region.code, {}))
    if region.level < 5:
        result.children = list(Region._base_manager.filter(parent=region).order_by("code"))
        result.children_stored = stored_at_level(region, region.level + 1, year)
    return result


# --- PDF ----------------------------------------------------------------------------------------
def render_pdf(report: Report) -> bytes:
    """A4 landscape: FP-1, then the children's key figures; the font subset embedded. Raises
    PdfUnavailable (with what to install) when the server has no Chinese font."""
    from fpdf.enums import Align, XPos, YPos
    from fpdf.fonts import FontFace

    pdf = cjk_pdf("landscape", 14, title=report.title)
    new_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    heading = FontFace(emphasis="", fill_color=(235, 235, 235))
    meta = report.meta()

    def page(number: int, subtitle: str) -> None:
        pdf.add_page()
        pdf.set_font(FAMILY, size=15)
        pdf.multi_cell(0, 8, report.title, align=Align.C, **new_line)
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 7, subtitle, align=Align.C, **new_line)
        pdf.set_font(FAMILY, size=8.5)
        third = pdf.epw / 3
        pdf.cell(third, 6, _("Table no. %(number)s") % {"number": report.table_number(number)})
        pdf.cell(third, 6, meta["reporting"], align=Align.C)
        pdf.cell(third, 6, f"{meta['year']}    {meta['unit']}", align=Align.R, **new_line)

    def footer() -> None:
        pdf.ln(4)
        pdf.set_font(FAMILY, size=8.5)
        pdf.cell(0, 6, meta["as_of"], **new_line)
        for part, share in zip(report.footer(), (0.18, 0.18, 0.42, 0.22), strict=True):
            pdf.cell(pdf.epw * share, 7, part)
        pdf.ln(7)

    page(1, _("Main indicators"))
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(width=212, col_widths=(12, 120, 30, 50),
                   text_align=("CENTER", "LEFT", "CENTER", "RIGHT"), headings_style=heading,
                   line_height=4.6, padding=0.8) as table:
        table.row([_("No."), _("Indicator"), _("Unit"), _("Value")])
        for n, (column, text) in enumerate(report.region_rows(), start=1):
            table.row([str(n), column.label, column.unit, text])
    footer()

    if report.children:
        cols = report.key_columns
        page(2, report.level_title(report.region.level + 1))
        pdf.set_font(FAMILY, size=6.5)
        widths = (28, *([10] * len(cols)))
        with pdf.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * len(cols))),
                       headings_style=heading, line_height=3.6, padding=0.8) as table:
            table.row([_("Region"), *(c.heading for c in cols)])
            table.row([_("Total"), *report.total_texts])
            for child, texts in report.child_rows():
                table.row([child.name, *texts])
        footer()
    return bytes(pdf.output())


# --- XLSX ---------------------------------------------------------------------------------------
# What a statistical return needs: a dozen fixed styles, merged title rows, column widths, frozen
# headings, landscape printing with the headings repeated on every page.
_STYLES = {
    "title": xlsx.Style(bold=True, size=14, align="center", vertical="center"),
    "subtitle": xlsx.Style(bold=True, size=12, align="center", vertical="center"),
    "meta": xlsx.Style(align="left", vertical="center"),
    "meta_right": xlsx.Style(align="right", vertical="center"),
    "heading": xlsx.Style(bold=True, fill="EDEDED", border=True, align="center",
                          vertical="center", wrap=True),
    "text": xlsx.Style(border=True, align="left", vertical="center"),
    "center": xlsx.Style(border=True, align="center", vertical="center"),
    "int": xlsx.Style(border=True, number_format="#,##0", align="right", vertical="center"),
    "decimal": xlsx.Style(border=True, number_format="#,##0.00", align="right",
                          vertical="center"),
    # the value is already a percentage: 0.5 means 0.5%
    "percent": xlsx.Style(border=True, number_format="0.0", align="right", vertical="center"),
    "bold": xlsx.Style(bold=True, border=True, align="left", vertical="center"),
    "note": xlsx.Style(size=9, align="left", vertical="center"),
}
_FONT = "SimSun"  # the font statistical returns are printed in
_HEADING_ROW = 4  # under the title, the subtitle and the table number line


def render_xlsx(report: Report) -> bytes:
    """FP-1 (the region's figures), then a sheet per level below, headers in Chinese."""
    with translation.override("zh-hans"):
        return _workbook(report).to_bytes()


def _number(sheet: xlsx.Sheet, value, item: ind.Indicator):
    value = panels.plain(value)
    if value is None:
        return sheet.cell(panels.DASH, "center")
    if item.percent:
        return sheet.cell(value, "percent")
    return sheet.cell(value, "int" if isinstance(value, int) else "decimal")


def _workbook(report: Report) -> xlsx.Workbook:
    book = xlsx.Workbook(_STYLES, font=_FONT)
    meta = report.meta()

    def new_sheet(title: str, widths: list[float], frozen_columns: int) -> xlsx.Sheet:
        return book.sheet(title, widths=widths,
                          freeze=f"{xlsx.letter(frozen_columns + 1)}{_HEADING_ROW + 1}",
                          print_title_rows=f"{_HEADING_ROW}:{_HEADING_ROW}",
                          landscape=True, fit_width=True, margins=(0.4, 0.5))

    def header(sheet: xlsx.Sheet, n: int, subtitle: str, width: int) -> None:
        sheet.title(report.title, width, style="title", height=24)
        sheet.title(subtitle, width, style="subtitle", height=20)
        line = [sheet.cell(_("Table no. %(number)s") % {"number": report.table_number(n)},
                           "meta"), sheet.cell(meta["reporting"], "meta")]
        line += [None] * max(0, width - 4)
        line += [sheet.cell(meta["year"], "meta"), sheet.cell(meta["unit"], "meta_right")]
        sheet.row(line)

    def footer(sheet: xlsx.Sheet) -> None:
        sheet.row([meta["as_of"]], style="note")
        sheet.row(report.footer(), style="meta")

    # FP-1: the region's figures, one indicator a row.
    sheet = new_sheet(f"{report.table_number(1)} {report.region.name}", [8, 56, 14, 18], 0)
    header(sheet, 1, _("Main indicators"), 4)
    sheet.row([_("No."), _("Indicator"), _("Unit"), _("Value")], style="heading")
    for n, column in enumerate(report.columns, start=1):
        sheet.row([sheet.cell(n, "center"), sheet.cell(column.label, "text"),
                   sheet.cell(column.unit, "center"),
                   _number(sheet, column.value(report.stored), column.item)])
    footer(sheet)

    # FP-2...: a sheet per level below, a row per region, the region's total first.
    cols = report.columns
    names = dict(report.region.descendants().values_list("code", "name")) \
        if report.levels_below else {}
    for n, level in enumerate(report.levels_below, start=2):
        regions = Region._base_manager.filter(within(report.region.code, "code"),
                                              level=level).order_by("code")
        stored = (report.children_stored if level == report.region.level + 1
                  else stored_at_level(report.region, level, report.year))
        with_path = level > report.region.level + 1
        lead = [_("Region code"), _("Name")] + ([_("Located in")] if with_path else [])
        widths = [14, 22] + ([30] if with_path else []) + [14] * len(cols)
        sheet = new_sheet(f"{report.table_number(n)} {Level(level).label}", widths, len(lead))
        header(sheet, n, report.level_title(level), len(widths))
        sheet.row(lead + [c.heading for c in cols], style="heading", height=60)
        total = [sheet.cell(report.region.code, "bold"), sheet.cell(_("Total"), "bold")]
        total += [sheet.cell("", "text")] if with_path else []
        sheet.row(total + [_number(sheet, c.value(report.stored), c.item) for c in cols])
        for code, name in regions.values_list("code", "name"):
            values = stored.get(code, {})
            row = [sheet.cell(code, "text"), sheet.cell(name, "text")]
            if with_path:
                between = ancestor_codes(code)[report.region.level:-1]
                row.append(sheet.cell(" / ".join(names.get(a, a) for a in between), "text"))
            sheet.row(row + [_number(sheet, c.value(values), c.item) for c in cols])
        footer(sheet)
    return book
