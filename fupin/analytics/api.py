"""The figures of a region through the API: the JSON of `fupin stats --json`
(services.as_json), for a region in the caller's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from fupin.analytics import indicators as ind
from fupin.analytics import services
from fupin.analytics.models import Rollup
from fupin.core.api import ERRORS, one, policy
from fupin.core.policy import can
from fupin.regions.models import Region

router = Router(tags=["analytics"])


class IndicatorOut(Schema):
    name: str
    label: str
    unit: str
    kind: str
    group: str
    by_year: bool
    percent: bool
    key_figure: bool
    numerator: str
    denominator: str
    breakdown: dict[str, str] | None


class ChildFiguresOut(Schema):
    region: str
    name: str
    indicators: dict[str, Any]


class FiguresOut(Schema):
    region: str
    name: str
    level: int
    indicators: dict[str, Any]
    children: list[ChildFiguresOut]


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS},
            openapi_extra=policy(None))
def list_indicators(request):
    """The indicators' definitions: name, label, unit, kind (sum, ratio, median), group, whether
    by year, and the keys of a breakdown."""
    return [{"name": i.name, "label": str(i.label), "unit": str(i.unit), "kind": i.kind,
             "group": i.group, "by_year": i.by_year, "percent": i.percent,
             "key_figure": i.key_figure, "numerator": i.numerator,
             "denominator": i.denominator,
             "breakdown": {k: str(v) for k, v in i.breakdown().items()} if i.breakdown else None}
            for i in ind.INDICATORS.values()]


@router.get("/regions/{code}", response={200: FiguresOut, **ERRORS},
            openapi_extra=policy("regions.region"))
def region_figures(request, code: str):
    """Every indicator of a region in your scope and its children's key figures, from the
    rollups: the same numbers as the dashboard, the yearly report and `fupin stats --json`.
    A ratio over zero is null; by-year indicators map the year to the value, breakdowns the
    category to the value."""
    if not can(request.user, Rollup, "view"):
        raise HttpError(403, _("Your role may not do this."))
    return services.as_json(services.figures(one(request, Region, code=code)))
