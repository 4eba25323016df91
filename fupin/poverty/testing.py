"""Sample makers for the poverty registry (see fupin.core.testing.SAMPLES) and
`make_household()`, a household with valid ID numbers for any test.

A helper sees only the households paired with them: fupin.assistance.testing pairs the
households of these samples with a helper user (an adapter, as assistance narrows the policy).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.testing import VILLAGE_A, sample
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    Procedure,
    VillageProfile,
)

_id_seq = itertools.count(1)


def make_household(region_code: str = VILLAGE_A, members: int = 2, **extra):
    """A household with `members` persons (the first the head), valid ID numbers."""
    n = next(_id_seq)
    with acting_as(None, label="test"):
        household = Household.objects.create(
            region_code=region_code, number=extra.pop("number", f"{region_code}{n:05d}"),
            head_name=f"户主{n}", identification_year=extra.pop("identification_year", 2014),
            members_count=members, phone=extra.pop("phone", "13912345678"),
            bank_account=extra.pop("bank_account", "6222021234567890123"), **extra)
        for i in range(members):
            Person.objects.create(
                household=household, region_code=region_code,
                name=household.head_name if i == 0 else f"成员{n}-{i}",
                id_number=make_id(region_code[:6], datetime.date(1970 + i * 20, 1 + n % 12, 1 + n % 28),
                                  (n * 7 + i) % 500, "M" if i % 2 == 0 else "F"),
                sex="M" if i % 2 == 0 else "F",
                birth_date=datetime.date(1970 + i * 20, 1 + n % 12, 1 + n % 28),
                relation="head" if i == 0 else "spouse" if i == 1 else "son",
                health="chronic" if i == 0 else "healthy")
    return household


@sample("poverty.household")
def _household(region_code, user):
    return make_household(region_code, main_cause="illness", monitored_group="marginal")


@sample("poverty.person")
def _person(region_code, user):
    return make_household(region_code).members.first()


@sample("poverty.villageprofile")
def _village_profile(region_code, user):
    with acting_as(None, label="test"):
        return VillageProfile.objects.get_or_create(region_code=region_code, defaults={
            "rural_population": 1200, "households": 300, "is_key_village": True})[0]


@sample("poverty.incomerecord")
def _income(region_code, user):
    household = make_household(region_code)
    record = IncomeRecord(household=household, region_code=region_code, year=2015,
                          wages=Decimal(3000), members=household.members_count)
    record.compute()
    with acting_as(None, label="test"):
        record.save()
    return record


@sample("poverty.procedure")
def _procedure(region_code, user):
    with acting_as(None, label="test"):
        return Procedure.objects.create(household=make_household(region_code),
                                        region_code=region_code, kind="identification",
                                        started_on=datetime.date(2026, 11, 1))


@sample("poverty.crosschecklead")
def _lead(region_code, user):
    person = make_household(region_code).members.first()
    with acting_as(None, label="test"):
        return CrosscheckLead.objects.create(person=person, region_code=region_code,
                                             kind="vehicles", source_sha256="0" * 64,
                                             attributes={"plate": "贵A12345"})


@sample("poverty.povertyline")
def _line(region_code, user):
    return PovertyLine.objects.get(year=2011)
