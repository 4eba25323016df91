"""Party actions: the org tree (no cycles, parent kinds, joint orgs visible in each covered
region), stages, one org per member and two-sided transfers, mobile members, meetings,
committee posts and the election from nomination to the committee, with their refusals."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.models import ChangeRecord, Parameter
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.party import actions, rules
from fupin.party import choices as c
from fupin.party.actions import ActionRefused, NotPermitted
from fupin.party.models import (
    Cadre,
    CadrePosition,
    Candidate,
    Committee,
    CoveredRegion,
    Election,
    MemberPost,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
    Transfer,
)

D = datetime.date
VILLAGE_A2 = "520102001002"  # same township as VILLAGE_A
TOWNSHIP_C = "520102002000"  # another township of county A
VILLAGE_C = "520102002001"  # a village of that township
K, B, S, P = c.OrgKind, c.OrgBasis, c.Stage, c.Post
TERM_START = D(2021, 1, 1)
_seq = itertools.count(1)


# --- helpers -----------------------------------------------------------------------------------
def make_org(region_code=VILLAGE_A, kind=K.BRANCH, **extra) -> PartyOrg:
    with acting_as(None, label="test"):
        return PartyOrg.objects.create(name=extra.pop("name", f"党支部{next(_seq)}"), kind=kind,
                                       region_code=region_code, **extra)


def make_member(org: PartyOrg, stage=S.FULL, **extra) -> PartyMember:
    n = next(_seq)
    sex = "M" if n % 2 else "F"
    birth = D(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    with acting_as(None, label="test"):
        return PartyMember.objects.create(
            org=org, region_code=org.region_code, name=extra.pop("name", f"党员{n}"),
            id_number=make_id(org.region_code[:6], birth, n % 500, sex), sex=sex,
            birth_date=birth, stage=stage, **extra)


def refused(func, *args, code=None, **kwargs) -> str:
    """Call an action that must be refused; returns its English message."""
    with translation.override("en"), pytest.raises(ActionRefused) as info:
        func(*args, **kwargs)
    if code is not None:
        assert info.value.code == code, (info.value.code, str(info.value))
    return str(info.value)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def people(regions, make_user):
    class People:
        village = make_user(Role.VILLAGE, VILLAGE_A)
        village_a2 = make_user(Role.VILLAGE, VILLAGE_A2)
        village_c = make_user(Role.VILLAGE, VILLAGE_C)
        township = make_user(Role.TOWNSHIP, TOWNSHIP_A)
        township_c = make_user(Role.TOWNSHIP, TOWNSHIP_C)
        county = make_user(Role.ORG_DEPT, COUNTY_A)
        viewer = make_user(Role.VIEWER, COUNTY_A)
        stranger = make_user(Role.VILLAGE, VILLAGE_B)

    return People


# --- org tree ------------------------------------------------------------------------------------
def test_create_an_org_tree(people):
    county = actions.create_org(user=people.county, name="南明区委", kind=K.COMMITTEE,
                                basis=B.ORGAN, region_code=COUNTY_A)
    township = actions.create_org(user=people.township, name="新华路街道党工委",
                                  kind=K.COMMITTEE, basis=B.PLACE, region_code=TOWNSHIP_A,
                                  parent=county)
    branch = actions.create_org(user=people.township, name="和平村党支部", kind=K.BRANCH,
                                basis=B.PLACE, region_code=VILLAGE_A, parent=township,
                                founded_on=D(1990, 7, 1))
    group = actions.create_org(user=people.village, name="第一党小组", kind=K.GROUP,
                               basis=B.PLACE, region_code=VILLAGE_A, parent=branch)
    assert [o.pk for o in rules.ancestors(group)] == [branch.pk, township.pk, county.pk]
    record = ChangeRecord.objects.get(model="party.partyorg", object_id=str(group.pk))
    assert record.action == "create" and record.user_id == people.village.pk


def test_a_parent_of_a_lower_kind_is_refused(people):
    branch = make_org()
    group = make_org(kind=K.GROUP, parent=branch)
    message = refused(actions.create_org, user=people.township, name="x", kind=K.BRANCH,
                      basis=B.PLACE, region_code=VILLAGE_A, parent=group, code="parent_kind")
    assert message == "A party group cannot be the parent of a party branch."
    other = make_org()
    refused(actions.move_org, other, user=people.township, parent=branch, code="parent_kind")


def test_an_org_cannot_be_its_own_ancestor(people):
    county = make_org(COUNTY_A, K.COMMITTEE)
    township = make_org(TOWNSHIP_A, K.COMMITTEE, parent=county)
    message = refused(actions.move_org, county, user=people.county, parent=township,
                      code="cycle")
    assert "cannot be its own ancestor" in message
    refused(actions.move_org, county, user=people.county, parent=county, code="cycle")
    county.refresh_from_db()
    assert county.parent_id is None
    # A move that keeps the tree a tree is fine, and logged.
    other = make_org(TOWNSHIP_A, K.COMMITTEE)
    actions.move_org(other, user=people.county, parent=county)
    other.refresh_from_db()
    assert other.parent_id == county.pk
    assert ChangeRecord.objects.filter(model="party.partyorg", object_id=str(other.pk),
                                       action="update", user=people.county).exists()


def test_the_parent_region_contains_the_child(people):
    township = make_org(TOWNSHIP_A, K.COMMITTEE)
    refused(actions.create_org, user=people.county, name="x", kind=K.BRANCH, basis=B.PLACE,
            region_code=VILLAGE_C, parent=township, code="parent_region")


def test_create_org_refusals(people):
    kwargs = {"name": "x", "kind": K.BRANCH, "basis": B.PLACE, "region_code": VILLAGE_A}
    with pytest.raises(NotPermitted) as info:
        actions.create_org(user=people.viewer, **kwargs)
    assert isinstance(info.value, PermissionDenied) and info.value.code == "role"
    with pytest.raises(NotPermitted) as info:
        actions.create_org(user=people.stranger, **kwargs)
    assert info.value.code == "scope"
    refused(actions.create_org, user=people.county, **{**kwargs, "name": " "}, code="name")
    refused(actions.create_org, user=people.county, **{**kwargs, "kind": "cell"}, code="kind")
    refused(actions.create_org, user=people.county, **{**kwargs, "region_code": "520102001999"},
            code="region")
    refused(actions.create_org, user=people.county, founded_on=today() + datetime.timedelta(1),
            **kwargs, code="future")
    assert not PartyOrg.objects.exists()


def test_a_joint_org_covers_at_least_two_existing_villages_or_townships(people):
    joint = {"name": "联建党支部", "kind": K.BRANCH, "basis": B.JOINT_VILLAGES,
             "region_code": VILLAGE_A}
    message = refused(actions.create_org, user=people.county, covered_regions=[VILLAGE_A],
                      **joint, code="covered_too_few")
    assert message == "A joint organization covers at least two regions (villages or townships)."
    refused(actions.create_org, user=people.county, covered_regions=[VILLAGE_A, VILLAGE_A],
            **joint, code="covered_too_few")
    refused(actions.create_org, user=people.county, covered_regions=[VILLAGE_A, "520102001999"],
            **joint, code="covered_unknown")
    refused(actions.create_org, user=people.county, covered_regions=[VILLAGE_A, COUNTY_A],
            **joint, code="covered_level")
    with pytest.raises(NotPermitted):  # a township cannot reach into another township
        actions.create_org(user=people.township, covered_regions=[VILLAGE_A, VILLAGE_C], **joint)
    refused(actions.create_org, user=people.county, name="x", kind=K.BRANCH, basis=B.PLACE,
            region_code=VILLAGE_A, covered_regions=[VILLAGE_A, VILLAGE_A2],
            code="covered_not_joint")
    assert not PartyOrg.objects.exists() and not CoveredRegion.objects.exists()


def visible_to(user) -> set[int]:
    return set(PartyOrg.objects.restrict(user, "view").values_list("pk", flat=True))


def test_a_joint_org_is_visible_in_each_covered_region(people):
    org = actions.create_org(user=people.county, name="村村联建党支部", kind=K.BRANCH,
                             basis=B.JOINT_VILLAGES, region_code=VILLAGE_A,
                             covered_regions=[VILLAGE_A, VILLAGE_C])
    assert set(org.covered_regions.values_list("region_code", flat=True)) == {VILLAGE_A,
                                                                              VILLAGE_C}
    assert org.pk in visible_to(people.village)
    assert org.pk in visible_to(people.village_c)  # covered, in another township
    assert org.pk in visible_to(people.township_c)
    assert org.pk not in visible_to(people.village_a2)  # same township, not covered
    assert org.pk not in visible_to(people.stranger)
    # A covering village may change it too (restrict "change" follows the same scope).
    assert PartyOrg.objects.restrict(people.village_c, "change").filter(pk=org.pk).exists()

    actions.set_covered_regions(org, user=people.county, codes=[VILLAGE_A, VILLAGE_A2])
    assert org.pk in visible_to(people.village_a2)
    assert org.pk not in visible_to(people.village_c)
    assert ChangeRecord.objects.filter(model="party.coveredregion", action="delete").count() == 1
    assert ChangeRecord.objects.filter(model="party.coveredregion", action="create").count() == 3
    refused(actions.set_covered_regions, org, user=people.county, codes=[VILLAGE_A],
            code="covered_too_few")


# --- stages ------------------------------------------------------------------------------------------
def test_advance_through_the_stages(people):
    m = make_member(make_org(), stage=S.APPLICANT, applied_on=D(2021, 1, 10))
    steps = [(S.ACTIVIST, D(2021, 7, 1)), (S.CANDIDATE, D(2022, 7, 1)),
             (S.PROBATIONARY, D(2022, 9, 1)), (S.FULL, D(2023, 9, 1))]
    for stage, on in steps:
        actions.advance_stage(m, stage, user=people.village, on=on)
    m.refresh_from_db()
    assert m.stage == S.FULL
    assert (m.activist_on, m.candidate_on, m.probationary_on, m.full_on) == tuple(
        on for _stage, on in steps)
    records = ChangeRecord.objects.filter(model="party.partymember", object_id=str(m.pk),
                                          action="update")
    assert records.count() == 4 and {r.user_id for r in records} == {people.village.pk}


def test_advance_stage_refusals(people):
    m = make_member(make_org(), stage=S.ACTIVIST, applied_on=D(2021, 1, 10),
                    activist_on=D(2021, 7, 1))
    message = refused(actions.advance_stage, m, S.PROBATIONARY, user=people.village,
                      on=D(2023, 1, 1), code="order")
    assert "after “activist” comes “development candidate”" in message
    message = refused(actions.advance_stage, m, S.CANDIDATE, user=people.village,
                      on=D(2022, 6, 30), code="too_early")
    assert message == ("“development candidate” needs 365 days as “activist” (since "
                       "2021-07-01): the earliest date is 2022-07-01.")
    refused(actions.advance_stage, m, S.CANDIDATE, user=people.village, on=D(2021, 6, 1),
            code="date_order")
    refused(actions.advance_stage, m, S.CANDIDATE, user=people.village,
            on=today() + datetime.timedelta(days=1), code="future")
    with pytest.raises(NotPermitted):
        actions.advance_stage(m, S.CANDIDATE, user=people.viewer, on=D(2023, 1, 1))
    with pytest.raises(NotPermitted):
        actions.advance_stage(m, S.CANDIDATE, user=people.stranger, on=D(2023, 1, 1))
    m.refresh_from_db()
    assert m.stage == S.ACTIVIST and m.candidate_on is None


def test_minimum_durations_are_parameters(people):
    m = make_member(make_org(), stage=S.PROBATIONARY, probationary_on=D(2024, 1, 1))
    with acting_as(None, label="test"):
        Parameter.objects.create(key="party.probation_days", value=500)
    refused(actions.advance_stage, m, S.FULL, user=people.village, on=D(2025, 1, 1),
            code="too_early")
    actions.advance_stage(m, S.FULL, user=people.village, on=D(2025, 5, 15))


# --- one org per member, transfers --------------------------------------------------------------------------
def test_a_member_moves_within_the_region_and_only_by_transfer_across(people):
    branch = make_org()
    group = make_org(kind=K.GROUP, parent=branch)
    elsewhere = make_org(VILLAGE_A2)
    m = make_member(branch)
    actions.move_member(m, user=people.village, org=group)
    m.refresh_from_db()
    assert m.org_id == group.pk
    message = refused(actions.move_member, m, user=people.township, org=elsewhere,
                      code="transfer")
    assert "only by a membership transfer" in message
    refused(actions.move_member, m, user=people.village, org=group, code="same_org")
    m.refresh_from_db()
    assert m.org_id == group.pk and m.region_code == VILLAGE_A


@pytest.fixture
def transfer_case(people):
    sending, receiving = make_org(name="和平村党支部"), make_org(VILLAGE_B, name="遵义党支部")
    member = make_member(sending)
    with acting_as(None, label="test"):
        sending.secretary = member
        sending.save()
        MemberPost.objects.create(member=member, region_code=VILLAGE_A, post="宣传员",
                                  starts_on=D(2020, 1, 1))
        MobileMembership.objects.create(member=member, region_code=VILLAGE_A,
                                        away_since=D(2024, 1, 1), location="遵义")
    return sending, receiving, member


def test_transfer_issued_by_the_sender_and_accepted_by_the_receiver(people, transfer_case):
    sending, receiving, member = transfer_case
    transfer = actions.issue_transfer(member, receiving, user=people.village, on=D(2024, 8, 1),
                                      note="外出务工")
    assert (transfer.state, transfer.region_code, transfer.to_region_code) == (
        c.TransferState.ISSUED, VILLAGE_A, VILLAGE_B)
    # Both sides see it; a third region does not.
    for user in (people.village, people.stranger, people.county):
        assert Transfer.objects.restrict(user).filter(pk=transfer.pk).exists()
    assert not Transfer.objects.restrict(people.village_a2).filter(pk=transfer.pk).exists()
    # The sender cannot accept, nor issue a second one while it is pending.
    with pytest.raises(NotPermitted):
        actions.accept_transfer(transfer, user=people.village, on=D(2024, 8, 5))
    refused(actions.issue_transfer, member, make_org(VILLAGE_A2), user=people.village,
            on=D(2024, 8, 2), code="pending")
    refused(actions.accept_transfer, transfer, user=people.stranger, on=D(2024, 7, 31),
            code="date_order")

    actions.accept_transfer(transfer, user=people.stranger, on=D(2024, 8, 10))
    member.refresh_from_db()
    transfer.refresh_from_db()
    sending.refresh_from_db()
    assert (member.org_id, member.region_code) == (receiving.pk, VILLAGE_B)
    assert (transfer.state, transfer.accepted_on) == (c.TransferState.ACCEPTED, D(2024, 8, 10))
    assert sending.secretary_id is None
    assert MemberPost.objects.get(member=member).ends_on == D(2024, 8, 10)
    assert MobileMembership.objects.get(member=member).returned_on == D(2024, 8, 10)
    # The member is now the receiver's; both sides still see the transfer (history).
    assert PartyMember.objects.restrict(people.stranger).filter(pk=member.pk).exists()
    assert not PartyMember.objects.restrict(people.village).filter(pk=member.pk).exists()
    assert Transfer.objects.restrict(people.village).filter(pk=transfer.pk).exists()
    moved = ChangeRecord.objects.get(model="party.partymember", object_id=str(member.pk),
                                     action="update")
    assert moved.user_id == people.stranger.pk
    assert (moved.before["region_code"], moved.after["region_code"]) == (VILLAGE_A, VILLAGE_B)
    accepted = ChangeRecord.objects.filter(model="party.transfer", object_id=str(transfer.pk),
                                           action="update").get()
    assert accepted.request_id == moved.request_id
    refused(actions.accept_transfer, transfer, user=people.stranger, on=D(2024, 8, 11),
            code="closed")


def test_a_transfer_can_be_returned_with_a_reason(people, transfer_case):
    sending, receiving, member = transfer_case
    transfer = actions.issue_transfer(member, receiving, user=people.village, on=D(2024, 8, 1))
    refused(actions.move_member, member, user=people.village, org=make_org(), code="pending")
    refused(actions.return_transfer, transfer, user=people.stranger, reason=" ", code="reason")
    with pytest.raises(NotPermitted):
        actions.return_transfer(transfer, user=people.village_a2, reason="不是本村")
    actions.return_transfer(transfer, user=people.stranger, reason="查无此人")
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert (transfer.state, transfer.return_reason) == (c.TransferState.RETURNED, "查无此人")
    assert transfer.returned_on is not None
    assert member.org_id == sending.pk
    refused(actions.accept_transfer, transfer, user=people.stranger, on=D(2024, 8, 2),
            code="closed")
    # A new one may be issued, and the history holds both.
    actions.issue_transfer(member, receiving, user=people.village, on=D(2024, 9, 1))
    assert Transfer.objects.filter(member=member).count() == 2


def test_issue_transfer_refusals(people):
    sending, receiving = make_org(), make_org(VILLAGE_B)
    applicant = make_member(sending, stage=S.ACTIVIST)
    refused(actions.issue_transfer, applicant, receiving, user=people.village,
            on=D(2024, 8, 1), code="stage")
    member = make_member(sending)
    refused(actions.issue_transfer, member, sending, user=people.village, on=D(2024, 8, 1),
            code="same_org")
    refused(actions.issue_transfer, member, receiving, user=people.village,
            on=today() + datetime.timedelta(days=3), code="future")
    with pytest.raises(NotPermitted):  # only the sending side issues
        actions.issue_transfer(member, receiving, user=people.stranger, on=D(2024, 8, 1))
    assert not Transfer.objects.exists()


# --- mobile members ---------------------------------------------------------------------------------------
def test_mobility_under_six_months_gets_an_activity_card(people):
    org = make_org()
    member, contact = make_member(org), make_member(org)
    result = actions.record_mobility(member, user=people.village,
                                     away_since=today() - datetime.timedelta(days=60),
                                     location="广东东莞", reason="务工", contact=contact)
    assert result.rule == rules.CARD and not result.transfer_suggested
    assert result.membership.has_activity_card
    assert result.membership.region_code == VILLAGE_A
    refused(actions.record_mobility, member, user=people.village, away_since=D(2024, 1, 1),
            location="x", code="open")


def test_mobility_of_six_months_or_more_suggests_a_transfer(people):
    member = make_member(make_org())
    result = actions.record_mobility(member, user=people.village,
                                     away_since=rules.add_months(today(), -6), location="浙江")
    assert result.rule == rules.TRANSFER and result.transfer_suggested
    assert not result.membership.has_activity_card


def test_mobility_refusals_contacts_and_return(people):
    org = make_org()
    member = make_member(org)
    outsider = make_member(make_org(VILLAGE_A2))
    refused(actions.record_mobility, member, user=people.village, away_since=D(2024, 1, 1),
            location="x", contact=outsider, code="contact")
    refused(actions.record_mobility, member, user=people.village, away_since=D(2024, 1, 1),
            location="x", contact=member, code="contact")
    refused(actions.record_mobility, member, user=people.village, away_since=D(2024, 1, 1),
            location=" ", code="location")
    row = actions.record_mobility(member, user=people.village, away_since=D(2024, 1, 1),
                                  location="上海").membership
    refused(actions.record_contact, row, user=people.village, on=D(2023, 12, 31),
            code="date_order")
    actions.record_contact(row, user=people.village, on=D(2024, 3, 1))
    refused(actions.record_contact, row, user=people.village, on=D(2024, 2, 1),
            code="date_order")
    uncontacted = rules.uncontacted_mobile_members(MobileMembership.objects.restrict(
        people.village), 30, today=D(2024, 4, 15))
    assert [r.pk for r in uncontacted] == [row.pk]
    actions.record_return(row, user=people.village, on=D(2024, 5, 1))
    row.refresh_from_db()
    assert row.returned_on == D(2024, 5, 1)
    assert rules.mobile_rule(row, D(2024, 6, 1)) is None
    refused(actions.record_contact, row, user=people.village, on=D(2024, 5, 2),
            code="returned")
    with pytest.raises(NotPermitted):
        actions.record_contact(row, user=people.stranger, on=D(2024, 5, 2))


# --- meetings ------------------------------------------------------------------------------------------
def test_record_meeting_and_its_refusals(people):
    org = make_org(founded_on=D(2000, 1, 1))
    base = {"kind": c.MeetingKind.ALL_MEMBER, "date": D(2024, 3, 5), "attendance": 20,
            "expected": 24, "topics": "学习党章"}
    meeting = actions.record_meeting(org, user=people.village, **base,
                                     resolutions="开展义务劳动")
    assert (meeting.region_code, meeting.attendance) == (VILLAGE_A, 20)
    message = refused(actions.record_meeting, org, user=people.village,
                      **{**base, "attendance": 25}, code="attendance")
    assert message == "The attendance (25) cannot exceed the members expected (24)."
    refused(actions.record_meeting, org, user=people.village,
            **{**base, "date": today() + datetime.timedelta(days=1)}, code="future")
    refused(actions.record_meeting, org, user=people.village, **{**base, "topics": ""},
            code="topics")
    refused(actions.record_meeting, org, user=people.village, **{**base, "kind": "party"},
            code="kind")
    refused(actions.record_meeting, org, user=people.village, **{**base, "date": D(1999, 1, 1)},
            code="date_order")
    with pytest.raises(NotPermitted):
        actions.record_meeting(org, user=people.stranger, **base)
    with pytest.raises(NotPermitted):
        actions.record_meeting(org, user=people.viewer, **base)
    assert OrgMeeting.objects.count() == 1
    (row,) = rules.meeting_shortfalls(PartyOrg.objects.filter(pk=org.pk), D(2024, 1, 1),
                                      D(2024, 3, 31))
    assert {k.kind for k in row.short_kinds} == {"committee", "lecture", "themed_day"}


# --- committees and cadres --------------------------------------------------------------------------------
def make_cadre(region_code=VILLAGE_A, **extra) -> Cadre:
    n = next(_seq)
    birth = D(1975, 1 + n % 12, 1 + n % 28)
    with acting_as(None, label="test"):
        return Cadre.objects.create(region_code=region_code, name=extra.pop("name", f"干部{n}"),
                                    id_number=make_id(region_code[:6], birth, n % 500, "M"),
                                    sex="M", birth_date=birth, **extra)


def make_committee(kind, region_code=VILLAGE_A, start=TERM_START, org=None) -> Committee:
    with acting_as(None, label="test"):
        return Committee.objects.create(kind=kind, region_code=region_code, org=org,
                                        term_starts_on=start)


def test_appoint_and_end_positions_derive_one_shoulder(people):
    branch = make_committee(c.CommitteeKind.BRANCH)
    villagers = make_committee(c.CommitteeKind.VILLAGERS)
    x, y = make_cadre(name="X"), make_cadre(name="Y")
    actions.appoint(x, branch, P.SECRETARY, user=people.township, starts_on=D(2021, 1, 1))
    director = actions.appoint(x, villagers, P.DIRECTOR, user=people.township,
                               starts_on=D(2021, 2, 1))
    assert [r.cadre.name for r in rules.one_shoulder(VILLAGE_A, D(2022, 1, 1))] == ["X"]
    message = refused(actions.appoint, y, villagers, P.DIRECTOR, user=people.township,
                      starts_on=D(2022, 1, 1), code="occupied")
    assert message == "X is director of this committee: end that post first."
    refused(actions.appoint, y, branch, P.DIRECTOR, user=people.township,
            starts_on=D(2022, 1, 1), code="post")
    refused(actions.appoint, x, branch, P.MEMBER, user=people.township,
            starts_on=D(2022, 1, 1), code="held")
    refused(actions.appoint, y, branch, P.MEMBER, user=people.township,
            starts_on=D(2020, 1, 1), code="term")
    with pytest.raises(NotPermitted):
        actions.appoint(y, branch, P.MEMBER, user=people.stranger, starts_on=D(2022, 1, 1))
    refused(actions.end_position, director, user=people.township, ends_on=D(2021, 1, 1),
            code="date_order")
    actions.end_position(director, user=people.township, ends_on=D(2022, 12, 31))
    refused(actions.end_position, director, user=people.township, ends_on=D(2023, 1, 1),
            code="ended")
    actions.appoint(y, villagers, P.DIRECTOR, user=people.township, starts_on=D(2023, 1, 1))
    assert rules.one_shoulder(VILLAGE_A, D(2023, 6, 1)) == []
    assert rules.one_shoulder(VILLAGE_A, D(2022, 6, 1))[0].cadre.name == "X"


# --- elections (两推一选) -----------------------------------------------------------------------------------
@pytest.fixture
def branch_election(people):
    org = make_org(name="和平村党支部")
    group = make_org(kind=K.GROUP, parent=org)
    names = ["甲", "乙", "丙", "丁", "戊"]
    members = {n: make_member(org if n != "戊" else group, name=n) for n in names}
    election = actions.open_election(org, user=people.township, seats=3, members_eligible=10)
    for m in members.values():
        actions.nominate(election, m, user=people.township)
    return org, election, members


def test_open_election_and_nominate_refusals(people, branch_election):
    org, election, members = branch_election
    refused(actions.open_election, org, user=people.township, seats=3, members_eligible=10,
            code="open")
    refused(actions.open_election, make_org(kind=K.GROUP), user=people.township, seats=3,
            members_eligible=10, code="kind")
    refused(actions.open_election, make_org(), user=people.township, seats=5,
            members_eligible=4, code="eligible")
    refused(actions.nominate, election, make_member(org, stage=S.PROBATIONARY),
            user=people.township, code="stage")
    refused(actions.nominate, election, make_member(make_org()), user=people.township,
            code="not_member")
    refused(actions.nominate, election, members["甲"], user=people.township, code="nominated")
    with pytest.raises(NotPermitted):
        actions.nominate(election, make_member(org), user=people.stranger)


def vote_ids(members, table: dict) -> dict:
    return {members[name].pk: value for name, value in table.items()}


def test_an_election_from_nomination_to_the_committee(people, branch_election):
    org, election, members = branch_election
    refused(actions.shortlist, election, user=people.township, code="order")
    with acting_as(None, label="test"):
        old = Committee.objects.create(kind=c.CommitteeKind.BRANCH, org=org,
                                       region_code=VILLAGE_A, term_starts_on=D(2019, 1, 1))
        CadrePosition.objects.create(cadre=make_cadre(), committee=old, post=P.SECRETARY,
                                     region_code=VILLAGE_A, starts_on=D(2019, 1, 1))
    # 10 members eligible, 40 of the public: at least 5 member votes and 20 public votes.
    actions.record_recommendations(election, user=people.township, public_voters=40, votes=vote_ids(
        members, {"甲": (9, 35), "乙": (8, 30), "丙": (7, 25), "丁": (6, 21), "戊": (4, 39)}))
    refused(actions.nominate, election, make_member(org), user=people.township, code="order")
    chosen = actions.shortlist(election, user=people.township)
    assert [r.member.name for r in chosen] == ["甲", "乙", "丙", "丁"]  # 3 seats: 4 candidates
    assert not Candidate.objects.get(member=members["戊"]).shortlisted

    ballot = vote_ids(members, {"甲": 9, "乙": 7, "丙": 5, "丁": 3})
    posts = vote_ids(members, {"甲": P.SECRETARY, "乙": P.DEPUTY_SECRETARY})
    message = refused(actions.record_ballots, election, user=people.township, members_present=8,
                      votes=ballot, posts=posts, on=D(2024, 4, 1), code="quorum")
    assert message == ("The election is not valid: 8 of 10 eligible members present; more than "
                       "80% must be present.")
    refused(actions.record_ballots, election, user=people.township, members_present=9,
            votes=vote_ids(members, {"戊": 9}), posts={}, on=D(2024, 4, 1),
            code="unknown_candidate")
    refused(actions.record_ballots, election, user=people.township, members_present=9,
            votes=ballot, posts=vote_ids(members, {"丁": P.MEMBER}), on=D(2024, 4, 1),
            code="unknown_candidate")
    refused(actions.record_ballots, election, user=people.township, members_present=9,
            votes=ballot, posts=vote_ids(members, {"甲": P.SECRETARY, "乙": P.SECRETARY}),
            on=D(2024, 4, 1), code="post")
    refused(actions.record_ballots, election, user=people.township, members_present=9,
            votes=vote_ids(members, {"甲": 10}), posts={}, on=D(2024, 4, 1), code="votes")
    refused(actions.close_election, election, user=people.township, on=D(2024, 4, 2),
            code="order")
    result = actions.record_ballots(election, user=people.township, members_present=9,
                                    votes=ballot, posts=posts, on=D(2024, 4, 1))
    # More than half of the 9 present (5 or more) elects 甲, 乙 and 丙; 丁 has 3.
    assert [members_by_pk(members)[k] for k in result.elected] == ["甲", "乙", "丙"]

    refused(actions.close_election, election, user=people.township, on=D(2024, 3, 31),
            code="date_order")
    committee = actions.close_election(election, user=people.township, on=D(2024, 4, 2))
    election.refresh_from_db()
    org.refresh_from_db()
    old.refresh_from_db()
    assert (election.state, election.result_committee_id) == (c.ElectionState.CLOSED,
                                                             committee.pk)
    assert (committee.kind, committee.org_id, committee.term_starts_on) == (
        c.CommitteeKind.BRANCH, org.pk, D(2024, 4, 2))
    held = {(p.cadre.member.name, p.post) for p in committee.positions.select_related(
        "cadre__member")}
    assert held == {("甲", P.SECRETARY), ("乙", P.DEPUTY_SECRETARY), ("丙", P.MEMBER)}
    assert org.secretary_id == members["甲"].pk
    assert old.term_ends_on == D(2024, 4, 1)
    assert old.positions.get().ends_on == D(2024, 4, 1)
    cadre = Cadre.objects.get(member=members["甲"])
    assert (cadre.id_number, cadre.region_code) == (members["甲"].id_number, VILLAGE_A)
    # Each step is in the change log, by the township user.
    steps = ChangeRecord.objects.filter(model="party.election", object_id=str(election.pk))
    assert steps.count() == 5 and {r.user_id for r in steps} == {people.township.pk}
    assert ChangeRecord.objects.filter(model="party.cadreposition", action="create",
                                       user=people.township).count() == 3
    refused(actions.close_election, election, user=people.township, on=D(2024, 4, 3),
            code="order")
    # The new secretary also elected director of the villagers' committee: 一肩挑, derived.
    villagers = make_committee(c.CommitteeKind.VILLAGERS, start=D(2024, 1, 1))
    actions.appoint(cadre, villagers, P.DIRECTOR, user=people.township, starts_on=D(2024, 4, 3))
    assert [r.cadre.pk for r in rules.one_shoulder(VILLAGE_A, D(2024, 5, 1))] == [cadre.pk]


def members_by_pk(members) -> dict:
    return {m.pk: name for name, m in members.items()}


def test_shortlist_needs_enough_qualified_nominees(people, branch_election):
    org, election, members = branch_election
    actions.record_recommendations(election, user=people.township, public_voters=40, votes=vote_ids(
        members, {"甲": (9, 35), "乙": (8, 30), "丙": (4, 25)}))
    message = refused(actions.shortlist, election, user=people.township, code="too_few")
    assert message == ("Only 2 nominees have at least 5 member votes and 20 public votes; an "
                       "election of 3 seats needs 4 candidates.")
    refused(actions.record_recommendations, election, user=people.township, public_voters=0,
            votes={}, code="public_voters")
    refused(actions.record_recommendations, election, user=people.township, public_voters=40,
            votes=vote_ids(members, {"甲": (11, 0)}), code="votes")
    refused(actions.record_recommendations, election, user=people.township, public_voters=40,
            votes={make_member(org).pk: (1, 1)}, code="unknown_candidate")
    # The thresholds and the margin are data: with 40% of the members' votes and no margin,
    # 丙 qualifies and three candidates for three seats will do.
    with acting_as(None, label="test"):
        Parameter.objects.create(key="party.election_candidate_margin", value=0)
        Parameter.objects.create(key="party.election_member_share", value=0.4)
    chosen = actions.shortlist(election, user=people.township)
    assert [r.member.name for r in chosen] == ["甲", "乙", "丙"]
    election.refresh_from_db()
    assert election.state == c.ElectionState.SHORTLIST


def test_a_tie_for_the_last_seat_elects_neither(people, branch_election):
    org, election, members = branch_election
    actions.record_recommendations(election, user=people.township, public_voters=40, votes=vote_ids(
        members, {"甲": (9, 35), "乙": (8, 30), "丙": (7, 25), "丁": (6, 21)}))
    actions.shortlist(election, user=people.township)
    result = actions.record_ballots(election, user=people.township, members_present=10,
                                    votes=vote_ids(members, {"甲": 9, "乙": 8, "丙": 6, "丁": 6}),
                                    posts={}, on=D(2024, 4, 1))
    names = members_by_pk(members)
    assert [names[k] for k in result.elected] == ["甲", "乙"]
    assert sorted(names[k] for k in result.tied) == ["丁", "丙"]
    assert not Candidate.objects.get(member=members["丙"]).elected
    # A cadre record with the same ID number is linked rather than duplicated.
    with acting_as(None, label="test"):
        existing = Cadre.objects.create(region_code=VILLAGE_A, name="乙",
                                        id_number=members["乙"].id_number, sex="M",
                                        birth_date=members["乙"].birth_date)
    committee = actions.close_election(election, user=people.township, on=D(2024, 4, 2))
    existing.refresh_from_db()
    assert existing.member_id == members["乙"].pk
    assert committee.positions.count() == 2
    assert {p.post for p in committee.positions.all()} == {P.MEMBER}


def test_refusals_are_validation_errors_and_roll_back(people, branch_election):
    org, election, members = branch_election
    with pytest.raises(ValidationError):
        actions.shortlist(election, user=people.township)
    with pytest.raises(NotPermitted):
        actions.shortlist(election, user=people.viewer)
    assert Election.objects.get(pk=election.pk).state == c.ElectionState.NOMINATION
