"""Bulk writing (imports, rollups), the same interface on PostgreSQL and SQLite.

New rows are inserted with ids allocated up front (PostgreSQL: COPY FROM STDIN straight into
the table; SQLite: executemany). Existing rows are loaded into a temporary staging table
(COPY / executemany), counted (`changed`) and then updated with one UPDATE ... FROM that
touches only rows whose values differ, so a repeated import writes nothing. Everything runs in
the caller's transaction. Only identifiers from model metadata are put into SQL text; values
are always parameters or COPY data.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import polars as pl
from django.db import connection, models

LOOKUP_BATCH = 50000
EXECUTEMANY_BATCH = 5000


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def lookup(sql_head: str, keys: list, *, columns: list[str]) -> pl.DataFrame:
    """Rows of `sql_head <key> IN (keys)`: `sql_head` ends with the key expression, e.g.
    "SELECT ... WHERE p.id_number". The keys travel as one JSON array parameter (no limit on
    placeholders, one value to adapt). Returns a frame with `columns`."""
    frames = []
    if is_postgres():
        sql = f"{sql_head} = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)))"
    else:
        sql = f"{sql_head} IN (SELECT value FROM json_each(%s))"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(keys), LOOKUP_BATCH):
            cursor.execute(sql, [json.dumps(keys[start:start + LOOKUP_BATCH])])
            rows = cursor.fetchall()
            if rows:
                frames.append(pl.DataFrame(rows, schema=columns, orient="row",
                                           infer_schema_length=None))
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.concat(frames, how="vertical_relaxed")


def has_rows(model: type[models.Model]) -> bool:
    """Whether the table holds any row at all (a first import need not look keys up)."""
    return model._base_manager.order_by().exists()


def allocate_ids(model: type[models.Model], n: int) -> pl.Series:
    """`n` fresh primary keys for `model`, never used before (the caller holds the write
    transaction; on SQLite that is the database lock)."""
    if n == 0:
        return pl.Series("id", [], dtype=pl.Int64)
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS ingest_ids (id bigint) ON COMMIT DROP")
            cursor.execute("INSERT INTO ingest_ids SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [qn(table), pk, n])
            cursor.execute("SELECT min(id), max(id), count(*) FROM ingest_ids")
            low, high, count = cursor.fetchone()
            if high - low + 1 == count:  # no one else took a value meanwhile: a range
                ids = pl.int_range(low, high + 1, eager=True, dtype=pl.Int64).alias("id")
            else:
                cursor.execute("SELECT id FROM ingest_ids ORDER BY id")
                ids = pl.Series("id", [r[0] for r in cursor.fetchall()], dtype=pl.Int64)
            cursor.execute("TRUNCATE ingest_ids")
            return ids
        cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")  # noqa: S608
        high = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        base = max(high, row[0] if row else 0)
        if row is None:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                           [table, base + n])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s",
                           [base + n, table])
        return pl.int_range(base + 1, base + n + 1, eager=True, dtype=pl.Int64).alias("id")


def defaults(model: type[models.Model], given: Iterable[str]) -> dict[str, object]:
    """Column -> database value of the model default, for every concrete field not `given`
    (and not the primary key). Used for the fields a file does not carry."""
    out = {}
    given = set(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        value = field.get_default()
        if isinstance(field, models.JSONField):
            value = json.dumps(value if value is not None else None)
        elif isinstance(field, models.BooleanField):
            value = bool(value) if value is not None else None
        elif value is not None:
            value = field.get_db_prep_save(value, connection)
        out[field.column] = value
    return out


def timestamp(now: datetime.datetime) -> str:
    """A datetime as the database stores it (SQLite: text in UTC)."""
    if is_postgres():
        return now.isoformat()
    return connection.ops.adapt_datetimefield_value(now)


def _sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and decimals as text, booleans as 0/1: what Django stores in SQLite."""
    casts = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date or isinstance(dtype, pl.Decimal):
            casts.append(pl.col(name).cast(pl.String))
        elif dtype == pl.Boolean:
            casts.append(pl.col(name).cast(pl.Int8))
    return frame.with_columns(casts) if casts else frame


def copy_rows(table: str, frame: pl.DataFrame) -> None:
    """Append `frame` (columns named as the table's) to `table`."""
    copy_frames(table, [frame])


def _csv(frame: pl.DataFrame) -> bytes:
    return frame.write_csv(include_header=False, null_value="\\N",
                           date_format="%Y-%m-%d").encode("utf-8")


def _ahead(items: Iterable, convert):
    """`convert(item)` for each item, computed one item ahead in a thread: polars and the
    encoder release the GIL, so the next chunk is prepared while the database takes this one."""
    pending = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for item in items:
            future = pool.submit(convert, item)
            if pending is not None:
                yield pending.result()
            pending = future
        if pending is not None:
            yield pending.result()


def copy_frames(table: str, frames: Iterable[pl.DataFrame]) -> int:
    """Append every frame (same columns, named as the table's) to `table`: one COPY on
    PostgreSQL, executemany on SQLite. Returns the rows written."""
    rows = 0
    if is_postgres():
        copy = None
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            try:
                for columns, height, payload in _ahead(
                        frames, lambda f: (f.columns, f.height, _csv(f) if f.height else b"")):
                    if not height:
                        continue
                    if copy is None:
                        names = ", ".join(qn(c) for c in columns)
                        copy_cm = raw.copy(f"COPY {qn(table)} ({names}) FROM STDIN "  # noqa: S608
                                           "WITH (FORMAT csv, NULL '\\N')")
                        copy = copy_cm.__enter__()
                    view = memoryview(payload)
                    for start in range(0, len(view), 1 << 20):
                        copy.write(view[start:start + (1 << 20)])
                    rows += height
            except BaseException as exc:
                if copy is not None:
                    copy_cm.__exit__(type(exc), exc, exc.__traceback__)
                raise
            if copy is not None:
                copy_cm.__exit__(None, None, None)
        return rows
    with connection.cursor() as cursor:
        for frame in frames:
            if frame.is_empty():
                continue
            columns = ", ".join(qn(c) for c in frame.columns)
            marks = ", ".join(["%s"] * frame.width)
            sql = f"INSERT INTO {qn(table)} ({columns}) VALUES ({marks})"  # noqa: S608
            values = _sqlite_values(frame)
            for start in range(0, values.height, EXECUTEMANY_BATCH):
                cursor.executemany(sql, values.slice(start, EXECUTEMANY_BATCH).rows())
            rows += frame.height
    return rows


class Staging:
    """A temporary table shaped like the columns of `model` that a file updates."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.model = model
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        self.columns = [c for c in columns if c != self.pk]
        self.name = f"ingest_{uuid.uuid4().hex[:12]}"
        select = ", ".join(qn(c) for c in [self.pk, *self.columns])
        with connection.cursor() as cursor:
            if is_postgres():
                cursor.execute(f"CREATE TEMP TABLE {qn(self.name)} ON COMMIT DROP AS "  # noqa: S608
                               f"SELECT {select} FROM {qn(self.table)} WITH NO DATA")
            else:
                cursor.execute(f"CREATE TEMP TABLE {qn(self.name)} AS "  # noqa: S608
                               f"SELECT {select} FROM {qn(self.table)} WHERE 0")
        self.rows = 0

    def load(self, frame: pl.DataFrame) -> None:
        copy_rows(self.name, frame.select([self.pk, *self.columns]))
        self.rows += frame.height

    def _new_value(self, column: str, keep: set[str]) -> str:
        s, t = f"s.{qn(column)}", f"{qn(self.table)}.{qn(column)}"
        return f"COALESCE({s}, {t})" if column in keep else s

    def _differs(self, keep: set[str]) -> str:
        op = "IS DISTINCT FROM" if is_postgres() else "IS NOT"
        return " OR ".join(f"{qn(self.table)}.{qn(c)} {op} {self._new_value(c, keep)}"
                           for c in self.columns) or "FALSE"

    def changed(self, keep: set[str] = frozenset()) -> int:
        """How many staged rows differ from the table. `keep`: columns where NULL in the
        file means "not given" (the table's value stays)."""
        if not self.rows:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {qn(self.table)} JOIN {qn(self.name)} AS s "  # noqa: S608
                f"ON {qn(self.table)}.{qn(self.pk)} = s.{qn(self.pk)} WHERE {self._differs(keep)}")
            return cursor.fetchone()[0]

    def apply(self, keep: set[str] = frozenset(), stamp: dict | None = None) -> int:
        """Update the table's rows that differ; `stamp` sets bookkeeping columns (updated_at,
        updated_by_id, batch_id) on those rows only. Returns the rows updated."""
        if not self.rows:
            return 0
        stamp = stamp or {}
        sets = [f"{qn(c)} = {self._new_value(c, keep)}" for c in self.columns]
        sets += [f"{qn(c)} = %s" for c in stamp]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(self.table)} SET {', '.join(sets)} FROM {qn(self.name)} AS s "  # noqa: S608
                f"WHERE {qn(self.table)}.{qn(self.pk)} = s.{qn(self.pk)} "
                f"AND ({self._differs(keep)})", list(stamp.values()))
            return cursor.rowcount

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(self.name)}")
