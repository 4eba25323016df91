"""Writing sheets: the template and exports (same shape), and the error workbook.

All XLSX is written with openpyxl's write-only mode (rows go to disk as they come), CSV as
UTF-8 with a BOM (Excel needs it for Chinese). Text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe; the importer
drops that apostrophe again, so an export imports unchanged. Numbers stay numbers: a negative
amount in a numeric column is not text and needs no protection.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fupin.ingest.cells import FORMULA_START
from fupin.ingest.registry import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    ENUM,
    ID_NUMBER,
    INT,
    REGION_KINDS,
    Registry,
)

VALUES_SHEET = "允许值"
MAX_ROW = 1048576
BAD_FILL = PatternFill("solid", fgColor="FFF2CC")
BAD_FONT = Font(color="C00000")
TEXT_KINDS = (CODE, ID_NUMBER, *REGION_KINDS)
LIST_KINDS = (ENUM, BOOL)  # columns offered as a list of allowed values


def neutralise(value):
    """A cell value safe to open in a spreadsheet: formula-like text gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --- template and export --------------------------------------------------------------------------


def write_sheet(registry: Registry, path: Path, frames: Iterable[pl.DataFrame]) -> int:
    """Write the registry's sheet to `path` (.xlsx or .csv): the header, then `frames` (display
    values: labels, masked or not, already formula-safe). Returns the number of data rows."""
    columns = [c for c in registry.columns]
    if path.suffix.lower() == ".csv":
        return _write_csv(columns, path, frames)
    return _write_xlsx(registry, columns, path, frames)


def _write_csv(columns, path: Path, frames) -> int:
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in columns])
        for frame in frames:
            writer.writerows(["" if v is None else v for v in row]
                             for row in frame.select([c.name for c in columns]).iter_rows())
            count += frame.height
    return count


def _write_xlsx(registry: Registry, columns, path: Path, frames) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(registry.sheet_title or registry.name)
    values = book.create_sheet(VALUES_SHEET)
    values.sheet_state = "hidden"
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    required = Font(bold=True, color="C00000")
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(10, min(30, len(col.header) * 2 + 4))
        if col.kind in TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
        elif col.kind == DATE:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    enums = [c for c in columns if c.kind in LIST_KINDS]
    # The sheet of allowed values: one column per enumeration, its Chinese labels.
    longest = max((len(c.choices) for c in enums), default=0)
    values.append([c.header for c in enums])
    for r in range(longest):
        values.append([c.choices[r][1] if r < len(c.choices) else None for c in enums])
    for j, col in enumerate(enums, start=1):
        i = columns.index(col) + 1
        letter = get_column_letter(j)
        validation = DataValidation(
            type="list", allow_blank=True, showErrorMessage=True, errorStyle="warning",
            formula1=f"'{VALUES_SHEET}'!${letter}$2:${letter}${len(col.choices) + 1}",
            error=_("Choose a value from the list."), errorTitle=col.header)
        validation.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{MAX_ROW}")
        sheet.data_validations.append(validation)
    header = []
    for col in columns:
        cell = WriteOnlyCell(sheet, value=col.header)
        cell.font = required if col.required else bold
        header.append(cell)
    sheet.append(header)
    count = 0
    names = [c.name for c in columns]
    for frame in frames:
        for row in frame.select(names).iter_rows():
            sheet.append(row)
        count += frame.height
    book.save(path)
    return count


def display_frames(registry: Registry, frames: Iterable[pl.DataFrame], *,
                   masked: bool) -> Iterator[pl.DataFrame]:
    """Stored values to what a sheet shows: labels for enumerations, masks for personal data
    when `masked`, formula-safe text. Numbers and dates keep their types."""
    from fupin.core.masking import HEALTH, HEALTH_MASK, mask

    hidden = str(HEALTH_MASK)  # translated here: polars runs map_elements in its own threads
    for frame in frames:
        exprs = []
        for col in registry.columns:
            if col.name not in frame.columns:
                exprs.append(pl.lit(None).alias(col.name))
                continue
            expr = pl.col(col.name)
            if col.kind == ENUM:
                expr = expr.replace_strict(col.labels(), default=expr, return_dtype=pl.String)
            elif col.kind == BOOL:
                labels = col.labels()
                expr = pl.when(expr.cast(pl.Boolean)).then(pl.lit(labels["true"])).when(
                    expr.cast(pl.Boolean).not_()).then(pl.lit(labels["false"]))
            if masked and col.personal == HEALTH:
                expr = pl.when(expr.is_null() | (expr == "")).then(expr).otherwise(pl.lit(hidden))
            elif masked and col.personal:
                kind = col.personal
                expr = expr.map_elements(lambda v, k=kind: mask(v, k), return_dtype=pl.String)
            if col.kind not in (INT, DECIMAL, DATE):
                expr = expr.cast(pl.String)
                expr = pl.when(expr.str.contains(r"^[=+\-@\t\r]")).then(
                    pl.lit("'") + expr).otherwise(expr)
            exprs.append(expr.alias(col.name))
        yield frame.select(exprs)


# --- the error workbook ---------------------------------------------------------------------------


def write_error_workbook(source, errors: pl.DataFrame, path: Path) -> None:
    """The input as read, plus a last column with each bad row's reasons.

    `errors` has the columns __row and reason, sorted by row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Errors")[:31])
    width = len(source.header)
    reasons = iter(errors.iter_rows())
    pending = next(reasons, None)
    header_row = source.header_row
    reason_col = getattr(source, "first_col", 0) + width
    sheet.column_dimensions[get_column_letter(reason_col + 1)].width = 60
    sheet.freeze_panes = f"A{header_row + 1}"
    expected = 1
    for number, cells in source.raw_rows():
        while expected < number:  # rows calamine skipped above the data
            sheet.append([])
            expected += 1
        expected = number + 1
        row = [_cell(v) for v in cells[:reason_col]]
        row += [None] * (reason_col - len(row))
        if number == header_row:
            cell = WriteOnlyCell(sheet, value=_("Errors"))
            cell.font = Font(bold=True, color="C00000")
            row.append(cell)
        elif pending is not None and pending[0] == number:
            cell = WriteOnlyCell(sheet, value=pending[1])
            cell.font = BAD_FONT
            cell.fill = BAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            row.append(cell)
            pending = next(reasons, None)
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _cell(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal, datetime.date, datetime.datetime, bool)):
        return value
    return neutralise(str(value))
