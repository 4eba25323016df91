"""State transitions of the poverty registry (Zulip style): one function per transition, atomic,
the acting user as the keyword `user`, every write through the ORM so the change-log signals
record it with that user in the same transaction.

Procedures follow `workflows.py`: a step is refused when it is out of order, too early (a
notice period has not run), by a role or at a level that may not take it, outside the user's
region, or without what it must record. Every refusal is an `ActionRefused` (a
ValidationError) whose message says what is expected; role, level and region refusals are the
subclass `NotPermitted`, which is also a PermissionDenied (a 403 if a view lets it through).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fupin.core import actions as core_actions
from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.poverty import workflows as wf
from fupin.poverty.choices import (
    LeadSource,
    LeadState,
    MonitoredGroup,
    PovertyStatus,
    ProcedureKind,
)
from fupin.poverty.choices import ProcedureState as State
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Procedure,
    ProcedureStep,
)
from fupin.regions.models import Level
from fupin.regions.scope import level_of

ActionRefused = core_actions.ActionRefused
NotPermitted = core_actions.NotPermitted
_acting = core_actions.acting


# --- checks --------------------------------------------------------------------------------
def _d(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _role_label(role: str | None) -> str:
    return str(dict(Role.CHOICES).get(role, role or "-"))


def user_level(user) -> int:
    """The level of the user's scope region (0: a superuser without one, above the province)."""
    code = scope_code(user)
    return level_of(code) if code else 0


def refusal_for(user, kind: str, step: wf.Step) -> str | None:
    """Why `user` may not take `step` (None if the role and level allow it). Pages use it to
    offer only the steps a user can take."""
    role = role_of(user)
    if role is None:
        return _("Sign in to take a step.")
    if not can(user, ProcedureStep, "add") or not can(user, Procedure, "change"):
        return _("Your role (%(role)s) may not record procedure steps.") % {
            "role": _role_label(role)}
    if role != Role.ADMIN and role not in step.roles:
        allowed = ", ".join(_role_label(r) for r in sorted(step.roles))
        return _("The step “%(step)s” is taken by: %(roles)s; your role is %(role)s.") % {
            "step": step.label, "roles": allowed, "role": _role_label(role)}
    level = user_level(user)
    if level > step.level:
        return _("The step “%(step)s” is taken at %(level)s level or above; your region is at "
                 "%(yours)s level.") % {"step": step.label, "level": step.level_label,
                                        "yours": Level(level).label}
    return None


def _check_may_take(user, kind: str, step: wf.Step) -> None:
    reason = refusal_for(user, kind, step)
    if reason:
        raise NotPermitted(reason, code="role")


def _check_household(household: Household, user) -> None:
    """The household must be in the user's region, and the role must be one that changes
    households (a procedure's outcome does)."""
    rows = Household.objects.filter(pk=household.pk)
    if not restrict(rows, user, "view").exists():
        raise NotPermitted(_("Household %(number)s is outside your region.")
                           % {"number": household.number}, code="scope")
    if not restrict(rows, user, "change").exists():
        raise NotPermitted(_("Your role (%(role)s) may not change households.")
                           % {"role": _role_label(role_of(user))}, code="role")


def _today() -> datetime.date:
    return timezone.localdate()


def _check_not_future(on: datetime.date) -> None:
    if on > _today():
        raise ActionRefused(_("The date %(date)s is in the future.") % {"date": _d(on)},
                            code="future")


def _lock(procedure: Procedure) -> Procedure:
    return Procedure._base_manager.select_for_update().select_related("household").get(
        pk=procedure.pk)


def _last_step(procedure: Procedure) -> ProcedureStep | None:
    return ProcedureStep._base_manager.filter(procedure=procedure).order_by(
        "-taken_on", "-id").first()


def _taken(procedure: Procedure, code: str) -> ProcedureStep | None:
    return ProcedureStep._base_manager.filter(procedure=procedure, step=code).order_by(
        "-id").first()


def _check_date(procedure: Procedure, step: wf.Step, on: datetime.date) -> None:
    _check_not_future(on)
    last = _last_step(procedure)
    if last is not None and on < last.taken_on:
        raise ActionRefused(
            _("“%(step)s” cannot be dated %(date)s, before the previous step (%(date_prev)s).")
            % {"step": step.label, "date": _d(on), "date_prev": _d(last.taken_on)},
            code="date_order")
    if step.wait_after:
        notice = _taken(procedure, step.wait_after)
        days = step.wait_days()
        if notice is not None and days:
            earliest = notice.taken_on + datetime.timedelta(days=days)
            if on < earliest:
                remaining = (earliest - on).days
                flow = wf.workflow(procedure.kind)
                raise ActionRefused(
                    ngettext(
                        "The %(notice)s posted on %(posted)s must stay up %(days)s days: "
                        "“%(step)s” can be taken from %(earliest)s (%(remaining)s day remains).",
                        "The %(notice)s posted on %(posted)s must stay up %(days)s days: "
                        "“%(step)s” can be taken from %(earliest)s (%(remaining)s days remain).",
                        remaining,
                    ) % {"notice": flow.get(step.wait_after).label, "posted": _d(notice.taken_on),
                         "days": days, "step": step.label, "earliest": _d(earliest),
                         "remaining": remaining},
                    code="too_early")


REQUIREMENT_MESSAGES = {
    "signed": lambda: _("The household's signature confirming the verification is missing: "
                        "record that the household has signed."),
    "consent": lambda: _("The household's written consent to the home visit and the data "
                         "checks is missing: record that the household has signed it."),
}


def _check_requirements(step: wf.Step, data: dict) -> None:
    for key in step.requires:
        if data.get(key) is not True:
            raise ActionRefused(REQUIREMENT_MESSAGES[key](), code=f"missing_{key}")


def _criteria_year(procedure: Procedure, data: dict, on: datetime.date) -> int:
    """The income year assessed: given, else the one an earlier step assessed, else the step's."""
    if data.get("year"):
        try:
            return int(data["year"])
        except (TypeError, ValueError):
            raise ActionRefused(_("The year must be a number."), code="year") from None
    for row in ProcedureStep._base_manager.filter(procedure=procedure).order_by("id"):
        if isinstance(row.data, dict) and row.data.get("year"):
            return int(row.data["year"])
    return on.year


def _check_criteria(procedure: Procedure, household: Household, year: int) -> None:
    flow = wf.workflow(procedure.kind)
    failing = wf.unmet(flow.criteria(household, year))
    if failing:
        listed = "; ".join(f"{c.label} ({c.detail})" for c in failing)
        if procedure.kind == ProcedureKind.EXIT:
            message = _("The exit criteria are not met: %(criteria)s.")
        else:
            message = _("The criteria for removing the risk are not met: %(criteria)s.")
        raise ActionRefused(message % {"criteria": listed}, code="criteria")


# --- procedures ----------------------------------------------------------------------------
@transaction.atomic
@_acting
def start_procedure(household: Household, kind: str, *, user, on: datetime.date | None = None,
                    lead_source: str | None = None, monitored_group: str | None = None,
                    note: str = "", data: dict | None = None) -> Procedure:
    """Open a procedure on a household and take its first step (the application, the
    proposal or the lead) in one go."""
    on = on or _today()
    data = dict(data or {})
    flow = wf.workflow(kind)
    if flow is None:
        raise ActionRefused(_("Unknown procedure “%(kind)s”.") % {"kind": kind}, code="kind")
    _check_household(household, user)
    if not can(user, Procedure, "add"):
        raise NotPermitted(_("Your role (%(role)s) may not start procedures.")
                           % {"role": _role_label(role_of(user))}, code="role")
    _check_may_take(user, kind, flow.first)
    household = Household._base_manager.select_for_update().get(pk=household.pk)
    open_one = Procedure._base_manager.filter(household=household, state=State.OPEN).first()
    if open_one is not None:
        raise ActionRefused(
            _("Household %(number)s already has a procedure in progress (%(kind)s, started "
              "%(date)s): finish or reject it first.")
            % {"number": household.number, "kind": open_one.get_kind_display(),
               "date": _d(open_one.started_on)}, code="open")
    if flow.start_statuses is not None and household.status not in flow.start_statuses:
        raise ActionRefused(
            _("A %(kind)s procedure cannot start for a household whose status is “%(status)s”.")
            % {"kind": flow.label, "status": household.get_status_display()}, code="status")
    if kind == ProcedureKind.MONITORING:
        if lead_source not in LeadSource.values:
            raise ActionRefused(_("Say where the lead came from (self-report, cadre visit or "
                                  "data alert)."), code="lead_source")
        if monitored_group not in MonitoredGroup.values:
            raise ActionRefused(_("Say which monitored group the household would join."),
                                code="monitored_group")
    _check_not_future(on)
    procedure = Procedure.objects.create(
        household=household, region_code=household.region_code, kind=kind,
        state=State.OPEN, current_step=flow.first.code, started_on=on,
        deadline=flow.deadline_for(on), lead_source=lead_source or "",
        monitored_group=monitored_group or "")
    ProcedureStep.objects.create(procedure=procedure, region_code=household.region_code,
                                 step=flow.first.code, taken_on=on, taken_by=user,
                                 note=note[:500], data=data)
    return procedure


@transaction.atomic
@_acting
def take_step(procedure: Procedure, step: str, *, user, on: datetime.date | None = None,
              note: str = "", data: dict | None = None) -> ProcedureStep:
    """Take the next step of an open procedure. The last step completes it and updates the
    household in the same transaction."""
    on = on or _today()
    data = dict(data or {})
    _check_household(procedure.household, user)
    locked = _lock(procedure)
    flow = wf.workflow(locked.kind)
    if locked.state != State.OPEN:
        raise ActionRefused(_("This procedure is closed (%(state)s).")
                            % {"state": locked.get_state_display()}, code="closed")
    spec = flow.get(step)
    if spec is None:
        raise ActionRefused(_("“%(step)s” is not a step of the %(kind)s procedure.")
                            % {"step": step, "kind": flow.label}, code="unknown_step")
    expected = flow.next_after(locked.current_step)
    if expected is None:  # every step taken yet still open: only a hand edit gets here
        raise ActionRefused(_("This procedure has no step left to take."), code="closed")
    if spec is not expected:
        if flow.index(spec.code) <= flow.index(locked.current_step):
            message = _("The step “%(step)s” has already been taken; the next step is "
                        "“%(expected)s”.")
        else:
            message = _("The step “%(step)s” is out of order; the next step is “%(expected)s”.")
        raise ActionRefused(message % {"step": spec.label, "expected": expected.label},
                            code="order")
    _check_may_take(user, locked.kind, spec)
    _check_date(locked, spec, on)
    _check_requirements(spec, data)
    household = Household._base_manager.select_for_update().get(pk=locked.household_id)
    if spec.checks_criteria:
        year = _criteria_year(locked, data, on)
        _check_criteria(locked, household, year)
        data["year"] = year
    if spec is flow.last and locked.kind == ProcedureKind.MONITORING:
        data["status_before"] = household.status  # restored when the risk is removed
    row = ProcedureStep.objects.create(procedure=locked, region_code=locked.region_code,
                                       step=spec.code, taken_on=on, taken_by=user,
                                       note=note[:500], data=data)
    locked.current_step = spec.code
    fields = ["current_step", "updated_at"]
    if spec is flow.last:
        locked.state = State.COMPLETED
        locked.completed_on = on
        fields += ["state", "completed_on"]
        _complete(locked, household, row)
    locked.save(update_fields=fields)
    procedure.refresh_from_db()
    return row


def _complete(procedure: Procedure, household: Household, last: ProcedureStep) -> None:
    """What a completed procedure changes on the household."""
    kind = procedure.kind
    fields = ["status", "updated_at"]
    if kind == ProcedureKind.IDENTIFICATION:
        wanted = last.data.get("status") if isinstance(last.data, dict) else None
        if wanted in (PovertyStatus.POOR, PovertyStatus.LOW_INCOME):
            household.status = wanted
        elif household.status != PovertyStatus.LOW_INCOME:
            household.status = PovertyStatus.POOR
        household.identification_year = last.taken_on.year
        household.exit_year = None
        fields += ["identification_year", "exit_year"]
    elif kind == ProcedureKind.EXIT:
        household.status = PovertyStatus.EXITED
        household.exit_year = int(last.data.get("year") or last.taken_on.year)
        fields.append("exit_year")
    elif kind == ProcedureKind.MONITORING:
        household.status = PovertyStatus.MONITORED
        household.monitored_group = procedure.monitored_group
        fields.append("monitored_group")
    elif kind == ProcedureKind.RISK_REMOVAL:
        household.status = _status_before_monitoring(household)
        household.monitored_group = ""
        fields.append("monitored_group")
    household.save(update_fields=fields)


def _status_before_monitoring(household: Household) -> str:
    row = (ProcedureStep._base_manager
           .filter(procedure__household=household, procedure__kind=ProcedureKind.MONITORING,
                   procedure__state=State.COMPLETED, step=wf.MONITORING.last.code)
           .order_by("-taken_on", "-id").first())
    before = row.data.get("status_before") if row is not None and isinstance(row.data, dict) \
        else None
    if before in PovertyStatus.values and before != PovertyStatus.MONITORED:
        return before
    return PovertyStatus.EXITED


@transaction.atomic
@_acting
def reject_procedure(procedure: Procedure, *, user, reason: str,
                     on: datetime.date | None = None) -> ProcedureStep:
    """Close an open procedure without its effect (an objection upheld, a check failed). Those
    who may take the expected step may reject at it; the reason is required and recorded."""
    on = on or _today()
    reason = (reason or "").strip()
    _check_household(procedure.household, user)
    locked = _lock(procedure)
    if locked.state != State.OPEN:
        raise ActionRefused(_("This procedure is closed (%(state)s).")
                            % {"state": locked.get_state_display()}, code="closed")
    expected = wf.workflow(locked.kind).next_after(locked.current_step)
    if expected is None:
        raise ActionRefused(_("This procedure has no step left to take."), code="closed")
    _check_may_take(user, locked.kind, expected)
    if not reason:
        raise ActionRefused(_("Give the reason for the rejection."), code="reason")
    _check_not_future(on)
    last = _last_step(locked)
    if last is not None and on < last.taken_on:
        raise ActionRefused(_("The rejection cannot be dated %(date)s, before the previous step "
                              "(%(date_prev)s).") % {"date": _d(on), "date_prev": _d(last.taken_on)},
                            code="date_order")
    row = ProcedureStep.objects.create(procedure=locked, region_code=locked.region_code,
                                       step=wf.REJECTED_STEP, taken_on=on, taken_by=user,
                                       note=reason[:500], data={"at_step": expected.code})
    locked.state = State.REJECTED
    locked.completed_on = on
    locked.outcome_note = reason[:500]
    locked.save(update_fields=["state", "completed_on", "outcome_note", "updated_at"])
    procedure.refresh_from_db()
    return row


# --- incomes -------------------------------------------------------------------------------
def _amount(name: str, value) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        raise ActionRefused(_("“%(field)s” must be an amount in yuan.")
                            % {"field": IncomeRecord._meta.get_field(name).verbose_name},
                            code="amount") from None
    if amount < 0 or not amount.is_finite():
        raise ActionRefused(_("“%(field)s” cannot be negative.")
                            % {"field": IncomeRecord._meta.get_field(name).verbose_name},
                            code="amount")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
@_acting
def record_income(household: Household, year: int, *, user, wages=0, business=0, transfers=0,
                  property_income=0, production_costs=0, members: int | None = None
                  ) -> IncomeRecord:
    """Record (or correct) a household's income for a year: net income and income per person
    are computed; the household's own figure follows its latest year."""
    _check_household(household, user)
    if not (1949 <= int(year) <= 2100):
        raise ActionRefused(_("The year %(year)s is out of range.") % {"year": year},
                            code="year")
    household = Household._base_manager.select_for_update().get(pk=household.pk)
    record = IncomeRecord._base_manager.filter(household=household, year=year).first()
    action = "change" if record is not None else "add"
    if not can(user, IncomeRecord, action):
        raise NotPermitted(_("Your role (%(role)s) may not record incomes.")
                           % {"role": _role_label(role_of(user))}, code="role")
    if record is None:
        record = IncomeRecord(household=household, region_code=household.region_code,
                              year=int(year))
    record.wages = _amount("wages", wages)
    record.business = _amount("business", business)
    record.transfers = _amount("transfers", transfers)
    record.property_income = _amount("property_income", property_income)
    record.production_costs = _amount("production_costs", production_costs)
    members = members if members is not None else (household.members_count or 1)
    if int(members) < 1:
        raise ActionRefused(_("At least one member must be counted."), code="members")
    record.members = int(members)
    record.compute()
    record.save()
    latest = IncomeRecord._base_manager.filter(household=household).order_by("-year").first()
    if latest.pk == record.pk and household.income_per_capita != record.per_capita:
        household.income_per_capita = record.per_capita
        household.save(update_fields=["income_per_capita", "updated_at"])
    return record


# --- cross-check leads --------------------------------------------------------------------------
@transaction.atomic
@_acting
def review_lead(lead: CrosscheckLead, *, user, confirmed: bool, reason: str) -> CrosscheckLead:
    """Confirm or dismiss a cross-check lead with its reason. A confirmed lead changes nothing
    by itself: any change to the household goes through its own procedure."""
    reason = (reason or "").strip()
    if not can(user, CrosscheckLead, "change"):
        raise NotPermitted(_("Your role (%(role)s) may not review leads.")
                           % {"role": _role_label(role_of(user))}, code="role")
    if not restrict(CrosscheckLead.objects.filter(pk=lead.pk), user, "change").exists():
        raise NotPermitted(_("This lead is outside your region."), code="scope")
    locked = CrosscheckLead._base_manager.select_for_update().get(pk=lead.pk)
    if locked.state != LeadState.OPEN:
        raise ActionRefused(_("This lead was already reviewed (%(state)s).")
                            % {"state": locked.get_state_display()}, code="closed")
    if not reason:
        raise ActionRefused(_("Give the reason for the review result."), code="reason")
    locked.state = LeadState.CONFIRMED if confirmed else LeadState.DISMISSED
    locked.reason = reason[:500]
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at", "updated_at"])
    lead.refresh_from_db()
    return locked
