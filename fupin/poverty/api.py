"""The poverty registry's API (建档立卡): households, persons and village profiles declared with
`crud` from the pages' filtersets and forms; the poverty lines, province-wide, read-only."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from fupin.core.api import Out, crud, rows
from fupin.poverty import filtersets as f
from fupin.poverty import forms
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    Procedure,
    VillageProfile,
)

router = Router(tags=["poverty"])


class PersonOut(Out):
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


class HouseholdOut(Out):
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


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]

    @staticmethod
    def resolve_members(obj, context):
        return list(rows(context["request"], Person).filter(household=obj))


class VillageProfileOut(Out):
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


crud(router, "/households/", Household, f.HouseholdFilterSet, forms.HouseholdForm,
     out=HouseholdOut, detail_out=HouseholdDetailOut, ordering=["region_code", "number"])
crud(router, "/persons/", Person, f.PersonFilterSet, forms.PersonForm, out=PersonOut,
     ordering=["region_code", "household_id", "id"])
crud(router, "/villages/", VillageProfile, f.VillageProfileFilterSet,
     forms.VillageProfileForm, out=VillageProfileOut, ordering=["region_code"])
# Province-wide figures: everyone reads them whole; they are changed on their pages.
crud(router, "/lines/", PovertyLine, out=PovertyLineOut, operations=("list",), paginated=False,
     ordering=["year"])
# Read-only, as on their pages: incomes are written by the household's income action or an
# import, procedures step by step through actions.py, leads by `fupin crosscheck`.
crud(router, "/incomes/", IncomeRecord, ordering=["region_code", "household_id", "-year"])
crud(router, "/procedures/", Procedure, f.ProcedureFilterSet, ordering=["-started_on", "id"])
crud(router, "/crosscheck-leads/", CrosscheckLead, f.CrosscheckLeadFilterSet, ordering=["id"])
