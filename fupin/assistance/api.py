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
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fupin.assistance import actions, forms
from fupin.assistance import choices as c
from fupin.assistance import filtersets as f
from fupin.assistance import models as m
from fupin.core.api import ERRORS, Problem, crud, model_out, one, policy, rows
from fupin.party.models import PartyMember
from fupin.poverty.models import Household

router = Router(tags=["assistance"])


# --- schemas: the records' own are made from their models (core.api.model_out) ------------------
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
    pairing: model_out(m.Pairing)
    ended: model_out(m.Pairing) | None
    warnings: list[str]


# --- declared records --------------------------------------------------------------------------
crud(router, "/teams/", m.WorkTeam, f.WorkTeamFilterSet, forms.WorkTeamForm)
crud(router, "/team-members/", m.WorkTeamMember, f.WorkTeamMemberFilterSet, forms.WorkTeamMemberForm)
# Presence is recorded by actions.record_presence (the team member's page); a wrong month can go.
crud(router, "/presence/", m.Presence, f.PresenceFilterSet, operations=("list", "detail", "delete"))
crud(router, "/work-log/", m.WorkLogEntry, f.WorkLogEntryFilterSet, forms.WorkLogEntryForm)
crud(router, "/contact-points/", m.ContactPoint, f.ContactPointFilterSet, forms.ContactPointForm)
crud(router, "/contact-visits/", m.ContactVisit, f.ContactVisitFilterSet, forms.ContactVisitForm)
crud(router, "/branch-pairings/", m.BranchPairing, f.BranchPairingFilterSet,
     forms.BranchPairingForm)
crud(router, "/pairings/", m.Pairing, f.PairingFilterSet)  # started by start_pairing (below)
# A visit is logged by actions.record_visit (below); what was found can be corrected after.
crud(router, "/visits/", m.Visit, f.VisitFilterSet, forms.VisitForm,
     operations=("list", "detail", "update", "delete"))
crud(router, "/measures/", m.Measure, f.MeasureFilterSet, forms.MeasureForm)
crud(router, "/village-plans/", m.VillagePlan, f.VillagePlanFilterSet, forms.VillagePlanForm)
crud(router, "/plan-funding/", m.PlanFunding, f.PlanFundingFilterSet, forms.PlanFundingForm)
crud(router, "/plan-projects/", m.PlanProject, f.PlanProjectFilterSet, forms.PlanProjectForm)
crud(router, "/enterprises/", m.Enterprise, f.EnterpriseFilterSet, forms.EnterpriseForm)
crud(router, "/industry-projects/", m.IndustryProject, f.IndustryProjectFilterSet,
     forms.IndustryProjectForm)
crud(router, "/industry-benefits/", m.IndustryBenefit, f.IndustryBenefitFilterSet,
     forms.IndustryBenefitForm)
crud(router, "/resettlement-sites/", m.ResettlementSite, f.ResettlementSiteFilterSet,
     forms.ResettlementSiteForm)
crud(router, "/relocations/", m.Relocation, f.RelocationFilterSet, forms.RelocationForm)
crud(router, "/chunhui-envoys/", m.ChunhuiEnvoy, f.ChunhuiEnvoyFilterSet, forms.ChunhuiEnvoyForm)
crud(router, "/chunhui-contributions/", m.ChunhuiContribution, f.ChunhuiContributionFilterSet,
     forms.ChunhuiContributionForm)


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


@router.post("/visits/", response={201: model_out(m.Visit), 422: Problem, **ERRORS},
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
