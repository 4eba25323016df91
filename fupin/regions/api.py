from django.db.models import Q
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from fupin.core.api import one, policy, rows
from fupin.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent_id")


class RegionFilter(FilterSchema):
    level: int | None = None
    parent: str | None = Field(None, q="parent_id")
    q: str | None = Field(None, q=["name__contains", "code__startswith"])

    def filter_q(self, value):
        return Q(name__contains=value) | Q(code__startswith=value) if value else Q()


@router.get("/", response=list[RegionOut], openapi_extra=policy("regions.region"))
@paginate
def list_regions(request, filters: Query[RegionFilter]):
    """Regions in your scope, filterable by level, parent and name or code."""
    return filters.filter(rows(request, Region)).order_by("code")


@router.get("/{code}", response=RegionOut, openapi_extra=policy("regions.region"))
def get_region(request, code: str):
    return one(request, Region, code=code)


@router.get("/{code}/children", response=list[RegionOut], openapi_extra=policy("regions.region"))
def region_children(request, code: str):
    parent = one(request, Region, code=code)
    return rows(request, Region).filter(parent=parent).order_by("code")
