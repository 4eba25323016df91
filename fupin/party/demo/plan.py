"""The committee plan, drawn from the seed and the village codes alone, so that the members and
committees generators draw the same one (see the package docstring).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from fupin.core import demo
from fupin.party.demo.calibration import (
    COLLEGE_SHARE,
    CROSS_SHARE,
    DIRECTOR_MEMBER_SHARE,
    ELECTION_SHARE,
    FIRST_TERM,
    MAX_CADRE_SHARE,
    NOMINEES,
    ONE_SHOULDER_SHARE,
    TERM_YEARS,
    VILLAGERS_MEMBER_SHARE,
    B,
    P,
    V,
    apportion,
)


class Seat(NamedTuple):
    """A person on a village's two committees: posts held, party member or not, role (for age,
    sex and education), the college graduate, a woman (the women's representative)."""

    posts: tuple[tuple[str, str], ...]
    member: bool
    role: str
    college: bool = False
    female: bool = False
    head: str = ""  # "secretary", "director" or "one_shoulder" (both)


@dataclass
class VillagePlan:
    seats: list[Seat]
    branch_size: int
    one_shoulder: bool
    cross: bool
    college: bool

    @property
    def member_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.member]


def village_plan(rng) -> VillagePlan:
    roll = rng.random()
    b = 3 if roll < 0.5 else 4 if roll < 0.8 else 5
    roll = rng.random()
    v = 3 if roll < 0.45 else 4 if roll < 0.8 else 5
    branch_posts = [P.SECRETARY, P.DEPUTY_SECRETARY if b >= 4 or rng.random() < 0.4
                    else P.MEMBER] + [P.MEMBER] * (b - 2)
    villagers_posts = [P.DEPUTY_DIRECTOR if v >= 4 or rng.random() < 0.5
                       else P.MEMBER] + [P.MEMBER] * (v - 2)  # besides the director
    if rng.random() < 0.5:
        villagers_posts[-1] = P.ACCOUNTANT
    one_shoulder = rng.random() < ONE_SHOULDER_SHARE
    cross = rng.random() < CROSS_SHARE
    crossing = min(1 if rng.random() < 0.7 else 2, b - 1, v - 1) if cross else 0
    seats = [Seat(((B, P.SECRETARY),) + (((V, P.DIRECTOR),) if one_shoulder else ()), True,
                  "secretary", head="one_shoulder" if one_shoulder else P.SECRETARY)]
    for j, post in enumerate(branch_posts[1:]):
        both = ((V, villagers_posts[j]),) if j < crossing else ()
        seats.append(Seat(((B, post),) + both, True, "branch"))
    if not one_shoulder:
        seats.append(Seat(((V, P.DIRECTOR),), rng.random() < DIRECTOR_MEMBER_SHARE, "director",
                          head=P.DIRECTOR))
    rest = villagers_posts[crossing:]
    for j, post in enumerate(rest):
        seats.append(Seat(((V, post),), rng.random() < VILLAGERS_MEMBER_SHARE,
                          "accountant" if post == P.ACCOUNTANT else "villagers",
                          female=j == len(rest) - 1 and rng.random() < 0.8))
    college = rng.random() < COLLEGE_SHARE
    if college:  # one of the cadres other than the secretary (一村一名大学生)
        i = rng.randrange(1, len(seats))
        seats[i] = seats[i]._replace(college=True, role="college", female=False)
    # Member seats first, in plan order (the secretary first): the members generator writes
    # them in this order and the committees generator reads them back in it.
    seats = [s for s in seats if s.member] + [s for s in seats if not s.member]
    return VillagePlan(seats, b, one_shoulder, cross, college)


def committee_plan(ctx: demo.DemoContext, codes: list[str]) -> list[VillagePlan]:
    """Every village's two committees, from the seed and the (ordered) village codes alone
    (kept for the next generator of the same run: the plan is the same)."""
    key = (ctx.seed, zlib.crc32("".join(codes).encode()), len(codes))
    if _plans.get("key") != key:
        rng = ctx.random("party.committees.plan")
        _plans.update(key=key, plans=[village_plan(rng) for _code in codes])
    return _plans["plans"]


_plans: dict = {}


def election_villages(ctx: demo.DemoContext, count: int) -> list[int]:
    """The villages (indices) whose branch committee was elected in a recorded closed election:
    ELECTION_SHARE of the villages at scale 1 (s times as many below), at least 3."""
    wanted = max(3, round(count * ELECTION_SHARE * min(1.0, ctx.scale)))
    return sorted(ctx.random("party.elections").sample(range(count), min(count, wanted)))


def allocate(rng, total: int, need: list[int], weights: list[float],
             showcase: list[int] = ()) -> tuple[list[int], list[int]]:
    """Members per village and how many of them are its member cadres (seats).

    Seats are filled up to MAX_CADRE_SHARE of the members (all of them at scale 1, where they
    are about 9%; s times as many at a small scale s, like every other count), rank by rank:
    every village's secretary before any second seat, and within a rank in a weighted random
    order (Efraimidis-Spirakis keys, the more populous villages first). The `showcase` villages
    (where an election is recorded) have every seat and NOMINEES other members whatever the
    scale. The other members are apportioned in proportion to `weights`."""
    seats = sum(need)
    filled = [0] * len(need)
    floor = [0] * len(need)
    reserved = sum(need[i] + NOMINEES for i in showcase)
    if reserved <= total:
        for i in showcase:
            filled[i], floor[i] = need[i], NOMINEES
    else:
        reserved = 0
    wanted = min(total - reserved, math.floor(total * MAX_CADRE_SHARE) - sum(filled))
    if wanted >= seats - sum(filled):
        filled = list(need)
    elif wanted > 0:
        keys = []
        for i, w in enumerate(weights):
            u = rng.random() ** (1 / w)
            keys.extend((rank, -u, i) for rank in range(filled[i], need[i]))
        keys.sort()
        for _rank, _u, i in keys[:wanted]:
            filled[i] += 1
    extra = apportion(total - sum(filled) - sum(floor), weights)
    return [f + e + m for f, e, m in zip(filled, extra, floor, strict=True)], filled


def term_start(day: date) -> date:
    """The first day of the current term's year (terms from 2021, every five years, elected
    from January to March)."""
    year = FIRST_TERM + TERM_YEARS * max(0, (day.year - FIRST_TERM) // TERM_YEARS)
    if date(year, 3, 31) > day and year > FIRST_TERM:
        year -= TERM_YEARS
    return date(year, 1, 1)
