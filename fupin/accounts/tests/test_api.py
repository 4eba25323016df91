"""Users through the API: read-only, phones masked for roles without the personal-data
permission, one's own never."""

from fupin.accounts.tests import test_views as v
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, make_user
from fupin.core.testing_api import ModelAPITests, token_client


class TestUserAPI(ModelAPITests):
    path, views = "/api/v1/accounts/users/", v.TestUserViews
    operations = ("list", "detail")  # accounts are made on their pages, with a password
    masked_role = Role.ORG_DEPT  # views users, and sees personal data
    region_filter = False

    def test_personal_fields_masked_per_role(self, setup):
        # No role both lists users and lacks the personal-data permission: the masking of a
        # user's phone is seen on /me instead (never masked: it is one's own).
        me = make_user(Role.VIEWER, COUNTY_A, phone="13811112222")
        assert token_client(me).get("/api/v1/accounts/me").json()["phone"] == "13811112222"
