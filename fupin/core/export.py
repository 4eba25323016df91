"""CSV and XLSX export of any table: the same columns as the page, personal data as permitted.

Written by `fupin.core.xlsx`, which neutralises formula-like text in both formats."""

from __future__ import annotations

from fupin.core import xlsx

HEADER = {"bold": True, "fill": "EDEDED", "border": True}


def export_name(title: str, region_name: str = "", day=None) -> str:
    """A download's name without extension: list, region and date (贫困户-南明区-2026-12-03),
    so files saved side by side say what they hold."""
    from django.utils import timezone

    day = day or timezone.localdate()
    parts = [str(title), region_name, day.isoformat()]
    # Characters that no file system takes in a name.
    return "-".join(p for p in parts if p).translate({ord(c): "_" for c in '\\/:*?"<>|'})


def export_table(table, fmt: str, title: str, filename: str | None = None):
    """The table as a download: `title` names the sheet, `filename` (without extension, default
    `title`) the file."""
    filename = filename or title
    rows = table.as_values()
    if fmt == "csv":
        return xlsx.csv_response(rows, f"{filename}.csv")
    book = xlsx.Workbook({"header": xlsx.Style(**HEADER)})
    rows = iter(rows)
    header = next(rows, [])
    sheet = book.sheet(title, freeze="A2",
                       widths=[max(10, min(40, len(str(h)) * 2 + 4)) for h in header])
    sheet.row(header, style="header")
    sheet.rows_of(rows)
    return book.response(f"{filename}.xlsx")
