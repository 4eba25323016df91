"""The assistance API: every record declared with `crud` (the pages' filtersets and forms),
and two writes that are transitions, not plain CRUD, and run actions: logging a visit
(record_visit) and pairing a helper with a household (start_pairing). Pairings change only
through actions, so they are read-only here; presence is recorded by an action too.

A write answers, in this order: 401 without authentication; 422 for a body that does not fit
the schema (django-ninja checks it first); 403 when the role may not write; 422 without a body;
404 when a record named in the body is not visible to the user (a helper's other households);
then 400 when the action refuses (403 when it refuses the role or region).
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fupin.assistance import actions, forms
from fupin.assistance import choices as c
from fupin.assistance import filtersets as f
from fupin.assistance import models as m
from fupin.core.api import ERRORS, Out, Problem, crud, one, policy, rows
from fupin.party.models import PartyMember
from fupin.poverty.models import Household

router = Router(tags=["assistance"])


# --- schemas -----------------------------------------------------------------------------------
class Scoped(Out):
    id: int
    region_code: str


class PeriodOut(Scoped):
    starts_on: date
    ends_on: date | None


class WorkTeamOut(PeriodOut):
    name: str
    dispatching_unit: str
    unit_level: str


class WorkTeamMemberOut(PeriodOut):
    team_id: int
    name: str
    member_id: int | None
    role: str
    unit: str
    phone: str


class PresenceOut(Scoped):
    team_member_id: int
    month: date
    days: int


class WorkLogEntryOut(Scoped):
    team_id: int
    logged_on: date
    text: str


class ContactPointOut(PeriodOut):
    cadre_name: str
    post: str
    level: str


class ContactVisitOut(Scoped):
    contact_point_id: int
    visited_on: date
    problems_raised: str
    problems_solved: str


class BranchPairingOut(PeriodOut):
    helping_org_id: int
    helping_kind: str
    helping_region_code: str
    village_org_id: int
    agreed_actions: str
    money: Decimal
    materials_value: Decimal
    state: str


class PairingOut(PeriodOut):
    household_id: int
    helper_id: int
    helper_unit: str
    unit_level: str
    end_reason: str


class VisitOut(Scoped):
    household_id: int | None
    visitor_id: int | None
    visitor_name: str
    kind: str
    visited_on: date
    findings: str
    help_given: str
    follow_up: str


class MeasureOut(Scoped):
    household_id: int
    kind: str
    category: str
    year: int
    state: str
    amount: Decimal | None
    done_on: date | None
    project_id: int | None
    description: str
    effect: str


class VillagePlanOut(Scoped):
    name: str
    starts_year: int
    ends_year: int
    state: str
    progress: int
    accepted_on: date | None


class PlanFundingOut(Scoped):
    plan_id: int
    source: str
    amount: Decimal


class PlanProjectOut(Scoped):
    plan_id: int
    name: str
    investment: Decimal
    state: str
    done_on: date | None


class EnterpriseOut(Scoped):
    name: str
    kind: str
    business: str


class IndustryProjectOut(Scoped):
    name: str
    enterprise_id: int
    year: int
    funds: Decimal
    description: str


class IndustryBenefitOut(Scoped):
    project_id: int
    household_id: int
    kind: str
    amount: Decimal | None


class ResettlementSiteOut(Scoped):
    name: str
    kind: str
    capacity: int
    built_on: date | None


class RelocationOut(Scoped):
    household_id: int
    site_id: int
    site_region_code: str
    moved_on: date
    housing_area: Decimal | None
    employed: int
    follow_up: str


class ChunhuiEnvoyOut(Scoped):
    name: str
    lives_in: str
    occupation: str
    phone: str


class ChunhuiContributionOut(Scoped):
    envoy_id: int
    kind: str
    given_on: date
    value: Decimal
    description: str


class VisitIn(Schema):
    """A visit to a household (`household_id`), or to a village (`region_code`) without one."""

    household_id: int | None = None
    region_code: str = ""
    kind: Literal[tuple(c.VisitKind.values)] = "home"
    visited_on: date
    findings: str
    help_given: str = ""
    follow_up: str = ""
    visitor_name: str = ""


class PairingIn(Schema):
    household_id: int
    helper_id: int
    starts_on: date
    helper_unit: str = ""
    unit_level: Literal[("", *c.UnitLevel.values)] = ""


class PairingStartedOut(Schema):
    pairing: PairingOut
    ended: PairingOut | None
    warnings: list[str]


# --- declared records --------------------------------------------------------------------------
def by_household(model):
    return lambda: model.objects.select_related("household")


crud(router, "/teams/", m.WorkTeam, WorkTeamOut, f.WorkTeamFilterSet, forms.WorkTeamForm)
crud(router, "/team-members/", m.WorkTeamMember, WorkTeamMemberOut, f.WorkTeamMemberFilterSet,
     forms.WorkTeamMemberForm)
# Presence is recorded by actions.record_presence (the team member's page); a wrong month can go.
crud(router, "/presence/", m.Presence, PresenceOut, f.PresenceFilterSet,
     operations=("list", "detail", "delete"))
crud(router, "/work-log/", m.WorkLogEntry, WorkLogEntryOut, f.WorkLogEntryFilterSet,
     forms.WorkLogEntryForm)
crud(router, "/contact-points/", m.ContactPoint, ContactPointOut, f.ContactPointFilterSet,
     forms.ContactPointForm)
crud(router, "/contact-visits/", m.ContactVisit, ContactVisitOut, f.ContactVisitFilterSet,
     forms.ContactVisitForm)
crud(router, "/branch-pairings/", m.BranchPairing, BranchPairingOut, f.BranchPairingFilterSet,
     forms.BranchPairingForm)
crud(router, "/pairings/", m.Pairing, PairingOut, f.PairingFilterSet)
# A visit is logged by actions.record_visit (below); what was found can be corrected after.
crud(router, "/visits/", m.Visit, VisitOut, f.VisitFilterSet, forms.VisitForm,
     operations=("list", "detail", "update", "delete"))
crud(router, "/measures/", m.Measure, MeasureOut, f.MeasureFilterSet, forms.MeasureForm,
     queryset=by_household(m.Measure))
crud(router, "/village-plans/", m.VillagePlan, VillagePlanOut, f.VillagePlanFilterSet,
     forms.VillagePlanForm)
crud(router, "/plan-funding/", m.PlanFunding, PlanFundingOut, f.PlanFundingFilterSet,
     forms.PlanFundingForm)
crud(router, "/plan-projects/", m.PlanProject, PlanProjectOut, f.PlanProjectFilterSet,
     forms.PlanProjectForm)
crud(router, "/enterprises/", m.Enterprise, EnterpriseOut, f.EnterpriseFilterSet,
     forms.EnterpriseForm)
crud(router, "/industry-projects/", m.IndustryProject, IndustryProjectOut,
     f.IndustryProjectFilterSet, forms.IndustryProjectForm)
crud(router, "/industry-benefits/", m.IndustryBenefit, IndustryBenefitOut,
     f.IndustryBenefitFilterSet, forms.IndustryBenefitForm)
crud(router, "/resettlement-sites/", m.ResettlementSite, ResettlementSiteOut,
     f.ResettlementSiteFilterSet, forms.ResettlementSiteForm)
crud(router, "/relocations/", m.Relocation, RelocationOut, f.RelocationFilterSet,
     forms.RelocationForm)
crud(router, "/chunhui-envoys/", m.ChunhuiEnvoy, ChunhuiEnvoyOut, f.ChunhuiEnvoyFilterSet,
     forms.ChunhuiEnvoyForm)
crud(router, "/chunhui-contributions/", m.ChunhuiContribution, ChunhuiContributionOut,
     f.ChunhuiContributionFilterSet, forms.ChunhuiContributionForm)


# --- transitions: actions, not plain CRUD ------------------------------------------------------
def _body(payload):
    if payload is None:
        raise HttpError(422, _("The request has no body."))
    return payload


@router.post("/pairings/", response={201: PairingStartedOut, 422: Problem, **ERRORS},
             openapi_extra=policy("assistance.pairing", "add"))
def start_pairing(request, payload: PairingIn | None = None):
    """Make a party member the household's helper from `starts_on` (start_pairing): a current
    pairing with another helper ends the day before. `warnings` says when the helper is now
    over the load limit."""
    rows(request, m.Pairing, "add")
    data = _body(payload)
    household = one(request, Household, pk=data.household_id)
    helper = one(request, PartyMember, pk=data.helper_id)
    result = actions.start_pairing(household, helper, user=request.user,
                                   starts_on=data.starts_on, helper_unit=data.helper_unit,
                                   unit_level=data.unit_level)
    return Status(201, {"pairing": result.pairing, "ended": result.ended,
                        "warnings": [str(w) for w in result.warnings]})


@router.post("/visits/", response={201: VisitOut, 422: Problem, **ERRORS},
             openapi_extra=policy("assistance.visit", "add"))
def record_visit(request, payload: VisitIn | None = None):
    """Log a visit (record_visit): to a household you may see, or to a village in your region
    when `household_id` is empty. The visitor is you unless `visitor_name` says otherwise."""
    rows(request, m.Visit, "add")
    data = _body(payload)
    household = one(request, Household, pk=data.household_id) \
        if data.household_id is not None else None
    visit = actions.record_visit(
        user=request.user, visited_on=data.visited_on, findings=data.findings,
        household=household, region_code=data.region_code, kind=data.kind,
        help_given=data.help_given, follow_up=data.follow_up, visitor_name=data.visitor_name)
    return Status(201, visit)
