"""Building and reading the rollup table (see models.Rollup and indicators.py).

`refresh()` recomputes the rows of the given regions' subtrees from the records (one grouped
query per source, then the sums per level in polars), replaces them, and recomputes their
ancestors from the level below, so every region's value is its own records plus its
children's values. `refresh(None)` rebuilds everything; `refresh([codes], labels)` is the
incremental refresh after a write (only the sources those model labels feed).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from fupin.analytics import indicators as ind
from fupin.analytics.models import Rollup
from fupin.core import db
from fupin.regions.scope import (
    LEVELS,
    ancestor_codes,
    ancestor_expr,
    is_within,
    level_expr,
    level_of,
    parent_code,
    within,
)

SCHEMA = {"indicator": pl.String, "region_code": pl.String, "period": pl.Int64,
          "key": pl.String, "value": pl.Float64}
KEYS = ["indicator", "period", "key"]
PARALLEL = 3  # source queries at a time on PostgreSQL


@dataclass
class Refreshed:
    rows: int = 0
    regions: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _compute(source, code) -> list:
    try:
        return list(source.compute(code))
    finally:
        connection.close()  # this thread's own connection


def _base(sources, code: str | None, parallel: bool = False) -> pl.DataFrame:
    if not parallel or connection.in_atomic_block or not db.is_postgres():
        rows = [row for source in sources for row in source.compute(code)]
    else:
        # A full rebuild outside any transaction reads committed rows: the sources' queries run
        # side by side, each on its own connection, and the server uses every core.
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            rows = [row for part in pool.map(lambda s: _compute(s, code), sources)
                    for row in part]
    if not rows:
        return pl.DataFrame(schema=SCHEMA)
    frame = pl.DataFrame(rows, schema=list(SCHEMA), orient="row", infer_schema_length=None)
    return frame.with_columns(pl.col("value").cast(pl.Float64), pl.col("period").cast(pl.Int64))


def _subtree(base: pl.DataFrame, top_level: int) -> pl.DataFrame:
    """Every region's value (own + everything below) for levels top_level..5, with `own`."""
    own = base.group_by(["region_code", *KEYS]).agg(pl.col("value").sum().alias("own"))
    leveled = own.with_columns(level_expr().alias("own_level"))
    parts = []
    for level in LEVELS:
        if level < top_level:
            continue
        part = (leveled.filter(pl.col("own_level") >= level)
                .with_columns(ancestor_expr("region_code", level).alias("region_code"))
                .group_by(["region_code", *KEYS]).agg(pl.col("own").sum().alias("value"))
                .with_columns(pl.lit(level, pl.Int64).alias("level")))
        parts.append(part)
    if not parts:
        return pl.DataFrame()
    values = pl.concat(parts)
    return values.join(own, on=["region_code", *KEYS], how="left").with_columns(
        pl.col("own").fill_null(0.0))


def _medians(names: list[str], code: str | None, levels: Iterable[int]) -> pl.DataFrame:
    parts = []
    for name in names:
        sql, params = ind.MEDIANS[name](code).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            samples = cursor.fetchall()
        if not samples:
            continue
        frame = pl.DataFrame(samples, schema=["region_code", "value"], orient="row")
        del samples
        frame = frame.with_columns(pl.col("value").cast(pl.Float64),
                                   level_expr().alias("own_level"))
        for level in levels:
            parts.append(frame.filter(pl.col("own_level") >= level)
                         .with_columns(ancestor_expr("region_code", level).alias("region_code"))
                         .group_by("region_code").agg(pl.col("value").median())
                         .with_columns(pl.lit(name).alias("indicator"),
                                       pl.lit(ind.NOW, pl.Int64).alias("period"),
                                       pl.lit("").alias("key"),
                                       pl.lit(level, pl.Int64).alias("level"),
                                       pl.lit(None, pl.Float64).alias("own")))
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="diagonal_relaxed")


def _write(frame: pl.DataFrame, now: datetime.datetime) -> int:
    if frame.is_empty():
        return 0
    # In region order: a page reads one region's rows and its children's, which then sit
    # together on disk.
    frame = frame.sort("region_code", "indicator").select(
        "region_code", "level", "period", "indicator", "key",
        pl.col("value").round(2).cast(pl.Decimal(20, 2)),
        pl.col("own").round(2).cast(pl.Decimal(20, 2)),
        pl.lit(db.timestamp(now)).alias("refreshed_at"))
    db.copy_rows(Rollup._meta.db_table, frame)
    return frame.height


def _ancestors_of(codes: Iterable[str]) -> list[str]:
    """Strict ancestors of the codes, deepest first (each after its children)."""
    found = {a for code in codes for a in ancestor_codes(code)[:-1]}
    return sorted(found, key=lambda a: -level_of(a))


def _recompute_ancestor(code: str, names: list[str], medians: list[str],
                        now: datetime.datetime) -> int:
    """An ancestor's sums from its own records' values and its children's rows."""
    level = level_of(code)
    children = (Rollup._base_manager.filter(within(code), level=level + 1, indicator__in=names)
                .values("indicator", "period", "key").annotate(total=Sum("value")))
    own = {(r["indicator"], r["period"], r["key"]): r["own"] or Decimal(0)
           for r in Rollup._base_manager.filter(region_code=code, indicator__in=names)
           .values("indicator", "period", "key", "own")}
    values = {(r["indicator"], r["period"], r["key"]): r["total"] for r in children}
    for k, v in own.items():
        values[k] = values.get(k, Decimal(0)) + v
    Rollup._base_manager.filter(region_code=code, indicator__in=names + medians).delete()
    rows = [Rollup(region_code=code, level=level, indicator=i, period=p, key=k, value=v,
                   own=own.get((i, p, k), Decimal(0)), refreshed_at=now)
            for (i, p, k), v in values.items()]
    median_frame = _medians(medians, code, [level])
    if not median_frame.is_empty():
        for row in median_frame.iter_rows(named=True):
            rows.append(Rollup(region_code=code, level=level, indicator=row["indicator"],
                               period=row["period"], key="",
                               value=Decimal(str(round(row["value"], 2))), own=None,
                               refreshed_at=now))
    Rollup._base_manager.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh(codes: list[str] | None = None, labels: set[str] | None = None, *,
            ancestor_medians: bool = True) -> Refreshed:
    """Recompute the subtrees of `codes` (everything when None) for the sources fed by the
    model `labels` (all when None), then their ancestors. One transaction. A median of a large
    ancestor reads every record under it: after a single write, `ancestor_medians=False` leaves
    those to `refresh_medians` in the background."""
    started = timezone.now()
    sources = ind.SOURCES if labels is None else ind.sources_for(labels)
    medians = list(ind.MEDIANS) if labels is None else ind.medians_for(labels)
    names = sorted({n for s in sources for n in s.indicators})
    if not names and not medians:
        return Refreshed()
    result = Refreshed(regions=list(codes or []))
    # The deepest of nested codes is refreshed with its ancestor's subtree anyway.
    tops = [None] if codes is None else _collapse(_outermost(codes))
    # The records are read before the transaction that replaces the rows, so a full rebuild
    # can read with several connections at once (see _base).
    bases = {code: _base(sources, code, parallel=codes is None) for code in tops}
    with transaction.atomic():
        for code in tops:
            top_level = level_of(code) if code else 1
            stale = Rollup._base_manager.filter(indicator__in=names + medians)
            if code:
                stale.filter(within(code)).delete()
            elif labels is None and db.is_postgres():
                with connection.cursor() as cursor:  # everything goes: no row-by-row delete
                    cursor.execute(f"TRUNCATE {connection.ops.quote_name(Rollup._meta.db_table)}")
            else:
                stale.delete()
            base = bases[code]
            frame = _subtree(base, top_level) if not base.is_empty() else pl.DataFrame()
            result.rows += _write(frame, started)
            result.rows += _write(_medians(medians, code, range(top_level, 6)), started)
        if codes is None and db.is_postgres():
            # Fresh statistics, or the planner may pick the wrong index for the pages.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Rollup._meta.db_table)}")
        if codes is not None:
            for ancestor in _ancestors_of(tops):
                result.rows += _recompute_ancestor(
                    ancestor, names, medians if ancestor_medians else [], started)
    result.seconds = (timezone.now() - started).total_seconds()
    return result


MAX_SUBTREES = 40


def _collapse(codes: list[str]) -> list[str]:
    """Few subtrees, each one query per source: many touched villages become their
    townships, then counties, ... until at most MAX_SUBTREES remain."""
    while len(codes) > MAX_SUBTREES:
        deepest = max(level_of(c) for c in codes)
        codes = _outermost({parent_code(c) if level_of(c) == deepest else c for c in codes})
    return codes


def _outermost(codes: Iterable[str]) -> list[str]:
    """The codes not under another of them."""
    codes = sorted(set(codes), key=lambda c: (level_of(c), c))
    out: list[str] = []
    for code in codes:
        if not any(is_within(code, o) for o in out):
            out.append(code)
    return out


def refresh_medians(codes: list[str], labels: set[str] | None = None) -> int:
    """Recompute the medians (fed by `labels`) of the ancestors of `codes`."""
    medians = list(ind.MEDIANS) if labels is None else ind.medians_for(labels)
    if not medians:
        return 0
    now = timezone.now()
    with transaction.atomic():
        return sum(_recompute_ancestor(a, [], medians, now)
                   for a in _ancestors_of(_outermost(codes)))


# --- reading ----------------------------------------------------------------------------------
def values(region_codes: list[str], names: Iterable[str] | None = None,
           period: int | None = ind.NOW) -> dict[str, dict[tuple[str, int, str], Decimal]]:
    """region code -> {(indicator, period, key): value} for the stored indicators."""
    rows = Rollup._base_manager.filter(region_code__in=region_codes)
    if names is not None:
        rows = rows.filter(indicator__in=list(names))
    if period is not None:
        rows = rows.filter(period=period)
    out: dict[str, dict] = {code: {} for code in region_codes}
    for r in rows.values_list("region_code", "indicator", "period", "key", "value"):
        out[r[0]][(r[1], r[2], r[3])] = r[4]
    return out


def figure(stored: dict, name: str, period: int = ind.NOW, key: str = ""):
    """One indicator's value from a region's stored rows: a number, or None ("—") for a ratio
    over zero. A SUM with no row is 0 (nothing counted); a MEDIAN with no row is None."""
    item = ind.INDICATORS[name]
    if item.kind == ind.RATIO:
        return item.ratio(stored.get((item.numerator, period, key)),
                          stored.get((item.denominator, period, key)))
    value = stored.get((name, period, key))
    if item.kind == ind.MEDIAN:
        return value
    if item.breakdown is not None and not key:
        return sum((v for (n, p, _k), v in stored.items() if n == name and p == period),
                   Decimal(0))
    return value if value is not None else Decimal(0)


def summary(region_code: str, names: Iterable[str] | None = None) -> dict[str, object]:
    """name -> current value for a region (breakdowns as {key: value})."""
    stored = values([region_code], period=None)[region_code]
    out = {}
    for name in names or ind.INDICATORS:
        item = ind.INDICATORS[name]
        if item.by_year:
            out[name] = {p: figure(stored, name, p) for p in sorted(
                {p for (n, p, _k) in stored if n == name})}
        elif item.breakdown is not None:
            out[name] = {k: v for (n, p, k), v in stored.items() if n == name and p == ind.NOW}
        else:
            out[name] = figure(stored, name)
    return out
