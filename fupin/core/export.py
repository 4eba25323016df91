"""CSV and XLSX export of any table: the same columns as the page, personal data as permitted.

Written by `fupin.core.xlsx`, which neutralises formula-like text in both formats."""

from __future__ import annotations

from fupin.core import xlsx

HEADER = {"bold": True, "fill": "EDEDED", "border": True}


def export_table(table, fmt: str, filename: str):
    rows = table.as_values()
    if fmt == "csv":
        return xlsx.csv_response(rows, f"{filename}.csv")
    book = xlsx.Workbook({"header": xlsx.Style(**HEADER)})
    rows = iter(rows)
    header = next(rows, [])
    sheet = book.sheet(filename, freeze="A2",
                       widths=[max(10, min(40, len(str(h)) * 2 + 4)) for h in header])
    sheet.row(header, style="header")
    sheet.rows_of(rows)
    return book.response(f"{filename}.xlsx")
