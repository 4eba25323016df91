"""CSV and XLSX export of any table: the same columns as the page, personal data as permitted.

Written by `fupin.core.xlsx`, which neutralises formula-like text in both formats."""

from __future__ import annotations

from fupin.core import xlsx

HEADER = {"bold": True, "fill": "EDEDED", "border": True}


def table_values(table):
    """Header and rows as the page shows them, except that a region column gives the region's
    name followed by its code in a column of its own (people read names; a re-import or a
    lookup needs the code)."""
    import django_tables2
    from django.utils.encoding import force_str
    from django.utils.translation import gettext as _

    from fupin.core.tables import RegionColumn, region_names

    if not isinstance(table, django_tables2.Table):  # a report's own table: rows as it gives them
        yield from table.as_values()
        return
    columns = [c for c in table.columns.iterall() if not c.column.exclude_from_export]
    regions = {c.name for c in columns if isinstance(c.column, RegionColumn)}
    header = []
    for c in columns:
        header.append(str(c.header))
        if c.name in regions:
            header.append(_("%(column)s code") % {"column": c.header})
    yield header
    for chunk in _chunks(table.rows, 2000):
        names = region_names({row.get_cell_value(n) for row in chunk for n in regions})
        for row in chunk:
            values = []
            for c in columns:
                value = force_str(row.get_cell_value(c.name), strings_only=True)
                if c.name in regions:
                    values.extend([names.get(value, ""), value])
                else:
                    values.append(value)
            yield values


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    rows = table_values(table)
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
