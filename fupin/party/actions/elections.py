"""Elections (两推一选): opening, nominations, recommendations, shortlist, ballots, close."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.party import choices as c
from fupin.party import rules
from fupin.party.actions.checks import (
    ActionRefused,
    _acting,
    _d,
    _in_scope,
    _lock,
    _not_future,
    _number,
    _refresh,
    _region_in_scope,
    _require,
    _today,
)
from fupin.party.models import (
    Cadre,
    CadrePosition,
    Candidate,
    Committee,
    Election,
    PartyMember,
    PartyOrg,
)
from fupin.poverty.choices import Education


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
