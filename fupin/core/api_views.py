"""The change log through the API (read-only, append-only by design): the page's filters,
snapshots masked as on the history pages."""

from datetime import datetime

from ninja import Router

from fupin.core.api import Out, crud
from fupin.core.filtersets import ChangeRecordFilterSet
from fupin.core.masking import mask_fields
from fupin.core.models import ChangeRecord

router = Router(tags=["audit"])


class ChangeRecordOut(Out):
    id: int
    time: datetime
    actor: str
    request_id: str
    action: str
    model: str
    object_id: str
    object_repr: str
    region_code: str
    before: dict | None
    after: dict | None
    extra: dict | None

    @staticmethod
    def resolve_before(obj, context):
        return mask_fields(obj.model, obj.before, context["request"].user) if obj.before else None

    @staticmethod
    def resolve_after(obj, context):
        return mask_fields(obj.model, obj.after, context["request"].user) if obj.after else None


crud(router, "/changes/", ChangeRecord, ChangeRecordFilterSet, out=ChangeRecordOut,
     ordering=["-id"])
