from fupin.core.filtersets import make_filterset
from fupin.party import models as m

PartyOrgFilterSet = make_filterset(m.PartyOrg, ["kind", "basis"], search=("name", "code"))
PartyMemberFilterSet = make_filterset(m.PartyMember, ["stage", "sex", "is_farmer",
                                                      "is_demo_household"], search=("name",))
MemberPostFilterSet = make_filterset(m.MemberPost, [], search=("post",))
ResponsibilityZoneFilterSet = make_filterset(m.ResponsibilityZone, [], search=("description",))
CommitmentFilterSet = make_filterset(m.Commitment, ["year", "status"], search=("text",))
TransferFilterSet = make_filterset(m.Transfer, ["state"])
ServiceStationFilterSet = make_filterset(m.ServiceStation, [], search=("name", "location"))
StationServiceFilterSet = make_filterset(m.StationService, ["station"])
MobileMembershipFilterSet = make_filterset(m.MobileMembership, ["has_activity_card"],
                                           search=("location",))
CareVisitFilterSet = make_filterset(m.CareVisit, [], search=("reason",))
OrgMeetingFilterSet = make_filterset(m.OrgMeeting, ["kind"], search=("topics",))
CommitteeFilterSet = make_filterset(m.Committee, ["kind"])
CadreFilterSet = make_filterset(m.Cadre, ["is_college_graduate"], search=("name",))
CadrePositionFilterSet = make_filterset(m.CadrePosition, ["post"])
CadreCareerFilterSet = make_filterset(m.CadreCareer, ["move"])
CadreWelfareFilterSet = make_filterset(m.CadreWelfare, ["year"])
ElectionFilterSet = make_filterset(m.Election, ["state"])
CandidateFilterSet = make_filterset(m.Candidate, ["elected", "shortlisted"])
