"""The poverty registry's demo generators (fupin/poverty/demo/) on the bundled province.

The province is imported and the two generators run once per module, at scale 0.001, in a
transaction rolled back at the end; each test then reads (or, in a savepoint, rewrites) that
data. The procedures generator (demo/in_progress.py) is not run here: see test_workflows.py.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from fupin.core import demo as registry
from fupin.core import idnumber
from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.poverty import choices as c
from fupin.poverty import demo
from fupin.poverty.models import Household, IncomeRecord, Person, PovertyLine, VillageProfile
from fupin.regions import importer
from fupin.regions.models import Level, Region

SCALE = 0.001
SEED = 2006
R = c.Relation


def context(seed: int = SEED) -> registry.DemoContext:
    return registry.DemoContext(scale=SCALE, seed=seed, stdout=StringIO())


def run(ctx: registry.DemoContext) -> tuple[str, str]:
    """Both generators, as `fupin demo` runs them."""
    with acting_as(None, label="cli:demo", scope_checks=False):
        return demo.villages(ctx), demo.households(ctx)


def digest() -> str:
    h = hashlib.sha256()
    for row in Household._base_manager.order_by("number").values_list(
            "number", "status", "attribute", "members_count", "income_per_capita"):
        h.update(repr(row).encode())
    for row in Person._base_manager.order_by("id_number").values_list(
            "id_number", "household__number", "name", "relation", "ethnicity", "health"):
        h.update(repr(row).encode())
    for row in VillageProfile._base_manager.order_by("region_code").values_list(
            "region_code", "rural_population", "households", "is_key_village"):
        h.update(repr(row).encode())
    return h.hexdigest()


def wipe() -> None:
    """Remove the generated rows without the per-row delete signals (which would log each)."""
    with connection.cursor() as cursor:
        for model in (IncomeRecord, Person, Household, VillageProfile):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """The province and the demo at SCALE; the summaries and the digest of the data."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("regions", "import", str(importer.BUNDLED_REGIONS), stdout=StringIO())
        summaries = run(context())
        yield {"summaries": summaries, "digest": digest()}
        transaction.set_rollback(True)


@pytest.fixture
def data(generated, db):
    return generated


@pytest.fixture
def persons(data):
    return list(Person._base_manager.select_related("household").order_by("id"))


def by_household(persons) -> dict[int, list[Person]]:
    out = defaultdict(list)
    for p in persons:
        out[p.household_id].append(p)
    return out


def age(p: Person) -> int:
    return demo.INCOME_YEAR - p.birth_date.year


def test_generators_are_registered_in_order():
    orders = {g.name: g.order for g in registry.ordered()}
    assert orders["poverty.villages"] == 10
    assert orders["poverty.households"] == 20
    assert orders["poverty.procedures"] == 30
    assert orders["poverty.procedures"] < orders["accounts.users"]


def test_calibrated_counts(data):
    poor = Person._base_manager.filter(household__status=c.PovertyStatus.POOR).count()
    low = Person._base_manager.filter(household__status=c.PovertyStatus.LOW_INCOME).count()
    assert poor == round(2_550_000 * SCALE) == 2_550
    assert low == round(4_550_000 * SCALE) == 4_550
    assert Household._base_manager.exclude(
        status__in=[c.PovertyStatus.POOR, c.PovertyStatus.LOW_INCOME]).count() == 0
    profiles = VillageProfile._base_manager
    assert profiles.filter(is_key_village=True).count() == round(5_486 * SCALE) == 5
    assert sum(profiles.values_list("rural_population", flat=True)) == 29_000
    villages = set(Region._base_manager.filter(level=Level.VILLAGE).values_list("code", flat=True))
    assert set(profiles.values_list("region_code", flat=True)) == villages
    assert "2,550 poor, 4,550 low income" in data["summaries"][1]


def test_villages_are_plausible(data, persons):
    profiles = {p.region_code: p for p in VillageProfile._base_manager.all()}
    key = [p for p in profiles.values() if p.is_key_village]
    assert all(p.region_code[9] == "2" for p in key)  # villagers' committees
    assert all(p.is_poor_village for p in key)
    assert VillageProfile._base_manager.filter(is_poor_village=True, is_key_village=False).exists()
    registered = Counter(p.region_code for p in persons)
    for code, n in registered.items():
        assert profiles[code].rural_population >= n  # the registered live in the village
        assert code[9] == "2"  # and only in rural villages
    in_households = Counter(h.region_code for h in Household._base_manager.all())
    assert all(profiles[code].households >= n for code, n in in_households.items())
    rural = [p.rural_population for p in profiles.values() if p.region_code[9] == "2"]
    urban = [p.rural_population for p in profiles.values() if p.region_code[9] == "0"]
    assert statistics.mean(rural) > 2 * statistics.mean(urban)
    # Most of the poor live in the key villages.
    poor = [p for p in persons if p.household.status == c.PovertyStatus.POOR]
    in_key = sum(profiles[p.region_code].is_key_village for p in poor)
    assert in_key / len(poor) > 0.5
    # Key villages are less equipped than other rural villages.
    others = [p for p in profiles.values() if p.region_code[9] == "2" and not p.is_key_village]
    assert sum(p.has_road for p in others) / len(others) > 0.3
    assert VillageProfile._base_manager.filter(
        rural_population__gt=0).count() > len(profiles) * 0.5


def test_id_numbers_are_valid_unique_and_match_the_person(persons):
    numbers = [p.id_number for p in persons]
    assert len(set(numbers)) == len(numbers)
    for p in persons:
        info = idnumber.parse(p.id_number)
        assert info.region_prefix == p.region_code[:6]  # the village's county
        assert idnumber.cross_check(info, sex=p.sex, birth_date=p.birth_date) == []
        assert p.region_code == p.household.region_code


def test_households_members_and_relations(persons):
    members = by_household(persons)
    households = {h.pk: h for h in Household._base_manager.all()}
    assert set(members) == set(households)
    sizes = []
    for pk, people in members.items():
        household = households[pk]
        heads = [p for p in people if p.relation == R.HEAD]
        assert len(heads) == 1
        head = heads[0]
        assert household.members_count == len(people) and 1 <= len(people) <= 7
        assert household.head_name == head.name
        assert household.number.startswith(household.region_code)
        assert len(household.number) == 16
        sizes.append(len(people))
        for p in people:
            assert 0 <= age(p) <= 100
            if p.relation == R.SPOUSE:
                assert p.sex != head.sex and age(p) >= 18
            if p.relation in (R.SON, R.DAUGHTER):
                assert p.sex == (c.Sex.MALE if p.relation == R.SON else c.Sex.FEMALE)
                assert age(head) - age(p) >= 15
            if p.relation == R.GRANDCHILD:
                assert age(head) - age(p) >= 30
            if p.relation == R.PARENT:
                assert age(p) - age(head) >= 15
            if p.relation == R.DAUGHTER_IN_LAW:
                assert p.sex == c.Sex.FEMALE and age(p) >= 18
        if household.attribute == c.HouseholdAttribute.SUPPORT:
            assert len(people) <= 3
    assert 3.3 <= statistics.mean(sizes) <= 4.2
    assert len(Household._base_manager.values("number").distinct()) == len(households)
    attributes = Counter(h.attribute for h in households.values())
    assert attributes[c.HouseholdAttribute.ORDINARY] > len(households) / 2
    assert 0 < attributes[c.HouseholdAttribute.SUPPORT] < attributes[c.HouseholdAttribute.DIBAO]
    assert {h.identification_year for h in households.values()} <= {2014, 2015, 2016}


def test_person_attributes_are_consistent_with_age_and_cause(persons):
    ethnicities = Counter(p.ethnicity for p in persons)
    assert ethnicities[c.Ethnicity.HAN] == max(ethnicities.values())
    assert {c.Ethnicity.MIAO, c.Ethnicity.BUYEI, c.Ethnicity.DONG} <= set(ethnicities)
    for p in persons:
        a = age(p)
        assert (p.education == c.Education.PRESCHOOL) == (a < 6)
        assert not p.in_school or 6 <= a <= 22
        assert p.education != c.Education.COLLEGE or a >= 19
        if a < 16 or p.in_school:
            assert p.labour_capacity == c.LabourCapacity.NONE
        if p.labour_capacity == c.LabourCapacity.LOST:
            assert p.health != c.Health.HEALTHY
        if p.migrant_status != c.MigrantStatus.NONE:
            assert p.labour_capacity in (c.LabourCapacity.ORDINARY, c.LabourCapacity.SKILLED)
        assert p.on_dibao == (p.household.attribute == c.HouseholdAttribute.DIBAO)
    causes = Counter()
    for people in by_household(persons).values():
        household = people[0].household
        causes[household.main_cause] += 1
        assert household.main_cause not in household.secondary_causes
        assert set(household.secondary_causes) <= set(c.PovertyCause.values)
        if household.main_cause == c.PovertyCause.ILLNESS:
            assert any(p.health in (c.Health.CHRONIC, c.Health.SERIOUS) for p in people)
        if household.main_cause == c.PovertyCause.DISABILITY:
            assert any(p.health == c.Health.DISABLED for p in people)
        if household.main_cause == c.PovertyCause.SCHOOLING:
            assert any(p.in_school for p in people)
    assert causes.most_common(1)[0][0] == c.PovertyCause.ILLNESS


def test_incomes_follow_status_and_the_years_lines(data):
    line = PovertyLine.for_year(demo.INCOME_YEAR)
    assert (line.poverty_line, line.low_income_line) == (Decimal(693), Decimal(958))
    households = {h.pk: h for h in Household._base_manager.all()}
    records = list(IncomeRecord._base_manager.all())
    assert sorted(r.household_id for r in records) == sorted(households)
    for record in records:
        household = households[record.household_id]
        assert record.year == demo.INCOME_YEAR
        assert record.region_code == household.region_code
        assert record.members == household.members_count
        amounts = (record.wages, record.business, record.transfers, record.property_income,
                   record.production_costs)
        assert all(a >= 0 for a in amounts)
        net, per_capita = record.net_income, record.per_capita
        record.compute()
        assert (record.net_income, record.per_capita) == (net, per_capita)
        assert household.income_per_capita == per_capita
        if household.status == c.PovertyStatus.POOR:
            assert 0 < per_capita < line.poverty_line
        else:
            assert line.poverty_line <= per_capita < line.low_income_line
        if household.attribute == c.HouseholdAttribute.SUPPORT:
            assert record.transfers > record.wages


def test_personal_contacts_are_plausible(data):
    phones = list(Household._base_manager.exclude(phone="").values_list("phone", flat=True))
    accounts = list(Household._base_manager.exclude(bank_account="")
                    .values_list("bank_account", flat=True))
    total = Household._base_manager.count()
    assert 0 < len(phones) < total and 0 < len(accounts) < total
    assert all(len(p) == 11 and p[:2] in ("13", "15") for p in phones)
    assert all(len(a) == 19 and demo.luhn(a[:-1]) == a[-1] for a in accounts)


def test_one_batch_record_per_generator(data):
    batches = ChangeRecord._base_manager.filter(action="batch", object_id="demo")
    household_batch = batches.get(model="poverty.household")
    assert batches.filter(model="poverty.villageprofile").count() == 1
    extra = household_batch.extra
    assert (extra["poor_persons"], extra["low_income_persons"]) == (2_550, 4_550)
    assert extra["households"] == Household._base_manager.count()
    assert not Household._base_manager.exclude(batch_id=household_batch.pk).exists()
    assert not Person._base_manager.exclude(batch_id=household_batch.pk).exists()
    assert not Household._base_manager.exclude(created_by=None).exists()
    assert ChangeRecord._base_manager.filter(model="poverty.person").count() == 0


def test_a_second_run_adds_nothing(data):
    counts = [m._base_manager.count() for m in (VillageProfile, Household, Person, IncomeRecord,
                                               ChangeRecord)]
    villages, households = run(context())
    assert "nothing added" in villages and "nothing added" in households
    assert "2,550 poor, 4,550 low income" in households
    assert counts == [m._base_manager.count() for m in (VillageProfile, Household, Person,
                                                        IncomeRecord, ChangeRecord)]


def test_same_seed_same_data_other_seed_other_data(data):
    sid = transaction.savepoint()
    wipe()
    run(context())
    assert digest() == data["digest"]
    transaction.savepoint_rollback(sid)
    wipe()
    run(context(seed=SEED + 1))
    assert digest() != data["digest"]
    assert Person._base_manager.filter(household__status=c.PovertyStatus.POOR).count() == 2_550


def test_id_numbers_never_collide():
    ids = demo.IdNumbers()
    issued = [ids.issue("520402", 1970, "F") for _ in range(20_000)]
    numbers = {n for n, _birth in issued}
    assert len(numbers) == 20_000
    assert all(idnumber.is_valid(n) for n in list(numbers)[:2_000])
    assert all(b.year == 1970 for _n, b in issued)
    assert len({b for _n, b in issued}) == 365  # spread over every day of the year
    other = ids.issue("520402", 1970, "M")[0]
    assert other not in numbers and idnumber.parse(other).sex == "M"
    ids.next[("520402", 1971, "F")] = demo.IdNumbers.CAPACITY
    with pytest.raises(ValueError):
        ids.issue("520402", 1971, "F")


def test_plan_is_exact_at_any_scale():
    codes = [f"5201020012{i:02d}" for i in range(40)] + [f"5201020010{i:02d}" for i in range(10)]
    for scale in (0.0001, 0.0013, 0.01):
        ctx = registry.DemoContext(scale=scale, seed=7, stdout=StringIO())
        plan = demo.make_plan(ctx, codes, set(codes[:3]))
        counts = plan.counts()
        assert counts["poor_persons"] == round(2_550_000 * scale)
        assert counts["low_income_persons"] == round(4_550_000 * scale)
        assert all(not plan.households[i] for i in range(40, 50))  # no one in urban communities
    assert demo.apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo.apportion(29_000, [0.3, 1.7, 2.2, 0.01])) == 29_000
    assert demo.money(69_299) == "692.99" and demo.money(5) == "0.05"
