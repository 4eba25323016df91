"""The assistance API: list and detail of every record through the policy (phones masked for
roles without the personal-data permission), and two writes that run actions: logging a visit
(record_visit) and pairing a helper with a household (start_pairing).

A write answers, in this order: 401 without authentication; 422 for a body that does not fit
the schema (django-ninja checks it first); 403 when the role may not write; 422 without a body;
404 when a record named in the body is not visible to the user (a helper's other households);
then 400 when the action refuses (403 when it refuses the role or region).
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fupin.assistance import actions
from fupin.assistance import choices as c
from fupin.assistance import models as m
from fupin.core.actions import ActionRefused, NotPermitted
from fupin.core.api import masked, one, policy, rows
from fupin.party.models import PartyMember
from fupin.poverty.models import Household
from fupin.regions.scope import is_valid_code, within

router = Router(tags=["assistance"])


# --- schemas -----------------------------------------------------------------------------------
class Scoped(Schema):
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

    @staticmethod
    def resolve_phone(obj, context):
        return masked(context["request"], m.WorkTeamMember, {"phone": obj.phone})["phone"]


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

    @staticmethod
    def resolve_phone(obj, context):
        return masked(context["request"], m.ChunhuiEnvoy, {"phone": obj.phone})["phone"]


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
    kind: str = "home"
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
    unit_level: str = ""


class PairingStartedOut(Schema):
    pairing: PairingOut
    ended: PairingOut | None
    warnings: list[str]


# --- helpers -----------------------------------------------------------------------------------
def _listed(request, model, region: str | None, current: bool | None = None, **exact):
    """Rows of `model` the user may see, under `region` (any level), optionally only the
    current ones (a period running today), filtered by the given exact values."""
    qs = rows(request, model)
    if region:
        qs = qs.filter(within(region)) if is_valid_code(region) else qs.none()
    if current is not None:
        running = model.current_q(timezone.localdate())
        qs = qs.filter(running) if current else qs.exclude(running)
    for field, value in exact.items():
        if value is not None and value != "":
            qs = qs.filter(**{field: value})
    return qs.order_by(*model._meta.ordering, "pk")


def _body(payload):
    if payload is None:
        raise HttpError(422, _("The request has no body."))
    return payload


def _choice(value: str, choices, name: str, blank: bool = False) -> None:
    if not (blank and value == "") and value not in choices.values:
        raise HttpError(422, _("%(field)s must be one of: %(values)s.")
                        % {"field": name, "values": ", ".join(choices.values)})


def _refused(exc: ActionRefused):
    status = 403 if isinstance(exc, NotPermitted) else 400
    return HttpError(status, "; ".join(exc.messages))


# --- work teams and contact points ------------------------------------------------------------
@router.get("/teams/", response=list[WorkTeamOut], openapi_extra=policy("assistance.workteam"))
@paginate
def list_work_teams(request, region: str | None = None, current: bool | None = None):
    """Work teams stationed in villages; `current` keeps those whose term runs today."""
    return _listed(request, m.WorkTeam, region, current)


@router.get("/teams/{team_id}", response=WorkTeamOut,
            openapi_extra=policy("assistance.workteam"))
def get_work_team(request, team_id: int):
    return one(request, m.WorkTeam, pk=team_id)


@router.get("/team-members/", response=list[WorkTeamMemberOut],
            openapi_extra=policy("assistance.workteammember"))
@paginate
def list_team_members(request, region: str | None = None, team: int | None = None,
                      current: bool | None = None):
    return _listed(request, m.WorkTeamMember, region, current, team_id=team)


@router.get("/team-members/{member_id}", response=WorkTeamMemberOut,
            openapi_extra=policy("assistance.workteammember"))
def get_team_member(request, member_id: int):
    return one(request, m.WorkTeamMember, pk=member_id)


@router.get("/presence/", response=list[PresenceOut], openapi_extra=policy("assistance.presence"))
@paginate
def list_presence(request, region: str | None = None, team_member: int | None = None,
                  month: date | None = None):
    return _listed(request, m.Presence, region, team_member_id=team_member, month=month)


@router.get("/presence/{presence_id}", response=PresenceOut,
            openapi_extra=policy("assistance.presence"))
def get_presence(request, presence_id: int):
    return one(request, m.Presence, pk=presence_id)


@router.get("/work-log/", response=list[WorkLogEntryOut],
            openapi_extra=policy("assistance.worklogentry"))
@paginate
def list_work_log(request, region: str | None = None, team: int | None = None):
    return _listed(request, m.WorkLogEntry, region, team_id=team)


@router.get("/work-log/{entry_id}", response=WorkLogEntryOut,
            openapi_extra=policy("assistance.worklogentry"))
def get_work_log_entry(request, entry_id: int):
    return one(request, m.WorkLogEntry, pk=entry_id)


@router.get("/contact-points/", response=list[ContactPointOut],
            openapi_extra=policy("assistance.contactpoint"))
@paginate
def list_contact_points(request, region: str | None = None, current: bool | None = None):
    return _listed(request, m.ContactPoint, region, current)


@router.get("/contact-points/{point_id}", response=ContactPointOut,
            openapi_extra=policy("assistance.contactpoint"))
def get_contact_point(request, point_id: int):
    return one(request, m.ContactPoint, pk=point_id)


@router.get("/contact-visits/", response=list[ContactVisitOut],
            openapi_extra=policy("assistance.contactvisit"))
@paginate
def list_contact_visits(request, region: str | None = None, contact_point: int | None = None):
    return _listed(request, m.ContactVisit, region, contact_point_id=contact_point)


@router.get("/contact-visits/{visit_id}", response=ContactVisitOut,
            openapi_extra=policy("assistance.contactvisit"))
def get_contact_visit(request, visit_id: int):
    return one(request, m.ContactVisit, pk=visit_id)


# --- pairing and visits ------------------------------------------------------------------------
@router.get("/branch-pairings/", response=list[BranchPairingOut],
            openapi_extra=policy("assistance.branchpairing"))
@paginate
def list_branch_pairings(request, region: str | None = None, current: bool | None = None,
                         state: str | None = None, village_org: int | None = None):
    return _listed(request, m.BranchPairing, region, current, state=state,
                   village_org_id=village_org)


@router.get("/branch-pairings/{pairing_id}", response=BranchPairingOut,
            openapi_extra=policy("assistance.branchpairing"))
def get_branch_pairing(request, pairing_id: int):
    return one(request, m.BranchPairing, pk=pairing_id)


@router.get("/pairings/", response=list[PairingOut], openapi_extra=policy("assistance.pairing"))
@paginate
def list_pairings(request, region: str | None = None, current: bool | None = None,
                  household: int | None = None, helper: int | None = None):
    """Household pairings (万名党员帮扶); a helper sees their own."""
    return _listed(request, m.Pairing, region, current, household_id=household,
                   helper_id=helper)


@router.get("/pairings/{pairing_id}", response=PairingOut,
            openapi_extra=policy("assistance.pairing"))
def get_pairing(request, pairing_id: int):
    return one(request, m.Pairing, pk=pairing_id)


@router.post("/pairings/", response={201: PairingStartedOut},
             openapi_extra=policy("assistance.pairing", "add"))
def start_pairing(request, payload: PairingIn | None = None):
    """Make a party member the household's helper from `starts_on` (start_pairing): a current
    pairing with another helper ends the day before. `warnings` says when the helper is now
    over the load limit."""
    rows(request, m.Pairing, "add")
    data = _body(payload)
    _choice(data.unit_level, c.UnitLevel, "unit_level", blank=True)
    household = one(request, Household, pk=data.household_id)
    helper = one(request, PartyMember, pk=data.helper_id)
    try:
        result = actions.start_pairing(household, helper, user=request.user,
                                       starts_on=data.starts_on, helper_unit=data.helper_unit,
                                       unit_level=data.unit_level)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return Status(201, {"pairing": result.pairing, "ended": result.ended,
                        "warnings": [str(w) for w in result.warnings]})


@router.get("/visits/", response=list[VisitOut], openapi_extra=policy("assistance.visit"))
@paginate
def list_visits(request, region: str | None = None, household: int | None = None,
                since: date | None = None):
    """Visits, newest first; a helper sees the visits they logged."""
    qs = _listed(request, m.Visit, region, household_id=household)
    if since is not None:
        qs = qs.filter(visited_on__gte=since)
    return qs


@router.get("/visits/{visit_id}", response=VisitOut, openapi_extra=policy("assistance.visit"))
def get_visit(request, visit_id: int):
    return one(request, m.Visit, pk=visit_id)


@router.post("/visits/", response={201: VisitOut}, openapi_extra=policy("assistance.visit", "add"))
def record_visit(request, payload: VisitIn | None = None):
    """Log a visit (record_visit): to a household you may see, or to a village in your region
    when `household_id` is empty. The visitor is you unless `visitor_name` says otherwise."""
    rows(request, m.Visit, "add")
    data = _body(payload)
    _choice(data.kind, c.VisitKind, "kind")
    household = one(request, Household, pk=data.household_id) \
        if data.household_id is not None else None
    try:
        visit = actions.record_visit(
            user=request.user, visited_on=data.visited_on, findings=data.findings,
            household=household, region_code=data.region_code, kind=data.kind,
            help_given=data.help_given, follow_up=data.follow_up,
            visitor_name=data.visitor_name)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return Status(201, visit)


# --- measures and projects ---------------------------------------------------------------------
@router.get("/measures/", response=list[MeasureOut], openapi_extra=policy("assistance.measure"))
@paginate
def list_measures(request, region: str | None = None, household: int | None = None,
                  year: int | None = None, state: str | None = None, kind: str | None = None):
    return _listed(request, m.Measure, region, household_id=household, year=year, state=state,
                   kind=kind)


@router.get("/measures/{measure_id}", response=MeasureOut,
            openapi_extra=policy("assistance.measure"))
def get_measure(request, measure_id: int):
    return one(request, m.Measure, pk=measure_id)


@router.get("/village-plans/", response=list[VillagePlanOut],
            openapi_extra=policy("assistance.villageplan"))
@paginate
def list_village_plans(request, region: str | None = None, state: str | None = None):
    return _listed(request, m.VillagePlan, region, state=state)


@router.get("/village-plans/{plan_id}", response=VillagePlanOut,
            openapi_extra=policy("assistance.villageplan"))
def get_village_plan(request, plan_id: int):
    return one(request, m.VillagePlan, pk=plan_id)


@router.get("/plan-funding/", response=list[PlanFundingOut],
            openapi_extra=policy("assistance.planfunding"))
@paginate
def list_plan_funding(request, region: str | None = None, plan: int | None = None):
    return _listed(request, m.PlanFunding, region, plan_id=plan)


@router.get("/plan-funding/{funding_id}", response=PlanFundingOut,
            openapi_extra=policy("assistance.planfunding"))
def get_plan_funding(request, funding_id: int):
    return one(request, m.PlanFunding, pk=funding_id)


@router.get("/plan-projects/", response=list[PlanProjectOut],
            openapi_extra=policy("assistance.planproject"))
@paginate
def list_plan_projects(request, region: str | None = None, plan: int | None = None):
    return _listed(request, m.PlanProject, region, plan_id=plan)


@router.get("/plan-projects/{project_id}", response=PlanProjectOut,
            openapi_extra=policy("assistance.planproject"))
def get_plan_project(request, project_id: int):
    return one(request, m.PlanProject, pk=project_id)


@router.get("/enterprises/", response=list[EnterpriseOut],
            openapi_extra=policy("assistance.enterprise"))
@paginate
def list_enterprises(request, region: str | None = None, kind: str | None = None):
    return _listed(request, m.Enterprise, region, kind=kind)


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut,
            openapi_extra=policy("assistance.enterprise"))
def get_enterprise(request, enterprise_id: int):
    return one(request, m.Enterprise, pk=enterprise_id)


@router.get("/industry-projects/", response=list[IndustryProjectOut],
            openapi_extra=policy("assistance.industryproject"))
@paginate
def list_industry_projects(request, region: str | None = None, enterprise: int | None = None,
                           year: int | None = None):
    return _listed(request, m.IndustryProject, region, enterprise_id=enterprise, year=year)


@router.get("/industry-projects/{project_id}", response=IndustryProjectOut,
            openapi_extra=policy("assistance.industryproject"))
def get_industry_project(request, project_id: int):
    return one(request, m.IndustryProject, pk=project_id)


@router.get("/industry-benefits/", response=list[IndustryBenefitOut],
            openapi_extra=policy("assistance.industrybenefit"))
@paginate
def list_industry_benefits(request, region: str | None = None, project: int | None = None,
                           household: int | None = None):
    return _listed(request, m.IndustryBenefit, region, project_id=project,
                   household_id=household)


@router.get("/industry-benefits/{benefit_id}", response=IndustryBenefitOut,
            openapi_extra=policy("assistance.industrybenefit"))
def get_industry_benefit(request, benefit_id: int):
    return one(request, m.IndustryBenefit, pk=benefit_id)


@router.get("/resettlement-sites/", response=list[ResettlementSiteOut],
            openapi_extra=policy("assistance.resettlementsite"))
@paginate
def list_resettlement_sites(request, region: str | None = None):
    return _listed(request, m.ResettlementSite, region)


@router.get("/resettlement-sites/{site_id}", response=ResettlementSiteOut,
            openapi_extra=policy("assistance.resettlementsite"))
def get_resettlement_site(request, site_id: int):
    return one(request, m.ResettlementSite, pk=site_id)


@router.get("/relocations/", response=list[RelocationOut],
            openapi_extra=policy("assistance.relocation"))
@paginate
def list_relocations(request, region: str | None = None, site: int | None = None,
                     household: int | None = None):
    return _listed(request, m.Relocation, region, site_id=site, household_id=household)


@router.get("/relocations/{relocation_id}", response=RelocationOut,
            openapi_extra=policy("assistance.relocation"))
def get_relocation(request, relocation_id: int):
    return one(request, m.Relocation, pk=relocation_id)


# --- Spring Sunshine ---------------------------------------------------------------------------
@router.get("/chunhui-envoys/", response=list[ChunhuiEnvoyOut],
            openapi_extra=policy("assistance.chunhuienvoy"))
@paginate
def list_chunhui_envoys(request, region: str | None = None):
    return _listed(request, m.ChunhuiEnvoy, region)


@router.get("/chunhui-envoys/{envoy_id}", response=ChunhuiEnvoyOut,
            openapi_extra=policy("assistance.chunhuienvoy"))
def get_chunhui_envoy(request, envoy_id: int):
    return one(request, m.ChunhuiEnvoy, pk=envoy_id)


@router.get("/chunhui-contributions/", response=list[ChunhuiContributionOut],
            openapi_extra=policy("assistance.chunhuicontribution"))
@paginate
def list_chunhui_contributions(request, region: str | None = None, envoy: int | None = None):
    return _listed(request, m.ChunhuiContribution, region, envoy_id=envoy)


@router.get("/chunhui-contributions/{contribution_id}", response=ChunhuiContributionOut,
            openapi_extra=policy("assistance.chunhuicontribution"))
def get_chunhui_contribution(request, contribution_id: int):
    return one(request, m.ChunhuiContribution, pk=contribution_id)
