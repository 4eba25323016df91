"""Panels that domain apps add to pages of apps they sit above (core and regions sit below them
all and cannot import them): each is `func(subject, user) -> dict | None`, the dict naming its
`template` and holding its context; None hides the panel.

Pages: "region" (the region page; the subject is the region code) and "household" (the
household page of fupin.poverty; the subject is the household, enriched by fupin.assistance).
"""

from __future__ import annotations

from collections.abc import Callable

PANELS: list[Callable] = []
PAGES: dict[str, list[Callable]] = {"region": PANELS}


def register(func: Callable, page: str = "region") -> Callable:
    funcs = PAGES.setdefault(page, [])
    if func not in funcs:
        funcs.append(func)
    return func


def for_page(page: str, subject, user) -> list[dict]:
    return [panel for func in PAGES.get(page, ()) if (panel := func(subject, user))]


def for_region(region_code: str, user) -> list[dict]:
    return for_page("region", region_code, user)
