"""The plan: every village's households (status, attribute, size), drawn from the seed and the
key villages alone, so that both generators draw the same one.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from fupin.core import demo
from fupin.poverty import choices as c
from fupin.poverty.demo.calibration import (
    ATTRIBUTE_WEIGHTS,
    ATTRIBUTES,
    KEY_SHARE,
    LOW_INCOME_PERSONS,
    POOR_PERSONS,
    RURAL,
    SIZE_WEIGHTS,
    STATUSES,
    village_kind,
)


# A household of the plan is one byte: status * 32 + attribute * 8 + size (size 1..7).
def encode(status_index: int, attribute_index: int, size: int) -> int:
    return status_index * 32 + attribute_index * 8 + size


def decode(code: int) -> tuple[int, int, int]:
    return code // 32, code // 8 % 4, code % 8


@dataclass
class Plan:
    codes: list[str]  # village codes, ordered
    households: list[bytearray]  # per village, its households (encoded)

    def persons(self, index: int) -> int:
        return sum(h % 8 for h in self.households[index])

    def counts(self) -> dict[str, int]:
        counts = {f"{s}_{what}": 0 for s in STATUSES for what in ("households", "persons")}
        for village in self.households:
            for h in village:
                status, _attr, size = decode(h)
                counts[f"{STATUSES[status]}_households"] += 1
                counts[f"{STATUSES[status]}_persons"] += size
        counts["households"] = sum(len(v) for v in self.households)
        counts["persons"] = counts["poor_persons"] + counts["low_income_persons"]
        return counts


def cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def draw_households(rng, status_index: int, target: int) -> list[int]:
    """Households of one status whose sizes add up to exactly `target` persons."""
    status = STATUSES[status_index]
    attr_cum = cumulative(ATTRIBUTE_WEIGHTS[status])
    size_cum = [cumulative(SIZE_WEIGHTS[a]) for a in ATTRIBUTES]
    sizes = range(1, 8)
    out: list[int] = []
    left = target
    while left > 0:
        attr = rng.choices(range(3), cum_weights=attr_cum)[0]
        size = min(left, rng.choices(sizes, cum_weights=size_cum[attr])[0])
        out.append(encode(status_index, attr, size))
        left -= size
    return out


def make_plan(ctx: demo.DemoContext, codes: list[str], key: set[str]) -> Plan:
    """Every village's households, from the seed, the scale and the key villages alone."""
    rng = ctx.random("poverty.plan")
    households = [bytearray() for _ in codes]
    # Each village's pull on the registered households of its group.
    weights = [rng.lognormvariate(0, 0.35 if code in key else 0.6) for code in codes]
    key_group = [i for i, code in enumerate(codes) if code in key]
    rural_group = [i for i, code in enumerate(codes)
                   if code not in key and village_kind(code) == RURAL]
    if not key_group and not rural_group:  # a tree without villagers' committees
        rural_group = list(range(len(codes)))
    for status_index, (status, total) in enumerate(
            ((c.PovertyStatus.POOR, ctx.scaled(POOR_PERSONS)),
             (c.PovertyStatus.LOW_INCOME, ctx.scaled(LOW_INCOME_PERSONS)))):
        in_key = round(total * KEY_SHARE[status]) if key_group else 0
        if not rural_group:
            in_key = total
        for group, target in ((key_group, in_key), (rural_group, total - in_key)):
            drawn = draw_households(rng, status_index, target)
            if not drawn:
                continue
            cum = cumulative(weights[i] for i in group)
            for village, h in zip(rng.choices(group, cum_weights=cum, k=len(drawn)), drawn,
                                  strict=True):
                households[village].append(h)
    return Plan(codes, households)


def apportion(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` summing to exactly `total` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    shares = [total * w / weight_sum for w in weights]
    out = [math.floor(s) for s in shares]
    rest = total - sum(out)
    by_remainder = sorted(range(len(weights)), key=lambda i: (out[i] - shares[i], i))
    for i in by_remainder[:rest]:
        out[i] += 1
    return out
