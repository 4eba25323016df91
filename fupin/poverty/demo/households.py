"""The `poverty.households` generator: households, persons and incomes, filling the plan in."""

from __future__ import annotations

import bisect
import json
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from fupin.core import changelog, demo
from fupin.core.idnumber import make as make_id_number
from fupin.core.models import ChangeRecord
from fupin.poverty import choices as c
from fupin.poverty.demo.calibration import (
    ATTRIBUTES,
    BATCH_OBJECT_ID,
    CAUSE_WEIGHTS,
    CHUNK,
    DEFAULT_MIX,
    ETHNICITY_MIX,
    FEMALE_CHARS,
    HAN_SURNAMES,
    HOUSING_WEIGHTS,
    IDENTIFICATION_YEARS,
    INCOME_YEAR,
    MALE_CHARS,
    STATUSES,
    SURNAMES,
    E,
)
from fupin.poverty.demo.plan import cumulative, decode, make_plan
from fupin.poverty.demo.writing import Table
from fupin.poverty.models import Household, IncomeRecord, Person, PovertyLine, VillageProfile


def demo_batches():
    return ChangeRecord._base_manager.filter(action=ChangeRecord.Action.BATCH,
                                             model="poverty.household",
                                             object_id=BATCH_OBJECT_ID).values("id")


def existing_counts() -> dict[str, int] | None:
    demo_households = Household._base_manager.filter(batch_id__in=demo_batches())
    if not demo_households.exists():
        return None
    counts = demo_households.aggregate(
        households=Count("id"),
        **{f"{s}_households": Count("id", filter=Q(status=s)) for s in STATUSES})
    persons = Person._base_manager.filter(household__in=demo_households).aggregate(
        persons=Count("id"),
        **{f"{s}_persons": Count("id", filter=Q(household__status=s)) for s in STATUSES})
    return counts | persons


def describe(counts: dict[str, int]) -> str:
    return (f"{counts['households']:,} households, {counts['persons']:,} persons "
            f"({counts['poor_persons']:,} poor, {counts['low_income_persons']:,} low income)")


@demo.generator("poverty.households", order=20)
def households(ctx: demo.DemoContext) -> str:
    found = existing_counts()
    if found:
        return describe(found) + " exist, nothing added"
    profiles = list(VillageProfile._base_manager.order_by("region_code").values_list(
        "region_code", "is_key_village", "has_safe_water"))
    if not profiles:
        return "no village profiles, nothing added (poverty.villages runs first)"
    line = PovertyLine.for_year(INCOME_YEAR)
    if line is None or line.low_income_line is None:
        return f"no poverty and low-income lines for {INCOME_YEAR}, nothing added"
    codes = [p[0] for p in profiles]
    plan = make_plan(ctx, codes, {p[0] for p in profiles if p[1]})
    counts = plan.counts()
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="poverty.household", object_id=BATCH_OBJECT_ID,
        object_repr="demo households", region_code="",
        extra=counts | {"income_records": counts["households"], "income_year": INCOME_YEAR,
                        "scale": ctx.scale, "seed": ctx.seed})
    builder = Builder(ctx, line, record.pk)
    for i, (code, _key, safe_water) in enumerate(profiles):
        if len(plan.households[i]) > 9_999:
            raise ValueError(f"village {code}: more than 9,999 households")
        for number, h in enumerate(plan.households[i], start=1):
            builder.household(code, number, h, safe_water)
            if len(builder.households) >= CHUNK:
                builder.flush()
    builder.flush()
    return describe(counts)


class IdNumbers:
    """ID numbers that never collide within a run.

    Persons are numbered per (county prefix, birth year, sex); the n-th gets the day of the
    year (n mod 365, permuted) and the order code (n div 365, permuted), so n -> number is
    one-to-one for n < 365 * 500, and different keys differ in prefix, year or sex digit.
    """

    CAPACITY = 365 * 500

    def __init__(self):
        self.next = {}

    def issue(self, prefix: str, year: int, sex: str) -> tuple[str, date]:
        key = (prefix, year, sex)
        n = self.next.get(key, 0)
        if n >= self.CAPACITY:
            raise ValueError(f"more than {self.CAPACITY:,} demo persons in {prefix}, {year}, {sex}")
        self.next[key] = n + 1
        offset = zlib.crc32(f"{prefix}{year}{sex}".encode())
        day = (n % 365 * 97 + offset) % 365  # 97 and 365 are coprime
        seq = (n // 365 * 137 + offset // 365) % 500  # 137 and 500 are coprime
        birth = date(year, 1, 1) + timedelta(days=day)
        return make_id_number(prefix, birth, seq, sex), birth


@dataclass
class Member:
    relation: str
    sex: str
    age: int
    ethnicity: str = E.HAN
    education: str = ""
    in_school: bool = False
    health: str = c.Health.HEALTHY
    labour: str = c.LabourCapacity.ORDINARY
    migrant: str = c.MigrantStatus.NONE
    name: str = ""

    @property
    def working_age(self) -> bool:
        return 16 <= self.age <= 64 and not self.in_school


def weighted(rng, options: dict):
    return rng.choices(list(options), weights=list(options.values()))[0]


class Odds:
    """A fixed weighted choice, its cumulative weights computed once (the hot path draws
    several per person)."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cum = cumulative(weights.values())
        self.total = self.cum[-1]

    def __call__(self, rng):
        return self.keys[bisect.bisect(self.cum, rng.random() * self.total)]


ED, H = c.Education, c.Health
HOUSING_POOR = Odds({s: w[0] for s, w in HOUSING_WEIGHTS.items()})
HOUSING_LOW_INCOME = Odds({s: w[1] for s, w in HOUSING_WEIGHTS.items()})
MIX_ODDS = {prefix: Odds(mix) for prefix, mix in ETHNICITY_MIX.items()}
DEFAULT_MIX_ODDS = Odds(DEFAULT_MIX)
EDUCATION_ODDS = {  # adults out of school, by age band
    "youth": Odds({ED.JUNIOR: 60, ED.PRIMARY: 30, ED.SENIOR: 10}),
    "young": Odds({ED.ILLITERATE: 8, ED.PRIMARY: 35, ED.JUNIOR: 45, ED.SENIOR: 10,
                   ED.COLLEGE: 2}),
    "middle": Odds({ED.ILLITERATE: 20, ED.PRIMARY: 50, ED.JUNIOR: 27, ED.SENIOR: 3}),
    "old": Odds({ED.ILLITERATE: 55, ED.PRIMARY: 40, ED.JUNIOR: 5}),
}
HEALTH_ODDS = (  # (below this age, odds)
    (15, Odds({H.HEALTHY: 97, H.CHRONIC: 1.5, H.DISABLED: 1.5})),
    (45, Odds({H.HEALTHY: 90, H.CHRONIC: 6, H.SERIOUS: 1.5, H.DISABLED: 2.5})),
    (60, Odds({H.HEALTHY: 75, H.CHRONIC: 17, H.SERIOUS: 3, H.DISABLED: 5})),
    (200, Odds({H.HEALTHY: 50, H.CHRONIC: 35, H.SERIOUS: 7, H.DISABLED: 8})),
)
MIGRANT_ODDS = Odds({c.MigrantStatus.NONE: 58, c.MigrantStatus.OUT_OF_PROVINCE: 28,
                     c.MigrantStatus.IN_PROVINCE: 8, c.MigrantStatus.IN_COUNTY: 6})


HOUSEHOLD_FIELDS = (
    "region_code", "number", "head_name", "attribute", "standard", "identification_year",
    "status", "main_cause", "secondary_causes", "members_count", "income_per_capita",
    "housing_area", "housing_structure", "housing_year", "housing_safe", "basic_needs_food",
    "basic_needs_education", "basic_needs_medical", "basic_needs_housing", "basic_needs_water",
    "relocated", "phone", "bank_account", "batch_id")
PERSON_FIELDS = (
    "household", "region_code", "name", "id_number", "sex", "birth_date", "relation",
    "ethnicity", "education", "in_school", "health", "labour_capacity", "migrant_status",
    "on_dibao", "medical_insurance", "pension_insurance", "batch_id")
INCOME_FIELDS = ("household", "region_code", "year", "wages", "business", "transfers",
                 "property_income", "production_costs", "members", "net_income", "per_capita")


class Builder:
    """Builds households with their persons and income, and writes them in chunks.

    Persons and incomes wait with their household's place in the chunk; once the chunk's
    households are written their ids are read back (by number, within this batch) and the
    persons and incomes follow.
    """

    def __init__(self, ctx: demo.DemoContext, line: PovertyLine, batch_id: int):
        self.rng = ctx.random("poverty.households")
        self.poverty_cents = int(line.poverty_line * 100)
        self.low_income_cents = int(line.low_income_line * 100)
        self.batch_id = batch_id
        self.ids = IdNumbers()
        self.village_ethnicity: tuple[str, str] = ("", E.HAN)
        self.tables = (Table(Household, HOUSEHOLD_FIELDS), Table(Person, PERSON_FIELDS),
                       Table(IncomeRecord, INCOME_FIELDS))
        self.last_id = 0
        self.households: list[tuple] = []
        self.persons: list[tuple] = []  # (place of the household in the chunk, values...)
        self.incomes: list[tuple] = []

    def flush(self) -> None:
        if not self.households:
            return
        household_table, person_table, income_table = self.tables
        household_table.write(self.households)
        ids = dict(Household._base_manager.filter(batch_id=self.batch_id, id__gt=self.last_id)
                   .values_list("number", "id"))
        if len(ids) != len(self.households):
            raise RuntimeError(f"wrote {len(self.households)} households, read {len(ids)} back")
        place = [ids[row[1]] for row in self.households]
        self.last_id = max(place)
        person_table.write([(place[row[0]], *row[1:]) for row in self.persons])
        income_table.write([(place[row[0]], *row[1:]) for row in self.incomes])
        self.households, self.persons, self.incomes = [], [], []

    # -- one household
    def household(self, code: str, number: int, planned: int, safe_water: bool) -> None:
        rng = self.rng
        status_index, attr_index, size = decode(planned)
        status, attribute = STATUSES[status_index], ATTRIBUTES[attr_index]
        poor = status == c.PovertyStatus.POOR
        mix = MIX_ODDS.get(code[:4], DEFAULT_MIX_ODDS)
        if self.village_ethnicity[0] != code:  # villages are often of one people
            self.village_ethnicity = (code, mix(rng))
        ethnicity = self.village_ethnicity[1] if rng.random() < 0.8 else mix(rng)

        members = self.family(size, attribute)
        self.name_and_ethnicity(members, ethnicity, mix)
        for m in members:
            self.schooling(m)
        main_cause, secondary = self.causes(members, attribute)
        self.health_and_labour(members, main_cause)

        structure = (HOUSING_POOR if poor else HOUSING_LOW_INCOME)(rng)
        housing_safe = rng.random() < HOUSING_WEIGHTS[structure][2]
        old_house = structure in (c.HousingStructure.EARTH, c.HousingStructure.WOOD)
        insured = rng.random() < 0.75  # 新农合 is taken up by the household as a whole
        child_out_of_school = any(7 <= m.age <= 15 and not m.in_school for m in members)
        per_capita, income = self.income(attribute, members, poor)
        place = len(self.households)
        self.households.append((
            code, f"{code}{number:04d}", members[0].name, attribute,
            (c.IdentificationStandard.NATIONAL if rng.random() < 0.92
             else c.IdentificationStandard.PROVINCIAL),
            rng.choices(*IDENTIFICATION_YEARS)[0], status, main_cause, json.dumps(secondary),
            size, money(per_capita), f"{size * rng.uniform(12, 26) + rng.uniform(8, 30):.1f}",
            structure, rng.randint(1955, 1990) if old_house else rng.randint(1975, 2005),
            housing_safe, rng.random() < (0.7 if poor else 0.9), not child_out_of_school,
            insured and rng.random() < 0.9, housing_safe,
            rng.random() < (0.9 if safe_water else 0.25), rng.random() < 0.015,
            self.phone() if rng.random() < (0.35 if poor else 0.5) else "",
            self.bank_account() if rng.random() < 0.6 else "", self.batch_id))
        self.incomes.append((place, code, INCOME_YEAR, *income))
        on_dibao = attribute == c.HouseholdAttribute.DIBAO
        prefix = code[:6]
        for m in members:
            id_number, birth = self.ids.issue(prefix, INCOME_YEAR - m.age, m.sex)
            self.persons.append((
                place, code, m.name, id_number, m.sex, birth.isoformat(), m.relation,
                m.ethnicity, m.education, m.in_school, m.health, m.labour, m.migrant, on_dibao,
                insured, m.age >= 60 and rng.random() < 0.03, self.batch_id))

    # -- members
    def family(self, size: int, attribute: str) -> list[Member]:
        """Relations, sexes and ages (in INCOME_YEAR) of a household of `size`."""
        rng = self.rng
        R, M, F = c.Relation, c.Sex.MALE, c.Sex.FEMALE

        def other(sex):
            return F if sex == M else M

        def spouse_of(head: Member) -> Member:
            husband_older = rng.randint(-1, 5)
            age = head.age - husband_older if head.sex == M else head.age + husband_older
            return Member(R.SPOUSE, other(head.sex), max(18, min(age, 98)))

        def children(mother_age: int, count: int, grand: bool = False) -> list[Member]:
            age = mother_age - rng.randint(20, 30)
            out = []
            for _ in range(count):
                sex = M if rng.random() < 0.52 else F
                relation = R.GRANDCHILD if grand else R.SON if sex == M else R.DAUGHTER
                out.append(Member(relation, sex, max(0, age)))
                age -= rng.randint(1, 4)
            return out

        def mother_age(couple: list[Member]) -> int:
            women = [m.age for m in couple if m.sex == F]
            return women[0] if women else couple[0].age - rng.randint(0, 4)

        if attribute == c.HouseholdAttribute.SUPPORT:
            old = rng.random() < 0.85
            head = Member(R.HEAD, M if rng.random() < 0.65 else F,
                          rng.randint(60, 92) if old else rng.randint(25, 59))
            members = [head]
            if size >= 2:
                members.append(spouse_of(head) if rng.random() < 0.7 else
                               Member(R.SIBLING, M if rng.random() < 0.5 else F,
                                      max(18, head.age + rng.randint(-8, 8))))
            while len(members) < size:
                members.append(Member(R.SIBLING, M if rng.random() < 0.5 else F,
                                      max(18, head.age + rng.randint(-8, 8))))
            return members
        if size == 1:
            old = rng.random() < 0.7
            return [Member(R.HEAD, M if rng.random() < 0.7 else F,
                           rng.randint(55, 88) if old else rng.randint(22, 54))]
        if size == 2:
            roll = rng.random()
            if roll < 0.5:  # an old couple
                head = Member(R.HEAD, M if rng.random() < 0.88 else F, rng.randint(55, 85))
                return [head, spouse_of(head)]
            if roll < 0.8:  # a widowed or divorced parent and a child
                head = Member(R.HEAD, F if rng.random() < 0.55 else M, rng.randint(32, 62))
                return [head, *children(head.age, 1)]
            head = Member(R.HEAD, M if rng.random() < 0.88 else F, rng.randint(20, 34))
            return [head, spouse_of(head)]
        roll = rng.random()
        if size >= 5 and roll < 0.15 or size == 4 and roll < 0.1:
            # three generations downwards: head, spouse, son, his wife, grandchildren
            head = Member(R.HEAD, M if rng.random() < 0.9 else F, rng.randint(50, 72))
            members = [head, spouse_of(head)]
            son = Member(R.SON, M, head.age - rng.randint(22, 30))
            members.append(son)
            if size >= 5:
                members.append(Member(R.DAUGHTER_IN_LAW, F, max(18, son.age + rng.randint(-4, 2))))
            members += children(mother_age(members[2:]), size - len(members), grand=True)
            return members
        if size >= 4 and roll < 0.4 or size == 3 and roll < 0.2:
            # with the head's parents (one or two), then children
            head = Member(R.HEAD, M if rng.random() < 0.92 else F, rng.randint(28, 50))
            members = [head]
            if size >= 4:
                members.append(spouse_of(head))
            couple = list(members)
            mother = min(95, head.age + rng.randint(22, 32))
            if size >= 6 or (size == 5 and rng.random() < 0.6):
                members.append(Member(R.PARENT, M, min(98, mother + rng.randint(0, 5))))
                members.append(Member(R.PARENT, F, mother))
            else:  # a widowed mother more often than a widowed father
                members.append(Member(R.PARENT, F if rng.random() < 0.6 else M, mother))
            members += children(mother_age(couple), size - len(members))
            return members
        kids = size - 2
        head = Member(R.HEAD, M if rng.random() < 0.9 else F,
                      rng.randint(max(26, 20 + 2 * kids), 56))
        members = [head, spouse_of(head)]
        members += children(mother_age(members), kids)
        return members

    def name_and_ethnicity(self, members: list[Member], ethnicity: str, mix: Odds) -> None:
        """Children carry the husband's surname; wives, daughters-in-law and the head's mother
        their own; a wife from another people keeps her ethnicity."""
        rng, R, F = self.rng, c.Relation, c.Sex.FEMALE
        head = members[0]
        head_surname = self.surname(ethnicity)
        married_woman_head = head.sex == F and any(m.relation == R.SPOUSE for m in members)
        family_surname = self.surname(ethnicity) if married_woman_head else head_surname
        for m in members:
            m.ethnicity = ethnicity
            if m.relation in (R.SPOUSE, R.DAUGHTER_IN_LAW) and m.sex == F \
                    or m.relation == R.SON_IN_LAW:
                if rng.random() < 0.2:
                    m.ethnicity = mix(rng)
                surname = self.surname(m.ethnicity)
            elif m.relation == R.PARENT and m.sex == F:
                surname = self.surname(ethnicity)
            elif m.relation in (R.HEAD, R.PARENT, R.SIBLING):
                surname = head_surname
            else:
                surname = family_surname
            chars = MALE_CHARS if m.sex == c.Sex.MALE else FEMALE_CHARS
            given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
            m.name = surname + given

    def surname(self, ethnicity: str) -> str:
        pool = SURNAMES.get(ethnicity, HAN_SURNAMES)
        return self.rng.choice(pool if self.rng.random() < 0.85 else HAN_SURNAMES)

    def schooling(self, m: Member) -> None:
        rng, age = self.rng, m.age
        if age < 6:
            m.education = ED.PRESCHOOL
        elif age <= 15:
            m.in_school = rng.random() < (0.96 if age <= 12 else 0.85)
            if m.in_school:
                m.education = ED.PRIMARY if age <= 11 else ED.JUNIOR
            else:
                m.education = ED.PRIMARY if age >= 9 else ED.ILLITERATE
        elif age <= 22:
            m.in_school = rng.random() < (0.4 if age <= 18 else 0.06)
            if m.in_school:
                m.education = ED.SENIOR if age <= 18 else ED.COLLEGE
            else:
                m.education = EDUCATION_ODDS["youth"](rng)
        else:
            band = "young" if age < 40 else "middle" if age < 60 else "old"
            m.education = EDUCATION_ODDS[band](rng)

    def causes(self, members: list[Member], attribute: str) -> tuple[str, list[str]]:
        """Main and secondary causes, only those the household's make-up allows."""
        P = c.PovertyCause
        weights = dict(CAUSE_WEIGHTS)
        labourers = sum(m.working_age for m in members)
        if not any(m.in_school and m.age >= 12 for m in members):
            weights.pop(P.SCHOOLING)
        if labourers == 0 or attribute == c.HouseholdAttribute.SUPPORT:
            weights = {P.LABOUR: 45, P.ILLNESS: 30, P.DISABILITY: 25}
        elif labourers >= 2:
            weights[P.LABOUR] = 1
        main = weighted(self.rng, weights)
        weights.pop(main)
        secondary = []
        for _ in range(self.rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
            if not weights:
                break
            cause = weighted(self.rng, weights)
            weights.pop(cause)
            secondary.append(str(cause))
        return str(main), secondary

    def health_and_labour(self, members: list[Member], main_cause: str) -> None:
        rng, L = self.rng, c.LabourCapacity
        for m in members:
            m.health = next(odds for below, odds in HEALTH_ODDS if m.age < below)(rng)
        adults = [m for m in members if m.age >= 18] or members
        if main_cause == c.PovertyCause.ILLNESS and not any(
                m.health in (H.CHRONIC, H.SERIOUS) for m in members):
            rng.choice(adults[:2]).health = H.SERIOUS if rng.random() < 0.4 else H.CHRONIC
        if main_cause == c.PovertyCause.DISABILITY and not any(
                m.health == H.DISABLED for m in members):
            rng.choice(members).health = H.DISABLED
        for m in members:
            if m.age < 16 or m.in_school:
                m.labour = L.NONE
            elif m.age >= 65:
                m.labour = L.ORDINARY if m.health == H.HEALTHY and rng.random() < 0.3 else L.NONE
            elif m.health in (H.SERIOUS, H.DISABLED) or (
                    m.health == H.CHRONIC and rng.random() < 0.4):
                m.labour = L.LOST
            elif m.education in (c.Education.JUNIOR, c.Education.SENIOR, c.Education.COLLEGE) \
                    and rng.random() < 0.1:
                m.labour = L.SKILLED
            else:
                m.labour = L.ORDINARY
            if m.labour in (L.ORDINARY, L.SKILLED) and 16 <= m.age <= 55:
                m.migrant = MIGRANT_ODDS(rng)

    # -- income, phone, bank account
    def income(self, attribute: str, members: list[Member], poor: bool) -> tuple[int, tuple]:
        """The per-capita income in cents and the income record's amounts (wages, business,
        transfers, property, costs, members, net, per capita): per capita under the poverty
        line (poor) or from it to under the low-income line; the amounts add up exactly."""
        rng = self.rng
        if poor:
            per_capita = rng.randint(max(1, self.poverty_cents * 2 // 5), self.poverty_cents - 1)
        else:
            per_capita = rng.randint(self.poverty_cents, self.low_income_cents - 1)
        size = len(members)
        net = per_capita * size  # so that net / size is the per-capita value exactly
        migrants = any(m.migrant != c.MigrantStatus.NONE for m in members)
        workers = any(m.labour in (c.LabourCapacity.ORDINARY, c.LabourCapacity.SKILLED)
                      for m in members)
        wages = rng.uniform(0.3, 0.6) if migrants else rng.uniform(0.02, 0.2) if workers else 0
        if attribute == c.HouseholdAttribute.DIBAO:
            transfers = rng.uniform(0.3, 0.55)
        elif attribute == c.HouseholdAttribute.SUPPORT:
            transfers = rng.uniform(0.6, 0.9)
        else:
            transfers = rng.uniform(0.03, 0.12)
        prop = rng.uniform(0, 0.03)
        shrink = min(1.0, 0.95 / (wages + transfers + prop))
        wages_c, transfers_c, prop_c = (round(net * x * shrink) for x in (wages, transfers, prop))
        business_net = net - wages_c - transfers_c - prop_c
        costs = round(business_net * rng.uniform(0.35, 0.9))
        return per_capita, (money(wages_c), money(business_net + costs), money(transfers_c),
                            money(prop_c), money(costs), size, money(net), money(per_capita))

    def phone(self) -> str:
        rng = self.rng
        prefix = rng.choice(("13" + str(rng.randint(0, 9)), rng.choice(("150", "151", "158", "159"))))
        return prefix + f"{rng.randrange(10**8):08d}"

    def bank_account(self) -> str:
        body = "622848" + f"{self.rng.randrange(10**12):012d}"  # a rural debit card, 19 digits
        return body + luhn(body)


def money(cents: int) -> str:
    """Cents (not negative) as the decimal text of yuan."""
    return f"{cents // 100}.{cents % 100:02d}"


def luhn(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)
