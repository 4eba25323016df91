"""Scope helpers: the one place that knows how a 12-digit division code nests.

A code is a materialized path. Level 1 owns the first 2 digits, level 2 the first 4, level 3
the first 6, level 4 the first 9 and level 5 all 12; lower levels are padded with zeros.
"Everything under R" is therefore one range on `region_code` that a plain B-tree index serves
on PostgreSQL and SQLite alike (LIKE 'prefix%' would need a special operator class on
PostgreSQL and case-sensitive LIKE on SQLite, so we never use it).
"""

from __future__ import annotations

import re

import polars as pl
from django.db.models import F, Q
from django.db.models.functions import Substr

CODE_LENGTH = 12
PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
# The same numbers as regions.models.Level, for code that must not import models.
PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE = LEVELS = (1, 2, 3, 4, 5)
_CODE_RE = re.compile(r"^\d{12}$")


def is_valid_code(code: object) -> bool:
    return isinstance(code, str) and bool(_CODE_RE.match(code))


def level_of(code: str) -> int:
    """The level a well-formed code sits at, read from its zero padding."""
    for level in (1, 2, 3, 4):
        if code[PREFIX_LENGTH[level]:].strip("0") == "" and code[: PREFIX_LENGTH[level]].strip("0"):
            return level
    return 5


def is_well_nested(code: str, level: int) -> bool:
    """The digits below `level` are all zero, and the code's own segment is not."""
    n = PREFIX_LENGTH[level]
    if code[n:].strip("0"):
        return False
    start = PREFIX_LENGTH[level - 1] if level > 1 else 0
    return bool(code[start:n].strip("0"))


def is_level(code: object, level: int) -> bool:
    """`code` is a well-formed code of a region at `level` (a village: `is_level(c, VILLAGE)`)."""
    return is_valid_code(code) and is_well_nested(code, level)


def prefix(code: str, level: int | None = None) -> str:
    """The significant digits of `code` at `level` (its own level when omitted)."""
    return code[: PREFIX_LENGTH[level or level_of(code)]]


def pad(prefix_digits: str, fill: str = "0") -> str:
    return prefix_digits.ljust(CODE_LENGTH, fill)


def bounds(code: str) -> tuple[str, str]:
    """Lowest and highest code under `code` (inclusive), for a range condition."""
    p = prefix(code)
    return pad(p, "0"), pad(p, "9")


def within(code: str | None, field: str = "region_code") -> Q:
    """Q for every row whose `field` lies under region `code` (the region itself included).

    An empty code means the whole database (a superuser without a region).
    """
    if not code:
        return Q()
    lo, hi = bounds(code)
    return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})


def is_within(code: str, scope_code: str | None) -> bool:
    if not scope_code:
        return True
    if not is_valid_code(code):
        return False
    lo, hi = bounds(scope_code)
    return lo <= code <= hi


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level == 1:
        return None
    return pad(prefix(code, level - 1))


def ancestor_codes(code: str) -> list[str]:
    """Codes from the province down to `code` itself."""
    return [pad(prefix(code, lvl)) for lvl in range(1, level_of(code) + 1)]


def ancestor_at(code: str, level: int) -> str:
    """The code of the region at `level` that holds `code` (`code` itself at its own level)."""
    return pad(prefix(code, level))


def common_ancestor(low: str | None, high: str | None) -> str:
    """The code of the lowest region holding both codes ('' when they share no province)."""
    if not low or not high:
        return ""
    for level in reversed(LEVELS):
        n = PREFIX_LENGTH[level]
        if low[:n] == high[:n]:
            return pad(low[:n])
    return ""


# --- the same in queries: grouping by level without a round trip per region ------------------


def prefix_sql(field: str, level: int) -> Substr:
    """A database expression: the significant digits of `field` at `level` (what
    `prefix(code, level)` gives), to group a subtree's rows by their region at that level in
    one query. Pad the grouped values with `pad()` to get region codes."""
    return Substr(F(field), 1, PREFIX_LENGTH[level])


def _has_own_digits(col: pl.Expr, level: int) -> pl.Expr:
    start, end = PREFIX_LENGTH[level - 1], PREFIX_LENGTH[level]
    return col.str.slice(start, end - start) != "0" * (end - start)


def level_expr(column: str = "region_code") -> pl.Expr:
    """A polars expression: the level of each code in `column`, read from its zero padding
    (`level_of` over a whole column at once)."""
    col = pl.col(column)
    return (pl.when(_has_own_digits(col, VILLAGE)).then(VILLAGE)
            .when(_has_own_digits(col, TOWNSHIP)).then(TOWNSHIP)
            .when(_has_own_digits(col, COUNTY)).then(COUNTY)
            .when(_has_own_digits(col, PREFECTURE)).then(PREFECTURE)
            .otherwise(PROVINCE))


def ancestor_expr(column: str, level: int) -> pl.Expr:
    """A polars expression: `ancestor_at(code, level)` for each code in `column` (meaningful
    for codes at `level` or below)."""
    return pl.col(column).str.slice(0, PREFIX_LENGTH[level]).str.pad_end(CODE_LENGTH, "0")
