"""The declared API of every assistance record, with the data of its page tests."""

from fupin.assistance.tests import test_views as v
from fupin.core.testing_api import ModelAPITests

API = "/api/v1/assistance/"
READ_ONLY = ("list", "detail")


class TestWorkTeamAPI(ModelAPITests):
    path, views = f"{API}teams/", v.TestWorkTeamViews


class TestWorkTeamMemberAPI(ModelAPITests):
    path, views = f"{API}team-members/", v.TestWorkTeamMemberViews


class TestPresenceAPI(ModelAPITests):
    path, views = f"{API}presence/", v.TestPresenceViews
    operations = (*READ_ONLY, "delete")


class TestWorkLogEntryAPI(ModelAPITests):
    path, views = f"{API}work-log/", v.TestWorkLogEntryViews


class TestContactPointAPI(ModelAPITests):
    path, views = f"{API}contact-points/", v.TestContactPointViews


class TestContactVisitAPI(ModelAPITests):
    path, views = f"{API}contact-visits/", v.TestContactVisitViews


class TestBranchPairingAPI(ModelAPITests):
    path, views = f"{API}branch-pairings/", v.TestBranchPairingViews


class TestPairingAPI(ModelAPITests):
    path, views = f"{API}pairings/", v.TestPairingViews
    operations = READ_ONLY  # start_pairing is an action: test_views tests it


class TestVisitAPI(ModelAPITests):
    path, views = f"{API}visits/", v.TestVisitViews
    operations = (*READ_ONLY, "update", "delete")  # logged by record_visit


class TestMeasureAPI(ModelAPITests):
    path, views = f"{API}measures/", v.TestMeasureViews


class TestIndustryBenefitAPI(ModelAPITests):
    path, views = f"{API}industry-benefits/", v.TestIndustryBenefitViews


class TestRelocationAPI(ModelAPITests):
    path, views = f"{API}relocations/", v.TestRelocationViews


class TestVillagePlanAPI(ModelAPITests):
    path, views = f"{API}village-plans/", v.TestVillagePlanViews


class TestPlanFundingAPI(ModelAPITests):
    path, views = f"{API}plan-funding/", v.TestPlanFundingViews


class TestPlanProjectAPI(ModelAPITests):
    path, views = f"{API}plan-projects/", v.TestPlanProjectViews


class TestEnterpriseAPI(ModelAPITests):
    path, views = f"{API}enterprises/", v.TestEnterpriseViews


class TestIndustryProjectAPI(ModelAPITests):
    path, views = f"{API}industry-projects/", v.TestIndustryProjectViews


class TestResettlementSiteAPI(ModelAPITests):
    path, views = f"{API}resettlement-sites/", v.TestResettlementSiteViews


class TestChunhuiEnvoyAPI(ModelAPITests):
    path, views = f"{API}chunhui-envoys/", v.TestChunhuiEnvoyViews


class TestChunhuiContributionAPI(ModelAPITests):
    path, views = f"{API}chunhui-contributions/", v.TestChunhuiContributionViews
