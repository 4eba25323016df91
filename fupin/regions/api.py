"""Regions through the API: those in your scope, by code, and a region's children."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router

from fupin.core.api import ERRORS, Out, crud, one, policy, rows
from fupin.regions.filtersets import RegionFilterSet
from fupin.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Out):
    code: str
    name: str
    level: int
    parent_code: str | None = Field(None, alias="parent_id")


class RegionQuery(RegionFilterSet):
    """The page's filters, and two the tree walk of a client needs: a parent's children, and a
    name or code prefix."""

    parent = django_filters.CharFilter(field_name="parent_id", label=_("parent region code"))
    q = django_filters.CharFilter(method="search", label=_("name or code prefix"))

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))


crud(router, "/", Region, RegionQuery, out=RegionOut, lookup="code", ordering=["code"])


@router.get("/{code}/children", response={200: list[RegionOut], **ERRORS},
            openapi_extra=policy("regions.region"))
def region_children(request, code: str):
    parent = one(request, Region, code=code)
    return rows(request, Region).filter(parent=parent).order_by("code")
