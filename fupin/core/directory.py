"""Region names and levels as core's generic forms and tables need them.

The `Region` table belongs to `fupin.regions`, which stands on core; core asks for names and
levels through this one hook, which regions fills from its `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: int
    level_label: str


_lookup: Callable[[Iterable[str]], dict[str, Entry]] | None = None
_level_label: Callable[[int], str] | None = None


def provide(lookup: Callable[[Iterable[str]], dict[str, Entry]],
            level_label: Callable[[int], str]) -> None:
    global _lookup, _level_label
    _lookup, _level_label = lookup, level_label


def entries(codes: Iterable[str]) -> dict[str, Entry]:
    """The regions of `codes` that exist, by code (one query)."""
    return _lookup(codes) if _lookup is not None else {}


def entry(code: str) -> Entry | None:
    return entries([code]).get(code)


def level_label(level: int) -> str:
    return _level_label(level) if _level_label is not None else str(level)
