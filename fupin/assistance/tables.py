import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.assistance import models as m
from fupin.core.tables import make_table

WorkTeamTable = make_table(m.WorkTeam, ("name", "region_code", "dispatching_unit", "unit_level",
                                        "starts_on", "ends_on"), link="name")
WorkTeamMemberTable = make_table(m.WorkTeamMember, ("name", "team", "role", "unit", "phone",
                                                    "starts_on", "ends_on", "region_code"),
                                 link="name")
PresenceTable = make_table(m.Presence, ("id", "team_member", "month", "days", "region_code"),
                           link="id")
WorkLogEntryTable = make_table(m.WorkLogEntry, ("logged_on", "team", "text", "region_code"),
                               link="logged_on")
ContactPointTable = make_table(m.ContactPoint, ("cadre_name", "post", "level", "region_code",
                                                "starts_on", "ends_on"), link="cadre_name")
ContactVisitTable = make_table(m.ContactVisit, ("visited_on", "contact_point",
                                                "problems_raised", "problems_solved",
                                                "region_code"), link="visited_on")
BranchPairingTable = make_table(m.BranchPairing, ("id", "village_org", "helping_org",
                                                  "helping_kind", "state", "starts_on",
                                                  "ends_on", "money", "region_code"), link="id")
PairingTable = make_table(m.Pairing, ("id", "household", "helper", "helper_unit", "starts_on",
                                      "ends_on", "end_reason", "region_code"), link="id")
VisitTable = make_table(m.Visit, ("visited_on", "household", "kind", "visitor_name",
                                  "findings", "region_code"), link="visited_on")
MeasureTable = make_table(m.Measure, ("kind", "household", "category", "year", "state",
                                      "amount", "done_on", "region_code"), link="kind")
VillagePlanTable = make_table(m.VillagePlan, ("name", "region_code", "starts_year", "ends_year",
                                              "state", "progress", "accepted_on"), link="name")
PlanFundingTable = make_table(m.PlanFunding, ("id", "plan", "source", "amount", "region_code"),
                              link="id")
PlanProjectTable = make_table(m.PlanProject, ("name", "plan", "investment", "state", "done_on",
                                              "region_code"), link="name")
EnterpriseTable = make_table(m.Enterprise, ("name", "kind", "business", "region_code"),
                             link="name")
IndustryProjectTable = make_table(m.IndustryProject, ("name", "enterprise", "year", "funds",
                                                      "region_code"), link="name")
IndustryBenefitTable = make_table(m.IndustryBenefit, ("id", "project", "household", "kind",
                                                      "amount", "region_code"), link="id")
ResettlementSiteTable = make_table(m.ResettlementSite, ("name", "kind", "capacity", "built_on",
                                                        "region_code"), link="name")
RelocationTable = make_table(m.Relocation, ("id", "household", "site", "moved_on",
                                            "housing_area", "employed", "region_code"), link="id")
ChunhuiEnvoyTable = make_table(m.ChunhuiEnvoy, ("name", "region_code", "lives_in", "occupation",
                                                "phone"), link="name")
ChunhuiContributionTable = make_table(m.ChunhuiContribution, ("given_on", "envoy", "kind",
                                                              "value", "description",
                                                              "region_code"), link="given_on")


class TeamMemberTable(WorkTeamMemberTable):
    """A team's members on the team page, with their days in the village last month and a link
    to record them (set `presence_days`, `minimum_days` and `can_record` on the instance)."""

    presence = tables.Column(empty_values=(), orderable=False,
                             verbose_name=_("days present last month"))

    def render_presence(self, record):
        days = getattr(self, "presence_days", {}).get(record.pk)
        minimum = getattr(self, "minimum_days", 0)
        shown = format_html('<span class="{}">{}</span>',
                            "text-danger" if days is None or days < minimum else "",
                            "—" if days is None else days)
        if getattr(self, "can_record", False):
            url = reverse("assistance:workteammember_presence", args=[record.pk])
            return format_html('{} <a class="ms-2" href="{}">{}</a>', shown, url,
                               _("record"))
        return shown
