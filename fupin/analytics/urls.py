from django.urls import path

from fupin.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.DashboardHomeView.as_view(), name="dashboard_home"),
    path("<str:pk>/", views.DashboardView.as_view(), name="dashboard"),
    path("<str:pk>/export/", views.TableExportView.as_view(), name="export"),
    path("<str:pk>/report/", views.ReportView.as_view(), name="report"),
    path("<str:pk>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("<str:pk>/report.xlsx", views.ReportXlsxView.as_view(), name="report_xlsx"),
]
