from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic

from fupin.core import panels
from fupin.core.policy import restrict, scope_code
from fupin.core.views import AccessMixin, Related, ViewSet
from fupin.regions import scope, services
from fupin.regions.filtersets import RegionChangeFilterSet
from fupin.regions.models import Level, Region, RegionChange
from fupin.regions.tables import RegionChangeTable


def breadcrumb(region: Region, user, siblings: bool = True) -> list[dict]:
    """Ancestors from the province down; those above the user's scope are not links.

    With `siblings`, each crumb strictly inside the scope also lists its siblings, so the
    breadcrumb doubles as a switcher across the five levels (another township of the same
    county, and so on).
    """
    with_siblings = siblings
    own = scope_code(user)
    visible = restrict(Region.objects.all(), user, "view")
    crumbs = []
    for r in region.ancestors() + [region]:
        inside = scope.is_within(r.code, own)
        siblings = []
        if with_siblings and inside and r.code != own and r.parent_id:
            siblings = list(visible.filter(parent_id=r.parent_id).exclude(code=r.code)
                            .order_by("code").values_list("code", "name")[:200])
        crumbs.append({"region": r, "link": inside, "siblings": siblings})
    return crumbs


class RegionHomeView(AccessMixin, generic.View):
    """The region tree (or `target`, a page taking a region code) starts at the user's own
    scope region."""

    model = Region
    target = "regions:region"

    def get(self, request):
        code = scope_code(request.user) or Region._base_manager.filter(level=1).values_list(
            "code", flat=True).first()
        if not code:
            raise Http404(_("No regions have been imported yet."))
        return redirect(self.target, pk=code)


CHILDREN = Related(Region, "parent")


class RegionDetailView(AccessMixin, generic.DetailView):
    model = Region
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region = self.object
        ctx["breadcrumb"] = breadcrumb(region, self.request.user)
        ctx["children"] = services.children_with_counts(
            region, CHILDREN.rows(region, self.request.user))
        # Regions change about once a year: their counts are kept for a few minutes, under a
        # key that moves when regions are added or removed.
        version = Region._base_manager.aggregate(n=Count("code"), last=Max("code"))
        key = f"regions:counts:{region.code}:{version['n']}:{version['last']}"
        ctx["counts"] = cache.get_or_set(key, lambda: services.counts_by_level(region.code), 300)
        ctx["levels"] = [(lvl, Level(lvl).label) for lvl in range(region.level + 1, 6)]
        ctx["child_levels"] = [(lvl, Level(lvl).label) for lvl in range(region.level + 2, 6)]
        ctx["path"] = region.path()
        ctx["panels"] = panels.for_region(region.code, self.request.user)
        return ctx


class RegionSearchView(AccessMixin, generic.TemplateView):
    model = Region
    template_name = "regions/region_search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        visible = restrict(Region.objects.all(), self.request.user, "view")
        ctx["q"] = q
        ctx["results"] = services.with_paths(services.search(visible, q)) if q else []
        return ctx


class RegionChangeViews(ViewSet):
    model = RegionChange
    table = RegionChangeTable
    filterset = RegionChangeFilterSet
    # changes come only from `fupin regions apply-changes`
    create_view = edit_view = delete_view = None
