"""The declared workflows: step order and rules, the exit and risk-removal criteria, the
15-day limit and the overdue list, parameters, and the demo procedures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from fupin.core import params
from fupin.core.context import acting_as
from fupin.core.demo import DemoContext
from fupin.core.models import ChangeRecord, Parameter
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, VILLAGE_A, VILLAGE_B
from fupin.poverty import actions
from fupin.poverty import workflows as wf
from fupin.poverty.choices import ProcedureKind
from fupin.poverty.demo import in_progress as demo_procedures
from fupin.poverty.models import Household, PovertyLine, Procedure, ProcedureStep
from fupin.poverty.testing import make_household

D = datetime.date(2024, 3, 1)


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


def test_every_kind_has_a_workflow_with_unique_steps():
    assert set(wf.WORKFLOWS) == set(ProcedureKind.values)
    for flow in wf.WORKFLOWS.values():
        codes = [s.code for s in flow.steps]
        assert len(codes) == len(set(codes)), flow.kind
        assert wf.REJECTED_STEP not in codes
        for i, step in enumerate(flow.steps):
            assert step.roles, step.code
            assert step.level in (3, 4, 5)
            if step.wait_after:
                assert flow.index(step.wait_after) < i  # waits on an earlier step
                assert flow.get(step.wait_after).notice, "a wait follows a notice"
            if step.notice:
                assert step.decision is not None


def test_identification_is_two_notices_and_one_announcement():
    flow = wf.IDENTIFICATION
    assert [s.code for s in flow.steps] == [
        "application", "village_appraisal", "first_notice", "township_check", "second_notice",
        "county_approval"]
    assert [(s.code, s.notice) for s in flow.notice_steps()] == [
        ("first_notice", wf.PUBLICITY), ("second_notice", wf.PUBLICITY),
        ("county_approval", wf.ANNOUNCEMENT)]
    assert flow.get("county_approval").roles == {Role.POVERTY_OFFICE}
    assert flow.get("county_approval").level == 3
    assert flow.get("township_check").wait_param == "poverty.notice_days"
    assert flow.next_after("") is flow.first
    assert flow.next_after("county_approval") is None


@pytest.mark.django_db
def test_monitoring_and_risk_removal_have_the_same_steps_and_limit():
    mon = [s.code for s in wf.MONITORING.steps][1:]
    rem = [s.code for s in wf.RISK_REMOVAL.steps][1:]
    assert mon == rem == ["home_visit", "village_appraisal", "village_notice", "township_review",
                          "county_decision"]
    assert wf.MONITORING.get("home_visit").requires == ("consent",)
    assert wf.EXIT.get("verification").requires == ("signed",)
    assert wf.MONITORING.get("township_review").wait_param == "poverty.monitoring_notice_days"
    assert wf.MONITORING.deadline_for(D) == day(15)
    assert wf.IDENTIFICATION.deadline_for(D) is None


def test_parameters_are_declared_with_their_defaults():
    assert params.DECLARED["poverty.notice_days"].default == 7
    assert params.DECLARED["poverty.notice_days"].confirmed is False
    assert params.DECLARED["poverty.monitoring_notice_days"].default == 5
    assert params.DECLARED["poverty.monitoring_limit_days"].default == 15
    assert params.DECLARED["poverty.monitoring_line_factor"].default == 1.5


@pytest.mark.django_db
def test_parameters_override_waits_and_limit():
    assert wf.IDENTIFICATION.get("township_check").wait_days() == 7
    with acting_as(None, label="test"):
        Parameter.objects.create(key="poverty.notice_days", value=10)
        Parameter.objects.create(key="poverty.monitoring_limit_days", value=20)
    assert wf.IDENTIFICATION.get("township_check").wait_days() == 10
    assert wf.MONITORING.deadline_for(D) == day(20)


def test_step_labels():
    with translation.override("en"):
        assert wf.step_label("exit", "verification") == \
            "verification, confirmed by the household's signature"
        assert wf.step_label("exit", "rejected") == "rejected"
        assert wf.step_label("exit", "unknown") == "unknown"


# --- criteria -----------------------------------------------------------------------------------
@pytest.fixture
def village(regions, make_user):
    return make_user(Role.VILLAGE, VILLAGE_A)


NEEDS = {name: True for name in Household.BASIC_NEEDS}


@pytest.mark.django_db
def test_exit_criteria_lists_income_and_each_basic_need(village):
    household = make_household(VILLAGE_A, **{**NEEDS, "basic_needs_medical": False})
    actions.record_income(household, 2024, user=village, wages=4602, members=2)
    with translation.override("en"):
        criteria = wf.exit_criteria(household, 2024)
    assert len(criteria) == 1 + len(Household.BASIC_NEEDS)
    label, met, detail = criteria[0]
    assert label == "Net income per person above the poverty line"
    assert met is True  # 2,301 > 2,300 (the 2011 line in force in 2024)
    assert detail == "2,301.00 yuan per person in 2024; the line is 2,300.00 yuan."
    medical = [c for c in criteria if c.label == "basic medical care guaranteed"]
    assert medical == [("basic medical care guaranteed", False, "not secured")]
    assert [c.label for c in wf.unmet(criteria)] == ["basic medical care guaranteed"]


@pytest.mark.django_db
def test_exit_criteria_income_must_be_above_the_line(village):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=village, wages=4600, members=2)  # exactly 2,300
    assert wf.exit_criteria(household, 2024)[0].met is False
    with translation.override("en"):
        missing = wf.exit_criteria(household, 2019)[0]
    assert missing.met is False and missing.detail == "No income is recorded for 2019."
    with translation.override("en"):
        before_lines = wf.exit_criteria(household, 2000)[0]
    assert before_lines.detail == "No poverty line is recorded for 2000."


@pytest.mark.django_db
def test_monitoring_line_defaults_to_a_factor_of_the_poverty_line(village):
    assert wf.monitoring_line(2024) == Decimal("3450.00")
    with acting_as(None, label="test"):
        Parameter.objects.create(key="poverty.monitoring_line_factor", value=2)
    assert wf.monitoring_line(2024) == Decimal("4600.00")
    with acting_as(None, label="test"):
        PovertyLine.objects.create(year=2023, poverty_line=Decimal(4000),
                                   monitoring_line=Decimal(6600))
    assert wf.monitoring_line(2024) == Decimal("6600.00")
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2024, user=village, wages=13000, members=2)
    assert wf.risk_removal_criteria(household, 2024)[0].met is False  # 6,500 < 6,600


# --- the 15-day limit ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_overdue_procedures_are_open_monitoring_past_their_deadline(regions, make_user):
    village = make_user(Role.VILLAGE, VILLAGE_A)
    county = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    late = actions.start_procedure(make_household(VILLAGE_A, status="exited"), "monitoring",
                                   user=village, on=D, lead_source="visit",
                                   monitored_group="unstable")
    done = actions.start_procedure(make_household(VILLAGE_A, status="exited"), "monitoring",
                                   user=village, on=D, lead_source="visit",
                                   monitored_group="unstable")
    actions.reject_procedure(done, user=village, reason="not at risk", on=day(3))
    slow_identification = actions.start_procedure(make_household(VILLAGE_A), "identification",
                                                  user=village, on=D)
    rows = Procedure.objects.restrict(county)
    assert late.deadline == day(15)
    assert list(wf.overdue_procedures(rows, day(15))) == []  # the 15th day is still in time
    assert list(wf.overdue_procedures(rows, day(16))) == [late]
    assert slow_identification not in wf.overdue_procedures(rows, day(400))
    assert list(wf.overdue_in_region(county, COUNTY_A, day(16))) == [late]
    assert list(wf.overdue_in_region(county, VILLAGE_B, day(16))) == []
    stranger = make_user(Role.POVERTY_OFFICE, "520302000000")
    assert list(wf.overdue_in_region(stranger, COUNTY_A, day(16))) == []


@pytest.mark.django_db
def test_a_decision_after_the_deadline_is_still_recorded(regions, make_user):
    """The limit flags a procedure; it does not block it (the decision is still owed)."""
    village = make_user(Role.VILLAGE, VILLAGE_A)
    township = make_user(Role.TOWNSHIP, "520102001000")
    county = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    p = actions.start_procedure(make_household(VILLAGE_A, status="exited"), "monitoring",
                                user=village, on=D, lead_source="visit",
                                monitored_group="unstable")
    actions.take_step(p, "home_visit", user=village, on=day(10), data={"consent": True})
    actions.take_step(p, "village_appraisal", user=village, on=day(12))
    actions.take_step(p, "village_notice", user=village, on=day(12))
    actions.take_step(p, "township_review", user=township, on=day(17))
    assert list(wf.overdue_procedures(Procedure.objects.all(), day(18))) == [p]
    actions.take_step(p, "county_decision", user=county, on=day(18))
    assert list(wf.overdue_procedures(Procedure.objects.all(), day(18))) == []


# --- demo ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_demo_procedures_are_consistent_deterministic_and_idempotent(regions):
    for i in range(300):
        status = ("poor", "low_income")[i % 2]
        with acting_as(None, label="test"):
            Household.objects.create(region_code=VILLAGE_A, number=f"D{i:05d}",
                                     identification_year=2006, status=status)
    ctx = DemoContext(scale=0.001, seed=7, stdout=None)
    summary = demo_procedures.seed(ctx)
    assert "procedures (" in summary and "decided (households monitored)" in summary
    procedures = list(Procedure.objects.order_by("household__number"))
    assert 3 <= len(procedures) <= 25  # about 3% of 300
    fingerprint = [(p.household.number, p.kind, p.current_step) for p in procedures]
    today = timezone.localdate()
    for p in procedures:
        flow = wf.workflow(p.kind)
        steps = list(ProcedureStep.objects.filter(procedure=p).order_by("taken_on", "id"))
        codes = [s.step for s in steps]
        assert codes == [s.code for s in flow.steps[:len(codes)]]  # in order, from the first
        if p.state == "completed":  # a monitoring procedure that reached its decision
            assert p.kind == "monitoring" and codes == [s.code for s in flow.steps]
            assert p.completed_on == steps[-1].taken_on <= p.deadline
            assert steps[-1].data["status_before"] == "low_income"
        else:
            assert p.state == "open" and len(codes) < len(flow.steps)
        assert p.current_step == codes[-1]
        assert steps[0].taken_on == p.started_on
        assert all(s.taken_on <= today and s.taken_by is None for s in steps)
        taken = {s.step: s for s in steps}
        for s in steps:
            spec = flow.get(s.step)
            for key in spec.requires:
                assert s.data.get(key) is True
            if spec.wait_after:
                assert (s.taken_on - taken[spec.wait_after].taken_on).days >= spec.wait_days()
        assert p.deadline == flow.deadline_for(p.started_on)
        if p.kind == "monitoring":
            assert p.lead_source and p.monitored_group
            # decided: monitored in the procedure's group, as take_step() leaves it
            assert (p.household.status, p.household.monitored_group) == (
                ("monitored", p.monitored_group) if p.state == "completed"
                else ("low_income", ""))
        if p.kind == "exit":
            assert p.household.status == "poor"
    states = {p.state for p in procedures if p.kind == "monitoring"}
    assert states == {"open", "completed"}, states
    assert ChangeRecord.objects.filter(action="batch", model="poverty.procedure").count() == 1

    assert "nothing added" in demo_procedures.seed(ctx)
    assert Procedure.objects.count() == len(procedures)
    assert [(p.household.number, p.kind, p.current_step)
            for p in Procedure.objects.order_by("household__number")] == fingerprint


@pytest.mark.django_db
def test_demo_procedures_are_the_same_for_the_same_seed(regions):
    for i in range(400):
        with acting_as(None, label="test"):
            Household.objects.create(region_code=VILLAGE_A, number=f"E{i:05d}",
                                     identification_year=2006, status="low_income")
    planner = demo_procedures.Planner(DemoContext(1, 7, None).random("x"), D)
    again = demo_procedures.Planner(DemoContext(1, 7, None).random("x"), D)
    for flow in wf.WORKFLOWS.values():
        assert planner.steps(flow, False) == again.steps(flow, False)
    demo_procedures.seed(DemoContext(scale=1, seed=11, stdout=None))
    monitoring = Procedure.objects.filter(kind="monitoring")
    assert monitoring.exists()
    overdue = wf.overdue_procedures(Procedure.objects.all(), timezone.localdate())
    assert set(overdue) <= set(monitoring)
    assert all(p.deadline < timezone.localdate() for p in overdue)


@pytest.mark.django_db
def test_region_panel_lists_the_overdue_with_days_late(regions, make_user):
    from django.template.loader import render_to_string

    village = make_user(Role.VILLAGE, VILLAGE_A)
    county = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    household = make_household(VILLAGE_A, status="exited")
    actions.start_procedure(household, "monitoring", user=village, on=D, lead_source="visit",
                            monitored_group="unstable")
    assert wf.region_panel(COUNTY_A, county, day(15)) is None
    panel = wf.region_panel(COUNTY_A, county, day(20))
    assert panel["overdue_count"] == 1
    row = panel["overdue_procedures"][0]
    assert row.days_late == 5 and row.household == household
    with translation.override("en"):
        row.current_step_label = wf.step_label(row.kind, row.current_step)
        html = render_to_string(panel["template"], {"panel": panel})
    assert household.number in html and "2024-03-16" in html
    assert "1 procedure past its deadline" in html
    assert "lead received" in html
    assert household.phone not in html


@pytest.mark.django_db
def test_procedure_criteria_use_the_year_assessed(village):
    household = make_household(VILLAGE_A, **NEEDS)
    actions.record_income(household, 2023, user=village, wages=9000, members=2)
    p = actions.start_procedure(household, "exit", user=village, on=D)
    year, criteria = wf.procedure_criteria(p, today=D)
    assert year == 2024 and not criteria[0].met  # nothing recorded for 2024
    actions.take_step(p, "verification", user=village, on=day(1),
                      data={"signed": True, "year": 2023})
    year, criteria = wf.procedure_criteria(p, today=D)
    assert year == 2023 and all(c.met for c in criteria)
    ident = actions.start_procedure(make_household(VILLAGE_A), "identification", user=village,
                                    on=D)
    assert wf.procedure_criteria(ident) is None


def test_region_page_loads_the_overdue_panel_after_itself(regions, make_user):
    from django.urls import reverse

    from fupin.core.testing import client_for

    county = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    client = client_for(county)
    page = client.get(reverse("regions:region", args=[COUNTY_A])).content.decode()
    url = reverse("poverty:overdue_panel") + f"?region={COUNTY_A}"
    assert f'hx-get="{url}"' in page and 'data-testid="overdue-procedures"' not in page
    # nothing overdue: the panel is empty
    assert b"overdue-procedures" not in client.get(url).content
    outside = client_for(make_user(Role.POVERTY_OFFICE, "520302000000"))
    assert outside.get(url).status_code == 404
