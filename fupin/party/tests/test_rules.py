"""The party rules and derivations: stage durations, the 6-month mobile rule, uncontacted
members, 一肩挑 and cross-membership, college graduates, meeting shortfalls, the election
arithmetic, and that each rule is data (a Parameter row changes it)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import translation

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.models import Parameter
from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, VILLAGE_B
from fupin.party import choices as c
from fupin.party import rules
from fupin.party.models import (
    Cadre,
    CadrePosition,
    Committee,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
)

D = datetime.date
VILLAGE_A2 = "520102001002"  # same township as VILLAGE_A
TERM_START = D(2021, 1, 1)
_seq = itertools.count(1)


# --- helpers -----------------------------------------------------------------------------------
def make_org(region_code=VILLAGE_A, kind=c.OrgKind.BRANCH, **extra) -> PartyOrg:
    with acting_as(None, label="test"):
        return PartyOrg.objects.create(name=extra.pop("name", f"党支部{next(_seq)}"), kind=kind,
                                       region_code=region_code, **extra)


def make_member(org: PartyOrg, stage=c.Stage.FULL, **extra) -> PartyMember:
    n = next(_seq)
    sex = "M" if n % 2 else "F"
    birth = D(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    with acting_as(None, label="test"):
        return PartyMember.objects.create(
            org=org, region_code=org.region_code, name=extra.pop("name", f"党员{n}"),
            id_number=make_id(org.region_code[:6], birth, n % 500, sex), sex=sex,
            birth_date=birth, stage=stage, **extra)


def make_cadre(region_code=VILLAGE_A, **extra) -> Cadre:
    n = next(_seq)
    birth = D(1975, 1 + n % 12, 1 + n % 28)
    with acting_as(None, label="test"):
        return Cadre.objects.create(region_code=region_code, name=extra.pop("name", f"干部{n}"),
                                    id_number=make_id(region_code[:6], birth, n % 500, "M"),
                                    sex="M", birth_date=birth, **extra)


def make_committee(kind, region_code=VILLAGE_A, start=TERM_START) -> Committee:
    with acting_as(None, label="test"):
        return Committee.objects.create(kind=kind, region_code=region_code,
                                        term_starts_on=start)


def hold(cadre, committee, post, start=TERM_START, end=None) -> CadrePosition:
    with acting_as(None, label="test"):
        return CadrePosition.objects.create(cadre=cadre, committee=committee, post=post,
                                            region_code=committee.region_code, starts_on=start,
                                            ends_on=end)


def set_param(key, value):
    with acting_as(None, label="test"):
        Parameter.objects.update_or_create(key=key, defaults={"value": value})


# --- declared parameters ---------------------------------------------------------------------------
def test_rules_are_declared_with_the_documented_defaults():
    from fupin.core import params

    assert params.DECLARED["party.activist_min_days"].default == 365
    assert params.DECLARED["party.probation_days"].default == 365
    assert params.DECLARED["party.mobile_transfer_months"].default == 6
    assert params.DECLARED["party.election_member_share"].default == 0.5
    assert params.DECLARED["party.election_quorum"].default == 0.8
    assert params.DECLARED["party.election_majority"].default == 0.5
    assert params.DECLARED["party.meeting_months"].default == {
        "all_member": 3, "committee": 1, "group": 1, "lecture": 3, "themed_day": 1}
    # The rules not taken from an official text say so.
    for key in ("party.election_member_share", "party.election_public_share",
                "party.election_candidate_margin", "party.meeting_kinds",
                "party.mobile_contact_days"):
        assert params.DECLARED[key].confirmed is False, key


def test_add_months_keeps_the_day_or_the_month_end():
    assert rules.add_months(D(2024, 1, 15), 6) == D(2024, 7, 15)
    assert rules.add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert rules.add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert rules.add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


# --- org tree ----------------------------------------------------------------------------------------
def test_parent_kinds():
    K = c.OrgKind
    assert rules.parent_kind_allowed(K.COMMITTEE, K.COMMITTEE)  # county over township
    assert rules.parent_kind_allowed(K.COMMITTEE, K.BRANCH)
    assert rules.parent_kind_allowed(K.GENERAL_BRANCH, K.BRANCH)
    assert rules.parent_kind_allowed(K.BRANCH, K.GROUP)
    assert not rules.parent_kind_allowed(K.GROUP, K.BRANCH)
    assert not rules.parent_kind_allowed(K.BRANCH, K.BRANCH)
    assert not rules.parent_kind_allowed(K.BRANCH, K.GENERAL_BRANCH)
    assert not rules.parent_kind_allowed(K.GROUP, K.GROUP)


def test_would_cycle(regions):
    top = make_org("520102001000", c.OrgKind.COMMITTEE)
    branch = make_org(parent=top)
    group = make_org(kind=c.OrgKind.GROUP, parent=branch)
    assert rules.would_cycle(top, group)
    assert rules.would_cycle(top, top)
    assert not rules.would_cycle(group, top)
    assert [o.pk for o in rules.ancestors(group)] == [branch.pk, top.pk]
    assert rules.descendant_ids(top) == {top.pk, branch.pk, group.pk}


# --- stages ------------------------------------------------------------------------------------------
def ready(member, stage, on):
    with translation.override("en"):
        return rules.stage_ready(member, stage, on, today=D(2026, 1, 1))


def test_stages_one_at_a_time(regions):
    org = make_org()
    m = make_member(org, stage=c.Stage.APPLICANT, applied_on=D(2022, 3, 1))
    result = ready(m, c.Stage.CANDIDATE, D(2024, 1, 1))
    assert not result and result.code == "order"
    assert "after “applicant” comes “activist”" in result.reason
    assert ready(m, c.Stage.ACTIVIST, D(2022, 9, 1))
    assert ready(m, c.Stage.APPLICANT, D(2022, 9, 1)).code == "already"
    assert ready(m, "chairman", D(2022, 9, 1)).code == "unknown_stage"


def test_stage_dates_not_before_the_previous_nor_in_the_future(regions):
    m = make_member(make_org(), stage=c.Stage.APPLICANT, applied_on=D(2022, 3, 1))
    early = ready(m, c.Stage.ACTIVIST, D(2022, 2, 28))
    assert early.code == "date_order"
    assert "before “applicant” (2022-03-01)" in early.reason
    assert ready(m, c.Stage.ACTIVIST, D(2026, 1, 2)).code == "future"


def test_activist_at_least_a_year_before_candidate(regions):
    m = make_member(make_org(), stage=c.Stage.ACTIVIST, applied_on=D(2022, 3, 1),
                    activist_on=D(2023, 3, 1))
    short = ready(m, c.Stage.CANDIDATE, D(2024, 2, 28))
    assert short.code == "too_early"
    assert short.earliest == D(2024, 2, 29)  # 365 days after 2023-03-01
    assert "earliest date is 2024-02-29" in short.reason
    assert ready(m, c.Stage.CANDIDATE, D(2024, 2, 29))


def test_probation_a_year_before_full(regions):
    m = make_member(make_org(), stage=c.Stage.PROBATIONARY, probationary_on=D(2024, 6, 1))
    assert ready(m, c.Stage.FULL, D(2025, 5, 31)).code == "too_early"
    assert ready(m, c.Stage.FULL, D(2025, 6, 1))


def test_missing_start_date_is_refused(regions):
    m = make_member(make_org(), stage=c.Stage.PROBATIONARY)
    assert ready(m, c.Stage.FULL, D(2025, 6, 1)).code == "missing_date"


def test_stage_durations_are_parameters(regions):
    m = make_member(make_org(), stage=c.Stage.PROBATIONARY, probationary_on=D(2024, 6, 1))
    set_param("party.probation_days", 730)
    assert ready(m, c.Stage.FULL, D(2025, 6, 1)).code == "too_early"
    assert ready(m, c.Stage.FULL, D(2026, 1, 1)).code == "too_early"
    set_param("party.probation_days", 180)
    assert ready(m, c.Stage.FULL, D(2024, 11, 28))


def test_a_member_who_left_does_not_advance(regions):
    m = make_member(make_org(), stage=c.Stage.APPLICANT, left_on=D(2023, 1, 1))
    assert ready(m, c.Stage.ACTIVIST, D(2024, 1, 1)).code == "left"


# --- mobile members ---------------------------------------------------------------------------------------
def away(member, since, **extra) -> MobileMembership:
    with acting_as(None, label="test"):
        return MobileMembership.objects.create(member=member, region_code=member.region_code,
                                               away_since=since, location="广州", **extra)


def test_mobile_rule_card_under_six_months_transfer_from_six(regions):
    row = away(make_member(make_org()), D(2024, 1, 15))
    assert rules.mobile_rule(row, D(2024, 1, 15)) == rules.CARD
    assert rules.mobile_rule(row, D(2024, 7, 14)) == rules.CARD
    assert rules.mobile_rule(row, D(2024, 7, 15)) == rules.TRANSFER  # six months exactly
    assert rules.mobile_rule(row, D(2025, 3, 1)) == rules.TRANSFER
    row.returned_on = D(2024, 5, 1)
    assert rules.mobile_rule(row, D(2025, 3, 1)) is None


def test_mobile_rule_months_are_a_parameter(regions):
    row = away(make_member(make_org()), D(2024, 1, 15))
    set_param("party.mobile_transfer_months", 3)
    assert rules.mobile_rule(row, D(2024, 4, 15)) == rules.TRANSFER
    assert rules.mobile_rule(row, D(2024, 4, 14)) == rules.CARD


def test_uncontacted_mobile_members(regions):
    org = make_org()
    never = away(make_member(org), D(2024, 1, 1))
    recent = away(make_member(org), D(2024, 1, 1), last_contact_on=D(2024, 5, 25))
    stale = away(make_member(org), D(2024, 1, 1), last_contact_on=D(2024, 3, 1))
    away(make_member(org), D(2024, 1, 1), returned_on=D(2024, 2, 1))
    away(make_member(org, left_on=D(2024, 2, 1)), D(2023, 1, 1))
    just = away(make_member(org), D(2024, 5, 2))  # exactly 30 days before
    rows = rules.uncontacted_mobile_members(MobileMembership.objects.all(), 30,
                                            today=D(2024, 6, 1))
    assert [r.pk for r in rows] == [never.pk, stale.pk, just.pk]
    assert rows[0].last_seen_on == D(2024, 1, 1)
    # From members, and with the default number of days (30).
    rows = rules.uncontacted_mobile_members(PartyMember.objects.filter(org=org),
                                            today=D(2024, 6, 1))
    assert recent.pk not in {r.pk for r in rows} and len(rows) == 3
    assert not rules.uncontacted_mobile_members(MobileMembership.objects.all(), 200,
                                                today=D(2024, 6, 1)).exists()


def test_uncontacted_respects_a_restricted_queryset(regions, make_user):
    away(make_member(make_org(VILLAGE_A)), D(2024, 1, 1))
    away(make_member(make_org(VILLAGE_B)), D(2024, 1, 1))
    user = make_user(Role.VILLAGE, VILLAGE_B)
    rows = rules.uncontacted_mobile_members(MobileMembership.objects.restrict(user), 30,
                                            today=D(2024, 6, 1))
    assert {r.region_code for r in rows} == {VILLAGE_B}


# --- committees: 一肩挑, cross-membership, college graduates -----------------------------------------------
@pytest.fixture
def committees(regions):
    """Village A: X is secretary and director (一肩挑); Y is deputy secretary and a villagers'
    committee member (cross-membership); Z sits on the branch committee only; W was director
    until 2023. Village A2: V is secretary, but director in village A (not the same village)."""
    K, P = c.CommitteeKind, c.Post
    branch, villagers = make_committee(K.BRANCH), make_committee(K.VILLAGERS)
    x, y = make_cadre(name="X"), make_cadre(name="Y", is_college_graduate=True)
    z = make_cadre(name="Z", education="college")
    w = make_cadre(name="W")
    hold(x, branch, P.SECRETARY)
    hold(x, villagers, P.DIRECTOR, start=D(2023, 7, 1))
    hold(w, villagers, P.DIRECTOR, end=D(2023, 6, 30))
    hold(w, branch, P.MEMBER)
    hold(y, branch, P.DEPUTY_SECRETARY)
    hold(y, villagers, P.MEMBER)
    hold(z, branch, P.MEMBER)
    branch2 = make_committee(K.BRANCH, VILLAGE_A2)
    v = make_cadre(VILLAGE_A2, name="V")
    hold(v, branch2, P.SECRETARY)
    hold(v, villagers, P.MEMBER)
    return {"x": x, "y": y, "z": z, "w": w, "v": v}


def test_one_shoulder_is_derived(committees):
    rows = rules.one_shoulder(VILLAGE_A[:9] + "000", on=D(2024, 1, 1))
    assert [(r.region_code, r.cadre.name) for r in rows] == [(VILLAGE_A, "X")]
    assert rows[0].holds(c.CommitteeKind.BRANCH, c.Post.SECRETARY)
    # Before X became director, nobody held both posts; W was director but not secretary.
    assert rules.one_shoulder(VILLAGE_A, on=D(2023, 1, 1)) == []


def test_cross_members_are_derived(committees):
    rows = rules.cross_members(CadrePosition.objects.all(), on=D(2024, 1, 1))
    assert [(r.region_code, r.cadre.name) for r in rows] == [(VILLAGE_A, "X"), (VILLAGE_A, "Y")]
    assert [r.is_one_shoulder for r in rows] == [True, False]
    # In 2023 W was on both committees of village A.
    names = {r.cadre.name for r in rules.cross_members(VILLAGE_A, on=D(2023, 1, 1))}
    assert names == {"W", "Y"}


def test_derivations_take_committee_and_cadre_querysets(committees):
    on = D(2024, 1, 1)
    by_committee = rules.cross_members(Committee.objects.filter(region_code=VILLAGE_A), on)
    by_cadre = rules.cross_members(Cadre.objects.filter(name__in=["X", "Z"]), on)
    assert {r.cadre.name for r in by_committee} == {"X", "Y"}
    assert {r.cadre.name for r in by_cadre} == {"X"}
    with pytest.raises(TypeError):
        rules.cross_members(PartyMember.objects.all(), on)


def test_derivations_follow_the_users_scope(committees, make_user):
    stranger = make_user(Role.VILLAGE, VILLAGE_B)
    inside = make_user(Role.VILLAGE, VILLAGE_A)
    assert rules.one_shoulder(CadrePosition.objects.restrict(stranger), D(2024, 1, 1)) == []
    assert len(rules.one_shoulder(CadrePosition.objects.restrict(inside), D(2024, 1, 1))) == 1


def test_college_graduate_villages(committees):
    found = rules.college_graduate_villages(VILLAGE_A[:6] + "000000", on=D(2024, 1, 1))
    assert list(found) == [VILLAGE_A]
    assert {c.name for c in found[VILLAGE_A]} == {"Y", "Z"}  # flag, or college education
    assert rules.college_graduate_villages(VILLAGE_A2, on=D(2024, 1, 1)) == {}


# --- meeting shortfalls -------------------------------------------------------------------------------------
def meet(org, kind, day):
    with acting_as(None, label="test"):
        OrgMeeting.objects.create(org=org, region_code=org.region_code, kind=kind, date=day,
                                  attendance=5, expected=6, topics="学习")


def counts(row) -> dict:
    return {k.kind: (k.required, k.held, len(k.missing)) for k in row.counts}


def test_windows():
    assert rules.windows(D(2024, 1, 1), D(2024, 6, 30), 3) == [
        (D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 6, 30))]
    assert len(rules.windows(D(2024, 1, 1), D(2024, 12, 31), 1)) == 12
    # Only windows wholly inside the period count.
    assert rules.windows(D(2024, 1, 15), D(2024, 4, 30), 1) == [
        (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), D(2024, 4, 30))]
    with pytest.raises(ValueError):
        rules.windows(D(2024, 1, 1), D(2024, 12, 31), 5)


def test_meeting_shortfalls(regions):
    K = c.MeetingKind
    good = make_org(name="good")
    poor = make_org(name="poor")
    group = make_org(kind=c.OrgKind.GROUP, parent=good, name="group")
    young = make_org(name="young", founded_on=D(2024, 2, 10))
    for month in (1, 2, 3):
        meet(good, K.COMMITTEE, D(2024, month, 10))
        meet(good, K.THEMED_DAY, D(2024, month, 1))
        meet(group, K.GROUP, D(2024, month, 20))
        if month > 1:
            meet(young, K.THEMED_DAY, D(2024, month, 15))
    meet(good, K.ALL_MEMBER, D(2024, 3, 30))
    meet(good, K.LECTURE, D(2024, 2, 1))
    meet(poor, K.COMMITTEE, D(2024, 1, 10))
    meet(poor, K.COMMITTEE, D(2024, 1, 20))  # two in January do not make up for March
    meet(poor, K.COMMITTEE, D(2024, 2, 10))
    meet(poor, K.ALL_MEMBER, D(2023, 12, 30))  # outside the period
    result = rules.meeting_shortfalls(PartyOrg.objects.order_by("pk"), D(2024, 1, 1),
                                      D(2024, 3, 31))
    by_name = {row.org.name: row for row in result}
    assert [row.org.name for row in result] == ["good", "poor", "group", "young"]
    assert not by_name["good"].short
    assert counts(by_name["good"]) == {"all_member": (1, 1, 0), "committee": (3, 3, 0),
                                       "lecture": (1, 1, 0), "themed_day": (3, 3, 0)}
    poor_row = by_name["poor"]
    assert poor_row.short
    assert counts(poor_row) == {"all_member": (1, 0, 1), "committee": (3, 3, 1),
                                "lecture": (1, 0, 1), "themed_day": (3, 0, 3)}
    committee = next(k for k in poor_row.short_kinds if k.kind == K.COMMITTEE)
    assert committee.missing == [(D(2024, 3, 1), D(2024, 3, 31))]
    with translation.override("en"):
        assert committee.label == "branch committee meeting"
    assert counts(by_name["group"]) == {"group": (3, 3, 0)}
    # Founded on 10 February: only March, wholly within its life, is required of it.
    assert counts(by_name["young"])["themed_day"] == (1, 2, 0)
    assert counts(by_name["young"])["all_member"] == (0, 0, 0)


def test_meeting_frequency_is_data(regions):
    org = make_org()
    meet(org, c.MeetingKind.COMMITTEE, D(2024, 2, 1))
    set_param("party.meeting_months", {"all_member": 3, "committee": 3, "group": 1,
                                       "lecture": 3, "themed_day": 1})
    set_param("party.meeting_kinds", {"branch": ["committee"]})
    (row,) = rules.meeting_shortfalls(PartyOrg.objects.filter(pk=org.pk), D(2024, 1, 1),
                                      D(2024, 3, 31))
    assert counts(row) == {"committee": (1, 1, 0)} and not row.short


# --- election arithmetic -------------------------------------------------------------------------------------
def test_shortlist_size_has_a_margin(db):
    assert rules.shortlist_size(3) == 4
    assert rules.shortlist_size(5) == 6
    assert rules.shortlist_size(7) == 9
    set_param("party.election_candidate_margin", 0)
    assert rules.shortlist_size(3) == 3


def test_pick_shortlist_thresholds(db):
    # 20 members eligible, 100 of the public: at least 10 and 50 votes.
    votes = {1: (15, 80), 2: (10, 50), 3: (9, 90), 4: (18, 49), 5: (12, 60), 6: (11, 70)}
    pick = rules.pick_shortlist(votes, 3, 20, 100)
    assert pick.qualified == 4 and pick.size == 4
    assert pick.picked == [1, 5, 6, 2]
    pick = rules.pick_shortlist(votes, 2, 20, 100)  # 3 wanted: the fourth is left out
    assert pick.picked == [1, 5, 6]
    set_param("party.election_member_share", 0.6)
    assert rules.pick_shortlist(votes, 3, 20, 100).picked == [1, 5]


def test_pick_shortlist_keeps_ties_at_the_cut(db):
    votes = {1: (15, 80), 2: (12, 60), 3: (12, 60), 4: (11, 60)}
    assert rules.pick_shortlist(votes, 1, 20, 100).picked == [1, 2, 3]


def test_quorum_is_more_than_four_fifths(db):
    assert not rules.quorum_met(8, 10)
    assert rules.quorum_met(9, 10)
    assert not rules.quorum_met(4, 5) and rules.quorum_met(5, 5)
    assert not rules.quorum_met(0, 0)
    set_param("party.election_quorum", 0.5)
    assert rules.quorum_met(6, 10) and not rules.quorum_met(5, 10)


def test_pick_elected_majority_and_seats(db):
    # 10 present: more than 5 votes needed.
    result = rules.pick_elected({1: 9, 2: 8, 3: 6, 4: 5, 5: 7}, 10, 3)
    assert result.elected == [1, 2, 5] and result.tied == []
    result = rules.pick_elected({1: 9, 2: 5, 3: 4}, 10, 3)
    assert result.elected == [1]  # the others lack a majority: two seats stay vacant
    result = rules.pick_elected({1: 9, 2: 7, 3: 7, 4: 6}, 10, 2)
    assert result.elected == [1] and sorted(result.tied) == [2, 3]
    set_param("party.election_majority", 0.6)
    assert rules.pick_elected({1: 6, 2: 7}, 10, 2).elected == [2]
