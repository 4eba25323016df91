"""Panels that domain apps add to the region page (regions sits below them and cannot import
them): each is `func(region_code, user) -> dict | None`, the dict naming its `template` and
holding its context; None hides the panel."""

from __future__ import annotations

from collections.abc import Callable

PANELS: list[Callable] = []


def register(func: Callable) -> Callable:
    if func not in PANELS:
        PANELS.append(func)
    return func


def for_region(region_code: str, user) -> list[dict]:
    return [panel for func in PANELS if (panel := func(region_code, user))]
