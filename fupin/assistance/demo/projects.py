"""The `assistance.projects` generator: village plans, industry, relocation, Spring Sunshine."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count

from fupin.assistance import choices as c
from fupin.assistance import rules
from fupin.assistance.demo.calibration import (
    ENTERPRISE_FLOOR,
    ENTERPRISES,
    ENVOY_FLOOR,
    ENVOYS,
    PROJECTS_BATCH,
    VILLAGE_PLAN_MIN,
    VILLAGE_PLAN_SHARE,
    Table,
    apportion,
    latest_batch,
    max_id,
    phone,
    today,
)
from fupin.assistance.demo.helpers import (
    Places,
    Spans,
    day_between,
    money,
    pick,
    read_ids,
    record_batch,
    written,
)
from fupin.assistance.demo.names import (
    BENEFIT_KINDS,
    CONTRIBUTION_KINDS,
    CONTRIBUTIONS,
    ENTERPRISE_KINDS,
    ENVOY_OCCUPATIONS,
    ENVOY_PLACES,
    PLAN_FUNDS,
    PLAN_PROJECTS,
    PRODUCTS,
    RELOCATION_FOLLOW_UP,
    SITE_KINDS,
    SITE_NAMES,
)
from fupin.assistance.models import (
    ChunhuiContribution,
    ChunhuiEnvoy,
    Enterprise,
    IndustryBenefit,
    IndustryProject,
    PlanFunding,
    PlanProject,
    Relocation,
    ResettlementSite,
    VillagePlan,
)
from fupin.core import demo
from fupin.core.models import ChangeRecord
from fupin.party import demo as party_demo
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Ethnicity
from fupin.poverty.models import Household
from fupin.regions.scope import within


def project_counts(record: ChangeRecord) -> dict[str, int]:
    return {"plans": written(VillagePlan, record).count(),
            "enterprises": written(Enterprise, record).count(),
            "projects": written(IndustryProject, record).count(),
            "benefits": written(IndustryBenefit, record).count(),
            "sites": written(ResettlementSite, record).count(),
            "relocations": written(Relocation, record).count(),
            "envoys": written(ChunhuiEnvoy, record).count(),
            "contributions": written(ChunhuiContribution, record).count()}


def describe_projects(counts: dict[str, int]) -> str:
    return (f"{counts['plans']:,} whole-village plans, {counts['enterprises']:,} enterprises "
            f"with {counts['projects']:,} industry projects ({counts['benefits']:,} household "
            f"benefits), {counts['sites']:,} resettlement sites ({counts['relocations']:,} "
            f"relocations), {counts['envoys']:,} Spring Sunshine envoys "
            f"({counts['contributions']:,} contributions)")


@demo.generator("assistance.projects", order=72)
def projects(ctx: demo.DemoContext) -> str:
    record = latest_batch(PROJECTS_BATCH)
    if written(VillagePlan, record).exists() or written(Enterprise, record).exists():
        return describe_projects(project_counts(record)) + " exist, nothing added"
    places = Places()
    if not places.needy:
        return "no key or poor villages, nothing added (poverty.villages runs first)"
    if not Household._base_manager.exists():
        return "no households, nothing added (poverty.households runs first)"
    spans = Spans(VillagePlan, PlanFunding, PlanProject, Enterprise, IndustryProject,
                  IndustryBenefit, ResettlementSite, Relocation, ChunhuiEnvoy, ChunhuiContribution)
    village_plans(ctx, places)
    industry(ctx, places)
    relocation(ctx, places)
    envoys(ctx, places)
    record = record_batch(PROJECTS_BATCH, "plans, industry, relocation and Spring Sunshine", ctx,
                          spans.ranges())
    return describe_projects(project_counts(record))


def village_plans(ctx: demo.DemoContext, places: Places) -> None:
    rng = ctx.random("assistance.plans")
    day = today()
    if not places.key:
        return
    count = min(len(places.key), max(VILLAGE_PLAN_MIN, round(len(places.key) * VILLAGE_PLAN_SHARE)))
    codes = sorted(rng.sample(places.key, count))
    plans, details = [], []
    for code in codes:
        first = day.year - rng.randint(0, 3)
        last = first + 2
        if last < day.year:
            state, progress = c.PlanState.ACCEPTED, 100
            accepted = day_between(rng, date(last, 10, 1), min(day, date(last + 1, 3, 31)))
        elif first < day.year or day.month > 3:
            state, progress, accepted = c.PlanState.UNDER_WAY, rng.randint(15, 85), None
        else:
            state, progress, accepted = c.PlanState.PLANNED, 0, None
        plans.append((code, f"{places.village(code)}整村推进规划（{first}—{last}年）", first, last,
                      state, progress, accepted.isoformat() if accepted else None))
        details.append((code, first, state, progress))
    last_id = max_id(VillagePlan)
    Table(VillagePlan, ("region_code", "name", "starts_year", "ends_year", "state", "progress",
                        "accepted_on")).write(plans)
    ids = read_ids(VillagePlan, last_id, len(plans))
    funding, projects_ = [], []
    for pk, (code, first, state, progress) in zip(ids, details, strict=True):
        sources = [c.FundSource.FISCAL, *rng.sample(list(PLAN_FUNDS)[1:], rng.randint(2, 4))]
        total = 0
        for source in sources:
            lo, hi = PLAN_FUNDS[source]
            amount = rng.randrange(lo // 1_000, hi // 1_000 + 1) * 1_000
            total += amount
            funding.append((pk, code, source, f"{amount}.00"))
        names = rng.sample(PLAN_PROJECTS, rng.randint(3, 6))
        shares = apportion(total // 1_000, [rng.uniform(0.5, 2) for _ in names])
        for n, (name, share) in enumerate(zip(names, shares, strict=True)):
            if state == c.PlanState.ACCEPTED or (state == c.PlanState.UNDER_WAY
                                                 and n < len(names) * progress / 100):
                pstate = c.MeasureState.DONE
                done = day_between(rng, date(first, 3, 1), day)
            elif state == c.PlanState.UNDER_WAY and n < len(names) * progress / 100 + 1:
                pstate, done = c.MeasureState.UNDER_WAY, None
            else:
                pstate, done = c.MeasureState.PLANNED, None
            projects_.append((pk, code, f"{name}项目", f"{share * 1_000}.00", pstate,
                              done.isoformat() if done else None))
    Table(PlanFunding, ("plan", "region_code", "source", "amount")).write(funding)
    Table(PlanProject, ("plan", "region_code", "name", "investment", "state", "done_on")).write(
        projects_)


def helped_households():
    return Household._base_manager.filter(status__in=rules.helped_statuses())


def industry(ctx: demo.DemoContext, places: Places) -> None:
    """Enterprises and cooperatives of villages in need (leading enterprises of their county),
    each with one or two projects run in a village; their benefits link the village's
    households in need (or the township's, where the village has few)."""
    rng = ctx.random("assistance.industry")
    day = today()
    helped = dict(helped_households().order_by().values("region_code").annotate(
        n=Count("id")).values_list("region_code", "n"))
    weights = poverty_demo.cumulative(helped.get(code, 0) + 0.5 for code, _key in places.needy)
    namer = party_demo.Namer(rng)
    enterprises, plans = [], []
    for _ in range(ctx.scaled(ENTERPRISES, ENTERPRISE_FLOOR)):
        village = rng.choices(places.needy, cum_weights=weights)[0][0]
        kind = ENTERPRISE_KINDS(rng)
        product = pick(rng, PRODUCTS)
        if kind == c.EnterpriseKind.ENTERPRISE:
            code = village[:6] + "000000"
            name = (f"{places.county(village)[:2]}{product}"
                    f"{pick(rng, ('产业', '农业开发', '生态农业'))}有限公司")
        elif kind == c.EnterpriseKind.COOPERATIVE:
            code, name = village, f"{places.village(village)}{product}专业合作社"
        elif kind == c.EnterpriseKind.ASSOCIATION:
            code, name = village, f"{places.township(village)}{product}产业协会"
        else:
            code = village
            name = f"{places.village(village)}农村经纪人{namer.name(Ethnicity.HAN, 'M')}"
        enterprises.append((code, name[:100], kind, f"{product}种植养殖及销售"))
        plans.append((village, kind, product))
    last = max_id(Enterprise)
    Table(Enterprise, ("region_code", "name", "kind", "business")).write(enterprises)
    ids = read_ids(Enterprise, last, len(enterprises))
    project_rows, project_plans = [], []
    for pk, row, (village, kind, product) in zip(ids, enterprises, plans, strict=True):
        for what in rng.sample(("基地建设", "产业扶贫", "加工厂建设", "扩大种养殖规模"),
                               1 if rng.random() < 0.6 else 2):
            year = day.year - rng.randint(0, 3)
            project_rows.append((village, f"{places.village(village)}{product}{what}项目（{year}年）"[:100],
                                 pk, year, money(rng, 100_000, 2_000_000, 10_000),
                                 f"由{row[1]}实施，带动贫困户发展{product}产业"))
            project_plans.append((village, kind))
    last = max_id(IndustryProject)
    Table(IndustryProject, ("region_code", "name", "enterprise", "year", "funds",
                            "description")).write(project_rows)
    project_ids = read_ids(IndustryProject, last, len(project_rows))
    benefits = []
    for pk, (village, kind) in zip(project_ids, project_plans, strict=True):
        candidates = list(helped_households().filter(region_code=village).order_by(
            "number").values_list("id", "region_code"))
        if len(candidates) < 5:
            candidates += list(helped_households().filter(within(village[:9] + "000")).exclude(
                region_code=village).order_by("region_code", "number").values_list(
                "id", "region_code")[:200])
        linked = rng.sample(candidates, min(len(candidates), rng.randint(5, 40)))
        for household, code in sorted(linked):
            benefit = BENEFIT_KINDS[kind](rng)
            amount = money(rng, 300, 3_000) if benefit != c.BenefitKind.INPUTS else None
            benefits.append((pk, household, code, benefit, amount))
    Table(IndustryBenefit, ("project", "household", "region_code", "kind", "amount")).write(
        benefits)


def relocation(ctx: demo.DemoContext, places: Places) -> None:
    """A relocation for every household marked relocated, to one of one to three sites of its
    county (a township's town site, a central village, an industrial park, dispersed)."""
    rng = ctx.random("assistance.relocation")
    day = today()
    by_county = defaultdict(list)
    for row in Household._base_manager.filter(relocated=True).order_by(
            "region_code", "number").values_list("id", "region_code", "members_count"):
        by_county[row[1][:6]].append(row)
    sites, site_plans = [], []
    for county in sorted(by_county):
        households = by_county[county]
        townships = places.townships.get(county) or [households[0][1][:9] + "000"]
        count = 1 + (len(households) > 30) + (len(households) > 150)
        for k in range(count):
            kind = c.SiteKind.TOWN if k == 0 else SITE_KINDS(rng)
            if kind in (c.SiteKind.CENTRAL_VILLAGE, c.SiteKind.DISPERSED):
                code = pick(rng, households)[1]
                where = places.village(code)
            else:
                code = pick(rng, townships)
                where = places.names.get(code, "")
            name = pick(rng, SITE_NAMES[kind]).format(where)
            built = day - timedelta(days=rng.randint(400, 1_500))
            site_plans.append((county, code, built))
            sites.append([code, name[:100], kind, 0, built.isoformat()])
    # capacity: what the site takes, and some room
    assigned = defaultdict(list)
    index_of = defaultdict(list)
    for i, (county, _code, _built) in enumerate(site_plans):
        index_of[county].append(i)
    for county, households in sorted(by_county.items()):
        for row in households:
            assigned[pick(rng, index_of[county])].append(row)
    for i, site in enumerate(sites):
        site[3] = max(10, math.ceil(len(assigned[i]) * rng.uniform(1.1, 1.5) / 10) * 10)
    last = max_id(ResettlementSite)
    Table(ResettlementSite, ("region_code", "name", "kind", "capacity", "built_on")).write(
        [tuple(s) for s in sites])
    ids = read_ids(ResettlementSite, last, len(sites))
    rows = []
    for i, pk in enumerate(ids):
        _county, site_code, built = site_plans[i]
        for household, code, size in assigned[i]:
            moved = day_between(rng, built, day - timedelta(days=10))
            area = min(125.0, max(1, size) * 20 + rng.randint(0, 10))
            rows.append((household, code, pk, site_code, moved.isoformat(), f"{area:.1f}",
                         rng.randint(0, min(2, size)), pick(rng, RELOCATION_FOLLOW_UP)))
    Table(Relocation, ("household", "region_code", "site", "site_region_code", "moved_on",
                       "housing_area", "employed", "follow_up")).write(rows)


def envoys(ctx: demo.DemoContext, places: Places) -> None:
    rng = ctx.random("assistance.envoys")
    namer = party_demo.Namer(rng)
    day = today()
    villages = [code for code, _key in places.needy]
    rows = []
    for _ in range(ctx.scaled(ENVOYS, ENVOY_FLOOR)):
        code = pick(rng, villages)
        rows.append((code, namer.name(namer.ethnicity(code), "M" if rng.random() < 0.7 else "F"),
                     ENVOY_PLACES(rng), pick(rng, ENVOY_OCCUPATIONS),
                     phone(rng) if rng.random() < 0.8 else ""))
    last = max_id(ChunhuiEnvoy)
    Table(ChunhuiEnvoy, ("region_code", "name", "lives_in", "occupation", "phone")).write(rows)
    ids = read_ids(ChunhuiEnvoy, last, len(rows))
    contributions = []
    for pk, row in zip(ids, rows, strict=True):
        for _ in range(rng.randint(1, 3)):
            kind = CONTRIBUTION_KINDS(rng)
            span, texts = CONTRIBUTIONS[kind]
            value = money(rng, *span) if span else "0.00"
            given = day - timedelta(days=rng.randint(10, 1_100))
            contributions.append((pk, row[0], kind, given.isoformat(), value, pick(rng, texts)))
    Table(ChunhuiContribution, ("envoy", "region_code", "kind", "given_on", "value",
                                "description")).write(contributions)
