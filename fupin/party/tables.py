from fupin.core.tables import make_table
from fupin.party import models as m

PartyOrgTable = make_table(m.PartyOrg, ("name", "code", "kind", "basis", "region_code", "parent",
                                        "secretary", "founded_on"), link="name")
PartyMemberTable = make_table(m.PartyMember, (
    "name", "org", "region_code", "stage", "sex", "birth_date", "ethnicity", "education",
    "id_number", "phone", "occupation", "is_farmer", "is_demo_household"), link="name")
MemberPostTable = make_table(m.MemberPost, ("post", "member", "region_code", "starts_on",
                                            "ends_on"), link="post")
ResponsibilityZoneTable = make_table(m.ResponsibilityZone, ("description", "member",
                                                            "region_code"), link="description")
CommitmentTable = make_table(m.Commitment, ("text", "member", "year", "status", "region_code"),
                             link="text")
TransferTable = make_table(m.Transfer, ("id", "member", "from_org", "to_org", "state",
                                        "issued_on", "accepted_on"), link="id")
ServiceStationTable = make_table(m.ServiceStation, ("name", "host_unit", "location",
                                                    "region_code"), link="name")
StationServiceTable = make_table(m.StationService, ("service", "station", "member", "date"),
                                 link="service")
MobileMembershipTable = make_table(m.MobileMembership, (
    "member", "location", "away_since", "station", "has_activity_card", "last_contact_on",
    "returned_on", "region_code"), link="member")
CareVisitTable = make_table(m.CareVisit, ("member", "date", "reason", "help_given", "amount"),
                            link="member")
OrgMeetingTable = make_table(m.OrgMeeting, ("date", "org", "kind", "attendance", "expected",
                                            "topics", "region_code"), link="date")
CommitteeTable = make_table(m.Committee, ("id", "kind", "region_code", "org", "term_starts_on",
                                          "term_ends_on"), link="id")
CadreTable = make_table(m.Cadre, ("name", "region_code", "sex", "birth_date", "education",
                                  "is_college_graduate", "id_number", "phone"), link="name")
CadrePositionTable = make_table(m.CadrePosition, ("cadre", "committee", "post", "starts_on",
                                                  "ends_on", "region_code"), link="cadre")
CadreCareerTable = make_table(m.CadreCareer, ("cadre", "move", "date", "new_post"),
                              link="cadre")
CadreWelfareTable = make_table(m.CadreWelfare, ("cadre", "year", "pay", "pension_insurance",
                                                "medical_insurance", "severance"), link="cadre")
ElectionTable = make_table(m.Election, ("id", "org", "committee_kind", "state", "seats",
                                        "held_on", "region_code"), link="id")
CandidateTable = make_table(m.Candidate, ("member", "election", "member_votes",
                                          "public_votes", "shortlisted", "ballot_votes",
                                          "elected", "post"), link="member")
