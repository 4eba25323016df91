import datetime

import pytest

from fupin.core.idnumber import make as make_id
from fupin.core.models import PersonalDataAccess
from fupin.core.policy import Role
from fupin.core.testing import (
    VILLAGE_A,
    VILLAGE_B,
    ModelViewTests,
    ReadOnlyModelViewTests,
    client_for,
    make_user,
)
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Person,
    Procedure,
    VillageProfile,
)
from fupin.poverty.testing import make_household


class TestHouseholdViews(ModelViewTests):
    model = Household
    namespace = "poverty"
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR
    create_data = {"region_code": VILLAGE_A, "number": "5201020010019999", "attribute": "dibao",
                   "standard": "national", "identification_year": 2015, "main_cause": "illness",
                   "secondary_causes": ["skills"], "housing_safe": "on", "phone": "13800001111"}
    edit_data = {"attribute": "ordinary"}


class TestPersonViews(ModelViewTests):
    model = Person
    namespace = "poverty"
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR
    create_data = {"name": "新成员", "relation": "daughter", "ethnicity": "06",
                   "health": "healthy", "labour_capacity": "ordinary", "migrant_status": "none"}
    edit_data = {"name": "改名"}

    def extra_create_data(self):
        return {"household": make_household(VILLAGE_A, members=1).pk,
                "id_number": make_id("520102", datetime.date(2005, 3, 4), 17, "F")}

    def outside_create_data(self):
        return {"household": make_household(VILLAGE_B, members=1).pk}


class TestVillageProfileViews(ModelViewTests):
    model = VillageProfile
    namespace = "poverty"
    owner_role = Role.ADMIN  # one profile per village: only administrators delete one
    colleague_role = Role.INSPECTOR
    create_data = {"region_code": "520102001002", "rural_population": 900, "households": 250,
                   "is_key_village": "on", "collective_income": "15000"}
    edit_data = {"rural_population": 950}


class TestIncomeRecordViews(ReadOnlyModelViewTests):
    model = IncomeRecord
    namespace = "poverty"
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR


class TestProcedureViews(ReadOnlyModelViewTests):
    model = Procedure
    namespace = "poverty"
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR


class TestCrosscheckLeadViews(ReadOnlyModelViewTests):
    model = CrosscheckLead
    namespace = "poverty"
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,unmasked", [
    (Role.POVERTY_OFFICE, True), (Role.VILLAGE, True), (Role.INSPECTOR, False),
    (Role.VIEWER, False), (Role.ORG_DEPT, True)])
def test_personal_data_is_masked_per_role_in_pages_api_and_exports(regions, role, unmasked):
    household = make_household(VILLAGE_A, members=2)
    person = household.members.first()
    user = make_user(role)
    client = client_for(user)
    raw = [person.id_number.encode(), household.phone.encode(), household.bank_account.encode()]
    detail = client.get(f"/poverty/households/{household.pk}/").content
    assert (person.id_number.encode() in detail) is unmasked
    assert (household.phone.encode() in detail) is unmasked
    if not unmasked:
        assert b"5201**********" in detail
        assert "长期慢性病".encode() not in detail and b"chronic" not in detail
    # lists always mask, for every role
    listing = client.get("/poverty/persons/").content
    assert person.id_number.encode() not in listing
    export = b"".join(client.get("/poverty/persons/", {"export": "csv"}).streaming_content)
    assert (person.id_number.encode() in export) is unmasked
    api = client.get(f"/api/v1/poverty/households/{household.pk}").content
    # ID numbers and phones follow the role; bank accounts only the poverty office sees
    assert all((value in api) is unmasked for value in raw[:2])
    assert (raw[2] in api) is (role == Role.POVERTY_OFFICE)
    assert PersonalDataAccess.objects.filter(user=user).exists() is unmasked


def test_household_detail_shows_members_incomes_needs_and_procedures(regions):
    from decimal import Decimal

    household = make_household(VILLAGE_A, members=3, basic_needs_food=True)
    record = IncomeRecord(household=household, region_code=VILLAGE_A, year=2011,
                          wages=Decimal(6000), members=3)
    record.compute()
    record.save()
    response = client_for(make_user(Role.POVERTY_OFFICE)).get(
        f"/poverty/households/{household.pk}/")
    assert response.status_code == 200
    assert len(response.context["members"].rows) == 3
    assert response.context["income_chart_spec"]["categories"] == [2011]
    assert response.context["income_lines"] == [(2011, Decimal("2300.00"))]
    needs = dict(response.context["basic_needs"])
    assert sum(needs.values()) == 1
    assert b'data-chart="income-chart-data"' in response.content


def test_person_form_derives_and_cross_checks_sex_and_birth_date(regions):
    household = make_household(VILLAGE_A, members=1)
    client = client_for(make_user(Role.VILLAGE, VILLAGE_A))
    number = make_id("520102", datetime.date(1988, 8, 8), 3, "M")
    base = {"household": household.pk, "name": "王五", "relation": "son", "ethnicity": "01",
            "health": "healthy", "labour_capacity": "ordinary", "migrant_status": "none"}
    response = client.post("/poverty/persons/add/", {**base, "id_number": number, "sex": "F"})
    assert response.status_code == 200 and response.context["form"].errors
    fullwidth = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post("/poverty/persons/add/", {**base, "id_number": fullwidth})
    assert response.status_code == 302
    person = Person.objects.get(id_number=number)
    assert (person.sex, person.birth_date) == ("M", datetime.date(1988, 8, 8))
    household.refresh_from_db()
    assert household.members_count == 2
    response = client.post("/poverty/persons/add/", {**base, "id_number": number})
    assert "id_number" in response.context["form"].errors  # unique across the database
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post("/poverty/persons/add/", {**base, "id_number": bad})
    assert "id_number" in response.context["form"].errors
    response = client.post("/poverty/persons/add/", {**base, "relation": "head",
                                                     "id_number": make_id("520102", datetime.date(1960, 1, 2), 5, "M")})
    assert "relation" in response.context["form"].errors  # one head per household


def test_household_list_filters_by_region_at_any_level(regions):
    make_household(VILLAGE_A)
    make_household("520102002001")
    client = client_for(make_user(Role.POVERTY_OFFICE))
    for region, n in (("520102000000", 2), ("520102001000", 1), (VILLAGE_A, 1), ("bad", 0)):
        response = client.get("/poverty/households/", {"region": region})
        assert len(response.context["table"].data) == n, region


def test_identification_through_the_web_with_refusals_shown(regions):
    from django.utils import translation

    from fupin.core.testing import TOWNSHIP_A

    household = make_household(VILLAGE_A)
    village = client_for(make_user(Role.VILLAGE, VILLAGE_A))
    township = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    today = datetime.date.today()
    start = today - datetime.timedelta(days=3)
    response = village.post(f"/poverty/households/{household.pk}/start/",
                            {"kind": "identification", "on": start.isoformat()})
    assert response.status_code == 302
    procedure = Procedure.objects.get(household=household)
    for _step in ("village_appraisal", "first_notice"):
        assert village.post(f"/poverty/procedures/{procedure.pk}/step/",
                            {"on": start.isoformat()}).status_code == 302
    page = township.get(f"/poverty/procedures/{procedure.pk}/")
    assert page.context["next_step"].code == "township_check"
    assert page.context["refusal"] is None and page.context["step_form"] is not None
    with translation.override("en"):
        # the notice has been up three days of seven: refused, with the reason, nothing stored
        response = township.post(f"/poverty/procedures/{procedure.pk}/step/",
                                 {"on": today.isoformat()})
    assert response.status_code == 200
    assert any("7" in str(m) for m in response.context["messages"])
    procedure.refresh_from_db()
    assert procedure.current_step == "first_notice"
    # the village secretary may not take the township's step: the page says why
    page = village.get(f"/poverty/procedures/{procedure.pk}/")
    assert page.context["refusal"]
    notice = village.get(f"/poverty/procedures/{procedure.pk}/notice/", {"step": "first_notice"})
    assert notice.status_code == 200
    assert household.members.first().id_number.encode() not in notice.content


def test_income_and_lead_review_through_the_web(regions):
    from fupin.core.testing import sample_for

    household = make_household(VILLAGE_A, members=2)
    client = client_for(make_user(Role.POVERTY_OFFICE))
    response = client.post(f"/poverty/households/{household.pk}/income/", {
        "year": 2011, "wages": "5000", "business": "0", "transfers": "600",
        "property_income": "0", "production_costs": "400"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert str(household.income_per_capita) == "2600.00"
    lead = sample_for("poverty.crosschecklead", VILLAGE_A)
    response = client.post(f"/poverty/leads/{lead.pk}/review/", {"decision": "dismissed",
                                                                  "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(f"/poverty/leads/{lead.pk}/review/", {
        "decision": "dismissed", "reason": "车辆已于 2015 年过户"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == "dismissed" and lead.reviewed_by is not None


def test_deleting_a_member_updates_the_household(regions):
    household = make_household(VILLAGE_A, members=3)
    member = household.members.order_by("-id").first()
    response = client_for(make_user(Role.POVERTY_OFFICE)).post(
        f"/poverty/persons/{member.pk}/delete/")
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.members_count == 2
