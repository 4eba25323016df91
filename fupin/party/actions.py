"""State transitions of party building (Zulip style): one function per transition, atomic, the
acting user as the keyword `user`, every write through the ORM so the change-log signals record
it with that user (and the caller's request id) in the same transaction.

Refusals are `ActionRefused` (a ValidationError) whose message says what is expected; role and
region refusals are the subclass `NotPermitted`, also a PermissionDenied (a 403 if a view lets
it through). The configurable rules and the derivations live in `rules.py`.

Two writes are checked here rather than by the change-log's scope check, which would refuse
them: accepting a transfer moves a member out of the sender's region into the receiver's (the
receiver cannot see the old row), and covered regions of a joint org have no policy rule of their
own. Both run with the scope check off after the checks below; both are still logged.
"""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import actions as core_actions
from fupin.core import context
from fupin.core.context import acting_as
from fupin.core.policy import restrict
from fupin.party import choices as c
from fupin.party import rules
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
    ServiceStation,
    Transfer,
)
from fupin.poverty.choices import Education
from fupin.regions.models import Level, Region
from fupin.regions.scope import is_within

COVERED_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)
MEMBER_STAGES = (c.Stage.PROBATIONARY, c.Stage.FULL)  # those whose membership is transferred


ActionRefused = core_actions.ActionRefused
NotPermitted = core_actions.NotPermitted
_acting = core_actions.acting


@contextlib.contextmanager
def _checked_here(user):
    """Writes whose scope this module has checked itself (see the module docstring)."""
    with acting_as(user, request_id=context.current_request_id(), scope_checks=False):
        yield


# --- checks ------------------------------------------------------------------------------------
_d = core_actions.d
_today = core_actions.today
_require = core_actions.require
_in_scope = core_actions.in_scope
_region_in_scope = core_actions.region_in_scope
_not_future = core_actions.not_future


def _number(value: Decimal) -> str:
    """5.0 as 5, 2.5 as 2.5 (thresholds in messages)."""
    return format(value.normalize(), "f")


def _lock(model: type[Model], obj: Model) -> Model:
    return model._base_manager.select_for_update().get(pk=obj.pk)


def _refresh(obj: Model) -> None:
    obj.refresh_from_db()


# --- organization tree ---------------------------------------------------------------------------
def _check_parent(org: PartyOrg | None, kind: str, region_code: str,
                  parent: PartyOrg | None) -> None:
    if parent is None:
        return
    parent = PartyOrg._base_manager.get(pk=parent.pk)
    if rules.would_cycle(org, parent):
        raise ActionRefused(_("“%(parent)s” is “%(org)s” itself or below it: an organization "
                              "cannot be its own ancestor.") % {"parent": parent, "org": org},
                            code="cycle")
    if not rules.parent_kind_allowed(parent.kind, kind):
        raise ActionRefused(_("A %(parent_kind)s cannot be the parent of a %(kind)s.")
                            % {"parent_kind": parent.get_kind_display(),
                               "kind": c.OrgKind(kind).label}, code="parent_kind")
    if parent.dissolved_on is not None:
        raise ActionRefused(_("“%(parent)s” was dissolved on %(date)s.")
                            % {"parent": parent, "date": _d(parent.dissolved_on)},
                            code="dissolved")
    if not is_within(region_code, parent.region_code):
        raise ActionRefused(_("An organization in region %(code)s cannot belong to “%(parent)s”, "
                              "whose region does not contain it.")
                            % {"code": region_code, "parent": parent}, code="parent_region")


def _clean_covered(basis: str, codes, user) -> list[str]:
    codes = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if basis not in c.OrgBasis.joint():
        if codes:
            raise ActionRefused(_("Only a joint organization lists the regions it covers."),
                                code="covered_not_joint")
        return []
    if len(codes) < 2:
        raise ActionRefused(_("A joint organization covers at least two regions (villages or "
                              "townships)."), code="covered_too_few")
    levels = dict(Region._base_manager.filter(code__in=codes).values_list("code", "level"))
    for code in codes:
        if code not in levels:
            raise ActionRefused(_("There is no region %(code)s.") % {"code": code},
                                code="covered_unknown")
        if levels[code] not in COVERED_LEVELS:
            raise ActionRefused(_("Region %(code)s is not a village or a township.")
                                % {"code": code}, code="covered_level")
        _region_in_scope(code, user)
    return codes


def _write_covered(org: PartyOrg, codes: list[str], user) -> None:
    with _checked_here(user):
        for row in CoveredRegion.objects.filter(org=org).exclude(region_code__in=codes):
            row.delete()
        have = set(CoveredRegion.objects.filter(org=org).values_list("region_code", flat=True))
        for code in codes:
            if code not in have:
                CoveredRegion.objects.create(org=org, region_code=code)


@transaction.atomic
@_acting
def create_org(*, user, name: str, kind: str, basis: str, region_code: str,
               parent: PartyOrg | None = None, covered_regions=(),
               founded_on: datetime.date | None = None) -> PartyOrg:
    """Set up a party organization under `parent`; a joint one (村村联建 ...) with the regions
    it covers (at least two villages or townships)."""
    _require(user, PartyOrg, "add")
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Give the organization's name."), code="name")
    if kind not in c.OrgKind.values:
        raise ActionRefused(_("“%(kind)s” is not a kind of party organization.")
                            % {"kind": kind}, code="kind")
    if basis not in c.OrgBasis.values:
        raise ActionRefused(_("“%(basis)s” is not a way of setting up an organization.")
                            % {"basis": basis}, code="basis")
    if not Region._base_manager.filter(code=region_code).exists():
        raise ActionRefused(_("There is no region %(code)s.") % {"code": region_code},
                            code="region")
    _region_in_scope(region_code, user)
    if founded_on is not None:
        _not_future(founded_on)
    _check_parent(None, kind, region_code, parent)
    codes = _clean_covered(basis, covered_regions, user)
    org = PartyOrg.objects.create(name=name[:100], kind=kind, basis=basis,
                                  region_code=region_code, parent=parent, founded_on=founded_on)
    if codes:
        _write_covered(org, codes, user)
    return org


@transaction.atomic
@_acting
def move_org(org: PartyOrg, *, user, parent: PartyOrg | None) -> PartyOrg:
    """Put `org` under another parent (None: at the top). No cycles, no parent of a lower kind."""
    _in_scope(org, user, "change")
    locked = _lock(PartyOrg, org)
    _check_parent(locked, locked.kind, locked.region_code, parent)
    locked.parent = parent
    locked.save(update_fields=["parent", "updated_at"])
    _refresh(org)
    return locked


@transaction.atomic
@_acting
def set_covered_regions(org: PartyOrg, *, user, codes) -> list[str]:
    """Replace the regions a joint organization covers; it is visible in each of their scopes."""
    _in_scope(org, user, "change")
    locked = _lock(PartyOrg, org)
    cleaned = _clean_covered(locked.basis, codes, user)
    _write_covered(locked, cleaned, user)
    return cleaned


# --- members: stages and moves -------------------------------------------------------------------------
@transaction.atomic
@_acting
def advance_stage(member: PartyMember, stage: str, *, user, on: datetime.date) -> PartyMember:
    """Move a member one stage on (applicant, activist, development candidate, probationary,
    full), recording the date; the minimum durations are `rules.stage_ready`'s."""
    _in_scope(member, user, "change")
    locked = _lock(PartyMember, member)
    if on is None:
        raise ActionRefused(_("Give the date."), code="date")
    ready = rules.stage_ready(locked, stage, on, today=_today())
    if not ready:
        raise ActionRefused(ready.reason, code=ready.code)
    field = c.STAGE_DATE_FIELD[c.Stage(stage)]
    locked.stage = stage
    setattr(locked, field, on)
    locked.save(update_fields=["stage", field, "updated_at"])
    _refresh(member)
    return locked


def _pending_transfer(member: PartyMember) -> Transfer | None:
    return Transfer._base_manager.filter(member=member, state=c.TransferState.ISSUED).first()


def _check_receiving(org: PartyOrg, member: PartyMember) -> None:
    if org.pk == member.org_id:
        raise ActionRefused(_("%(name)s already belongs to “%(org)s”.")
                            % {"name": member.name, "org": org}, code="same_org")
    if org.dissolved_on is not None:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": org, "date": _d(org.dissolved_on)}, code="dissolved")
    if member.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": member.name, "date": _d(member.left_on)}, code="left")


@transaction.atomic
@_acting
def move_member(member: PartyMember, *, user, org: PartyOrg) -> PartyMember:
    """Put a member in another organization of the same region (a branch's party group, a
    second branch of the village). Across regions, a member moves only by a transfer."""
    _in_scope(member, user, "change")
    locked = _lock(PartyMember, member)
    org = PartyOrg._base_manager.get(pk=org.pk)
    _check_receiving(org, locked)
    if org.region_code != locked.region_code:
        raise ActionRefused(_("“%(org)s” is in another region: a member moves there only by a "
                              "membership transfer, issued by the sending organization and "
                              "accepted by the receiving one.") % {"org": org}, code="transfer")
    _in_scope(org, user, "view")
    if _pending_transfer(locked) is not None:
        raise ActionRefused(_("A membership transfer of %(name)s is pending: it must be accepted "
                              "or returned first.") % {"name": locked.name}, code="pending")
    locked.org = org
    locked.save(update_fields=["org", "updated_at"])
    _refresh(member)
    return locked


# --- transfers (组织关系转接) -------------------------------------------------------------------------
@transaction.atomic
@_acting
def issue_transfer(member: PartyMember, to_org: PartyOrg, *, user, on: datetime.date,
                   note: str = "") -> Transfer:
    """The sending organization issues a transfer; the receiving one sees it and accepts it."""
    _in_scope(member, user, "change")
    _require(user, Transfer, "add")
    locked = _lock(PartyMember, member)
    to_org = PartyOrg._base_manager.get(pk=to_org.pk)
    _check_receiving(to_org, locked)
    if locked.stage not in MEMBER_STAGES:
        raise ActionRefused(_("Only party members (probationary or full) have their membership "
                              "transferred; %(name)s is “%(stage)s”.")
                            % {"name": locked.name, "stage": locked.get_stage_display()},
                            code="stage")
    if _pending_transfer(locked) is not None:
        raise ActionRefused(_("A membership transfer of %(name)s is pending: it must be accepted "
                              "or returned first.") % {"name": locked.name}, code="pending")
    _not_future(on)
    last = (Transfer._base_manager.filter(member=locked, state=c.TransferState.ACCEPTED)
            .order_by("-accepted_on").first())
    if last is not None and on < last.accepted_on:
        raise ActionRefused(_("The transfer cannot be dated %(date)s, before the previous one was "
                              "accepted (%(date_prev)s).")
                            % {"date": _d(on), "date_prev": _d(last.accepted_on)},
                            code="date_order")
    from_org = PartyOrg._base_manager.get(pk=locked.org_id)
    return Transfer.objects.create(member=locked, from_org=from_org, to_org=to_org,
                                   region_code=from_org.region_code,
                                   to_region_code=to_org.region_code, issued_on=on,
                                   note=(note or "").strip()[:200])


def _lock_transfer(transfer: Transfer) -> Transfer:
    locked = Transfer._base_manager.select_for_update().get(pk=transfer.pk)
    if locked.state != c.TransferState.ISSUED:
        raise ActionRefused(_("This transfer is no longer pending (%(state)s).")
                            % {"state": locked.get_state_display()}, code="closed")
    return locked


@transaction.atomic
@_acting
def accept_transfer(transfer: Transfer, *, user, on: datetime.date) -> Transfer:
    """The receiving organization accepts: the member belongs to it (and its region) from `on`.
    Open posts in the sending organization end, and an open mobile membership ends (the
    membership has followed the member); the sending org loses its secretary if it was them."""
    _require(user, Transfer, "change")
    _require(user, PartyMember, "change")
    to_org = PartyOrg._base_manager.get(pk=transfer.to_org_id)
    if not restrict(PartyOrg.objects.filter(pk=to_org.pk), user, "change").exists():
        raise NotPermitted(_("Only the receiving organization (“%(org)s”) accepts a transfer.")
                           % {"org": to_org}, code="scope")
    locked = _lock_transfer(transfer)
    _not_future(on)
    if on < locked.issued_on:
        raise ActionRefused(_("The transfer cannot be accepted on %(date)s, before it was issued "
                              "(%(issued)s).") % {"date": _d(on), "issued": _d(locked.issued_on)},
                            code="date_order")
    if to_org.dissolved_on is not None:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": to_org, "date": _d(to_org.dissolved_on)}, code="dissolved")
    member = _lock(PartyMember, locked.member)
    if member.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": member.name, "date": _d(member.left_on)}, code="left")
    with _checked_here(user):
        for post in MemberPost._base_manager.filter(member=member, ends_on__isnull=True):
            post.ends_on = max(on, post.starts_on)
            post.save(update_fields=["ends_on", "updated_at"])
        for away in MobileMembership._base_manager.filter(member=member, returned_on__isnull=True):
            away.returned_on = max(on, away.away_since)
            away.save(update_fields=["returned_on", "updated_at"])
        for org in PartyOrg._base_manager.filter(pk=locked.from_org_id, secretary=member):
            org.secretary = None
            org.save(update_fields=["secretary", "updated_at"])
        member.org = to_org
        member.region_code = to_org.region_code
        member.save(update_fields=["org", "region_code", "updated_at"])
        locked.state = c.TransferState.ACCEPTED
        locked.accepted_on = on
        locked.save(update_fields=["state", "accepted_on", "updated_at"])
    _refresh(transfer)
    return locked


@transaction.atomic
@_acting
def return_transfer(transfer: Transfer, *, user, reason: str) -> Transfer:
    """Either side sends a pending transfer back (the receiving org cannot take the member, or
    the sender withdraws it), with the reason; the member stays where they were."""
    _in_scope(transfer, user, "change")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give the reason for returning the transfer."), code="reason")
    locked = _lock_transfer(transfer)
    locked.state = c.TransferState.RETURNED
    locked.return_reason = reason[:200]
    locked.returned_on = timezone.localdate()
    locked.save(update_fields=["state", "return_reason", "returned_on", "updated_at"])
    _refresh(transfer)
    return locked


# --- mobile members (流动党员) ------------------------------------------------------------------------------
class MobilityRecorded:
    """What `record_mobility` returns: the row, the rule ("card" or "transfer") and whether a
    transfer is suggested."""

    def __init__(self, membership: MobileMembership, rule: str):
        self.membership = membership
        self.rule = rule

    @property
    def transfer_suggested(self) -> bool:
        return self.rule == rules.TRANSFER

    def __repr__(self) -> str:
        return f"MobilityRecorded({self.membership.pk}, {self.rule})"


def _lock_open_mobility(membership: MobileMembership) -> MobileMembership:
    locked = MobileMembership._base_manager.select_for_update().get(pk=membership.pk)
    if locked.returned_on is not None:
        raise ActionRefused(_("The member came back on %(date)s.")
                            % {"date": _d(locked.returned_on)}, code="returned")
    return locked


@transaction.atomic
@_acting
def record_mobility(member: PartyMember, *, user, away_since: datetime.date, location: str,
                    reason: str = "", station: ServiceStation | None = None,
                    contact: PartyMember | None = None) -> MobilityRecorded:
    """Record a member working away: an activity card when away under
    `party.mobile_transfer_months` (6) so far; from then on a transfer is suggested."""
    _in_scope(member, user, "change")
    _require(user, MobileMembership, "add")
    locked = _lock(PartyMember, member)
    if locked.left_on is not None:
        raise ActionRefused(_("%(name)s left the party organization on %(date)s.")
                            % {"name": locked.name, "date": _d(locked.left_on)}, code="left")
    location = (location or "").strip()
    if not location:
        raise ActionRefused(_("Say where the member is."), code="location")
    _not_future(away_since)
    if MobileMembership._base_manager.filter(member=locked, returned_on__isnull=True).exists():
        raise ActionRefused(_("%(name)s is already recorded as away: record the return first.")
                            % {"name": locked.name}, code="open")
    if contact is not None:
        contact = PartyMember._base_manager.get(pk=contact.pk)
        if contact.pk == locked.pk or contact.org_id != locked.org_id \
                or contact.left_on is not None:
            raise ActionRefused(_("The contact person is another member of the home "
                                  "organization."), code="contact")
    row = MobileMembership(member=locked, region_code=locked.region_code, away_since=away_since,
                           location=location[:100], reason=(reason or "").strip()[:100],
                           station=station, contact=contact)
    rule = rules.mobile_rule(row, _today())
    row.has_activity_card = rule == rules.CARD
    row.save()
    return MobilityRecorded(row, rule)


@transaction.atomic
@_acting
def record_contact(membership: MobileMembership, *, user, on: datetime.date) -> MobileMembership:
    """The home organization was in touch with a mobile member on `on`."""
    _in_scope(membership, user, "change")
    locked = _lock_open_mobility(membership)
    _not_future(on)
    if on < locked.away_since:
        raise ActionRefused(_("The contact cannot be dated %(date)s, before the member left "
                              "(%(away)s).") % {"date": _d(on), "away": _d(locked.away_since)},
                            code="date_order")
    if locked.last_contact_on is not None and on < locked.last_contact_on:
        raise ActionRefused(_("A later contact (%(last)s) is already recorded.")
                            % {"last": _d(locked.last_contact_on)}, code="date_order")
    locked.last_contact_on = on
    locked.save(update_fields=["last_contact_on", "updated_at"])
    _refresh(membership)
    return locked


@transaction.atomic
@_acting
def record_return(membership: MobileMembership, *, user, on: datetime.date) -> MobileMembership:
    """A mobile member is back home."""
    _in_scope(membership, user, "change")
    locked = _lock_open_mobility(membership)
    _not_future(on)
    if on < locked.away_since:
        raise ActionRefused(_("The return cannot be dated %(date)s, before the member left "
                              "(%(away)s).") % {"date": _d(on), "away": _d(locked.away_since)},
                            code="date_order")
    locked.returned_on = on
    locked.save(update_fields=["returned_on", "updated_at"])
    _refresh(membership)
    return locked


# --- organization life (三会一课) ---------------------------------------------------------------------------
@transaction.atomic
@_acting
def record_meeting(org: PartyOrg, *, user, kind: str, date: datetime.date, attendance: int,
                   expected: int, topics: str, resolutions: str = "") -> OrgMeeting:
    """Record a meeting of organization life with its attendance, topics and resolutions."""
    _require(user, OrgMeeting, "add")
    _in_scope(org, user, "view")
    _region_in_scope(org.region_code, user)
    if kind not in c.MeetingKind.values:
        raise ActionRefused(_("“%(kind)s” is not a kind of meeting.") % {"kind": kind},
                            code="kind")
    _not_future(date)
    if org.founded_on is not None and date < org.founded_on:
        raise ActionRefused(_("“%(org)s” was founded on %(founded)s, after %(date)s.")
                            % {"org": org, "founded": _d(org.founded_on), "date": _d(date)},
                            code="date_order")
    if org.dissolved_on is not None and date > org.dissolved_on:
        raise ActionRefused(_("“%(org)s” was dissolved on %(date)s.")
                            % {"org": org, "date": _d(org.dissolved_on)}, code="dissolved")
    try:
        attendance, expected = int(attendance), int(expected)
    except (TypeError, ValueError):
        raise ActionRefused(_("Attendance and the members expected are numbers."),
                            code="attendance") from None
    if expected < 1:
        raise ActionRefused(_("At least one member is expected at a meeting."), code="expected")
    if not 0 <= attendance <= expected:
        raise ActionRefused(_("The attendance (%(attendance)s) cannot exceed the members expected "
                              "(%(expected)s).") % {"attendance": attendance,
                                                    "expected": expected}, code="attendance")
    topics = (topics or "").strip()
    if not topics:
        raise ActionRefused(_("Give the meeting's topics."), code="topics")
    return OrgMeeting.objects.create(org=org, region_code=org.region_code, kind=kind, date=date,
                                     attendance=attendance, expected=expected,
                                     topics=topics[:500], resolutions=(resolutions or "").strip())


# --- committees and cadres ------------------------------------------------------------------------------------
def _check_post(committee: Committee, post: str) -> None:
    allowed = rules.POSTS_BY_COMMITTEE[c.CommitteeKind(committee.kind)]
    if post not in allowed:
        raise ActionRefused(_("A %(committee)s has no post “%(post)s”; its posts are: "
                              "%(posts)s.")
                            % {"committee": committee.get_kind_display(), "post": post,
                               "posts": ", ".join(str(p.label) for p in allowed)}, code="post")


@transaction.atomic
@_acting
def appoint(cadre: Cadre, committee: Committee, post: str, *, user,
            starts_on: datetime.date) -> CadrePosition:
    """Give a cadre a post on a committee from `starts_on`. A secretary or a director is one
    person at a time."""
    _require(user, CadrePosition, "add")
    _in_scope(committee, user, "change")
    _in_scope(cadre, user, "view")
    committee = _lock(Committee, committee)
    _check_post(committee, post)
    _not_future(starts_on)
    if starts_on < committee.term_starts_on or (
            committee.term_ends_on is not None and starts_on > committee.term_ends_on):
        raise ActionRefused(_("%(date)s is outside the committee's term.")
                            % {"date": _d(starts_on)}, code="term")
    held = CadrePosition._base_manager.filter(committee=committee, ends_on__isnull=True)
    if held.filter(cadre=cadre).exists():
        raise ActionRefused(_("%(name)s already holds a post on this committee: end it first.")
                            % {"name": cadre.name}, code="held")
    if post in rules.SINGLE_HOLDER_POSTS:
        holder = held.filter(post=post).select_related("cadre").first()
        if holder is not None:
            raise ActionRefused(_("%(name)s is %(post)s of this committee: end that post "
                                  "first.") % {"name": holder.cadre.name,
                                               "post": holder.get_post_display()}, code="occupied")
    return CadrePosition.objects.create(cadre=cadre, committee=committee, post=post,
                                        region_code=committee.region_code, starts_on=starts_on)


@transaction.atomic
@_acting
def end_position(position: CadrePosition, *, user, ends_on: datetime.date) -> CadrePosition:
    """A cadre leaves a post on `ends_on` (the last day held)."""
    _in_scope(position, user, "change")
    locked = _lock(CadrePosition, position)
    if locked.ends_on is not None:
        raise ActionRefused(_("This post already ended on %(date)s.")
                            % {"date": _d(locked.ends_on)}, code="ended")
    _not_future(ends_on)
    if ends_on < locked.starts_on:
        raise ActionRefused(_("The post cannot end on %(date)s, before it started (%(start)s).")
                            % {"date": _d(ends_on), "start": _d(locked.starts_on)},
                            code="date_order")
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on", "updated_at"])
    _refresh(position)
    return locked


# --- elections (两推一选) ----------------------------------------------------------------------------------------
def _lock_election(election: Election, user, *states: str) -> Election:
    _in_scope(election, user, "change")
    locked = Election._base_manager.select_for_update().select_related("org").get(pk=election.pk)
    if locked.state not in states:
        expected = ", ".join(f"“{c.ElectionState(s).label}”" for s in states)
        raise ActionRefused(_("This step is taken when the election is at %(expected)s; it is at "
                              "“%(state)s”.") % {"expected": expected,
                                                 "state": locked.get_state_display()},
                            code="order")
    return locked


def _count(value, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ActionRefused(_("%(what)s must be a whole number, zero or more.") % {"what": what},
                            code="number")
    return number


@transaction.atomic
@_acting
def open_election(org: PartyOrg, *, user, seats: int, members_eligible: int) -> Election:
    """Open the election of a branch committee (两推一选), at nomination."""
    _require(user, Election, "add")
    _in_scope(org, user, "view")
    _region_in_scope(org.region_code, user)
    if org.kind not in (c.OrgKind.BRANCH, c.OrgKind.GENERAL_BRANCH):
        raise ActionRefused(_("A branch committee is elected by a party branch or general "
                              "branch, not by a %(kind)s.") % {"kind": org.get_kind_display()},
                            code="kind")
    seats = _count(seats, _("The number of seats"))
    eligible = _count(members_eligible, _("The number of members eligible to vote"))
    if seats < 1:
        raise ActionRefused(_("An election has at least one seat."), code="seats")
    if eligible < seats:
        raise ActionRefused(_("There are fewer members eligible to vote (%(eligible)s) than "
                              "seats (%(seats)s).") % {"eligible": eligible, "seats": seats},
                            code="eligible")
    if Election._base_manager.filter(org=org, committee_kind=c.CommitteeKind.BRANCH).exclude(
            state=c.ElectionState.CLOSED).exists():
        raise ActionRefused(_("“%(org)s” already has an election in progress.") % {"org": org},
                            code="open")
    return Election.objects.create(org=org, region_code=org.region_code,
                                   committee_kind=c.CommitteeKind.BRANCH, seats=seats,
                                   members_eligible=eligible)


@transaction.atomic
@_acting
def nominate(election: Election, member: PartyMember, *, user) -> Candidate:
    """Put a full member of the electing organization (or of a party group under it) on the
    list of nominees."""
    locked = _lock_election(election, user, c.ElectionState.NOMINATION)
    _require(user, Candidate, "add")
    member = PartyMember._base_manager.get(pk=member.pk)
    if member.org_id not in rules.descendant_ids(locked.org):
        raise ActionRefused(_("%(name)s is not a member of “%(org)s”.")
                            % {"name": member.name, "org": locked.org}, code="not_member")
    if member.stage != c.Stage.FULL or member.left_on is not None:
        raise ActionRefused(_("Only full members may be elected; %(name)s is “%(stage)s”.")
                            % {"name": member.name, "stage": member.get_stage_display()},
                            code="stage")
    if Candidate._base_manager.filter(election=locked, member=member).exists():
        raise ActionRefused(_("%(name)s is already nominated.") % {"name": member.name},
                            code="nominated")
    return Candidate.objects.create(election=locked, member=member,
                                    region_code=locked.region_code)


def _candidates(election: Election) -> dict[int, Candidate]:
    rows = Candidate._base_manager.select_for_update().filter(election=election)
    return {row.member_id: row for row in rows.select_related("member")}


def _by_id(mapping: dict | None) -> dict:
    """Member ids as ints (a form posts strings)."""
    try:
        return {int(k): v for k, v in (mapping or {}).items()}
    except (TypeError, ValueError):
        raise ActionRefused(_("Candidates are given by their member id."), code="id") from None


def _unknown(keys, known, message: str) -> None:
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ActionRefused(message % {"ids": ", ".join(str(k) for k in unknown)},
                            code="unknown_candidate")


@transaction.atomic
@_acting
def record_recommendations(election: Election, *, user, votes: dict, public_voters: int
                           ) -> Election:
    """Record the recommendation votes of the members and of the public for each nominee
    (`votes`: member id -> (member votes, public votes); nominees left out got none). May be
    corrected until the shortlist is drawn."""
    locked = _lock_election(election, user, c.ElectionState.NOMINATION,
                            c.ElectionState.RECOMMENDATION)
    nominees = _candidates(locked)
    if not nominees:
        raise ActionRefused(_("Nominate the candidates first."), code="no_nominees")
    public_voters = _count(public_voters, _("The number of the public taking part"))
    if public_voters < 1:
        raise ActionRefused(_("The public's recommendation needs at least one participant."),
                            code="public_voters")
    votes = _by_id(votes)
    _unknown(votes, nominees, _("These are not nominees of this election: %(ids)s."))
    for member_id, row in nominees.items():
        try:
            member_votes, public_votes = votes.get(member_id, (0, 0))
        except (TypeError, ValueError):
            raise ActionRefused(_("Give each nominee's votes as a pair: by the members, by the "
                                  "public."), code="votes") from None
        member_votes = _count(member_votes, _("Votes"))
        public_votes = _count(public_votes, _("Votes"))
        if member_votes > locked.members_eligible:
            raise ActionRefused(_("%(name)s cannot have more member votes (%(votes)s) than members "
                                  "eligible (%(eligible)s).")
                                % {"name": row.member.name, "votes": member_votes,
                                   "eligible": locked.members_eligible}, code="votes")
        if public_votes > public_voters:
            raise ActionRefused(_("%(name)s cannot have more public votes (%(votes)s) than people "
                                  "taking part (%(voters)s).")
                                % {"name": row.member.name, "votes": public_votes,
                                   "voters": public_voters}, code="votes")
        row.member_votes, row.public_votes = member_votes, public_votes
        row.save(update_fields=["member_votes", "public_votes", "updated_at"])
    locked.public_voters = public_voters
    locked.state = c.ElectionState.RECOMMENDATION
    locked.save(update_fields=["public_voters", "state", "updated_at"])
    _refresh(election)
    return locked


@transaction.atomic
@_acting
def shortlist(election: Election, *, user) -> list[Candidate]:
    """Draw the shortlist from the recommendations (`rules.pick_shortlist`): the nominees with
    at least `party.election_member_share` of the eligible members' votes and
    `party.election_public_share` of the public's, as many as `rules.shortlist_size(seats)`."""
    locked = _lock_election(election, user, c.ElectionState.RECOMMENDATION)
    nominees = _candidates(locked)
    pick = rules.pick_shortlist({k: (r.member_votes, r.public_votes) for k, r in nominees.items()},
                                locked.seats, locked.members_eligible, locked.public_voters)
    if len(pick.picked) < pick.size:
        members, public = rules.recommendation_minimums(locked.members_eligible,
                                                        locked.public_voters)
        raise ActionRefused(_("Only %(qualified)s nominees have at least %(members)s member votes "
                              "and %(public)s public votes; an election of %(seats)s seats needs "
                              "%(size)s candidates.")
                            % {"qualified": pick.qualified, "members": _number(members),
                               "public": _number(public), "seats": locked.seats,
                               "size": pick.size}, code="too_few")
    chosen = []
    for member_id, row in nominees.items():
        row.shortlisted = member_id in pick.picked
        row.save(update_fields=["shortlisted", "updated_at"])
        if row.shortlisted:
            chosen.append(row)
    locked.state = c.ElectionState.SHORTLIST
    locked.save(update_fields=["state", "updated_at"])
    _refresh(election)
    return sorted(chosen, key=lambda r: pick.picked.index(r.member_id))


@transaction.atomic
@_acting
def record_ballots(election: Election, *, user, members_present: int, votes: dict,
                   posts: dict | None = None, on: datetime.date | None = None
                   ) -> rules.BallotResult:
    """Record the election: members present (quorum: more than `party.election_quorum` of the
    eligible), each shortlisted candidate's votes, and the posts of the elected (`posts`:
    member id -> post; an elected member without one is a committee member). The elected are
    those with more than `party.election_majority` of the votes of those present, up to the
    seats (`rules.pick_elected`). Returns the result (the tied, if any, need another vote)."""
    locked = _lock_election(election, user, c.ElectionState.SHORTLIST)
    on = on or _today()
    _not_future(on)
    present = _count(members_present, _("The number of members present"))
    if present > locked.members_eligible:
        raise ActionRefused(_("More members present (%(present)s) than eligible (%(eligible)s).")
                            % {"present": present, "eligible": locked.members_eligible},
                            code="present")
    if not rules.quorum_met(present, locked.members_eligible):
        raise ActionRefused(_("The election is not valid: %(present)s of %(eligible)s eligible "
                              "members present; more than %(share)s%% must be present.")
                            % {"present": present, "eligible": locked.members_eligible,
                               "share": _number(rules.quorum_share() * 100)},
                            code="quorum")
    candidates = {k: r for k, r in _candidates(locked).items() if r.shortlisted}
    votes = {k: _count(v, _("Votes")) for k, v in _by_id(votes).items()}
    _unknown(votes, candidates, _("These are not candidates on the shortlist: %(ids)s."))
    for member_id, count in votes.items():
        if count > present:
            raise ActionRefused(_("%(name)s cannot have more votes (%(votes)s) than members present "
                                  "(%(present)s).") % {"name": candidates[member_id].member.name,
                                                       "votes": count, "present": present},
                                code="votes")
    if sum(votes.values()) > present * locked.seats:
        raise ActionRefused(_("There are more votes than the members present could cast "
                              "(%(present)s members, %(seats)s seats each).")
                            % {"present": present, "seats": locked.seats}, code="votes")
    result = rules.pick_elected({k: votes.get(k, 0) for k in candidates}, present, locked.seats)
    posts = _by_id(posts)
    _unknown(posts, result.elected, _("Only the elected are given posts; not elected: %(ids)s."))
    committee_posts = rules.POSTS_BY_COMMITTEE[c.CommitteeKind(locked.committee_kind)]
    for post in posts.values():
        if post not in committee_posts:
            raise ActionRefused(_("A %(committee)s has no post “%(post)s”.")
                                % {"committee": c.CommitteeKind(locked.committee_kind).label,
                                   "post": post}, code="post")
    for single in rules.SINGLE_HOLDER_POSTS:
        if list(posts.values()).count(single) > 1:
            raise ActionRefused(_("Only one person is %(post)s.") % {"post": c.Post(single).label},
                                code="post")
    for member_id, row in candidates.items():
        row.ballot_votes = votes.get(member_id, 0)
        row.elected = member_id in result.elected
        row.post = posts.get(member_id, c.Post.MEMBER) if row.elected else ""
        row.save(update_fields=["ballot_votes", "elected", "post", "updated_at"])
    locked.members_present = present
    locked.held_on = on
    locked.state = c.ElectionState.BALLOT
    locked.save(update_fields=["members_present", "held_on", "state", "updated_at"])
    _refresh(election)
    return result


def _cadre_for(member: PartyMember, region_code: str) -> Cadre:
    """The member's cadre record: linked, found by ID number and linked, or created."""
    cadre = Cadre._base_manager.filter(member=member).first()
    if cadre is not None:
        return cadre
    cadre = Cadre._base_manager.filter(id_number=member.id_number).first()
    if cadre is not None:
        if cadre.member_id is not None:
            raise ActionRefused(_("The cadre record with %(name)s's ID number belongs to another "
                                  "member.") % {"name": member.name}, code="cadre")
        cadre.member = member
        cadre.save(update_fields=["member", "updated_at"])
        return cadre
    return Cadre.objects.create(
        region_code=region_code, name=member.name, id_number=member.id_number, sex=member.sex,
        birth_date=member.birth_date, education=member.education,
        is_college_graduate=member.education == Education.COLLEGE, member=member,
        phone=member.phone)


@transaction.atomic
@_acting
def close_election(election: Election, *, user, on: datetime.date) -> Committee:
    """Write the result in one go: a new committee from `on` with a position for each elected
    member (creating their cadre records where missing); the previous committee of the org ends
    the day before, with its open positions; the elected secretary becomes the org's."""
    locked = _lock_election(election, user, c.ElectionState.BALLOT)
    _require(user, Committee, "add")
    _require(user, CadrePosition, "add")
    _not_future(on)
    if locked.held_on is not None and on < locked.held_on:
        raise ActionRefused(_("The new committee cannot start on %(date)s, before the election "
                              "(%(held)s).") % {"date": _d(on), "held": _d(locked.held_on)},
                            code="date_order")
    elected = [r for r in _candidates(locked).values() if r.elected]
    if not elected:
        raise ActionRefused(_("No one was elected: hold another vote."), code="none_elected")
    if Cadre._base_manager.filter(member__in=[r.member_id for r in elected]).count() < len(elected):
        _require(user, Cadre, "add")
    org = locked.org
    day_before = on - datetime.timedelta(days=1)
    previous = Committee._base_manager.select_for_update().filter(
        org=org, kind=locked.committee_kind, term_ends_on__isnull=True)
    for old in previous:
        for position in CadrePosition._base_manager.filter(committee=old, ends_on__isnull=True):
            position.ends_on = max(day_before, position.starts_on)
            position.save(update_fields=["ends_on", "updated_at"])
        old.term_ends_on = max(day_before, old.term_starts_on)
        old.save(update_fields=["term_ends_on", "updated_at"])
    committee = Committee.objects.create(kind=locked.committee_kind, org=org,
                                         region_code=org.region_code, term_starts_on=on)
    secretary = None
    for row in sorted(elected, key=lambda r: (-r.ballot_votes, r.pk)):
        cadre = _cadre_for(row.member, org.region_code)
        CadrePosition.objects.create(cadre=cadre, committee=committee,
                                     post=row.post or c.Post.MEMBER,
                                     region_code=committee.region_code, starts_on=on)
        if row.post == c.Post.SECRETARY:
            secretary = row.member
    if secretary is not None:
        org = _lock(PartyOrg, org)
        org.secretary = secretary
        org.save(update_fields=["secretary", "updated_at"])
    locked.result_committee = committee
    locked.state = c.ElectionState.CLOSED
    locked.save(update_fields=["result_committee", "state", "updated_at"])
    _refresh(election)
    return committee
