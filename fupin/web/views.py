from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import generic

from fupin.core import panels
from fupin.core.policy import restrict, scope_code
from fupin.core.views import AccessMixin
from fupin.regions import services
from fupin.regions.models import Level, Region


def home_panels(user) -> list[dict]:
    """The workbench's panels: each app registers, for the roles it serves, a function
    `(user) -> dict | None` under page "home" (fupin.core.panels); shown by their "order"."""
    found = [panel for func in panels.PAGES.get("home", ()) if (panel := func(user))]
    return sorted(found, key=lambda panel: panel.get("order", 50))


class HomeView(AccessMixin, generic.TemplateView):
    """The user's workbench (我的工作台): the panels of their day's work, each item linked to
    the page where it is dealt with. A role without panels sees its region's children and
    the number of regions per level beneath it."""

    access = "login"
    template_name = "web/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        code = scope_code(user)
        region = (Region._base_manager.filter(code=code).first() if code
                  else Region._base_manager.filter(level=1).order_by("code").first())
        ctx["region"] = region
        ctx["panels"] = home_panels(user)
        if region is not None:
            ctx["path"] = region.path()
        if region is not None and not ctx["panels"]:
            visible = restrict(Region.objects.all(), user, "view")
            ctx["children"] = services.children_with_counts(region, visible)
            counts = services.counts_by_level(region.code)
            ctx["level_counts"] = [(Level(lvl).label, counts.get(lvl, 0))
                                   for lvl in range(region.level + 1, 6)]
            ctx["child_levels"] = [(lvl, Level(lvl).label) for lvl in range(region.level + 2, 6)]
        return ctx


def _error(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"status": status, "title": title, "message": message},
                  status=status)


def error_403(request, exception=None):
    return _error(request, 403, _("Not allowed"),
                  _("Your role or region does not allow this. Ask your administrator if you need it."))


def error_404(request, exception=None):
    return _error(request, 404, _("Not found"),
                  _("This page does not exist, or it is outside your region."))


def error_500(request):
    return _error(request, 500, _("Something went wrong"),
                  _("The error has been recorded. Please try again; nothing was half-saved."))


class FaviconView(AccessMixin, generic.RedirectView):
    access = "public"
    url = "/static/fupin/favicon.svg"
    permanent = True
