from django.contrib import admin
from django.urls import include, path

from fupin.api import api
from fupin.web.views import FaviconView

urlpatterns = [
    path("", include("fupin.web.urls")),
    path("accounts/", include("fupin.accounts.urls")),
    path("regions/", include("fupin.regions.urls")),
    path("audit/", include("fupin.core.urls")),
    path("poverty/", include("fupin.poverty.urls")),
    path("party/", include("fupin.party.urls")),
    path("assistance/", include("fupin.assistance.urls")),
    path("training/", include("fupin.training.urls")),
    path("democracy/", include("fupin.democracy.urls")),
    # The public village pages (no login): /v/<12-digit village code>/
    path("v/", include("fupin.democracy.openness.public_urls")),
    path("supervision/", include("fupin.supervision.urls")),
    path("ingest/", include("fupin.ingest.urls")),
    path("analytics/", include("fupin.analytics.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
]

handler403 = "fupin.web.views.error_403"
handler404 = "fupin.web.views.error_404"
handler500 = "fupin.web.views.error_500"
