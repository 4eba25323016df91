"""Region queries shared by pages, API and CLI."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Substr

from fupin.regions import scope
from fupin.regions.models import Region


def counts_by_level(code: str) -> dict[int, int]:
    """How many regions of each level lie under `code` (itself excluded)."""
    lo, hi = scope.bounds(code)
    rows = (Region._base_manager.filter(code__gt=lo, code__lte=hi)
            .values("level").annotate(n=Count("code")).order_by("level"))
    return {row["level"]: row["n"] for row in rows}


def children_with_counts(region: Region, queryset=None) -> list[dict]:
    """The children of `region`, each with the number of regions per level beneath it.

    One grouped query over the subtree, grouping by the children's prefix length.
    """
    children = list((queryset if queryset is not None else Region._base_manager)
                    .filter(parent=region).order_by("code"))
    if not children or region.level >= 4:
        return [{"region": c, "counts": {}} for c in children]
    n = scope.PREFIX_LENGTH[region.level + 1]
    lo, hi = scope.bounds(region.code)
    rows = (Region._base_manager.filter(code__gt=lo, code__lte=hi, level__gt=region.level + 1)
            .annotate(child_prefix=Substr("code", 1, n))
            .values("child_prefix", "level").annotate(n=Count("code")))
    counts: dict[str, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["child_prefix"], {})[row["level"]] = row["n"]
    return [{"region": c, "counts": counts.get(c.code[:n], {})} for c in children]


def with_paths(regions) -> list[tuple[Region, str]]:
    """Regions with their path (市 / 县 / 乡镇 / 村), the ancestors fetched in one query."""
    regions = list(regions)
    codes = {a for r in regions for a in scope.ancestor_codes(r.code)[1:-1]}
    names = dict(Region._base_manager.filter(code__in=codes).values_list("code", "name"))
    out = []
    for r in regions:
        parts = [names.get(a, a) for a in scope.ancestor_codes(r.code)[1:-1]] + [r.name]
        out.append((r, " / ".join(parts)))
    return out


def search(queryset, q: str, limit: int = 50):
    q = (q or "").strip()
    if not q:
        return queryset.none()
    if q.isdigit():
        if len(q) == 12:
            return queryset.filter(code=q)
        return queryset.filter(code__startswith=q).order_by("code")[:limit]
    return queryset.filter(name__contains=q).order_by("level", "code")[:limit]


def requested_region(request) -> Region:
    """The region of `?region=`, or the user's scope region; 404 outside the scope (for pages
    and panels that take a region from the query string)."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    from fupin.core.policy import scope_code

    own = scope_code(request.user)
    code = (request.GET.get("region") or own).strip()
    if not code:
        first = Region._base_manager.filter(level=1).order_by("code").first()
        if first is None:
            raise Http404(_("No regions have been imported yet."))
        return first
    if not scope.is_valid_code(code) or not scope.is_within(code, own):
        raise Http404(_("Not found, or outside your region."))
    region = Region._base_manager.filter(code=code).first()
    if region is None:
        raise Http404(_("No region has this code."))
    return region
