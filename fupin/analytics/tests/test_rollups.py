"""Rollups equal direct counts: for every region at every level on the poverty demo data (plus
party and assistance records made here), by two independent computations; a sample of
regions checked against plain ORM counts; the incremental refresh after a write; ratios over
zero; `fupin stats`."""

from __future__ import annotations

import datetime
import json
import statistics
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from fupin.analytics import indicators as ind
from fupin.analytics import rollups, services
from fupin.analytics.models import Rollup
from fupin.assistance import actions as assistance_actions
from fupin.assistance import models as am
from fupin.core import demo as registry
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.party.testing import make_member, make_org
from fupin.poverty import demo as poverty_demo
from fupin.poverty.models import Household, Person, VillageProfile
from fupin.regions import importer
from fupin.regions.models import Region
from fupin.regions.scope import ancestor_codes, within

SCALE = 0.001


def _extra_records():
    """A few party and assistance records on top of the poverty demo."""
    villages = list(VillageProfile._base_manager.filter(is_key_village=True)
                    .values_list("region_code", flat=True)[:6])
    households = list(Household._base_manager.filter(status="poor").order_by("id")[:40])
    with acting_as(None, label="test", scope_checks=False):
        county_org = make_org(villages[0][:6] + "000000", kind="committee")
        helper = make_member(county_org.region_code, org=county_org)
        for code in villages[:4]:
            branch = make_org(code)
            make_member(code, org=branch)
            am.BranchPairing.objects.create(helping_org=county_org, helping_kind="organ",
                                            village_org=branch, region_code=code,
                                            starts_on=datetime.date(2025, 1, 1))
            am.WorkTeam.objects.create(region_code=code, name="驻村工作队",
                                       dispatching_unit="县委组织部", unit_level="county",
                                       starts_on=datetime.date(2025, 3, 1))
        for i, household in enumerate(households):
            am.Pairing.objects.create(household=household, helper=helper,
                                      region_code=household.region_code,
                                      starts_on=datetime.date(2025, 1, 1))
            am.Measure.objects.create(household=household, region_code=household.region_code,
                                      kind=("health", "industry", "relocation")[i % 3],
                                      year=2024 + i % 2)
            if i % 2:
                am.Visit.objects.create(household=household, region_code=household.region_code,
                                        visitor_name="帮扶人", visited_on=datetime.date.today(),
                                        findings="正常")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("regions", "import", str(importer.BUNDLED_REGIONS), stdout=StringIO())
        ctx = registry.DemoContext(scale=SCALE, seed=2006, stdout=StringIO())
        with acting_as(None, label="cli:demo", scope_checks=False):
            poverty_demo.villages(ctx)
            poverty_demo.households(ctx)
        _extra_records()
        result = rollups.refresh()
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def data(built, db):
    return built


def stored() -> dict:
    out = {}
    for r in Rollup._base_manager.values_list("region_code", "indicator", "period", "key",
                                              "value", "level"):
        out[(r[0], r[1], r[2], r[3])] = r[4]
    return out


def direct_sums() -> dict:
    """Every SUM indicator for every region, accumulated in Python from the sources' rows
    over the whole province (a second, independent rollup)."""
    totals: dict = defaultdict(Decimal)
    for source in ind.SOURCES:
        for name, region, period, key, value in source.compute(None):
            for code in ancestor_codes(region):
                totals[(code, name, period, key)] += Decimal(str(value))
    return totals


def test_every_region_every_sum_indicator_equals_direct(data):
    expected = {k: v.quantize(Decimal("0.01")) for k, v in direct_sums().items() if v}
    got = {k: v for k, v in stored().items() if ind.INDICATORS[k[1]].kind == ind.SUM and v}
    assert got == expected
    # every level is there
    levels = set(Rollup._base_manager.values_list("level", flat=True))
    assert levels == {1, 2, 3, 4, 5}


def test_sample_regions_against_plain_counts(data):
    codes = ["520000000000"]
    for level in (2, 3, 4, 5):
        codes += list(Region._base_manager.filter(
            level=level, code__in=Household._base_manager.values("region_code")
            if level == 5 else Region._base_manager.values("code")).order_by("code")
            .values_list("code", flat=True)[:3])
    for code in codes:
        got = rollups.summary(code)
        persons = Person._base_manager.filter(within(code))
        assert got["poor_persons"] == persons.filter(household__status="poor").count(), code
        assert got["low_income_persons"] == persons.filter(
            household__status="low_income").count()
        villages = VillageProfile._base_manager.filter(within(code))
        assert got["key_villages"] == villages.filter(is_key_village=True).count()
        assert got["rural_population"] == sum(villages.values_list("rural_population",
                                                                   flat=True))
        households = [h for h in Household._base_manager.filter(within(code)).exclude(
            status="removed").values_list("income_per_capita", "members_count")
            if h[0] is not None]
        incomes = [income for income, _members in households]
        if incomes:
            assert abs(float(got["income_per_capita_median"]) - float(statistics.median(
                incomes))) < 0.01, code
            # per person: weighted by members, never a mean of the households' figures
            persons = sum(members for _income, members in households)
            assert abs(got["income_per_capita_mean"] - float(sum(
                income * members for income, members in households)) / persons) < 0.01
        rural = float(got["rural_population"])
        if rural:
            assert got["poverty_incidence"] == pytest.approx(
                100 * float(got["poor_persons"]) / rural)
        else:
            assert got["poverty_incidence"] is None


def test_calibrated_figures_show_back(data):
    province = rollups.summary("520000000000")
    assert province["poor_persons"] == round(2_550_000 * SCALE)
    assert province["low_income_persons"] == round(4_550_000 * SCALE)
    assert province["key_villages"] == round(5486 * SCALE)
    # the villages' own figures weighted by rural population, not registered households'
    assert province["rural_income_per_capita"] == pytest.approx(1985, abs=0.5)
    assert province["rural_population_with_income"] == province["rural_population"]


def test_ratio_over_zero_is_none(data):
    figures = rollups.summary("529999999999")  # a region without a record
    assert figures["poverty_incidence"] is None and figures["helper_coverage"] is None
    assert figures["poor_persons"] == 0


def test_incremental_refresh_after_a_write(data, django_capture_on_commit_callbacks):
    household = Household._base_manager.filter(status="poor").exclude(
        pk__in=am.Pairing._base_manager.values("household_id")).first()
    chain = ancestor_codes(household.region_code)
    before = {code: rollups.summary(code, ["households_with_helper", "poor_households"])
              for code in chain}
    from fupin.core.testing import make_user

    user = make_user(Role.WORK_TEAM, household.region_code[:9] + "000")
    helper = make_member(household.region_code)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assistance_actions.start_pairing(household, helper, user=user,
                                             starts_on=datetime.date.today())
    for code in chain:
        after = rollups.summary(code, ["households_with_helper", "poor_households"])
        assert after["households_with_helper"] == before[code]["households_with_helper"] + 1
        assert after["poor_households"] == before[code]["poor_households"]
    # and the whole table still equals the direct computation
    expected = {k: v.quantize(Decimal("0.01")) for k, v in direct_sums().items() if v}
    got = {k: v for k, v in stored().items() if ind.INDICATORS[k[1]].kind == ind.SUM and v}
    assert got == expected


def test_stats_command_prints_the_same_figures(data):
    out = StringIO()
    call_command("stats", "--region", "520000000000", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["region"] == "520000000000"
    assert printed["indicators"]["poor_persons"] == round(2_550_000 * SCALE)
    children = {c["region"]: c["indicators"] for c in printed["children"]}
    figures = services.figures(Region.objects.get(code="520000000000"))
    for child, values in figures.children:
        assert children[child.code]["poor_persons"] == int(values["poor_persons"])
    text = StringIO()
    call_command("stats", "--region", "520102001001", "--level", "3", stdout=text)
    assert text.getvalue().startswith("520102000000")
