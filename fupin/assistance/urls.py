from django.urls import path

from fupin.assistance import views

app_name = "assistance"

urlpatterns = [
    path("gaps/", views.GapsView.as_view(), name="gaps"),
    path("gaps/panel/", views.GapsPanelView.as_view(), name="gaps_panel"),
    path("households/<int:pk>/pair/", views.StartPairingView.as_view(), name="household_pair"),
    path("pairings/<int:pk>/end/", views.EndPairingView.as_view(), name="pairing_end"),
    path("team-members/<int:pk>/presence/", views.RecordPresenceView.as_view(),
         name="workteammember_presence"),
    path("measures/<int:pk>/done/", views.FinishMeasureView.as_view(), name="measure_done"),
    *views.WorkTeamViews.urls(app_name, prefix="teams/"),
    *views.WorkTeamMemberViews.urls(app_name, prefix="team-members/"),
    *views.PresenceViews.urls(app_name, prefix="presence/"),
    *views.WorkLogEntryViews.urls(app_name, prefix="work-log/"),
    *views.ContactPointViews.urls(app_name, prefix="contact-points/"),
    *views.ContactVisitViews.urls(app_name, prefix="contact-visits/"),
    *views.BranchPairingViews.urls(app_name, prefix="branch-pairings/"),
    *views.PairingViews.urls(app_name, prefix="pairings/"),
    *views.VisitViews.urls(app_name, prefix="visits/"),
    *views.MeasureViews.urls(app_name, prefix="measures/"),
    *views.VillagePlanViews.urls(app_name, prefix="village-plans/"),
    *views.PlanFundingViews.urls(app_name, prefix="plan-funding/"),
    *views.PlanProjectViews.urls(app_name, prefix="plan-projects/"),
    *views.EnterpriseViews.urls(app_name, prefix="enterprises/"),
    *views.IndustryProjectViews.urls(app_name, prefix="industry-projects/"),
    *views.IndustryBenefitViews.urls(app_name, prefix="industry-benefits/"),
    *views.ResettlementSiteViews.urls(app_name, prefix="resettlement-sites/"),
    *views.RelocationViews.urls(app_name, prefix="relocations/"),
    *views.ChunhuiEnvoyViews.urls(app_name, prefix="chunhui-envoys/"),
    *views.ChunhuiContributionViews.urls(app_name, prefix="chunhui-contributions/"),
]
