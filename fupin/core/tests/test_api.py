"""The change log through the API: read-only, in scope, snapshots masked as on the pages."""

from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing_api import ModelAPITests


class TestChangeRecordAPI(ModelAPITests):
    path = "/api/v1/audit/changes/"
    model = ChangeRecord
    owner_role = Role.ADMIN
    colleague_role = Role.INSPECTOR
    operations = ("list", "detail")
    region_filter = False
