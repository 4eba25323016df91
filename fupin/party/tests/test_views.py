import datetime

import pytest

from fupin.core.idnumber import make as make_id
from fupin.core.policy import Role
from fupin.core.testing import (
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    ModelViewTests,
    ReadOnlyModelViewTests,
    client_for,
    make_user,
    sample_for,
)
from fupin.party import models as m
from fupin.party.testing import make_cadre, make_member, make_org, make_station


class TestPartyOrgViews(ModelViewTests):
    model = m.PartyOrg
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.POVERTY_OFFICE
    create_data = {"name": "和平村党支部", "kind": "branch", "basis": "place",
                   "region_code": VILLAGE_A}
    edit_data = {"name": "和平村党总支", "kind": "general_branch"}


class TestPartyMemberViews(ModelViewTests):
    model = m.PartyMember
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.INSPECTOR
    create_data = {"name": "李党员", "ethnicity": "01", "phone": "13600002222"}
    edit_data = {"occupation": "种植户"}

    def extra_create_data(self):
        return {"org": make_org(VILLAGE_A).pk,
                "id_number": make_id("520102", datetime.date(1980, 2, 3), 21, "M")}

    def outside_create_data(self):
        return {"org": make_org(VILLAGE_B).pk}


class TestOrgMeetingViews(ModelViewTests):
    model = m.OrgMeeting
    namespace = "party"
    owner_role = Role.TOWNSHIP
    colleague_role = Role.WORK_TEAM
    create_data = {"kind": "committee", "date": "2025-06-01", "attendance": 5, "expected": 5,
                   "topics": "研究产业发展"}
    edit_data = {"attendance": 4}

    parent = ("org", make_org)


class TestCadreViews(ModelViewTests):
    model = m.Cadre
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER
    create_data = {"name": "张主任", "region_code": VILLAGE_A, "education": "college",
                   "is_college_graduate": "on"}
    edit_data = {"phone": "13500003333"}

    def extra_create_data(self):
        return {"id_number": make_id("520102", datetime.date(1990, 5, 6), 33, "F")}


class TestTransferViews(ReadOnlyModelViewTests):
    model = m.Transfer
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


class TestElectionViews(ReadOnlyModelViewTests):
    model = m.Election
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


class TestMobileMembershipViews(ReadOnlyModelViewTests):
    model = m.MobileMembership
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


class TestCadrePositionViews(ReadOnlyModelViewTests):
    model = m.CadrePosition
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


class TestCandidateViews(ReadOnlyModelViewTests):
    model = m.Candidate
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER


pytestmark = pytest.mark.django_db


def test_joint_org_is_visible_in_every_covered_scope(regions):
    org = make_org("520102001000", name="联建党委", basis="joint_villages", kind="committee")
    m.CoveredRegion.objects.create(org=org, region_code="520102001001")
    m.CoveredRegion.objects.create(org=org, region_code="520302001001")
    for code, seen in (("520302001001", True), ("520102002001", False), ("520102001001", True)):
        user = make_user(Role.VILLAGE, code)
        assert m.PartyOrg.objects.restrict(user, "view").filter(pk=org.pk).exists() is seen
        status = client_for(user).get(f"/party/orgs/{org.pk}/").status_code
        assert status == (200 if seen else 404)


def test_member_org_cannot_be_changed_by_editing(regions):
    member = make_member(VILLAGE_A)
    other = make_org(VILLAGE_A)
    client = client_for(make_user(Role.ORG_DEPT))
    client.post(f"/party/members/{member.pk}/edit/", {
        "org": other.pk, "name": member.name, "id_number": member.id_number,
        "ethnicity": "01"})
    member.refresh_from_db()
    assert member.org_id != other.pk  # moving needs a transfer


def test_cadre_id_number_is_masked_for_viewers(regions):
    cadre = make_cadre(VILLAGE_A)
    page = client_for(make_user(Role.VIEWER)).get(f"/party/cadres/{cadre.pk}/").content
    assert cadre.id_number.encode() not in page
    page = client_for(make_user(Role.ORG_DEPT)).get(f"/party/cadres/{cadre.pk}/").content
    assert cadre.id_number.encode() in page


def test_election_through_the_web_writes_the_committee(regions):
    org = make_org(VILLAGE_A, name="和平村党支部")
    members = [make_member(VILLAGE_A, org=org, stage="full") for _ in range(5)]
    client = client_for(make_user(Role.ORG_DEPT))
    response = client.post(f"/party/orgs/{org.pk}/election/", {"seats": 3,
                                                                 "members_eligible": 5})
    assert response.status_code == 302
    election = m.Election.objects.get(org=org)
    for member in members[:4]:
        assert client.post(f"/party/elections/{election.pk}/nominate/",
                           {"member": member.pk}).status_code == 302
    votes = {"public_voters": 50}
    for member in members[:4]:
        votes |= {f"mv_{member.pk}": 4, f"pv_{member.pk}": 30}
    assert client.post(f"/party/elections/{election.pk}/recommend/", votes).status_code == 302
    assert client.post(f"/party/elections/{election.pk}/shortlist/", {}).status_code == 302
    ballot = {"held_on": "2025-06-01", "members_present": 5}
    for i, member in enumerate(members[:4]):
        ballot |= {f"v_{member.pk}": 5 - i, f"p_{member.pk}": "secretary" if i == 0 else ""}
    page = client.get(f"/party/elections/{election.pk}/ballot/")
    assert page.status_code == 200
    assert client.post(f"/party/elections/{election.pk}/ballot/", ballot).status_code == 302
    assert client.post(f"/party/elections/{election.pk}/close/",
                       {"on": "2025-06-02"}).status_code == 302
    election.refresh_from_db()
    assert election.state == "closed" and election.result_committee is not None
    positions = m.CadrePosition.objects.filter(committee=election.result_committee)
    assert positions.count() == 3
    assert positions.filter(post="secretary", cadre__member=members[0]).exists()
    page = client.get(f"/party/elections/{election.pk}/")
    assert len(page.context["candidates"]) == 4


def test_election_refusal_is_shown_not_a_crash(regions):
    org = make_org(VILLAGE_A)
    client = client_for(make_user(Role.ORG_DEPT))
    response = client.post(f"/party/orgs/{org.pk}/election/", {"seats": 3,
                                                                 "members_eligible": 2})
    assert response.status_code == 200  # fewer eligible members than seats: a message
    assert list(response.context["messages"])
    assert not m.Election.objects.exists()


class MemberRecordTests(ModelViewTests):
    """Records that hang off a member take the member's region."""

    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.INSPECTOR

    parent = ("member", make_member)


class TestCommitmentViews(MemberRecordTests):
    model = m.Commitment
    create_data = {"year": 2026, "text": "带动三户发展食用菌", "status": "pledged"}
    edit_data = {"status": "fulfilled", "evidence": "三户已增收"}


class TestMemberPostViews(MemberRecordTests):
    model = m.MemberPost
    create_data = {"post": "政策宣传岗", "duties": "宣讲政策", "starts_on": "2026-01-01"}
    edit_data = {"ends_on": "2026-12-31"}


class TestCareVisitViews(MemberRecordTests):
    model = m.CareVisit
    create_data = {"date": "2026-10-01", "reason": "老党员生病", "help_given": "慰问",
                   "amount": "500"}
    edit_data = {"amount": "600"}


class TestServiceStationViews(ModelViewTests):
    model = m.ServiceStation
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.INSPECTOR
    create_data = {"name": "驻深圳流动党员服务站", "host_unit": "驻深圳办事处", "location": "深圳",
                   "region_code": VILLAGE_A}
    edit_data = {"location": "深圳市福田区"}


class TestResponsibilityZoneViews(MemberRecordTests):
    model = m.ResponsibilityZone
    create_data = {"description": "一组、二组"}
    edit_data = {"description": "一组至三组"}


class TestStationServiceViews(ModelViewTests):
    model = m.StationService
    namespace = "party"
    owner_role = Role.TOWNSHIP
    colleague_role = Role.WORK_TEAM
    create_data = {"date": "2026-03-01", "service": "组织生活"}
    edit_data = {"service": "组织生活、政策宣讲"}

    def extra_create_data(self):
        return {"station": make_station(VILLAGE_A).pk, "member": make_member(VILLAGE_A).pk}

    def outside_create_data(self):
        return {"station": make_station(VILLAGE_B).pk}


class TestCommitteeViews(ModelViewTests):
    model = m.Committee
    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.POVERTY_OFFICE
    create_data = {"kind": "branch", "region_code": VILLAGE_A, "term_starts_on": "2021-01-01"}
    edit_data = {"term_ends_on": "2026-01-01"}

    def extra_create_data(self):
        return {"org": make_org(VILLAGE_A).pk}


class CadreRecordTests(ModelViewTests):
    """Records that hang off a cadre take the cadre's region."""

    namespace = "party"
    owner_role = Role.ORG_DEPT
    colleague_role = Role.VIEWER

    parent = ("cadre", make_cadre)


class TestCadreCareerViews(CadreRecordTests):
    model = m.CadreCareer
    create_data = {"move": "civil_servant", "date": "2025-09-01", "new_post": "乡镇公务员"}
    edit_data = {"move": "township_leader", "new_post": "副镇长"}


class TestCadreWelfareViews(CadreRecordTests):
    model = m.CadreWelfare
    create_data = {"year": 2025, "pay": "24000", "pension_insurance": "on", "severance": "0"}
    edit_data = {"pay": "26000", "medical_insurance": "on"}


@pytest.mark.parametrize("path, label", [
    ("orgs/", "party.partyorg"), ("members/", "party.partymember"),
    ("meetings/", "party.orgmeeting"), ("cadres/", "party.cadre")])
def test_api_lists_only_scope_and_masks_for_viewers(regions, path, label):
    # The base classes have no API part and the access matrix checks API lists by status only.
    owner, viewer = make_user(Role.ORG_DEPT), make_user(Role.VIEWER)
    inside, outside = sample_for(label, VILLAGE_A, owner), sample_for(label, VILLAGE_B)
    rows = client_for(owner).get(f"/api/v1/party/{path}").json()["items"]
    ids = {r["id"] for r in rows}
    assert inside.pk in ids and outside.pk not in ids
    if hasattr(inside, "id_number"):
        assert next(r for r in rows if r["id"] == inside.pk)["id_number"] == inside.id_number
        rows = client_for(viewer).get(f"/api/v1/party/{path}").json()["items"]
        assert next(r for r in rows if r["id"] == inside.pk)["id_number"] != inside.id_number


def test_committee_form_takes_only_the_villages_own_org(regions, make_user):
    from django.urls import reverse

    user = make_user(Role.TOWNSHIP, TOWNSHIP_A)
    own, neighbour = make_org(VILLAGE_A), make_org("520102001002")
    url = reverse("party:committee_add")
    data = {"kind": "branch", "region_code": VILLAGE_A, "term_starts_on": "2024-01-01"}
    client = client_for(user)
    response = client.post(url, {**data, "org": neighbour.pk})
    assert response.status_code == 200 and "org" in response.context["form"].errors
    assert not m.Committee.objects.exists()
    response = client.post(url, {**data, "org": own.pk, "term_ends_on": "2023-01-01"})
    assert "term_ends_on" in response.context["form"].errors
    response = client.post(url, {**data, "org": own.pk})
    assert response.status_code == 302 and m.Committee.objects.get().org == own
