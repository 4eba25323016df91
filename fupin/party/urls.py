from fupin.party import views

app_name = "party"

urlpatterns = [
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
