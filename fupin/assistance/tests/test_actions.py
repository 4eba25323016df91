"""Assistance actions and rules: pairing history when the helper changes, the load limit,
visits (who, when, a helper only to their own households), presence, measures, the helper's
narrowed view of the registry, and every kind of coverage gap with a case that has it and one
that does not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from fupin.assistance import actions, rules
from fupin.assistance import choices as c
from fupin.assistance import models as m
from fupin.core.actions import ActionRefused, NotPermitted
from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord, Parameter
from fupin.core.policy import Role, restrict
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.party.testing import make_member, make_org
from fupin.poverty.models import Household, Person, VillageProfile
from fupin.poverty.testing import make_household

D = datetime.date
VILLAGE_A2 = "520102001002"


def today() -> datetime.date:
    return timezone.localdate()


def ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def refused(func, *args, code=None, **kwargs) -> str:
    with translation.override("en"), pytest.raises(ActionRefused) as info:
        func(*args, **kwargs)
    if code is not None:
        assert info.value.code == code, (info.value.code, str(info.value))
    return str(info.value)


def create(model, **fields):
    with acting_as(None, label="test"):
        return model.objects.create(**fields)


@pytest.fixture
def team_user(make_user):
    return make_user(Role.WORK_TEAM, TOWNSHIP_A)


@pytest.fixture
def helper_member(regions):
    return make_member(COUNTY_A, org=make_org(COUNTY_A, kind="branch"))


@pytest.fixture
def helper_user(make_user, helper_member):
    return make_user(Role.HELPER, COUNTY_A, member=helper_member)


# --- pairing ----------------------------------------------------------------------------------
def test_changing_the_helper_ends_the_old_pairing_and_keeps_history(team_user, helper_member):
    household = make_household(VILLAGE_A)
    other = make_member(COUNTY_A)
    first = actions.start_pairing(household, helper_member, user=team_user,
                                  starts_on=ago(100), helper_unit="县财政局", unit_level="county")
    assert first.ended is None and first.warnings == []
    second = actions.start_pairing(household, other, user=team_user, starts_on=ago(10))
    assert second.ended.pk == first.pairing.pk
    old = m.Pairing.objects.get(pk=first.pairing.pk)
    assert old.ends_on == ago(11) and old.end_reason == c.PairingEndReason.HELPER_CHANGED
    current = m.Pairing.objects.filter(household=household, ends_on__isnull=True)
    assert [p.helper_id for p in current] == [other.pk]
    assert m.Pairing.objects.filter(household=household).count() == 2
    # both writes are in the change log, by the acting user
    logged = ChangeRecord.objects.filter(model="assistance.pairing", user=team_user)
    assert {r.action for r in logged} == {"create", "update"}


def test_pairing_refusals(team_user, helper_member, make_user):
    household = make_household(VILLAGE_A)
    actions.start_pairing(household, helper_member, user=team_user, starts_on=ago(30))
    assert "already" in refused(actions.start_pairing, household, helper_member, user=team_user,
                                starts_on=ago(5), code="same_helper")
    refused(actions.start_pairing, household, make_member(COUNTY_A), user=team_user,
            starts_on=ago(40), code="order")
    refused(actions.start_pairing, household, make_member(COUNTY_A), user=team_user,
            starts_on=today() + datetime.timedelta(days=1), code="future")
    exited = make_household(VILLAGE_A, status="exited")
    refused(actions.start_pairing, exited, helper_member, user=team_user, starts_on=ago(1),
            code="status")
    applicant = make_member(COUNTY_A, stage="applicant")
    refused(actions.start_pairing, make_household(VILLAGE_A), applicant, user=team_user,
            starts_on=ago(1), code="helper")
    outside = make_household(VILLAGE_B)
    with pytest.raises(NotPermitted):
        actions.start_pairing(outside, helper_member, user=team_user, starts_on=ago(1))
    with pytest.raises(NotPermitted):
        actions.start_pairing(make_household(VILLAGE_A), helper_member,
                              user=make_user(Role.VIEWER, COUNTY_A), starts_on=ago(1))


def test_load_limit_warns_but_pairs(team_user, helper_member):
    Parameter.objects.create(key=rules.HELPER_LOAD_LIMIT, value=2)
    results = [actions.start_pairing(make_household(VILLAGE_A), helper_member, user=team_user,
                                     starts_on=ago(3)) for _ in range(3)]
    assert [bool(r.warnings) for r in results] == [False, False, True]
    assert "3" in results[2].warnings[0] and "2" in results[2].warnings[0]
    assert rules.helper_load(helper_member.pk, today()) == 3


def test_end_pairing(team_user, helper_member):
    started = actions.start_pairing(make_household(VILLAGE_A), helper_member, user=team_user,
                                    starts_on=ago(20))
    refused(actions.end_pairing, started.pairing, user=team_user, ends_on=ago(30),
            reason="other", code="order")
    refused(actions.end_pairing, started.pairing, user=team_user, ends_on=ago(1),
            reason="bogus", code="reason")
    actions.end_pairing(started.pairing, user=team_user, ends_on=ago(1),
                        reason=c.PairingEndReason.HOUSEHOLD_EXITED)
    refused(actions.end_pairing, started.pairing, user=team_user, ends_on=ago(1),
            reason="other", code="ended")


# --- the helper's view ------------------------------------------------------------------------
def test_helper_sees_only_own_households_members_and_visits(team_user, helper_member,
                                                           helper_user):
    mine, theirs = make_household(VILLAGE_A), make_household(VILLAGE_A)
    actions.start_pairing(mine, helper_member, user=team_user, starts_on=ago(10))
    actions.start_pairing(theirs, make_member(COUNTY_A), user=team_user, starts_on=ago(10))
    assert list(restrict(Household.objects.all(), helper_user)) == [mine]
    assert set(restrict(Person.objects.all(), helper_user).values_list("household_id",
                                                                        flat=True)) == {mine.pk}
    own_visit = actions.record_visit(user=helper_user, household=mine, visited_on=ago(1),
                                     findings="家中老人身体好转")
    other_visit = actions.record_visit(user=team_user, household=mine, visited_on=ago(1),
                                       findings="查看住房")
    assert own_visit.visitor == helper_member and own_visit.visitor_name == helper_member.name
    assert list(restrict(m.Visit.objects.all(), helper_user)) == [own_visit]
    assert other_visit in restrict(m.Visit.objects.all(), team_user)
    # the helper may not log a visit to another helper's household, nor to a village
    with pytest.raises(NotPermitted):
        actions.record_visit(user=helper_user, household=theirs, visited_on=ago(1),
                             findings="x")
    with pytest.raises(NotPermitted):
        actions.record_visit(user=helper_user, region_code=VILLAGE_A, visited_on=ago(1),
                             findings="x")
    # a helper without a member record sees no household
    lone = helper_user.__class__.objects.create(username="lone", role=Role.HELPER,
                                                region_code=COUNTY_A)
    assert not restrict(Household.objects.all(), lone).exists()
    # once the pairing ends, the household is no longer the helper's
    pairing = m.Pairing.objects.get(household=mine, ends_on__isnull=True)
    actions.end_pairing(pairing, user=team_user, ends_on=ago(1), reason="other")
    assert not restrict(Household.objects.filter(pk=mine.pk), helper_user).exists()
    # their own visit stays readable, but no longer editable
    assert own_visit in restrict(m.Visit.objects.all(), helper_user)
    assert not restrict(m.Visit.objects.all(), helper_user, "change").exists()


def test_visit_rules(team_user):
    household = make_household(VILLAGE_A)
    refused(actions.record_visit, user=team_user, household=household,
            visited_on=today() + datetime.timedelta(days=1), findings="x", code="future")
    refused(actions.record_visit, user=team_user, household=household, visited_on=ago(1),
            findings="  ", code="findings")
    refused(actions.record_visit, user=team_user, region_code=TOWNSHIP_A, visited_on=ago(1),
            findings="x", code="target")
    with pytest.raises(NotPermitted):
        actions.record_visit(user=team_user, region_code=VILLAGE_B, visited_on=ago(1),
                             findings="x")
    visit = actions.record_visit(user=team_user, region_code=VILLAGE_A2, visited_on=ago(2),
                                 findings="村道硬化进度", kind=c.VisitKind.HOME)
    assert visit.kind == c.VisitKind.VILLAGE and visit.household is None
    assert visit.visitor_name == str(team_user)


# --- teams, presence, measures ----------------------------------------------------------------
def _team(village=VILLAGE_A, members=3, starts=None, **extra):
    team = create(m.WorkTeam, region_code=village, name="省财政厅驻村工作队",
                  dispatching_unit="省财政厅", unit_level="province",
                  starts_on=starts or ago(400), **extra)
    people = [create(m.WorkTeamMember, team=team, region_code=village, name=f"队员{i}",
                     role="first_secretary" if i == 0 else "member", starts_on=team.starts_on)
              for i in range(members)]
    return team, people


def test_presence_is_recorded_once_a_month(team_user):
    _team_, (person, *_rest) = _team()
    month = rules.last_month(today())
    actions.record_presence(person, user=team_user, month=month.replace(day=15), days=18)
    actions.record_presence(person, user=team_user, month=month, days=22)
    assert list(m.Presence.objects.values_list("month", "days")) == [(month, 22)]
    refused(actions.record_presence, person, user=team_user, month=month, days=32, code="days")
    refused(actions.record_presence, person, user=team_user, month=ago(900), days=5,
            code="period")


def test_presence_days_fit_the_month(team_user):
    """31 days in a February was stored before (the bound was 31 for every month)."""
    _team_, (person, *_rest) = _team(starts=datetime.date(2023, 1, 1))
    february = datetime.date(2024, 2, 1)  # a leap year: 29 days
    actions.record_presence(person, user=team_user, month=february, days=29)
    message = refused(actions.record_presence, person, user=team_user, month=february,
                      days=30, code="days")
    assert "2024-02" in message and "29" in message
    assert m.Presence.objects.get(team_member=person, month=february).days == 29


def test_finish_measure(team_user):
    household = make_household(VILLAGE_A)
    measure = create(m.Measure, household=household, region_code=VILLAGE_A, kind="health",
                     year=today().year)
    assert measure.category == c.MeasureCategory.RELIEF
    actions.finish_measure(measure, user=team_user, done_on=ago(1), amount=1200, effect="报销")
    measure.refresh_from_db()
    assert (measure.state, measure.amount, measure.done_on) == ("done", 1200, ago(1))
    refused(actions.finish_measure, measure, user=team_user, done_on=ago(1), code="state")


# --- coverage gaps ----------------------------------------------------------------------------
def gap_keys(user, region=COUNTY_A, key=None):
    rows = {row["gap"].key: row for row in rules.gap_counts(user, region, today())}
    return rows[key] if key else {k: r["total"] for k, r in rows.items()}


@pytest.fixture
def county(make_user):
    return make_user(Role.ORG_DEPT, COUNTY_A)


def test_key_village_without_team(county):
    create(VillageProfile, region_code=VILLAGE_A, is_key_village=True)
    create(VillageProfile, region_code=VILLAGE_A2, is_key_village=False)
    row = gap_keys(county, key="key_villages_without_team")
    assert row["total"] == 1 and row["by_child"] == {TOWNSHIP_A: 1}
    _team(VILLAGE_A)
    assert gap_keys(county)["key_villages_without_team"] == 0
    # an ended team does not count
    m.WorkTeam.objects.update(ends_on=ago(1))
    assert gap_keys(county)["key_villages_without_team"] == 1


def test_small_team_and_presence(county):
    _team(VILLAGE_A, members=2)
    _, people = _team(VILLAGE_A2, members=3)
    gaps = gap_keys(county)
    assert gaps["small_teams"] == 1
    # no presence recorded last month: both teams short
    assert gaps["teams_low_presence"] == 2
    month = rules.last_month(today())
    for person in people:
        create(m.Presence, team_member=person, region_code=VILLAGE_A2, month=month, days=22)
    assert gap_keys(county)["teams_low_presence"] == 1
    m.Presence.objects.filter(team_member=people[0]).update(days=10)
    assert gap_keys(county)["teams_low_presence"] == 2


def test_households_without_helper_and_helpers_over_limit(county, team_user, helper_member):
    Parameter.objects.create(key=rules.HELPER_LOAD_LIMIT, value=1)
    first, second = make_household(VILLAGE_A), make_household(VILLAGE_A)
    make_household(VILLAGE_A, status="exited")  # not in need: never a gap
    assert gap_keys(county)["households_without_helper"] == 2
    actions.start_pairing(first, helper_member, user=team_user, starts_on=ago(5))
    gaps = gap_keys(county)
    assert gaps["households_without_helper"] == 1 and gaps["helpers_over_limit"] == 0
    actions.start_pairing(second, helper_member, user=team_user, starts_on=ago(5))
    gaps = gap_keys(county)
    assert gaps["households_without_helper"] == 0 and gaps["helpers_over_limit"] == 1


def test_branch_without_pairing(county):
    branch = make_org(VILLAGE_A)
    make_org(VILLAGE_A2)  # not a key or poor village: not a gap
    create(VillageProfile, region_code=VILLAGE_A, is_poor_village=True)
    assert gap_keys(county)["branches_without_pairing"] == 1
    organ = make_org(COUNTY_A, name="县财政局机关支部")
    create(m.BranchPairing, helping_org=organ, helping_kind="organ", village_org=branch,
           region_code=VILLAGE_A, starts_on=ago(100))
    assert gap_keys(county)["branches_without_pairing"] == 0


def test_households_and_villages_not_visited(county, team_user):
    Parameter.objects.create(key=rules.HOUSEHOLD_VISIT_DAYS, value=30)
    household = make_household(VILLAGE_A)
    create(VillageProfile, region_code=VILLAGE_A, is_key_village=True)
    gaps = gap_keys(county)
    assert gaps["households_not_visited"] == 1 and gaps["villages_not_visited"] == 1
    actions.record_visit(user=team_user, household=household, visited_on=ago(40), findings="a")
    assert gap_keys(county)["households_not_visited"] == 1  # too long ago
    actions.record_visit(user=team_user, household=household, visited_on=ago(3), findings="b")
    gaps = gap_keys(county)
    # a household visit is also a visit to its village
    assert gaps["households_not_visited"] == 0 and gaps["villages_not_visited"] == 0


def test_households_without_measure(county):
    household = make_household(VILLAGE_A)
    assert gap_keys(county)["households_without_measure"] == 1
    measure = create(m.Measure, household=household, region_code=VILLAGE_A, kind="industry",
                     year=today().year, state="cancelled")
    assert gap_keys(county)["households_without_measure"] == 1
    m.Measure.objects.filter(pk=measure.pk).update(state="planned")
    assert gap_keys(county)["households_without_measure"] == 0


def test_gaps_roll_up_and_respect_scope(make_user):
    make_household(VILLAGE_A)
    make_household(VILLAGE_A2)
    make_household(VILLAGE_B)
    province = make_user(Role.ORG_DEPT, "520000000000")
    row = gap_keys(province, region="520000000000", key="households_without_helper")
    assert row["by_child"] == {"520100000000": 2, "520300000000": 1} and row["total"] == 3
    county_b = make_user(Role.ORG_DEPT, "520302000000")
    # a user sees no rows outside their scope, whatever region they ask for
    assert gap_keys(county_b, region=COUNTY_A)["households_without_helper"] == 0
    village = gap_keys(make_user(Role.ORG_DEPT, VILLAGE_A), region=VILLAGE_A,
                       key="households_without_helper")
    assert village == {"gap": village["gap"], "total": 1, "by_child": {}}
