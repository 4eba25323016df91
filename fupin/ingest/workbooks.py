"""Writing sheets: the template and exports (same shape), and the error workbook.

Written by `fupin.core.xlsx` (openpyxl's write-only mode, rows go to disk as they come; CSV as
UTF-8 with a BOM), which also neutralises text a spreadsheet would run as a formula; the
importer drops the apostrophe it adds again, so an export imports unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from fupin.core import xlsx
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
TEXT_KINDS = (CODE, ID_NUMBER, *REGION_KINDS)
LIST_KINDS = (ENUM, BOOL)  # columns offered as a list of allowed values
STYLES = {
    "header": xlsx.Style(bold=True),
    "required": xlsx.Style(bold=True, color="C00000"),
    "reason": xlsx.Style(color="C00000", fill="FFF2CC", wrap=True, vertical="top"),
}


# --- template and export --------------------------------------------------------------------------


def write_sheet(registry: Registry, path: Path, frames: Iterable[pl.DataFrame]) -> int:
    """Write the registry's sheet to `path` (.xlsx or .csv): the header, then `frames` (display
    values: labels, masked or not). Returns the number of data rows."""
    columns = list(registry.columns)
    names = [c.name for c in columns]
    rows = (row for frame in frames for row in frame.select(names).iter_rows())
    if path.suffix.lower() == ".csv":
        return xlsx.write_csv(path, _with_header([c.header for c in columns], rows)) - 1
    return _write_xlsx(registry, columns, path, rows)


def _with_header(header, rows):
    yield header
    yield from rows


def _write_xlsx(registry: Registry, columns, path: Path, rows) -> int:
    book = xlsx.Workbook(STYLES)
    formats = {}
    for i, col in enumerate(columns, start=1):
        if col.kind in TEXT_KINDS:
            formats[i] = "@"
        elif col.kind == DATE:
            formats[i] = "yyyy-mm-dd"
    sheet = book.sheet(registry.sheet_title or registry.name, freeze="A2", formats=formats,
                       widths=[max(10, min(30, len(c.header) * 2 + 4)) for c in columns])
    values = book.sheet(VALUES_SHEET, hidden=True)
    enums = [c for c in columns if c.kind in LIST_KINDS]
    # The sheet of allowed values: one column per enumeration, its Chinese labels.
    longest = max((len(c.choices) for c in enums), default=0)
    values.row([c.header for c in enums])
    for r in range(longest):
        values.row([c.choices[r][1] if r < len(c.choices) else None for c in enums])
    for j, col in enumerate(enums, start=1):
        column = xlsx.letter(j)
        sheet.allowed_values(
            columns.index(col) + 1,
            f"'{VALUES_SHEET}'!${column}$2:${column}${len(col.choices) + 1}",
            title=col.header, error=_("Choose a value from the list."))
    sheet.row([sheet.cell(col.header, "required" if col.required else "header")
               for col in columns])
    count = sheet.rows_of(rows)
    book.save(path)
    return count


def display_frames(registry: Registry, frames: Iterable[pl.DataFrame], *,
                   forms: dict[str, str]) -> Iterator[pl.DataFrame]:
    """Stored values to what a sheet shows: labels for enumerations, personal data of each kind
    as `forms` says (kind -> FULL, LAST4 or MASKED; a kind left out is masked). Numbers and
    dates keep their types; the writer makes text formula-safe."""
    from fupin.core.masking import FULL, HEALTH, HEALTH_MASK, MASKED, show

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
            form = forms.get(col.personal, MASKED) if col.personal else FULL
            if form != FULL and col.personal == HEALTH:
                expr = pl.when(expr.is_null() | (expr == "")).then(expr).otherwise(pl.lit(hidden))
            elif form != FULL:
                expr = expr.map_elements(lambda v, k=col.personal, f=form: show(v, k, f),
                                         return_dtype=pl.String)
            if col.kind not in (INT, DECIMAL, DATE):
                expr = expr.cast(pl.String)
            exprs.append(expr.alias(col.name))
        yield frame.select(exprs)


# --- the error workbook ---------------------------------------------------------------------------


def write_error_workbook(source, errors: pl.DataFrame, path: Path) -> None:
    """The input as read, plus a last column with each bad row's reasons.

    `errors` has the columns __row and reason, sorted by row."""
    book = xlsx.Workbook(STYLES)
    header_row = source.header_row
    reason_col = getattr(source, "first_col", 0) + len(source.header)
    sheet = book.sheet(_("Errors"), freeze=f"A{header_row + 1}",
                       widths=[None] * reason_col + [60])
    reasons = iter(errors.iter_rows())
    pending = next(reasons, None)
    expected = 1
    for number, cells in source.raw_rows():
        while expected < number:  # rows calamine skipped above the data
            sheet.row([])
            expected += 1
        expected = number + 1
        row = [None if v == "" else v for v in cells[:reason_col]]
        row += [None] * (reason_col - len(row))
        if number == header_row:
            row.append(sheet.cell(_("Errors"), "required"))
        elif pending is not None and pending[0] == number:
            row.append(sheet.cell(pending[1], "reason"))
            pending = next(reasons, None)
        sheet.row(row)
    book.save(path)
