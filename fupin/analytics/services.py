"""The figures of a region as pages, the API, `fupin stats` and the report show them: one
place that reads the rollups, so the same number appears everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fupin.analytics import indicators as ind
from fupin.analytics import rollups
from fupin.regions.models import Region


@dataclass
class Figures:
    region: Region
    values: dict[str, object]  # indicator name -> number | None | {key: number} | {year: n}
    children: list[tuple[Region, dict[str, object]]]


def plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def figures(region: Region, names=None, child_names=None) -> Figures:
    names = list(names or ind.INDICATORS)
    child_names = list(child_names or [i.name for i in ind.key_figures()])
    values = rollups.summary(region.code, names)
    children = list(Region._base_manager.filter(parent=region).order_by("code"))
    stored = rollups.values([c.code for c in children], _stored_names(child_names))
    rows = [(c, {n: rollups.figure(stored[c.code], n) for n in child_names}) for c in children]
    return Figures(region, values, rows)


def _stored_names(names) -> list[str]:
    out = []
    for name in names:
        item = ind.INDICATORS[name]
        out += [item.numerator, item.denominator] if item.kind == ind.RATIO else [name]
    return out


def as_json(result: Figures) -> dict:
    return {
        "region": result.region.code,
        "name": result.region.name,
        "level": result.region.level,
        "indicators": {name: plain(v) for name, v in result.values.items()},
        "children": [{"region": c.code, "name": c.name,
                      "indicators": {n: plain(v) for n, v in vals.items()}}
                     for c, vals in result.children],
    }
