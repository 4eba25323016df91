from datetime import date
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from fupin.core.api import masked, one, policy, rows
from fupin.poverty.models import Household, Person, PovertyLine, VillageProfile
from fupin.regions.scope import is_valid_code, within

router = Router(tags=["poverty"])


class PersonOut(Schema):
    id: int
    household_id: int
    region_code: str
    name: str
    id_number: str
    sex: str
    birth_date: date
    relation: str
    ethnicity: str
    education: str
    in_school: bool
    health: str
    labour_capacity: str
    migrant_status: str
    on_dibao: bool
    medical_insurance: bool
    pension_insurance: bool

    @staticmethod
    def resolve_id_number(obj, context):
        return masked(context["request"], Person, {"id_number": obj.id_number})["id_number"]

    @staticmethod
    def resolve_health(obj, context):
        return masked(context["request"], Person, {"health": obj.health})["health"]


class HouseholdOut(Schema):
    id: int
    number: str
    region_code: str
    head_name: str
    attribute: str
    standard: str
    identification_year: int
    status: str
    monitored_group: str
    main_cause: str
    secondary_causes: list[str]
    members_count: int
    income_per_capita: Decimal | None
    exit_year: int | None
    basic_needs_food: bool
    basic_needs_education: bool
    basic_needs_medical: bool
    basic_needs_housing: bool
    basic_needs_water: bool
    relocated: bool
    phone: str
    bank_account: str

    @staticmethod
    def resolve_phone(obj, context):
        return masked(context["request"], Household, {"phone": obj.phone})["phone"]

    @staticmethod
    def resolve_bank_account(obj, context):
        return masked(context["request"], Household,
                      {"bank_account": obj.bank_account})["bank_account"]


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]

    @staticmethod
    def resolve_members(obj, context):
        return list(rows(context["request"], Person).filter(household=obj))


class VillageProfileOut(Schema):
    id: int
    region_code: str
    rural_population: int
    households: int
    is_key_village: bool
    is_poor_village: bool
    poor_village_exit_year: int | None
    collective_income: Decimal


class PovertyLineOut(Schema):
    year: int
    poverty_line: Decimal
    low_income_line: Decimal | None
    monitoring_line: Decimal | None
    note: str


def _in_region(qs, region: str | None):
    if region:
        if not is_valid_code(region):
            return qs.none()
        qs = qs.filter(within(region))
    return qs


@router.get("/households/", response=list[HouseholdOut], openapi_extra=policy("poverty.household"))
@paginate
def list_households(request, region: str | None = None, status: str | None = None,
                    attribute: str | None = None, main_cause: str | None = None,
                    identification_year: int | None = None):
    """Households in your scope; `region` narrows to any region below it (12-digit code)."""
    qs = _in_region(rows(request, Household), region)
    for field, value in (("status", status), ("attribute", attribute),
                         ("main_cause", main_cause), ("identification_year", identification_year)):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs.order_by("region_code", "number")


@router.get("/households/{household_id}", response=HouseholdDetailOut,
            openapi_extra=policy("poverty.household"))
def get_household(request, household_id: int):
    return one(request, Household, pk=household_id)


@router.get("/persons/", response=list[PersonOut], openapi_extra=policy("poverty.person"))
@paginate
def list_persons(request, region: str | None = None, household: int | None = None):
    qs = _in_region(rows(request, Person), region)
    if household is not None:
        qs = qs.filter(household_id=household)
    return qs.order_by("region_code", "household_id", "id")


@router.get("/persons/{person_id}", response=PersonOut, openapi_extra=policy("poverty.person"))
def get_person(request, person_id: int):
    return one(request, Person, pk=person_id)


@router.get("/villages/", response=list[VillageProfileOut],
            openapi_extra=policy("poverty.villageprofile"))
@paginate
def list_village_profiles(request, region: str | None = None, is_key_village: bool | None = None):
    qs = _in_region(rows(request, VillageProfile), region)
    if is_key_village is not None:
        qs = qs.filter(is_key_village=is_key_village)
    return qs.order_by("region_code")


@router.get("/villages/{profile_id}", response=VillageProfileOut,
            openapi_extra=policy("poverty.villageprofile"))
def get_village_profile(request, profile_id: int):
    return one(request, VillageProfile, pk=profile_id)


@router.get("/lines/", response=list[PovertyLineOut], openapi_extra=policy("poverty.povertyline"))
def list_lines(request):
    return rows(request, PovertyLine).order_by("year")
