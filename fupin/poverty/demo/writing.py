"""Rows written in chunks without the ORM's per-value preparation (`Table`)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone


class Table:
    """Rows written without the ORM's per-value preparation (bulk_create spends most of its
    time there): COPY on PostgreSQL, executemany elsewhere. Like bulk_create it sends no
    signals. Rows hold values ready for the database: str, int, bool or None, with dates,
    decimals and JSON as text. Fields not named are written with their default, timestamps
    with the time of the run."""

    def __init__(self, model, fields: tuple[str, ...]):
        meta = model._meta
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rest = []
        for f in meta.concrete_fields:
            if f.primary_key or f.name in fields:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                rest.append((f.column, now))
            else:
                rest.append((f.column, f.get_db_prep_save(f.get_default(), connection)))
        self.table = meta.db_table
        self.columns = [meta.get_field(name).column for name in fields] + [c for c, _ in rest]
        self.constant = tuple(v for _, v in rest)

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + self.constant)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {qn(self.table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, [row + self.constant for row in rows])
