"""Filters of the assistance lists. A related record (household, team, plan, ...) is filtered by
its id (`?household=12`, as the household and team pages link), never offered as a select of
every row in the database."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.assistance import models as m
from fupin.core.filtersets import make_filterset


def by_id(field: str, label):
    return django_filters.NumberFilter(field_name=field, label=label)


class CurrentFilter(django_filters.BooleanFilter):
    """Running today (started, and not ended or ending later)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("current"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        current = self.model.current_q(timezone.localdate())
        return qs.filter(current) if value else qs.exclude(current)


def with_filters(base, **filters):
    return type(base.__name__, (base,), filters)


WorkTeamFilterSet = with_filters(
    make_filterset(m.WorkTeam, ["unit_level"], search=("name", "dispatching_unit")),
    current=CurrentFilter())
WorkTeamMemberFilterSet = with_filters(
    make_filterset(m.WorkTeamMember, ["role"], search=("name", "unit")),
    current=CurrentFilter(), team=by_id("team", _("work team")))
PresenceFilterSet = with_filters(
    make_filterset(m.Presence, ["month"]),
    team_member=by_id("team_member", _("work-team member")))
WorkLogEntryFilterSet = with_filters(
    make_filterset(m.WorkLogEntry, [], search=("text",)), team=by_id("team", _("work team")))
ContactPointFilterSet = with_filters(
    make_filterset(m.ContactPoint, ["level"], search=("cadre_name", "post")),
    current=CurrentFilter())
ContactVisitFilterSet = with_filters(
    make_filterset(m.ContactVisit, [], search=("problems_raised", "problems_solved")),
    contact_point=by_id("contact_point", _("contact point")))
BranchPairingFilterSet = with_filters(
    make_filterset(m.BranchPairing, ["helping_kind", "state"], search=("agreed_actions",)),
    current=CurrentFilter(), village_org=by_id("village_org", _("village branch")))
PairingFilterSet = with_filters(
    make_filterset(m.Pairing, ["end_reason", "unit_level"], search=("helper_unit",)),
    current=CurrentFilter(), household=by_id("household", _("household")),
    helper=by_id("helper", _("helper")))
VisitFilterSet = with_filters(
    make_filterset(m.Visit, ["kind"], search=("visitor_name", "findings")),
    household=by_id("household", _("household")),
    since=django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("from"),
                                    widget=django_filters.widgets.forms.DateInput(
                                        attrs={"type": "date"}, format="%Y-%m-%d")))
MeasureFilterSet = with_filters(
    make_filterset(m.Measure, ["kind", "category", "state", "year"], search=("description",)),
    household=by_id("household", _("household")))
VillagePlanFilterSet = make_filterset(m.VillagePlan, ["state"], search=("name",))
PlanFundingFilterSet = with_filters(make_filterset(m.PlanFunding, ["source"]),
                                    plan=by_id("plan", _("whole-village plan")))
PlanProjectFilterSet = with_filters(make_filterset(m.PlanProject, ["state"], search=("name",)),
                                    plan=by_id("plan", _("whole-village plan")))
EnterpriseFilterSet = make_filterset(m.Enterprise, ["kind"], search=("name", "business"))
IndustryProjectFilterSet = with_filters(
    make_filterset(m.IndustryProject, ["year"], search=("name",)),
    enterprise=by_id("enterprise", _("enterprise")))
IndustryBenefitFilterSet = with_filters(
    make_filterset(m.IndustryBenefit, ["kind"]),
    project=by_id("project", _("industry project")), household=by_id("household", _("household")))
ResettlementSiteFilterSet = make_filterset(m.ResettlementSite, ["kind"], search=("name",))
RelocationFilterSet = with_filters(make_filterset(m.Relocation, []),
                                   site=by_id("site", _("resettlement site")),
                                   household=by_id("household", _("household")))
ChunhuiEnvoyFilterSet = make_filterset(m.ChunhuiEnvoy, [], search=("name", "lives_in"))
ChunhuiContributionFilterSet = with_filters(
    make_filterset(m.ChunhuiContribution, ["kind"], search=("description",)),
    envoy=by_id("envoy", _("envoy")))
