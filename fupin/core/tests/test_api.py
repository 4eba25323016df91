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


def test_one_masking_decision_for_every_surface(regions):
    from fupin.core.masking import mask_fields
    from fupin.core.testing import make_user
    from fupin.core.views import mask_snapshot

    row = {"phone": "13812345678", "head_name": "户主"}
    viewer, office = make_user(Role.VIEWER), make_user(Role.POVERTY_OFFICE)
    assert mask_fields("poverty.household", row, viewer) == {"phone": "138****5678",
                                                             "head_name": "户主"}
    assert mask_fields("poverty.household", row, office) == row
    assert mask_fields("poverty.household", row, None)["phone"] == "138****5678"
    assert mask_snapshot("poverty.household", row, viewer) == \
        mask_fields("poverty.household", row, viewer)
    # one's own record is one's own
    assert mask_fields(type(viewer), {"phone": "13800001111"}, viewer, obj=viewer) == \
        {"phone": "13800001111"}
