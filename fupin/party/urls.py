from django.urls import path

from fupin.party import views

app_name = "party"

urlpatterns = [
    path("shortfalls/", views.ShortfallView.as_view(), name="shortfalls"),
    path("cadres/derived/", views.CadreDerivedView.as_view(), name="cadre_derived"),
    path("mobile/uncontacted/", views.UncontactedView.as_view(), name="uncontacted"),
    path("orgs/<int:pk>/meeting/", views.RecordMeetingView.as_view(), name="org_meeting"),
    path("members/<int:pk>/stage/", views.AdvanceStageView.as_view(), name="member_stage"),
    path("members/<int:pk>/transfer/", views.IssueTransferView.as_view(),
         name="member_transfer"),
    path("members/<int:pk>/mobility/", views.RecordMobilityView.as_view(),
         name="member_mobility"),
    path("transfers/<int:pk>/accept/", views.AcceptTransferView.as_view(),
         name="transfer_accept"),
    path("transfers/<int:pk>/return/", views.ReturnTransferView.as_view(),
         name="transfer_return"),
    path("mobile/<int:pk>/contact/", views.RecordContactView.as_view(), name="mobility_contact"),
    path("mobile/<int:pk>/return/", views.RecordReturnView.as_view(), name="mobility_return"),
    *views.PartyOrgViews.urls(app_name, prefix="orgs/"),
    *views.PartyMemberViews.urls(app_name, prefix="members/"),
    *views.MemberPostViews.urls(app_name, prefix="posts/"),
    *views.ResponsibilityZoneViews.urls(app_name, prefix="zones/"),
    *views.CommitmentViews.urls(app_name, prefix="commitments/"),
    *views.TransferViews.urls(app_name, prefix="transfers/"),
    *views.ServiceStationViews.urls(app_name, prefix="stations/"),
    *views.StationServiceViews.urls(app_name, prefix="station-services/"),
    *views.MobileMembershipViews.urls(app_name, prefix="mobile/"),
    *views.CareVisitViews.urls(app_name, prefix="care/"),
    *views.OrgMeetingViews.urls(app_name, prefix="meetings/"),
    *views.CommitteeViews.urls(app_name, prefix="committees/"),
    *views.CadreViews.urls(app_name, prefix="cadres/"),
    *views.CadrePositionViews.urls(app_name, prefix="positions/"),
    *views.CadreCareerViews.urls(app_name, prefix="careers/"),
    *views.CadreWelfareViews.urls(app_name, prefix="welfare/"),
    *views.ElectionViews.urls(app_name, prefix="elections/"),
    *views.CandidateViews.urls(app_name, prefix="candidates/"),
]
