"""Pages and API of the assistance mechanisms: the generic tests of every model, the action
pages, the coverage-gap page, the household page, and what a helper may see."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fupin.assistance import models as m
from fupin.assistance.testing import (
    make_contact_point,
    make_enterprise,
    make_envoy,
    make_plan,
    make_project,
    make_site,
    make_team,
    make_team_member,
    member_of,
    pair,
)
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import (
    COUNTY_A,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    ModelViewTests,
    ReadOnlyModelViewTests,
    client_for,
    make_user,
)
from fupin.party.testing import make_member, make_org
from fupin.poverty.models import VillageProfile
from fupin.poverty.testing import make_household

TODAY = timezone.localdate()
D = datetime.date(2025, 3, 1)


# --- the generic pages of every model ---------------------------------------------------------
class AssistanceViewTests(ModelViewTests):
    namespace = "assistance"


class TestWorkTeamViews(AssistanceViewTests):
    model = m.WorkTeam
    owner_role = Role.ORG_DEPT
    colleague_role = Role.POVERTY_OFFICE
    create_data = {"name": "县财政局驻和平村工作队", "region_code": VILLAGE_A,
                   "dispatching_unit": "县财政局", "unit_level": "county",
                   "starts_on": "2025-01-01"}
    edit_data = {"ends_on": "2027-06-30"}


class TestWorkTeamMemberViews(AssistanceViewTests):
    model = m.WorkTeamMember
    owner_role = Role.ORG_DEPT
    colleague_role = Role.POVERTY_OFFICE
    create_data = {"name": "李队员", "role": "first_secretary", "unit": "县财政局",
                   "phone": "13800002222", "starts_on": "2025-03-01"}
    edit_data = {"phone": "13800003333"}

    parent = ("team", make_team)


class TestPresenceViews(ReadOnlyModelViewTests):
    model = m.Presence
    namespace = "assistance"
    owner_role = Role.WORK_TEAM
    colleague_role = Role.VILLAGE


class TestWorkLogEntryViews(AssistanceViewTests):
    model = m.WorkLogEntry
    owner_role = Role.WORK_TEAM
    colleague_role = Role.VILLAGE
    create_data = {"logged_on": "2025-06-01", "text": "召开院坝会，宣讲政策"}
    edit_data = {"text": "召开院坝会，宣讲产业政策"}

    parent = ("team", make_team)


class TestContactPointViews(AssistanceViewTests):
    model = m.ContactPoint
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER
    create_data = {"cadre_name": "王书记", "post": "县委书记", "level": "county",
                   "region_code": VILLAGE_A, "starts_on": "2025-01-01"}
    edit_data = {"post": "县委副书记"}


class TestContactVisitViews(AssistanceViewTests):
    model = m.ContactVisit
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER
    create_data = {"visited_on": "2025-05-01", "problems_raised": "饮水困难"}
    edit_data = {"problems_solved": "协调水利局解决"}

    parent = ("contact_point", make_contact_point)


class TestBranchPairingViews(AssistanceViewTests):
    model = m.BranchPairing
    owner_role = Role.ORG_DEPT
    colleague_role = Role.INSPECTOR
    create_data = {"helping_kind": "organ", "starts_on": "2025-01-01", "money": "10000",
                   "materials_value": "0", "state": "active"}
    edit_data = {"money": "20000"}

    def extra_create_data(self):
        return {"village_org": make_org(VILLAGE_A).pk,
                "helping_org": make_org(COUNTY_A, name="县财政局机关党支部").pk}

    def outside_create_data(self):
        return {"village_org": make_org(VILLAGE_B).pk}


class TestPairingViews(ReadOnlyModelViewTests):
    model = m.Pairing
    namespace = "assistance"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


class TestVisitViews(AssistanceViewTests):
    """Logged through record_visit (the create page), corrected through the generic form."""

    model = m.Visit
    owner_role = Role.ADMIN
    colleague_role = Role.ORG_DEPT
    create_data = {"kind": "home", "visited_on": "2025-06-01", "findings": "住房安全，孩子在校"}
    edit_data = {"findings": "住房安全，孩子在校，需要产业帮扶"}

    parent = ("household", make_household)


class HouseholdRecordTests(AssistanceViewTests):
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.ORG_DEPT

    parent = ("household", make_household)


class TestMeasureViews(HouseholdRecordTests):
    model = m.Measure
    create_data = {"kind": "industry", "year": 2025, "state": "planned", "amount": "3000",
                   "description": "发展肉牛养殖"}
    edit_data = {"state": "under_way"}


class TestIndustryBenefitViews(HouseholdRecordTests):
    model = m.IndustryBenefit
    create_data = {"kind": "dividend", "amount": "800"}
    edit_data = {"amount": "900"}

    def extra_create_data(self):
        return {**super().extra_create_data(), "project": make_project(VILLAGE_A).pk}


class TestRelocationViews(HouseholdRecordTests):
    model = m.Relocation
    create_data = {"moved_on": "2025-05-01", "housing_area": "75.0", "employed": 1}
    edit_data = {"employed": 2}

    def extra_create_data(self):
        return {**super().extra_create_data(), "site": make_site(COUNTY_A).pk}


class TestVillagePlanViews(AssistanceViewTests):
    model = m.VillagePlan
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.ORG_DEPT
    create_data = {"name": "和平村整村推进规划", "region_code": VILLAGE_A, "starts_year": 2025,
                   "ends_year": 2027, "state": "planned", "progress": 0}
    edit_data = {"state": "under_way", "progress": 30}


class PlanRecordTests(AssistanceViewTests):
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.ORG_DEPT

    parent = ("plan", make_plan)


class TestPlanFundingViews(PlanRecordTests):
    model = m.PlanFunding
    create_data = {"source": "fiscal", "amount": "500000"}
    edit_data = {"amount": "600000"}


class TestPlanProjectViews(PlanRecordTests):
    model = m.PlanProject
    create_data = {"name": "通组路硬化", "investment": "300000", "state": "planned"}
    edit_data = {"state": "under_way"}


class TestEnterpriseViews(AssistanceViewTests):
    model = m.Enterprise
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR
    create_data = {"name": "和平村茶叶专业合作社", "kind": "cooperative", "business": "茶叶",
                   "region_code": VILLAGE_A}
    edit_data = {"business": "茶叶加工"}


class TestIndustryProjectViews(AssistanceViewTests):
    model = m.IndustryProject
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.INSPECTOR
    create_data = {"name": "茶园扩建", "region_code": VILLAGE_A, "year": 2025,
                   "funds": "200000"}
    edit_data = {"funds": "250000"}

    def extra_create_data(self):
        return {"enterprise": make_enterprise(VILLAGE_A).pk}


class TestResettlementSiteViews(AssistanceViewTests):
    model = m.ResettlementSite
    owner_role = Role.POVERTY_OFFICE
    colleague_role = Role.VIEWER
    create_data = {"name": "城北安置点", "kind": "town", "region_code": COUNTY_A,
                   "capacity": 500}
    edit_data = {"capacity": 600}


class TestChunhuiEnvoyViews(AssistanceViewTests):
    model = m.ChunhuiEnvoy
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER
    create_data = {"name": "陈春晖", "region_code": VILLAGE_A, "lives_in": "深圳",
                   "occupation": "企业主", "phone": "13900003333"}
    edit_data = {"occupation": "工程师"}


class TestChunhuiContributionViews(AssistanceViewTests):
    model = m.ChunhuiContribution
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER
    create_data = {"kind": "money", "given_on": "2025-02-01", "value": "20000",
                   "description": "捐资修建村文化广场"}
    edit_data = {"value": "25000"}

    parent = ("envoy", make_envoy)


pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def helper_user(region_code=COUNTY_A):
    user = make_user(Role.HELPER, region_code)
    member_of(user, VILLAGE_A)
    return user


def token_client(user) -> Client:
    from fupin.accounts.models import ApiToken

    _token, key = ApiToken.issue(user, "test")
    return Client(headers={"authorization": f"Bearer {key}"})


# --- form rules -------------------------------------------------------------------------------
def test_team_term_shorter_than_the_minimum_is_refused(regions):
    client = client_for(make_user(Role.ORG_DEPT))
    data = {**TestWorkTeamViews.create_data, "ends_on": "2025-12-31"}
    response = client.post(reverse("assistance:workteam_add"), data)
    assert response.status_code == 200
    assert "730" in str(response.context["form"].errors["ends_on"])
    assert not m.WorkTeam.objects.exists()


def test_team_add_prefills_the_village(regions):
    response = client_for(make_user(Role.ORG_DEPT)).get(
        reverse("assistance:workteam_add"), {"region_code": VILLAGE_A})
    assert response.context["form"]["region_code"].value() == VILLAGE_A


def test_branch_pairing_needs_two_different_branches(regions):
    org = make_org(VILLAGE_A)
    client = client_for(make_user(Role.ORG_DEPT))
    response = client.get(reverse("assistance:branchpairing_add"), {"village_org": org.pk})
    assert str(response.context["form"]["village_org"].value()) == str(org.pk)
    data = {**TestBranchPairingViews.create_data, "village_org": org.pk, "helping_org": org.pk}
    response = client.post(reverse("assistance:branchpairing_add"), data)
    assert response.status_code == 200
    assert "helping_org" in response.context["form"].errors
    assert not m.BranchPairing.objects.exists()


def test_a_measure_is_marked_done_only_by_its_action(regions):
    household = make_household(VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE))
    page = client.get(reverse("assistance:measure_add"), {"household": household.pk})
    assert page.context["form"]["household"].value() == household.pk
    assert "done" not in dict(page.context["form"].fields["state"].choices)
    response = client.post(reverse("assistance:measure_add") + f"?household={household.pk}&"
                           f"next=/poverty/households/{household.pk}/",
                           {"household": household.pk, "kind": "housing", "year": 2025,
                            "state": "planned"})
    assert response.status_code == 302
    assert response["Location"] == f"/poverty/households/{household.pk}/"
    measure = m.Measure.objects.get(household=household)
    assert measure.category == "development"
    response = client.post(reverse("assistance:measure_done", args=[measure.pk]),
                           {"done_on": str(TODAY), "amount": "12000", "effect": "住房安全"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.state, measure.done_on, measure.amount) == ("done", TODAY, 12000)
    response = client.post(reverse("assistance:measure_done", args=[measure.pk]),
                           {"done_on": str(TODAY)})
    assert response.status_code == 200  # refused by finish_measure: shown as a message
    assert messages_of(response)


# --- pairing ----------------------------------------------------------------------------------
def test_pairing_a_helper_from_the_household_page(regions):
    household = make_household(VILLAGE_A)
    first, second = make_member(VILLAGE_A), make_member(VILLAGE_A)
    client = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    url = reverse("assistance:household_pair", args=[household.pk])
    yesterday = TODAY - datetime.timedelta(days=1)
    response = client.post(url, {"helper": first.pk, "starts_on": str(yesterday)})
    assert response.status_code == 302
    assert response["Location"] == household.get_absolute_url()
    response = client.post(url, {"helper": second.pk, "starts_on": str(TODAY)}, follow=True)
    assert any(second.name in text for text in messages_of(response))
    old, new = m.Pairing.objects.filter(household=household).order_by("starts_on")
    assert old.ends_on == yesterday and old.end_reason == "helper_changed"
    assert new.helper == second and new.ends_on is None
    page = client.get(household.get_absolute_url())
    assert page.status_code == 200
    assert second.name in page.content.decode()
    assert b'data-testid="pairing-history"' in page.content


def test_over_the_load_limit_is_a_warning(regions):
    helper = make_member(VILLAGE_A)
    for _ in range(5):
        pair(make_household(VILLAGE_A), helper)
    household = make_household(VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE))
    response = client.post(reverse("assistance:household_pair", args=[household.pk]),
                           {"helper": helper.pk, "starts_on": str(TODAY)}, follow=True)
    assert m.Pairing.objects.filter(household=household, helper=helper).exists()
    warnings = [str(msg) for msg in response.context["messages"] if msg.level_tag == "warning"]
    assert warnings and "6" in warnings[0]


def test_a_refused_pairing_is_a_message(regions):
    household = make_household(VILLAGE_A, status="exited")
    client = client_for(make_user(Role.POVERTY_OFFICE))
    response = client.post(reverse("assistance:household_pair", args=[household.pk]),
                           {"helper": make_member(VILLAGE_A).pk, "starts_on": str(TODAY)})
    assert response.status_code == 200
    assert messages_of(response)
    assert not m.Pairing.objects.exists()


def test_ending_a_pairing(regions):
    pairing = pair(make_household(VILLAGE_A), make_member(VILLAGE_A))
    client = client_for(make_user(Role.WORK_TEAM))
    response = client.post(reverse("assistance:pairing_end", args=[pairing.pk]),
                           {"ends_on": str(TODAY), "reason": "household_exited"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.ends_on == TODAY and pairing.end_reason == "household_exited"
    viewer = client_for(make_user(Role.VIEWER))
    assert viewer.get(reverse("assistance:pairing_end", args=[pairing.pk])).status_code == 403


# --- visits -----------------------------------------------------------------------------------
def test_visit_page_prefills_the_household_and_today(regions):
    household = make_household(VILLAGE_A)
    client = client_for(make_user(Role.VILLAGE, VILLAGE_A))
    response = client.get(reverse("assistance:visit_add"), {"household": household.pk})
    form = response.context["form"]
    assert form["household"].value() == household.pk
    assert form["visited_on"].value() == TODAY
    assert b"form-control-lg" in response.content  # big inputs for a phone
    response = client.post(reverse("assistance:visit_add") + f"?household={household.pk}", {
        "household": household.pk, "kind": "home", "visited_on": str(TODAY),
        "findings": "两不愁三保障已落实"})
    assert response.status_code == 302
    assert response["Location"] == household.get_absolute_url()
    visit = m.Visit.objects.get()
    assert (visit.household, visit.region_code, visit.kind) == (household, VILLAGE_A, "home")


def test_visit_page_prefills_a_village_visit(regions):
    inside, elsewhere = make_household(VILLAGE_A), make_household("520102001002")
    client = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    response = client.get(reverse("assistance:visit_add"), {"region_code": VILLAGE_A})
    form = response.context["form"]
    assert form["region_code"].value() == VILLAGE_A
    offered = set(form.fields["household"].queryset)
    assert inside in offered and elsewhere not in offered
    response = client.post(reverse("assistance:visit_add") + f"?region_code={VILLAGE_A}", {
        "region_code": VILLAGE_A, "kind": "home", "visited_on": str(TODAY),
        "findings": "村集体经济发展情况", "visitor_name": "乡党委书记"})
    assert response.status_code == 302
    visit = m.Visit.objects.get()
    assert visit.household is None and visit.kind == "village"
    assert visit.region_code == VILLAGE_A and visit.visitor_name == "乡党委书记"


def test_visit_form_errors_are_clear(regions):
    client = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(reverse("assistance:visit_add"), {
        "kind": "home", "visited_on": str(tomorrow), "findings": ""})
    errors = response.context["form"].errors
    assert {"household", "visited_on", "findings"} <= set(errors)
    response = client.post(reverse("assistance:visit_add"), {
        "region_code": VILLAGE_B, "kind": "home", "visited_on": str(TODAY), "findings": "x"})
    assert "region_code" in response.context["form"].errors
    assert not m.Visit.objects.exists()


# --- a helper sees only their own households --------------------------------------------------
def test_helper_sees_own_households_only_in_pages_and_api(regions):
    mine_user, other_user = helper_user(), helper_user()
    mine, others = make_household(VILLAGE_A), make_household(VILLAGE_A)
    pair(mine, mine_user.member)
    pair(others, other_user.member)
    client = client_for(mine_user)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(others.get_absolute_url()).status_code == 404
    listed = {h.pk for h in client.get(reverse("poverty:household_list")).context["table"].data}
    assert listed == {mine.pk}
    api = token_client(mine_user)
    assert api.get(f"/api/v1/poverty/households/{mine.pk}").status_code == 200
    assert api.get(f"/api/v1/poverty/households/{others.pk}").status_code == 404
    assert [p["household_id"] for p in api.get("/api/v1/assistance/pairings/").json()["items"]] \
        == [mine.pk]


def test_helper_logs_visits_to_own_households_only(regions):
    user = helper_user()
    mine, others = make_household(VILLAGE_A), make_household(VILLAGE_A)
    pair(mine, user.member)
    pair(others, make_member(VILLAGE_A))
    client = client_for(user)
    page = client.get(reverse("assistance:visit_add"))
    form = page.context["form"]
    assert list(form.fields["household"].queryset) == [mine]
    assert "region_code" not in form.fields and "visitor_name" not in form.fields
    response = client.post(reverse("assistance:visit_add"), {
        "household": others.pk, "kind": "home", "visited_on": str(TODAY), "findings": "x"})
    assert "household" in response.context["form"].errors
    response = client.post(reverse("assistance:visit_add"), {
        "household": mine.pk, "kind": "phone", "visited_on": str(TODAY), "findings": "电话回访"})
    assert response.status_code == 302
    visit = m.Visit.objects.get()
    assert visit.visitor == user.member and visit.kind == "phone"
    api = token_client(user)
    body = {"household_id": others.pk, "visited_on": str(TODAY), "findings": "x"}
    response = api.post("/api/v1/assistance/visits/", json.dumps(body),
                        content_type="application/json")
    assert response.status_code == 404
    body["household_id"] = mine.pk
    response = api.post("/api/v1/assistance/visits/", json.dumps(body),
                        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["visitor_id"] == user.member_id
    assert api.get(f"/api/v1/assistance/visits/{response.json()['id']}").status_code == 200


def test_has_helper_filter_on_the_household_list(regions):
    paired, unpaired = make_household(VILLAGE_A), make_household(VILLAGE_A)
    ended = make_household(VILLAGE_A)
    pair(paired, make_member(VILLAGE_A))
    pair(ended, make_member(VILLAGE_A), ends_on=D + datetime.timedelta(days=30))
    client = client_for(make_user(Role.POVERTY_OFFICE))

    def listed(value):
        response = client.get(reverse("poverty:household_list"), {"has_helper": value})
        return {h.pk for h in response.context["table"].data}

    assert listed("true") == {paired.pk}
    assert listed("false") == {unpaired.pk, ended.pk}
    assert listed("") == {paired.pk, unpaired.pk, ended.pk}


# --- the household page -----------------------------------------------------------------------
def test_household_page_shows_helper_visits_and_plan(regions):
    household = make_household(VILLAGE_A)
    helper = make_member(VILLAGE_A, name="赵帮扶")
    pair(household, helper)
    with acting_as(None, label="test"):
        m.Visit.objects.create(household=household, region_code=VILLAGE_A, visitor=helper,
                               visitor_name="赵帮扶", visited_on=D, findings="第一次走访")
        m.Visit.objects.create(household=household, region_code=VILLAGE_A, visitor=helper,
                               visitor_name="赵帮扶", visited_on=D + datetime.timedelta(days=9),
                               findings="第二次走访")
        m.Measure.objects.create(household=household, region_code=VILLAGE_A, kind="loan",
                                 year=2025, description="小额信贷五万元")
    page = client_for(make_user(Role.POVERTY_OFFICE)).get(household.get_absolute_url())
    html = page.content.decode()
    assert "赵帮扶" in html
    assert html.index("第二次走访") < html.index("第一次走访")  # newest first
    assert "小额信贷五万元" in html
    for testid in ("pair", "log-visit", "add-measure", "mark-done"):
        assert f'data-testid="{testid}"' in html, testid
    viewer_page = client_for(make_user(Role.VIEWER)).get(household.get_absolute_url())
    assert b'data-testid="log-visit"' not in viewer_page.content
    assert b'data-testid="household-plan"' in viewer_page.content


# --- presence ---------------------------------------------------------------------------------
def test_recording_presence(regions):
    member = make_team_member(make_team(VILLAGE_A))
    client = client_for(make_user(Role.WORK_TEAM))
    url = reverse("assistance:workteammember_presence", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"month": "2025-05", "days": 22})
    assert response.status_code == 302
    assert m.Presence.objects.get(team_member=member).month == datetime.date(2025, 5, 1)
    response = client.post(url, {"month": "2025-05", "days": 25})  # corrects the month
    assert m.Presence.objects.get(team_member=member).days == 25
    response = client.post(url, {"month": "2024-05", "days": 20})
    assert response.status_code == 200 and messages_of(response)  # not on the team then
    team_page = client.get(member.team.get_absolute_url())
    assert b'data-testid="section-workteammember"' in team_page.content


# --- the coverage-gap page ---------------------------------------------------------------------
def gaps_url(**query):
    return reverse("assistance:gaps") + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                         if query else "")


def test_gap_page_refuses_regions_outside_the_scope(regions):
    client = client_for(make_user(Role.ORG_DEPT, COUNTY_A))
    assert client.get(gaps_url(region=VILLAGE_B)).status_code == 404
    assert client.get(gaps_url(region="5201")).status_code == 404
    assert client.get(gaps_url(region="520000000000")).status_code == 404  # above the scope
    response = client.get(gaps_url())
    assert response.status_code == 200
    assert response.context["region"].code == COUNTY_A


def test_gap_counts_roll_up_from_village_to_county(regions):
    make_household(VILLAGE_A)  # poor, no helper, no visit, no measure
    make_household(VILLAGE_A, status="exited")  # not in need: no gap
    make_household(VILLAGE_B)  # another county
    with acting_as(None, label="test"):
        VillageProfile.objects.create(region_code=VILLAGE_A, is_key_village=True)
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    keys = [gap.key for gap in client.get(gaps_url()).context["gaps"]]
    column = keys.index("households_without_helper")
    team_column = keys.index("key_villages_without_team")
    for region, child in ((COUNTY_A, TOWNSHIP_A), (TOWNSHIP_A, VILLAGE_A)):
        response = client.get(gaps_url(region=region))
        rows = {row["region"].code: row["cells"] for row in response.context["rows"]}
        assert rows[child][column] == 1, region
        assert rows[child][team_column] == 1, region
        assert response.context["totals"][column] == 1
        assert b'data-testid="gap-totals"' in response.content
    village = client.get(gaps_url(region=VILLAGE_A))
    assert village.context["rows"] == [] and village.context["totals"][column] == 1


def test_a_gap_row_links_where_it_is_fixed(regions):
    household = make_household(VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    response = client.get(gaps_url(region=COUNTY_A, gap="households_without_measure"))
    (item,) = response.context["items"]
    assert item["link"] == reverse("assistance:measure_add") + f"?household={household.pk}"
    assert item["link"] in response.content.decode().replace("&amp;", "&")
    form = client.get(item["link"]).context["form"]
    assert form["household"].value() == household.pk
    response = client.get(gaps_url(region=COUNTY_A, gap="households_not_visited"))
    (item,) = response.context["items"]
    assert client.get(item["link"]).context["form"]["household"].value() == household.pk
    response = client.get(gaps_url(region=COUNTY_A, gap="households_without_helper"))
    (item,) = response.context["items"]
    assert item["link"] == reverse("assistance:household_pair", kwargs={"pk": household.pk})
    assert client.get(item["link"]).status_code == 200


def test_gap_rows_are_paginated(regions):
    for _ in range(51):
        make_household(VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    first = client.get(gaps_url(gap="households_without_helper"))
    assert len(first.context["items"]) == 50
    second = client.get(gaps_url(gap="households_without_helper", page=2))
    assert len(second.context["items"]) == 1


def test_gap_panel_on_the_region_page(regions):
    make_household(VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    page = client.get(reverse("regions:region", args=[COUNTY_A])).content.decode()
    # The page loads the panel after itself: the counts are not computed with the page.
    panel_url = reverse("assistance:gaps_panel") + f"?region={COUNTY_A}"
    assert f'hx-get="{panel_url}"' in page and "households_without_helper" not in page
    panel = client.get(panel_url)
    assert b'data-testid="assistance-gaps"' in panel.content
    assert (gaps_url(region=COUNTY_A) + "&amp;gap=households_without_helper").encode() \
        in panel.content
    outside = client_for(make_user(Role.POVERTY_OFFICE, "520302000000"))
    assert outside.get(panel_url).status_code == 404


# --- the API ----------------------------------------------------------------------------------
def test_api_masks_phones_for_roles_without_personal_data(regions):
    member = make_team_member(make_team(VILLAGE_A), phone="13812345678")
    envoy = make_envoy(VILLAGE_A, phone="13987654321")
    viewer, owner = token_client(make_user(Role.VIEWER)), token_client(make_user(Role.ORG_DEPT))
    assert viewer.get(f"/api/v1/assistance/team-members/{member.pk}").json()["phone"] \
        == "138****5678"
    assert owner.get(f"/api/v1/assistance/team-members/{member.pk}").json()["phone"] \
        == "13812345678"
    assert viewer.get("/api/v1/assistance/chunhui-envoys/").json()["items"][0]["phone"] \
        == "139****4321"
    assert owner.get(f"/api/v1/assistance/chunhui-envoys/{envoy.pk}").json()["phone"] \
        == "13987654321"


def test_api_lists_filter_by_region_and_current(regions):
    current = make_team(VILLAGE_A)
    make_team(VILLAGE_A, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2022, 1, 1))
    make_team(VILLAGE_B)
    api = token_client(make_user(Role.ORG_DEPT))
    items = api.get("/api/v1/assistance/teams/", {"current": "true"}).json()["items"]
    assert [t["id"] for t in items] == [current.pk]
    assert len(api.get("/api/v1/assistance/teams/", {"region": VILLAGE_A}).json()["items"]) == 2
    assert api.get("/api/v1/assistance/teams/", {"region": VILLAGE_B}).json()["items"] == []


def test_api_pairing_write(regions):
    household, helper = make_household(VILLAGE_A), make_member(VILLAGE_A)
    body = json.dumps({"household_id": household.pk, "helper_id": helper.pk,
                       "starts_on": str(TODAY)})
    viewer = token_client(make_user(Role.VIEWER))
    assert viewer.post("/api/v1/assistance/pairings/", body,
                       content_type="application/json").status_code == 403
    api = token_client(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    assert api.generic("POST", "/api/v1/assistance/pairings/").status_code == 422  # no body
    outside = json.dumps({"household_id": make_household(VILLAGE_B).pk,
                          "helper_id": helper.pk, "starts_on": str(TODAY)})
    assert api.post("/api/v1/assistance/pairings/", outside,
                    content_type="application/json").status_code == 404
    response = api.post("/api/v1/assistance/pairings/", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["pairing"]["helper_id"] == helper.pk
    assert response.json()["warnings"] == []
    again = api.post("/api/v1/assistance/pairings/", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["detail"]  # already the helper


def test_api_visit_write_refusals(regions):
    api = token_client(make_user(Role.VILLAGE, VILLAGE_A))
    assert api.generic("POST", "/api/v1/assistance/visits/").status_code == 422  # no body
    wrong = {"region_code": VILLAGE_A, "visited_on": str(TODAY), "findings": "x", "kind": "x"}
    assert api.post("/api/v1/assistance/visits/", json.dumps(wrong),
                    content_type="application/json").status_code == 422
    body = {"region_code": VILLAGE_A, "visited_on": str(TODAY + datetime.timedelta(days=2)),
            "findings": "x"}
    response = api.post("/api/v1/assistance/visits/", json.dumps(body),
                        content_type="application/json")
    assert response.status_code == 400  # a date in the future
    body["visited_on"] = str(TODAY)
    response = api.post("/api/v1/assistance/visits/", json.dumps(body),
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["kind"] == "village"
    body["region_code"] = "520102001002"  # another village: outside a village user's scope
    response = api.post("/api/v1/assistance/visits/", json.dumps(body),
                        content_type="application/json")
    assert response.status_code == 403


def test_many_households_are_chosen_by_number(regions, monkeypatch):
    from fupin.core import forms

    monkeypatch.setattr(forms, "SELECT_LIMIT", 1)
    first, second = make_household(VILLAGE_A), make_household(VILLAGE_A)
    outside = make_household(VILLAGE_B)
    client = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    page = client.get(reverse("assistance:visit_add"), {"household": second.pk})
    assert f'value="{second.number}"' in page.content.decode()  # a text box, not a select
    data = {"kind": "home", "visited_on": str(TODAY), "findings": "生产生活正常"}
    response = client.post(reverse("assistance:visit_add"),
                           {**data, "household": f" {outside.number} "})
    assert "household" in response.context["form"].errors
    response = client.post(reverse("assistance:visit_add"), {**data, "household": first.number})
    assert response.status_code == 302
    assert m.Visit.objects.get().household == first


def test_party_org_page_lists_its_branch_pairings(regions):
    from fupin.party.testing import make_org as party_org

    village_branch, organ = party_org(VILLAGE_A), party_org(COUNTY_A, name="县财政局机关支部")
    with acting_as(None, label="test"):
        m.BranchPairing.objects.create(helping_org=organ, helping_kind="organ",
                                       village_org=village_branch, region_code=VILLAGE_A,
                                       starts_on=datetime.date(2025, 1, 1), money=5000)
    client = client_for(make_user(Role.ORG_DEPT, COUNTY_A))
    page = client.get(village_branch.get_absolute_url()).content.decode()
    assert 'data-testid="branch-pairings"' in page and "县财政局机关支部" in page
    assert f"?village_org={village_branch.pk}" in page  # pair another from here
    assert "和平" not in organ.name and village_branch.name in client.get(
        organ.get_absolute_url()).content.decode()
    outside = client_for(make_user(Role.ORG_DEPT, "520302000000"))
    assert outside.get(village_branch.get_absolute_url()).status_code == 404
