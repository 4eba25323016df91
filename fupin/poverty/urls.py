from django.urls import path

from fupin.poverty import notices, views

app_name = "poverty"

urlpatterns = [
    *views.HouseholdViews.urls(app_name, prefix="households/"),
    *views.PersonViews.urls(app_name, prefix="persons/"),
    *views.VillageProfileViews.urls(app_name, prefix="villages/"),
    *views.PovertyLineViews.urls(app_name, prefix="lines/"),
    *views.IncomeRecordViews.urls(app_name, prefix="incomes/"),
    *views.ProcedureViews.urls(app_name, prefix="procedures/"),
    *views.CrosscheckLeadViews.urls(app_name, prefix="leads/"),
    *notices.urlpatterns,
    path("households/<int:pk>/start/", views.StartProcedureView.as_view(), name="procedure_start"),
    path("households/<int:pk>/income/", views.RecordIncomeView.as_view(), name="income_record"),
    path("procedures/<int:pk>/step/", views.TakeStepView.as_view(), name="procedure_step"),
    path("procedures/<int:pk>/reject/", views.RejectProcedureView.as_view(),
         name="procedure_reject"),
    path("leads/<int:pk>/review/", views.ReviewLeadView.as_view(), name="lead_review"),
    path("overdue/panel/", views.OverduePanelView.as_view(), name="overdue_panel"),
]
