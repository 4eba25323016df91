"""Figures from the rollups for apps that sit below analytics (a supervision task's target, a
five-good criterion fed by meetings held): analytics fills the reader from its `ready()`, so a
figure is read from the same stored rollups the dashboards show, never computed a second way.

    value("helper_coverage", "522323000000")           -> Decimal | None (a ratio over zero)
    value("trained_members", code, period=2007)        -> by-year indicators take the year
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

_reader: Callable[[str, str, int | None, str], Decimal | None] | None = None


def set_reader(func: Callable[[str, str, int | None, str], Decimal | None]) -> None:
    global _reader
    _reader = func


def value(name: str, region_code: str, period: int | None = None, key: str = "") -> Decimal | None:
    """The stored value of indicator `name` for a region (current when `period` is None)."""
    if _reader is None:
        raise RuntimeError("fupin.analytics is not installed: no rollups to read figures from")
    return _reader(name, region_code, period, key)


def names() -> list[str]:
    """The indicators a figure may name (filled by analytics; empty before)."""
    return list(_names)


_names: list[str] = []


def set_names(items) -> None:
    _names[:] = list(items)
