"""The party-building API (党建): organizations, members, meetings and cadres declared with
`crud` from the pages' filtersets and forms. A member's stage and organization change only
through actions (advance_stage, transfers), which the member form leaves out."""

from datetime import date

from ninja import Router

from fupin.core.api import Out, crud
from fupin.party import filtersets as f
from fupin.party import forms
from fupin.party import models as m
from fupin.party.models import Cadre, Commitment, OrgMeeting, PartyMember, PartyOrg

router = Router(tags=["party"])


class OrgOut(Out):
    id: int
    code: str
    name: str
    kind: str
    basis: str
    region_code: str
    parent_id: int | None
    secretary_id: int | None
    founded_on: date | None
    dissolved_on: date | None
    covered_regions: list[str]

    @staticmethod
    def resolve_covered_regions(obj):
        return [c.region_code for c in obj.covered_regions.all()]


class MemberOut(Out):
    id: int
    org_id: int
    region_code: str
    name: str
    id_number: str
    sex: str
    birth_date: date
    ethnicity: str
    education: str
    stage: str
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    probationary_on: date | None
    full_on: date | None
    phone: str
    occupation: str
    is_farmer: bool
    is_demo_household: bool


class MeetingOut(Out):
    id: int
    org_id: int
    region_code: str
    kind: str
    date: date
    attendance: int
    expected: int
    topics: str


class CadreOut(Out):
    id: int
    region_code: str
    name: str
    sex: str
    education: str
    is_college_graduate: bool
    member_id: int | None
    id_number: str


crud(router, "/orgs/", PartyOrg, f.PartyOrgFilterSet, forms.PartyOrgForm, out=OrgOut,
     queryset=lambda: PartyOrg.objects.prefetch_related("covered_regions"),
     ordering=["region_code", "name"])
crud(router, "/members/", PartyMember, f.PartyMemberFilterSet, forms.PartyMemberForm,
     out=MemberOut, ordering=["region_code", "id"])
crud(router, "/meetings/", OrgMeeting, f.OrgMeetingFilterSet, forms.OrgMeetingForm,
     out=MeetingOut, ordering=["-date", "id"])
crud(router, "/cadres/", Cadre, f.CadreFilterSet, forms.CadreForm, out=CadreOut,
     ordering=["region_code", "name"])
# A model that needs no output of its own: every field, related records by id (model_out).
crud(router, "/commitments/", Commitment, f.CommitmentFilterSet, forms.CommitmentForm)
crud(router, "/posts/", m.MemberPost, f.MemberPostFilterSet, forms.MemberPostForm)
crud(router, "/zones/", m.ResponsibilityZone, f.ResponsibilityZoneFilterSet,
     forms.ResponsibilityZoneForm)
crud(router, "/stations/", m.ServiceStation, f.ServiceStationFilterSet, forms.ServiceStationForm)
crud(router, "/station-services/", m.StationService, f.StationServiceFilterSet,
     forms.StationServiceForm)
crud(router, "/care-visits/", m.CareVisit, f.CareVisitFilterSet, forms.CareVisitForm)
crud(router, "/committees/", m.Committee, f.CommitteeFilterSet, forms.CommitteeForm)
crud(router, "/cadre-careers/", m.CadreCareer, f.CadreCareerFilterSet, forms.CadreCareerForm)
crud(router, "/cadre-welfare/", m.CadreWelfare, f.CadreWelfareFilterSet, forms.CadreWelfareForm)
# Read-only: these change only through actions.py (transfers, elections, posts of the two
# committees, mobile members' registration), as on their pages.
crud(router, "/transfers/", m.Transfer, f.TransferFilterSet)
crud(router, "/mobile-members/", m.MobileMembership, f.MobileMembershipFilterSet)
crud(router, "/cadre-positions/", m.CadrePosition, f.CadrePositionFilterSet)
crud(router, "/elections/", m.Election, f.ElectionFilterSet)
crud(router, "/candidates/", m.Candidate, f.CandidateFilterSet)
