"""The one way sheets are written: XLSX with openpyxl's write-only mode, and CSV.

Every list export, import template, error workbook and yearly report goes through here, so that
one rule keeps them safe: text that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return, as OWASP lists) gets a leading apostrophe, in XLSX and CSV alike,
and XLSX text is always a string cell, never a formula. The importer drops that apostrophe
again (`fupin.ingest.cells.trimmed`), so an export imports unchanged. Numbers stay numbers: a
negative amount is not text, and neither is its plain written form ("-35.50").

Write-only mode streams rows to a temporary file as they come, so memory stays flat however long
the sheet; everything that openpyxl writes before the rows (column widths and formats, the frozen
pane) is therefore given when the sheet is made.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook as _Book
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")
MAX_ROW = 1048576
MAX_TITLE = 31  # Excel's limit on a sheet name


def neutralise(value):
    """`value` safe to open in a spreadsheet: formula-like text gets an apostrophe."""
    if (isinstance(value, str) and value.startswith(FORMULA_START)
            and not _NEGATIVE_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    return get_column_letter(column)


# --- styles -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    """A cell style, registered in the workbook once as a named style (it shows in Excel's
    style list as "Fupin <name>")."""

    bold: bool = False
    size: float | None = None
    color: str | None = None  # font colour, RRGGBB
    fill: str | None = None  # background, RRGGBB
    border: bool = False  # a thin grey box
    number_format: str = "General"
    align: str | None = None  # left, center, right
    vertical: str | None = None
    wrap: bool = False

    def named(self, name: str, font_name: str | None) -> NamedStyle:
        side = Side(style="thin", color="FF808080")
        return NamedStyle(
            name=name,
            font=Font(name=font_name, bold=self.bold, size=self.size,
                      color=f"FF{self.color}" if self.color else None),
            fill=(PatternFill("solid", fgColor=f"FF{self.fill}") if self.fill
                  else PatternFill()),
            border=Border(left=side, right=side, top=side, bottom=side) if self.border
            else Border(),
            number_format=self.number_format,
            alignment=Alignment(horizontal=self.align, vertical=self.vertical,
                                wrap_text=self.wrap or None))


# --- XLSX ---------------------------------------------------------------------------------------
class Workbook:
    """A write-only workbook: `sheet()` for each sheet in order, `row()`/`title()` to fill it,
    then `save()` to a path or file, or `response()` for a download."""

    def __init__(self, styles: dict[str, Style] | None = None, *, font: str | None = None):
        self.book = _Book(write_only=True)
        # Registered under a prefix: Excel matches style names without regard to case, and
        # "title", "note" or "percent" would clash with its built-in Title, Note and Percent.
        self.styles: dict[str, str] = {}
        for name, style in (styles or {}).items():
            self.styles[name] = f"Fupin {name}"
            self.book.add_named_style(style.named(self.styles[name], font))
        self.arrays: dict = {}  # style name -> openpyxl's StyleArray, see Sheet._style_array
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, *, widths: Iterable[float | None] = (),
              formats: dict[int, str] | None = None, freeze: str | None = None,
              print_title_rows: str | None = None, landscape: bool = False,
              fit_width: bool = False, margins: tuple[float, float] | None = None,
              hidden: bool = False) -> Sheet:
        """A new sheet. `widths` per column from A (None: the default), `formats` column
        number (1-based) -> number format for cells typed in later (a template's text
        columns), `freeze` the top-left cell of the scrolling pane ("A2": the header row
        stays), `print_title_rows` the rows printed on every page ("4:4"), `fit_width` to
        print on A4 one page wide, `margins` (sides, top and bottom, in inches), `hidden` for
        a sheet that holds lists for validations."""
        ws = self.book.create_sheet(self._unique(title))
        for column, width in enumerate(widths, start=1):
            if width is not None:
                ws.column_dimensions[letter(column)].width = width
        for column, number_format in (formats or {}).items():
            ws.column_dimensions[letter(column)].number_format = number_format
        if freeze:
            ws.freeze_panes = freeze
        if print_title_rows:
            ws.print_title_rows = print_title_rows
        if landscape:
            ws.page_setup.orientation = "landscape"
        if fit_width:
            ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0  # as many pages down as it takes
            ws.print_options.horizontalCentered = True
        if margins:
            sides, ends = margins
            ws.page_margins.left = ws.page_margins.right = sides
            ws.page_margins.top = ws.page_margins.bottom = ends
        if hidden:
            ws.sheet_state = "hidden"
        sheet = Sheet(self, ws)
        self.sheets.append(sheet)
        return sheet

    def _unique(self, title: str) -> str:
        for char in "[]:*?/\\":
            title = title.replace(char, " ")
        title = title.strip().strip("'")[:MAX_TITLE] or "Sheet"
        taken = {s.ws.title for s in self.sheets}
        base, k = title, 2
        while title in taken:
            suffix = f" {k}"
            title, k = base[:MAX_TITLE - len(suffix)] + suffix, k + 1
        return title

    def save(self, target) -> None:
        """Write the workbook to `target`, a path or a binary file."""
        if isinstance(target, (str, Path)):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            target = str(target)
        self.book.save(target)

    def to_bytes(self) -> bytes:
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as handle:
            self.save(handle)
            handle.seek(0)
            return handle.read()

    def response(self, filename: str):
        """A download of the workbook (the whole file in one response: test clients and
        proxies handle it as any page; the workbook is compressed, megabytes at most)."""
        from django.http import HttpResponse

        response = HttpResponse(self.to_bytes(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = attachment(filename)
        return response


class Sheet:
    def __init__(self, workbook: Workbook, ws):
        self.workbook = workbook
        self.ws = ws
        self.rows = 0

    def cell(self, value, style: str | None = None) -> Cell:
        """A cell holding `value` (neutralised) in the named `style`."""
        value = neutralise(value)
        cell = Cell(self.ws, row=1, column=1, value=value,
                    style_array=None if style is None else self._style_array(style))
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula nor an error value, whatever the text
        return cell

    def _style_array(self, style: str):
        # Setting a named style looks it up by name in a list, cell by cell: a province's
        # report has a million cells. The style's array of indices is taken once from a first
        # cell and handed to the others (openpyxl copies it into each cell).
        arrays = self.workbook.arrays
        if style not in arrays:
            first = WriteOnlyCell(self.ws)
            first.style = self.workbook.styles[style]
            arrays[style] = first._style
        return arrays[style]

    def row(self, values: Iterable = (), *, style: str | None = None,
            height: float | None = None) -> int:
        """Append a row: plain values (neutralised), cells made by `cell()`, None for an
        empty cell. `style` applies to every non-empty plain value. Returns the row number."""
        self.rows += 1
        if height is not None:
            self.ws.row_dimensions[self.rows].height = height
        out = []
        for value in values:
            if value is None or isinstance(value, Cell):
                out.append(value)
            elif style is not None or (isinstance(value, str) and value in ERROR_CODES):
                out.append(self.cell(value, style))  # "#N/A" typed as text stays text
            else:
                out.append(neutralise(value))
        self.ws.append(out)
        return self.rows

    def rows_of(self, rows: Iterable[Iterable]) -> int:
        """Append many plain rows; returns how many."""
        count = 0
        for values in rows:
            self.row(values)
            count += 1
        return count

    def title(self, text: str, width: int, *, style: str | None = None,
              height: float | None = None) -> int:
        """A title row merged across `width` columns."""
        number = self.row([self.cell(text, style)], height=height)
        if width > 1:
            self.ws.merged_cells.add(f"A{number}:{letter(width)}{number}")
        return number

    def allowed_values(self, column: int, source: str, *, title: str, error: str,
                       first_row: int = 2) -> None:
        """Offer the list `source` (a range, usually on a hidden sheet) in `column` from
        `first_row` down; other values get a warning, not a refusal (the importer checks)."""
        validation = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                                    errorStyle="warning", formula1=source, error=error,
                                    errorTitle=title)
        validation.add(f"{letter(column)}{first_row}:{letter(column)}{MAX_ROW}")
        self.ws.data_validations.append(validation)


# --- CSV ----------------------------------------------------------------------------------------
# UTF-8 with a BOM: Excel opens a CSV with Chinese text correctly only with it.
class _Echo:
    def write(self, value):
        return value


def _csv_cells(values: Iterable) -> list:
    return ["" if v is None else neutralise(v) for v in values]


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of `rows`, a line at a time (for a streaming response), BOM first."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for values in rows:
        yield writer.writerow(_csv_cells(values))


def attachment(filename: str) -> str:
    """The Content-Disposition of a download named `filename`: RFC 6266 `filename*=UTF-8''...`
    for a Chinese name (a bare filename="贫困户.xlsx" reached browsers MIME-encoded, and they
    saved it as download.xlsx)."""
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=filename)


def csv_response(rows: Iterable[Iterable], filename: str):
    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def write_csv(path: str | Path, rows: Iterable[Iterable]) -> int:
    """Write `rows` to `path`; returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for values in rows:
            writer.writerow(_csv_cells(values))
            count += 1
    return count
