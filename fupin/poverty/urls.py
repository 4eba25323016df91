from fupin.poverty import views

app_name = "poverty"

urlpatterns = [
    *views.HouseholdViews.urls(app_name, prefix="households/"),
    *views.PersonViews.urls(app_name, prefix="persons/"),
    *views.VillageProfileViews.urls(app_name, prefix="villages/"),
    *views.PovertyLineViews.urls(app_name, prefix="lines/"),
    *views.IncomeRecordViews.urls(app_name, prefix="incomes/"),
    *views.ProcedureViews.urls(app_name, prefix="procedures/"),
    *views.CrosscheckLeadViews.urls(app_name, prefix="leads/"),
]
