"""The `poverty.villages` generator: a profile for every village, key villages among them."""

from __future__ import annotations

import math

from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.poverty.demo.calibration import (
    BATCH_OBJECT_ID,
    INCOME_FACTOR,
    INFRASTRUCTURE,
    KEY_VILLAGES,
    PERSONS_PER_HOUSEHOLD,
    POPULATION_PER_REGISTERED,
    POPULATION_WEIGHT,
    PREFECTURE_KEY_WEIGHT,
    RURAL,
    RURAL_INCOME_PER_CAPITA,
    RURAL_POPULATION,
    village_kind,
)
from fupin.poverty.demo.plan import apportion, make_plan
from fupin.poverty.demo.writing import Table
from fupin.poverty.models import VillageProfile
from fupin.regions.models import Level, Region


def choose_key_villages(rng, codes: list[str], district_counties: set[str], k: int) -> set[str]:
    """k villagers' committees, drawn without replacement with prefecture weights
    (Efraimidis-Spirakis: the k largest u ** (1 / w))."""
    rural = [code for code in codes if village_kind(code) == RURAL]
    keyed = []
    for code in rural:
        weight = PREFECTURE_KEY_WEIGHT.get(code[:4], 1.0)
        if code[:6] in district_counties:
            weight /= 2
        keyed.append((rng.random() ** (1 / weight), code))
    keyed.sort(reverse=True)
    return {code for _u, code in keyed[:k]}


def village_incomes(rng, kinds: list[str], populations: list[int]) -> list[int]:
    """Net income per capita of each village (whole yuan), spread by kind, scaled so that the
    mean weighted by rural population is RURAL_INCOME_PER_CAPITA (the rounding to whole yuan
    moves it by a few fen at most)."""
    raw = [INCOME_FACTOR[kind] * rng.lognormvariate(0, 0.3) for kind in kinds]
    people = sum(populations)
    if not people:
        return [round(RURAL_INCOME_PER_CAPITA * r) for r in raw]
    factor = RURAL_INCOME_PER_CAPITA * people / sum(r * n for r, n in zip(raw, populations,
                                                                           strict=True))
    return [round(factor * r) for r in raw]


@demo.generator("poverty.villages", order=10)
def villages(ctx: demo.DemoContext) -> str:
    existing = VillageProfile._base_manager.count()
    if existing:
        keys = VillageProfile._base_manager.filter(is_key_village=True).count()
        return f"{existing:,} village profiles exist ({keys:,} key villages), nothing added"
    codes = list(Region._base_manager.filter(level=Level.VILLAGE)
                 .order_by("code").values_list("code", flat=True))
    if not codes:
        return "no villages, nothing added"
    districts = {code[:6] for code in Region._base_manager.filter(
        level=Level.COUNTY, name__endswith="区").values_list("code", flat=True)}
    rng = ctx.random("poverty.villages")
    wanted = ctx.scaled(KEY_VILLAGES)
    key = choose_key_villages(rng, codes, districts, wanted)
    plan = make_plan(ctx, codes, key)

    registered = [plan.persons(i) for i in range(len(codes))]
    total = ctx.scaled(RURAL_POPULATION)
    floor = [math.ceil(r * POPULATION_PER_REGISTERED) for r in registered]
    if sum(floor) > total:  # only at absurd scales: let registered persons fill villages
        floor = registered
    extra = apportion(total - sum(floor),
                      [POPULATION_WEIGHT[village_kind(code)] * rng.lognormvariate(0, 0.45)
                       for code in codes])
    rows = []
    poor_villages = 0
    kinds = ["key" if code in key else village_kind(code) for code in codes]
    # Its own random stream: the villages' other attributes stay those of earlier versions.
    incomes = village_incomes(ctx.random("poverty.villages.income"), kinds,
                              [floor[i] + extra[i] for i in range(len(codes))])
    for i, code in enumerate(codes):
        kind = "key" if code in key else village_kind(code)
        column = {"key": 0, RURAL: 1}.get(kind, 2)
        population = floor[i] + extra[i]
        is_poor = code in key or (kind == RURAL and rng.random() < 0.12)
        poor_villages += is_poor
        flags = tuple(rng.random() < p[column] for p in INFRASTRUCTURE.values())
        income = {0: (0, 20_000), 1: (5_000, 150_000), 2: (20_000, 400_000)}[column]
        rows.append((code, population,
                     max(len(plan.households[i]), round(population / PERSONS_PER_HOUSEHOLD)),
                     code in key, is_poor, str(rng.randrange(*income) // 100 * 100), *flags,
                     str(incomes[i])))
    Table(VillageProfile, ("region_code", "rural_population", "households", "is_key_village",
                           "is_poor_village", "collective_income", *INFRASTRUCTURE,
                           "net_income_per_capita")).write(rows)
    counts = {"villages": len(rows), "key_villages": len(key), "poor_villages": poor_villages,
              "rural_population": sum(r[1] for r in rows), "scale": ctx.scale, "seed": ctx.seed}
    changelog.append(action=ChangeRecord.Action.BATCH, model="poverty.villageprofile",
                     object_id=BATCH_OBJECT_ID, object_repr="demo village profiles",
                     region_code="", extra=counts)
    note = "" if len(key) == wanted else f" (only {len(key):,} villagers' committees exist)"
    return (f"{len(rows):,} village profiles, {len(key):,} key villages{note}, "
            f"rural population {counts['rural_population']:,}")
