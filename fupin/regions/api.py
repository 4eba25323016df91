from django.db.models import Q
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from fupin.core.api import one, policy, rows
from fupin.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent_id")


@router.get("/", response=list[RegionOut], openapi_extra=policy("regions.region"))
@paginate
def list_regions(request, level: int | None = None, parent: str | None = None,
                 q: str | None = None):
    """Regions in your scope, filterable by level, parent and name or code."""
    qs = rows(request, Region)
    if level is not None:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.order_by("code")


@router.get("/{code}", response=RegionOut, openapi_extra=policy("regions.region"))
def get_region(request, code: str):
    return one(request, Region, code=code)


@router.get("/{code}/children", response=list[RegionOut], openapi_extra=policy("regions.region"))
def region_children(request, code: str):
    parent = one(request, Region, code=code)
    return rows(request, Region).filter(parent=parent).order_by("code")
