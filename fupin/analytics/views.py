"""Dashboard pages, table exports and the yearly report of a region.

Every view takes a region code in the URL and finds the region through the policy
(`restrict`), so a region outside the user's scope is "not found"; the figures come from the
rollups only (panels.build, report.build).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from fupin.analytics import panels, report
from fupin.analytics.models import Rollup
from fupin.core.export import export_table
from fupin.core.policy import can
from fupin.core.views import AccessMixin
from fupin.core.xlsx import XLSX_TYPE
from fupin.regions.models import Region
from fupin.regions.views import RegionHomeView, breadcrumb


class RegionFiguresMixin(AccessMixin):
    """A region in the user's scope (404 outside it) whose rollups the role may read."""

    model = Region
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Rollup, "view"):
            raise PermissionDenied(_("Your role may not do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_region(self) -> Region:
        if not hasattr(self, "_region"):
            self._region = get_object_or_404(self.get_queryset(), code=self.kwargs["pk"])
        return self._region


class DashboardHomeView(RegionHomeView):
    """The dashboard of the user's own scope region."""

    target = "analytics:dashboard"


class DashboardView(RegionFiguresMixin, generic.TemplateView):
    """The dashboard alone: what the region page shows as a panel, without the other panels,
    its children's names linking to their dashboards and the breadcrumb climbing back."""

    template_name = "analytics/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region = self.get_region()
        ctx.update(region=region, dashboard=panels.build(region).link("analytics:dashboard"),
                   breadcrumb=breadcrumb(region, self.request.user, siblings=False))
        return ctx


class TableExportView(RegionFiguresMixin, generic.View):
    """One table of the dashboard (`?table=<id>`, default the first) as CSV or XLSX
    (`?format=`): the numbers of its chart."""

    def get(self, request, *args, **kwargs):
        region = self.get_region()
        tables = panels.build(region).tables()
        name = request.GET.get("table") or next(iter(tables))
        table = tables.get(name)
        if table is None:
            raise Http404(_("No such table."))
        fmt = request.GET.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            raise Http404(_("No such format."))
        return export_table(table, fmt, f"{region.code}-{table.id}")


class ReportMixin(RegionFiguresMixin):
    def get_report(self) -> report.Report:
        region = self.get_region()
        year = self.request.GET.get("year")
        if year is not None and not (year.isdigit() and 1949 <= int(year) <= 2100):
            raise Http404(_("No such year."))
        return report.build(region, int(year) if year else None, self.request.user)


class ReportView(ReportMixin, generic.TemplateView):
    """The yearly report, printable from the browser, with its PDF and XLSX."""

    template_name = "analytics/report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["report"] = self.get_report()
        ctx["region"] = ctx["report"].region
        return ctx


class ReportPdfView(ReportMixin, generic.View):
    def get(self, request, *args, **kwargs):
        result = self.get_report()
        try:
            content = report.render_pdf(result)
        except report.PdfUnavailable as exc:
            messages.error(request, str(exc))
            url = reverse("analytics:report", args=[result.region.code])
            return HttpResponseRedirect(f"{url}?year={result.year}")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{result.filename}.pdf"'
        return response


class ReportXlsxView(ReportMixin, generic.View):
    def get(self, request, *args, **kwargs):
        result = self.get_report()
        response = HttpResponse(report.render_xlsx(result), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}.xlsx"'
        return response
