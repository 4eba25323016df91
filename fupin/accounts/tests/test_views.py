from fupin.accounts.models import ApiToken, User
from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, ModelViewTests, ReadOnlyModelViewTests


class TestUserViews(ModelViewTests):
    model = User
    namespace = "accounts"
    owner_role = Role.ADMIN
    colleague_role = Role.ORG_DEPT
    create_data = {"username": "new-cadre", "full_name": "新干部", "role": Role.VILLAGE,
                   "region_code": VILLAGE_A, "unit": "村党支部", "phone": "13900001111",
                   "language": "zh-hans", "is_active": "on", "password": "a-Long-pass-2026"}
    edit_data = {"full_name": "改名的干部", "password": ""}


class TestApiTokenViews(ReadOnlyModelViewTests):
    model = ApiToken
    namespace = "accounts"
    owner_role = Role.VIEWER
    colleague_role = Role.VIEWER
