"""Procedure steps and incomes through `actions.py`: the happy paths with the right roles, and
every refusal (order, notice days, role, level, scope, criteria, signature, consent)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord, Parameter
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.poverty import actions
from fupin.poverty.actions import ActionRefused, NotPermitted
from fupin.poverty.models import Household, IncomeRecord, Procedure, ProcedureStep
from fupin.poverty.testing import make_household

D = datetime.date(2024, 3, 1)
NEEDS = {name: True for name in Household.BASIC_NEEDS}


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


@pytest.fixture
def people(regions, make_user):
    class People:
        village = make_user(Role.VILLAGE, VILLAGE_A)
        work_team = make_user(Role.WORK_TEAM, VILLAGE_A)
        township = make_user(Role.TOWNSHIP, TOWNSHIP_A)
        county = make_user(Role.POVERTY_OFFICE, COUNTY_A)
        admin = make_user(Role.ADMIN, COUNTY_A)
        viewer = make_user(Role.VIEWER, COUNTY_A)
        stranger = make_user(Role.VILLAGE, VILLAGE_B)

    return People


def refused(func, *args, code=None, **kwargs) -> str:
    """Call an action that must be refused; returns its English message."""
    with translation.override("en"), pytest.raises(ActionRefused) as info:
        func(*args, **kwargs)
    if code is not None:
        assert info.value.code == code, (info.value.code, str(info.value))
    return str(info.value)


def identification_until(p, people, last: str) -> Procedure:
    """Walk an identification procedure up to the step `last`, on time, with the right roles."""
    plan = [("village_appraisal", people.village, day(1)), ("first_notice", people.work_team, day(2)),
            ("township_check", people.township, day(9)), ("second_notice", people.township, day(10)),
            ("county_approval", people.county, day(17))]
    for code, user, on in plan:
        actions.take_step(p, code, user=user, on=on)
        if code == last:
            break
    return p


# --- happy paths ------------------------------------------------------------------------------
def test_identification_two_notices_one_announcement(people):
    household = make_household(VILLAGE_A, status="low_income", identification_year=2014)
    household.status = "poor"
    with acting_as(None, label="test"):
        household.save()
    p = actions.start_procedure(household, "identification", user=people.village, on=D)
    assert p.state == "open" and p.current_step == "application" and p.deadline is None
    identification_until(p, people, "county_approval")
    p.refresh_from_db()
    household.refresh_from_db()
    assert p.state == "completed" and p.completed_on == day(17)
    assert p.current_step == "county_approval"
    assert household.status == "poor"
    assert household.identification_year == 2024
    steps = list(ProcedureStep.objects.filter(procedure=p).values_list("step", "taken_by__role"))
    assert steps == [("application", Role.VILLAGE), ("village_appraisal", Role.VILLAGE),
                     ("first_notice", Role.WORK_TEAM), ("township_check", Role.TOWNSHIP),
                     ("second_notice", Role.TOWNSHIP), ("county_approval", Role.POVERTY_OFFICE)]


def test_identification_as_low_income_when_the_county_says_so(people):
    household = make_household(VILLAGE_A)
    p = actions.start_procedure(household, "identification", user=people.village, on=D)
    identification_until(p, people, "second_notice")
    actions.take_step(p, "county_approval", user=people.county, on=day(17),
                      data={"status": "low_income"})
    household.refresh_from_db()
    assert household.status == "low_income"


def test_exit_with_signature_and_criteria_met(people):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=people.village, wages=9000, members=2)
    p = actions.start_procedure(household, "exit", user=people.work_team, on=D)
    assert p.current_step == "village_appraisal"
    actions.take_step(p, "verification", user=people.village, on=day(1), data={"signed": True})
    actions.take_step(p, "village_notice", user=people.village, on=day(2))
    actions.take_step(p, "announcement", user=people.township, on=day(9))
    household.refresh_from_db()
    p.refresh_from_db()
    assert p.state == "completed"
    assert household.status == "exited" and household.exit_year == 2024
    verification = p.steps.get(step="verification")
    assert verification.data == {"signed": True, "year": 2024}


def test_monitoring_within_fifteen_days_then_risk_removal(people):
    household = make_household(VILLAGE_A, status="exited", exit_year=2020, **NEEDS)
    p = actions.start_procedure(household, "monitoring", user=people.village, on=D,
                                lead_source="self_report", monitored_group="unstable")
    assert p.deadline == day(15) and p.lead_source == "self_report"
    actions.take_step(p, "home_visit", user=people.work_team, on=day(1), data={"consent": True})
    actions.take_step(p, "village_appraisal", user=people.village, on=day(2))
    actions.take_step(p, "village_notice", user=people.village, on=day(3))
    actions.take_step(p, "township_review", user=people.township, on=day(8))
    actions.take_step(p, "county_decision", user=people.county, on=day(9))
    household.refresh_from_db()
    assert household.status == "monitored" and household.monitored_group == "unstable"

    # Income above the monitoring line (2,300 x 1.5 = 3,450 by default) and every need secure.
    actions.record_income(household, 2024, user=people.village, wages=8000, members=2)
    r = actions.start_procedure(household, "risk_removal", user=people.village, on=day(20))
    assert r.deadline == day(35)
    actions.take_step(r, "home_visit", user=people.village, on=day(21), data={"consent": True})
    actions.take_step(r, "village_appraisal", user=people.village, on=day(22))
    actions.take_step(r, "village_notice", user=people.village, on=day(22))
    actions.take_step(r, "township_review", user=people.township, on=day(27))
    actions.take_step(r, "county_decision", user=people.county, on=day(28))
    household.refresh_from_db()
    assert household.status == "exited" and household.monitored_group == ""


def test_admin_may_take_any_step(people):
    household = make_household(VILLAGE_A)
    p = actions.start_procedure(household, "identification", user=people.admin, on=D)
    for code, n in [("village_appraisal", 1), ("first_notice", 1), ("township_check", 8),
                    ("second_notice", 8), ("county_approval", 15)]:
        actions.take_step(p, code, user=people.admin, on=day(n))
    assert Procedure.objects.get(pk=p.pk).state == "completed"


# --- refusals ---------------------------------------------------------------------------------
def test_out_of_order_and_repeated_steps_are_refused(people):
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    message = refused(actions.take_step, p, "first_notice", user=people.village, on=day(1),
                      code="order")
    assert "“first public notice” is out of order" in message
    assert "next step is “democratic appraisal in the village”" in message
    message = refused(actions.take_step, p, "application", user=people.village, on=day(1),
                      code="order")
    assert "already been taken" in message
    message = refused(actions.take_step, p, "no_such_step", user=people.village, code="unknown_step")
    assert "no_such_step" in message
    assert ProcedureStep.objects.filter(procedure=p).count() == 1


def test_notice_days_must_run(people):
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    identification_until(p, people, "first_notice")  # first notice posted on day 2
    message = refused(actions.take_step, p, "township_check", user=people.township, on=day(8),
                      code="too_early")
    assert "must stay up 7 days" in message
    assert "from 2024-03-10" in message and "(1 day remains)" in message
    message = refused(actions.take_step, p, "township_check", user=people.township, on=day(4))
    assert "(5 days remain)" in message
    actions.take_step(p, "township_check", user=people.township, on=day(9))


def test_monitoring_notice_needs_five_days(people):
    household = make_household(VILLAGE_A, status="exited")
    p = actions.start_procedure(household, "monitoring", user=people.village, on=D,
                                lead_source="visit", monitored_group="unstable")
    actions.take_step(p, "home_visit", user=people.village, on=day(1), data={"consent": True})
    actions.take_step(p, "village_appraisal", user=people.village, on=day(1))
    actions.take_step(p, "village_notice", user=people.village, on=day(1))
    message = refused(actions.take_step, p, "township_review", user=people.township, on=day(5),
                      code="too_early")
    assert "must stay up 5 days" in message and "from 2024-03-07" in message


def test_parameter_row_changes_the_notice_days(people):
    with acting_as(None, label="test"):
        Parameter.objects.create(key="poverty.notice_days", value=3)
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    identification_until(p, people, "first_notice")
    message = refused(actions.take_step, p, "township_check", user=people.township, on=day(4))
    assert "must stay up 3 days" in message
    actions.take_step(p, "township_check", user=people.township, on=day(5))  # 7 days not needed


def test_wrong_role_is_refused(people):
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    with translation.override("en"), pytest.raises(NotPermitted) as info:
        actions.take_step(p, "village_appraisal", user=people.township, on=day(1))
    assert isinstance(info.value, PermissionDenied) and isinstance(info.value, ValidationError)
    assert "taken by: village secretary, work-team member" in str(info.value)
    assert "your role is township cadre" in str(info.value)
    message = refused(actions.take_step, p, "village_appraisal", user=people.viewer, on=day(1),
                      code="role")
    assert "Your role (viewer) may not" in message
    identification_until(p, people, "second_notice")
    message = refused(actions.take_step, p, "county_approval", user=people.township, on=day(17),
                      code="role")
    assert "poverty alleviation office" in message


def test_wrong_level_is_refused(people, make_user):
    # A role that may approve, but sitting below the county: the step is the county's.
    village_admin = make_user(Role.ADMIN, VILLAGE_A)
    township_office = make_user(Role.POVERTY_OFFICE, TOWNSHIP_A)
    village_cadre = make_user(Role.TOWNSHIP, VILLAGE_A)
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    identification_until(p, people, "first_notice")
    message = refused(actions.take_step, p, "township_check", user=village_cadre, on=day(9),
                      code="role")
    assert "taken at township level or above; your region is at village level" in message
    identification_until_second = [("township_check", people.township, day(9)),
                                   ("second_notice", people.township, day(10))]
    for code, user, on in identification_until_second:
        actions.take_step(p, code, user=user, on=on)
    for user, level in ((village_admin, "village"), (township_office, "township")):
        message = refused(actions.take_step, p, "county_approval", user=user, on=day(17),
                          code="role")
        assert f"taken at county level or above; your region is at {level} level" in message
    actions.take_step(p, "county_approval", user=people.county, on=day(17))


def test_household_outside_the_users_region_is_refused(people):
    household = make_household(VILLAGE_A)
    with pytest.raises(NotPermitted):
        actions.start_procedure(household, "identification", user=people.stranger, on=D)
    p = actions.start_procedure(household, "identification", user=people.village, on=D)
    message = refused(actions.take_step, p, "village_appraisal", user=people.stranger, on=day(1),
                      code="scope")
    assert "outside your region" in message
    refused(actions.reject_procedure, p, user=people.stranger, reason="x", code="scope")
    refused(actions.record_income, household, 2024, user=people.stranger, wages=1, code="scope")
    assert ProcedureStep.objects.filter(procedure=p).count() == 1


def test_exit_refused_when_income_is_under_the_line(people):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=people.village, wages=4000, members=2)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    message = refused(actions.take_step, p, "verification", user=people.village, on=day(1),
                      data={"signed": True}, code="criteria")
    assert "exit criteria are not met" in message
    assert "Net income per person above the poverty line" in message
    assert "2,000.00 yuan per person in 2024; the line is 2,300.00 yuan" in message
    assert "food and clothing" not in message  # only the failing criteria are named


def test_exit_refused_when_a_basic_need_is_missing(people):
    household = make_household(VILLAGE_A, **{**NEEDS, "basic_needs_water": False})
    actions.record_income(household, 2024, user=people.village, wages=9000, members=2)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    message = refused(actions.take_step, p, "verification", user=people.village, on=day(1),
                      data={"signed": True}, code="criteria")
    assert "safe drinking water secure (not secured)" in message
    assert "poverty line" not in message


def test_exit_refused_without_income_for_the_year(people):
    household = make_household(VILLAGE_A, **NEEDS)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    message = refused(actions.take_step, p, "verification", user=people.village, on=day(1),
                      data={"signed": True})
    assert "No income is recorded for 2024" in message


def test_exit_criteria_checked_again_at_the_announcement(people):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=people.village, wages=9000, members=2)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    actions.take_step(p, "verification", user=people.village, on=day(1), data={"signed": True})
    actions.take_step(p, "village_notice", user=people.village, on=day(2))
    Household.objects.filter(pk=household.pk).update(basic_needs_housing=False)
    message = refused(actions.take_step, p, "announcement", user=people.township, on=day(9))
    assert "safe housing guaranteed" in message


def test_signature_and_consent_are_required(people):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=people.village, wages=9000, members=2)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    message = refused(actions.take_step, p, "verification", user=people.village, on=day(1),
                      code="missing_signed")
    assert "signature" in message
    refused(actions.take_step, p, "verification", user=people.village, on=day(1),
            data={"signed": "yes"}, code="missing_signed")

    exited = make_household(VILLAGE_A, status="exited")
    m = actions.start_procedure(exited, "monitoring", user=people.village, on=D,
                                lead_source="data_alert", monitored_group="hardship")
    message = refused(actions.take_step, m, "home_visit", user=people.village, on=day(1),
                      data={"consent": False}, code="missing_consent")
    assert "written consent" in message


def test_dates_in_the_future_or_before_the_previous_step_are_refused(people):
    p = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                user=people.village, on=D)
    refused(actions.take_step, p, "village_appraisal", user=people.village,
            on=datetime.date.today() + datetime.timedelta(days=2), code="future")
    message = refused(actions.take_step, p, "village_appraisal", user=people.village,
                      on=day(-1), code="date_order")
    assert "before the previous step (2024-03-01)" in message


def test_start_refusals(people):
    household = make_household(VILLAGE_A)  # status poor
    refused(actions.start_procedure, household, "monitoring", user=people.village, on=D,
            lead_source="visit", monitored_group="marginal", code="status")
    refused(actions.start_procedure, household, "risk_removal", user=people.village, on=D,
            code="status")
    refused(actions.start_procedure, household, "nonsense", user=people.village, code="kind")
    refused(actions.start_procedure, household, "identification", user=people.township, on=D,
            code="role")
    actions.start_procedure(household, "identification", user=people.village, on=D)
    message = refused(actions.start_procedure, household, "exit", user=people.village, on=D,
                      code="open")
    assert "already has a procedure in progress" in message
    exited = make_household(VILLAGE_A, status="exited")
    refused(actions.start_procedure, exited, "monitoring", user=people.village, on=D,
            monitored_group="unstable", code="lead_source")
    refused(actions.start_procedure, exited, "monitoring", user=people.village, on=D,
            lead_source="visit", code="monitored_group")


def test_reject_closes_the_procedure(people):
    household = make_household(VILLAGE_A)
    p = actions.start_procedure(household, "identification", user=people.village, on=D)
    identification_until(p, people, "first_notice")
    refused(actions.reject_procedure, p, user=people.township, reason="  ", code="reason")
    refused(actions.reject_procedure, p, user=people.village, reason="objection", code="role")
    row = actions.reject_procedure(p, user=people.township, reason="objection upheld", on=day(9))
    assert row.step == "rejected" and row.data == {"at_step": "township_check"}
    p.refresh_from_db()
    assert p.state == "rejected" and p.outcome_note == "objection upheld"
    assert p.completed_on == day(9)
    message = refused(actions.take_step, p, "township_check", user=people.township, on=day(9),
                      code="closed")
    assert "closed" in message
    household.refresh_from_db()
    assert household.status == "poor"  # unchanged
    actions.start_procedure(household, "identification", user=people.village, on=day(10))


def test_refusal_rolls_back_and_writes_nothing(people):
    household = make_household(VILLAGE_A, **NEEDS)
    p = actions.start_procedure(household, "exit", user=people.village, on=D)
    before = ChangeRecord.objects.count()
    refused(actions.take_step, p, "verification", user=people.village, on=day(1),
            data={"signed": True})
    assert ChangeRecord.objects.count() == before


# --- change records -----------------------------------------------------------------------------
def test_each_step_writes_change_records_with_the_acting_user(people):
    household = make_household(VILLAGE_A)
    with acting_as(people.village, request_id="req-outer"):
        p = actions.start_procedure(household, "identification", user=people.village, on=D)
    identification_until(p, people, "county_approval")
    steps = ProcedureStep.objects.filter(procedure=p)
    assert steps.count() == 6
    for step in steps:
        record = ChangeRecord.objects.get(model="poverty.procedurestep", object_id=str(step.pk),
                                          action="create")
        assert record.user_id == step.taken_by_id
        assert record.actor == step.taken_by.username
        assert record.region_code == VILLAGE_A
    created = ChangeRecord.objects.get(model="poverty.procedure", object_id=str(p.pk),
                                       action="create")
    assert created.user_id == people.village.pk
    assert created.request_id == "req-outer"  # the caller's request id is kept
    updates = ChangeRecord.objects.filter(model="poverty.procedure", object_id=str(p.pk),
                                          action="update")
    assert updates.count() == 5
    assert updates.order_by("-id").first().user_id == people.county.pk
    household_update = ChangeRecord.objects.filter(model="poverty.household",
                                                   object_id=str(household.pk),
                                                   action="update").order_by("-id").first()
    assert household_update.user_id == people.county.pk
    assert household_update.after["identification_year"] == 2024


# --- incomes ------------------------------------------------------------------------------------
def test_record_income_computes_and_upserts(people):
    household = make_household(VILLAGE_A, members=3)
    record = actions.record_income(household, 2023, user=people.village, wages="6000",
                                   business=1500, transfers=900, property_income=100,
                                   production_costs=1000)
    assert record.net_income == Decimal("7500.00")
    assert record.members == 3 and record.per_capita == Decimal("2500.00")
    household.refresh_from_db()
    assert household.income_per_capita == Decimal("2500.00")

    actions.record_income(household, 2024, user=people.village, wages=9000, members=3)
    household.refresh_from_db()
    assert household.income_per_capita == Decimal("3000.00")
    # Correcting an older year leaves the household's (latest) figure alone.
    again = actions.record_income(household, 2023, user=people.work_team, wages=3000, members=3)
    assert again.pk == record.pk and again.per_capita == Decimal("1000.00")
    assert IncomeRecord.objects.filter(household=household).count() == 2
    household.refresh_from_db()
    assert household.income_per_capita == Decimal("3000.00")
    update = ChangeRecord.objects.filter(model="poverty.incomerecord", object_id=str(record.pk),
                                         action="update").get()
    assert update.user_id == people.work_team.pk


def test_record_income_refusals(people):
    household = make_household(VILLAGE_A)
    refused(actions.record_income, household, 2024, user=people.village, wages=-5,
            code="amount")
    refused(actions.record_income, household, 2024, user=people.village, wages="abc",
            code="amount")
    refused(actions.record_income, household, 2024, user=people.village, members=0,
            code="members")
    refused(actions.record_income, household, 1900, user=people.village, code="year")
    refused(actions.record_income, household, 2024, user=people.viewer, wages=1, code="role")
    assert not IncomeRecord.objects.filter(household=household).exists()


# --- cross-check leads ---------------------------------------------------------------------------
def test_review_lead_records_result_reason_and_reviewer(people):
    from fupin.core.testing import sample_for
    from fupin.poverty.models import CrosscheckLead

    lead = sample_for("poverty.crosschecklead", VILLAGE_A)
    household_before = Household.objects.get(pk=lead.person.household_id).status
    refused(actions.review_lead, lead, user=people.village, confirmed=True, reason="x",
            code="role")  # village secretaries see households, not leads
    refused(actions.review_lead, lead, user=people.county, confirmed=True, reason=" ",
            code="reason")
    outside = sample_for("poverty.crosschecklead", VILLAGE_B)
    refused(actions.review_lead, outside, user=people.county, confirmed=True, reason="x",
            code="scope")
    actions.review_lead(lead, user=people.township, confirmed=False,
                        reason="same name, different person")
    lead.refresh_from_db()
    assert lead.state == "dismissed" and lead.reviewed_by == people.township
    assert lead.reason == "same name, different person" and lead.reviewed_at is not None
    refused(actions.review_lead, lead, user=people.county, confirmed=True, reason="x",
            code="closed")
    record = ChangeRecord.objects.filter(model="poverty.crosschecklead", object_id=str(lead.pk),
                                         action="update").get()
    assert record.user_id == people.township.pk
    assert Household.objects.get(pk=lead.person.household_id).status == household_before
    assert CrosscheckLead.objects.filter(pk=outside.pk, state="open").exists()
