from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from fupin.core.api import one, policy, rows
from fupin.core.models import ChangeRecord
from fupin.core.views import mask_snapshot

router = Router(tags=["audit"])


class ChangeRecordOut(Schema):
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
        return mask_snapshot(obj.model, obj.before, context["request"].user) if obj.before else None

    @staticmethod
    def resolve_after(obj, context):
        return mask_snapshot(obj.model, obj.after, context["request"].user) if obj.after else None


@router.get("/changes/", response=list[ChangeRecordOut], openapi_extra=policy("core.changerecord"))
@paginate
def list_changes(request, model: str | None = None, object_id: str | None = None):
    qs = rows(request, ChangeRecord)
    if model:
        qs = qs.filter(model=model)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-id")


@router.get("/changes/{record_id}", response=ChangeRecordOut,
            openapi_extra=policy("core.changerecord"))
def get_change(request, record_id: int):
    return one(request, ChangeRecord, pk=record_id)
