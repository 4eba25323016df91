from fupin.core.views import ViewSet
from fupin.party import filtersets as f
from fupin.party import forms, tables
from fupin.party import models as m


def viewset(model, table, filterset, form=None, read_only=False, **extra):
    attrs = {"model": model, "table": table, "filterset": filterset, "form": form, **extra}
    if read_only:
        attrs.update(create_view=None, edit_view=None, delete_view=None)
    return type(f"{model.__name__}Views", (ViewSet,), attrs)


PartyOrgViews = viewset(m.PartyOrg, tables.PartyOrgTable, f.PartyOrgFilterSet, forms.PartyOrgForm)
PartyMemberViews = viewset(m.PartyMember, tables.PartyMemberTable, f.PartyMemberFilterSet,
                           forms.PartyMemberForm,
                           queryset=lambda: m.PartyMember.objects.select_related("org"))
MemberPostViews = viewset(m.MemberPost, tables.MemberPostTable, f.MemberPostFilterSet,
                          forms.MemberPostForm)
ResponsibilityZoneViews = viewset(m.ResponsibilityZone, tables.ResponsibilityZoneTable,
                                  f.ResponsibilityZoneFilterSet, forms.ResponsibilityZoneForm)
CommitmentViews = viewset(m.Commitment, tables.CommitmentTable, f.CommitmentFilterSet,
                          forms.CommitmentForm)
# Transfers, positions, elections and candidates change only through actions.py.
TransferViews = viewset(m.Transfer, tables.TransferTable, f.TransferFilterSet, read_only=True)
ServiceStationViews = viewset(m.ServiceStation, tables.ServiceStationTable,
                              f.ServiceStationFilterSet, forms.ServiceStationForm)
StationServiceViews = viewset(m.StationService, tables.StationServiceTable,
                              f.StationServiceFilterSet, forms.StationServiceForm)
MobileMembershipViews = viewset(m.MobileMembership, tables.MobileMembershipTable,
                                f.MobileMembershipFilterSet, read_only=True)
CareVisitViews = viewset(m.CareVisit, tables.CareVisitTable, f.CareVisitFilterSet,
                         forms.CareVisitForm)
OrgMeetingViews = viewset(m.OrgMeeting, tables.OrgMeetingTable, f.OrgMeetingFilterSet,
                          forms.OrgMeetingForm)
CommitteeViews = viewset(m.Committee, tables.CommitteeTable, f.CommitteeFilterSet,
                         forms.CommitteeForm)
CadreViews = viewset(m.Cadre, tables.CadreTable, f.CadreFilterSet, forms.CadreForm)
CadrePositionViews = viewset(m.CadrePosition, tables.CadrePositionTable,
                             f.CadrePositionFilterSet, read_only=True)
CadreCareerViews = viewset(m.CadreCareer, tables.CadreCareerTable, f.CadreCareerFilterSet,
                           forms.CadreCareerForm)
CadreWelfareViews = viewset(m.CadreWelfare, tables.CadreWelfareTable, f.CadreWelfareFilterSet,
                            forms.CadreWelfareForm)
ElectionViews = viewset(m.Election, tables.ElectionTable, f.ElectionFilterSet, read_only=True)
CandidateViews = viewset(m.Candidate, tables.CandidateTable, f.CandidateFilterSet,
                         read_only=True)
