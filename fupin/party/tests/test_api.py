"""The declared API of party building, with the data of its page tests."""

from fupin.core.testing_api import ModelAPITests
from fupin.party.tests import test_views as v

API = "/api/v1/party/"


class TestPartyOrgAPI(ModelAPITests):
    path, views = f"{API}orgs/", v.TestPartyOrgViews


class TestPartyMemberAPI(ModelAPITests):
    path, views = f"{API}members/", v.TestPartyMemberViews


class TestOrgMeetingAPI(ModelAPITests):
    path, views = f"{API}meetings/", v.TestOrgMeetingViews


class TestCadreAPI(ModelAPITests):
    path, views = f"{API}cadres/", v.TestCadreViews


class TestCommitmentAPI(ModelAPITests):
    path, views = f"{API}commitments/", v.TestCommitmentViews


class TestMemberPostAPI(ModelAPITests):
    path, views = f"{API}posts/", v.TestMemberPostViews


class TestResponsibilityZoneAPI(ModelAPITests):
    path, views = f"{API}zones/", v.TestResponsibilityZoneViews


class TestServiceStationAPI(ModelAPITests):
    path, views = f"{API}stations/", v.TestServiceStationViews


class TestStationServiceAPI(ModelAPITests):
    path, views = f"{API}station-services/", v.TestStationServiceViews


class TestCareVisitAPI(ModelAPITests):
    path, views = f"{API}care-visits/", v.TestCareVisitViews


class TestCommitteeAPI(ModelAPITests):
    path, views = f"{API}committees/", v.TestCommitteeViews


class TestCadreCareerAPI(ModelAPITests):
    path, views = f"{API}cadre-careers/", v.TestCadreCareerViews


class TestCadreWelfareAPI(ModelAPITests):
    path, views = f"{API}cadre-welfare/", v.TestCadreWelfareViews


class TestTransferAPI(ModelAPITests):
    path, views, operations = f"{API}transfers/", v.TestTransferViews, ("list", "detail")


class TestMobileMembershipAPI(ModelAPITests):
    path, views, operations = f"{API}mobile-members/", v.TestMobileMembershipViews, ("list", "detail")


class TestCadrePositionAPI(ModelAPITests):
    path, views, operations = f"{API}cadre-positions/", v.TestCadrePositionViews, ("list", "detail")


class TestElectionAPI(ModelAPITests):
    path, views, operations = f"{API}elections/", v.TestElectionViews, ("list", "detail")


class TestCandidateAPI(ModelAPITests):
    path, views, operations = f"{API}candidates/", v.TestCandidateViews, ("list", "detail")


def test_a_made_output_schema_names_related_records_by_id(regions):
    from fupin.core.policy import Role
    from fupin.core.testing import VILLAGE_A, make_user, sample_for
    from fupin.core.testing_api import token_client

    owner = make_user(Role.ORG_DEPT)
    commitment = sample_for("party.commitment", VILLAGE_A, owner)
    item = token_client(owner).get(f"{API}commitments/{commitment.pk}").json()
    assert item["member_id"] == commitment.member_id and item["text"] == commitment.text
    assert not {"member", "created_by_id", "updated_at"} & set(item)
