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

import contextlib
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fupin.analytics import indicators as ind
from fupin.analytics import panels, rollups
from fupin.analytics.models import Rollup
from fupin.poverty.notices import NoticePdfUnavailable as PdfUnavailable
from fupin.poverty.notices import cjk_pdf
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

    pdf = cjk_pdf("landscape", 14)
    pdf.set_title(report.title)
    pdf.set_creator("Fupin")
    new_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    heading = FontFace(emphasis="", fill_color=(235, 235, 235))
    meta = report.meta()

    def page(number: int, subtitle: str) -> None:
        pdf.add_page()
        pdf.set_font("cjk", size=15)
        pdf.multi_cell(0, 8, report.title, align=Align.C, **new_line)
        pdf.set_font("cjk", size=11)
        pdf.cell(0, 7, subtitle, align=Align.C, **new_line)
        pdf.set_font("cjk", size=8.5)
        third = pdf.epw / 3
        pdf.cell(third, 6, _("Table no. %(number)s") % {"number": report.table_number(number)})
        pdf.cell(third, 6, meta["reporting"], align=Align.C)
        pdf.cell(third, 6, f"{meta['year']}    {meta['unit']}", align=Align.R, **new_line)

    def footer() -> None:
        pdf.ln(4)
        pdf.set_font("cjk", size=8.5)
        pdf.cell(0, 6, meta["as_of"], **new_line)
        for part, share in zip(report.footer(), (0.18, 0.18, 0.42, 0.22), strict=True):
            pdf.cell(pdf.epw * share, 7, part)
        pdf.ln(7)

    page(1, _("Main indicators"))
    pdf.set_font("cjk", size=8.5)
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
        pdf.set_font("cjk", size=6.5)
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
# The workbook is written as XML straight into the zip: a province's has a row for each of its
# ~18,000 villages, a million cells, which openpyxl (even write-only) takes minutes to write and
# this a few seconds. It holds what a statistical return needs: inline strings, numbers, a dozen
# fixed styles, merged title rows, column widths, frozen headings, landscape printing with the
# headings repeated on every page.
_FONTS = ('<font><sz val="10"/><name val="SimSun"/></font>',
          '<font><b/><sz val="10"/><name val="SimSun"/></font>',
          '<font><b/><sz val="14"/><name val="SimSun"/></font>',
          '<font><b/><sz val="12"/><name val="SimSun"/></font>',
          '<font><sz val="9"/><name val="SimSun"/></font>')
_FILLS = ('<fill><patternFill patternType="none"/></fill>',
          '<fill><patternFill patternType="gray125"/></fill>',
          '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/></patternFill></fill>')
_BORDERS = ('<border><left/><right/><top/><bottom/><diagonal/></border>',
            '<border>' + "".join(f'<{side} style="thin"><color rgb="FF808080"/></{side}>'
                                 for side in ("left", "right", "top", "bottom"))
            + '<diagonal/></border>')
# name -> (font, fill, border, number format, horizontal alignment, wrap); the index is the "s"
_STYLES = {
    "plain": (0, 0, 0, 0, "", False),
    "title": (2, 0, 0, 0, "center", False),
    "subtitle": (3, 0, 0, 0, "center", False),
    "meta": (0, 0, 0, 0, "left", False),
    "meta_right": (0, 0, 0, 0, "right", False),
    "heading": (1, 2, 1, 0, "center", True),
    "text": (0, 0, 1, 0, "left", False),
    "center": (0, 0, 1, 0, "center", False),
    "int": (0, 0, 1, 3, "right", False),  # 3: #,##0
    "decimal": (0, 0, 1, 4, "right", False),  # 4: #,##0.00
    "percent": (0, 0, 1, 164, "right", False),  # 164: 0.0 (the value is a percentage)
    "bold": (1, 0, 1, 0, "left", False),
    "note": (4, 0, 0, 0, "left", False),
}
_S = {name: n for n, name in enumerate(_STYLES)}


def _styles_xml() -> str:
    xfs = "".join(
        f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        + (' applyNumberFormat="1"' if fmt else "") + ' applyFont="1"'
        + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
        + ' applyAlignment="1"><alignment vertical="center"'
        + (f' horizontal="{align}"' if align else "") + (' wrapText="1"' if wrap else "")
        + "/></xf>"
        for font, fill, border, fmt, align, wrap in _STYLES.values())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>'
            f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
            f'<fills count="{len(_FILLS)}">{"".join(_FILLS)}</fills>'
            f'<borders count="{len(_BORDERS)}">{"".join(_BORDERS)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(_STYLES)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")


def _letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _xml_text(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class _Sheet:
    def __init__(self, handle, widths: list[float], freeze: tuple[int, int]):
        self.handle = handle
        self.width = len(widths)
        self.letters = [_letter(k) for k in range(1, max(self.width, 4) + 1)]
        self.rows = 0
        self.merged: list[str] = []
        self.parts: list[str] = []
        rows, cols = freeze
        top_left = f"{_letter(cols + 1)}{rows + 1}"
        pane = ("bottomRight" if cols else "bottomLeft")
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        handle.write(
            ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
             '<sheetViews><sheetView workbookViewId="0">'
             f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
             '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>'
             + "".join(f'<col min="{k}" max="{k}" width="{w}" customWidth="1"/>'
                       for k, w in enumerate(widths, start=1))
             + "</cols><sheetData>").encode())

    def row(self, cells: list[tuple[object, str] | None], height: float | None = None) -> None:
        """cells: (value, style name) or None (nothing)."""
        self.rows += 1
        n = self.rows
        out = [f'<row r="{n}"' + (f' ht="{height}" customHeight="1"' if height else "") + ">"]
        for letter, entry in zip(self.letters, cells, strict=False):
            if entry is None:
                continue
            value, style = entry
            s = _S[style]
            if value is None or value == "":
                out.append(f'<c r="{letter}{n}" s="{s}"/>')
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(f'<c r="{letter}{n}" s="{s}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{letter}{n}" s="{s}" t="inlineStr"><is><t>'
                           f"{_xml_text(str(value))}</t></is></c>")
        out.append("</row>")
        self.parts.append("".join(out))
        if len(self.parts) >= 500:
            self.flush()

    def merge_row(self, columns: int) -> None:
        """Merge the last row across `columns` columns (a title)."""
        self.merged.append(f"A{self.rows}:{_letter(columns)}{self.rows}")

    def flush(self) -> None:
        self.handle.write("".join(self.parts).encode())
        self.parts = []

    def close(self) -> None:
        self.flush()
        merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merged)
        self.handle.write(
            ("</sheetData>"
             + (f'<mergeCells count="{len(self.merged)}">{merged}</mergeCells>'
                if merged else "")
             + '<printOptions horizontalCentered="1"/>'
             '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" '
             'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
             'fitToHeight="0"/></worksheet>').encode())


class _Workbook:
    def __init__(self):
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheets: list[tuple[str, int]] = []  # title, heading row (repeated when printed)

    @contextlib.contextmanager
    def sheet(self, title: str, widths: list[float], freeze: tuple[int, int], heading_row: int):
        title = _safe_title(title)
        taken = {t for t, _r in self.sheets}
        base, k = title, 2
        while title in taken:
            title, k = _safe_title(f"{base[:28]} {k}"), k + 1
        self.sheets.append((title, heading_row))
        with self.zip.open(f"xl/worksheets/sheet{len(self.sheets)}.xml", "w",
                           force_zip64=True) as handle:
            sheet = _Sheet(handle, widths, freeze)
            yield sheet
            sheet.close()

    def close(self) -> bytes:
        n = len(self.sheets)
        sheets = "".join(f'<sheet name="{_xml_text(t)}" sheetId="{k}" r:id="rId{k}"/>'
                         for k, (t, _r) in enumerate(self.sheets, start=1))
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{k}">'
            f"'{_xml_text(t)}'!${r}:${r}</definedName>"
            for k, (t, r) in enumerate(self.sheets))
        self.zip.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets><definedNames>{titles}</definedNames></workbook>"))
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{k}" Type="{rel}/worksheet" '
                      f'Target="worksheets/sheet{k}.xml"/>' for k in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"))
        self.zip.writestr("xl/styles.xml", _styles_xml())
        self.zip.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        self.zip.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
                      f'ContentType="{main}.worksheet+xml"/>' for k in range(1, n + 1))
            + "</Types>"))
        self.zip.close()
        return self.buffer.getvalue()


def _safe_title(title: str) -> str:
    for char in "[]:*?/\\'":
        title = title.replace(char, " ")
    return title.strip()[:31]


def render_xlsx(report: Report) -> bytes:
    """FP-1 (the region's figures), then a sheet per level below, headers in Chinese."""
    with translation.override("zh-hans"):
        return _workbook(report)


def _number(value, item: ind.Indicator) -> tuple[object, str]:
    value = panels.plain(value)
    if value is None:
        return panels.DASH, "center"
    if item.percent:
        return value, "percent"
    return value, "int" if isinstance(value, int) else "decimal"


def _workbook(report: Report) -> bytes:
    book = _Workbook()
    meta = report.meta()

    def header(sheet: _Sheet, n: int, subtitle: str, width: int) -> None:
        sheet.row([(report.title, "title")], height=24)
        sheet.merge_row(width)
        sheet.row([(subtitle, "subtitle")], height=20)
        sheet.merge_row(width)
        line = [(_("Table no. %(number)s") % {"number": report.table_number(n)}, "meta"),
                (meta["reporting"], "meta")]
        line += [None] * max(0, width - 4)
        line += [(meta["year"], "meta"), (meta["unit"], "meta_right")]
        sheet.row(line)

    def footer(sheet: _Sheet) -> None:
        sheet.row([(meta["as_of"], "note")])
        sheet.row([(part, "meta") for part in report.footer()])

    # FP-1: the region's figures, one indicator a row.
    with book.sheet(f"{report.table_number(1)} {report.region.name}", [8, 56, 14, 18], (4, 0),
                    4) as sheet:
        header(sheet, 1, _("Main indicators"), 4)
        sheet.row([(h, "heading") for h in (_("No."), _("Indicator"), _("Unit"), _("Value"))])
        for n, column in enumerate(report.columns, start=1):
            sheet.row([(n, "center"), (column.label, "text"), (column.unit, "center"),
                       _number(column.value(report.stored), column.item)])
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
        with book.sheet(f"{report.table_number(n)} {Level(level).label}", widths,
                        (4, len(lead)), 4) as sheet:
            header(sheet, n, report.level_title(level), len(widths))
            sheet.row([(h, "heading") for h in lead + [c.heading for c in cols]], height=60)
            total = [(report.region.code, "bold"), (_("Total"), "bold")]
            total += [("", "text")] if with_path else []
            sheet.row(total + [_number(c.value(report.stored), c.item) for c in cols])
            for code, name in regions.values_list("code", "name"):
                values = stored.get(code, {})
                row = [(code, "text"), (name, "text")]
                if with_path:
                    between = ancestor_codes(code)[report.region.level:-1]
                    row.append((" / ".join(names.get(a, a) for a in between), "text"))
                sheet.row(row + [_number(c.value(values), c.item) for c in cols])
            footer(sheet)
    return book.close()
