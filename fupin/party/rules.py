"""Rules of party building (党建) as data, and the derivations read from the records.

Configurable rules (procedures.md "Party organization life and membership") are declared here
with `params.declare`; those not confirmed from an official text say so. Everything else is
pure: functions that read rows and compute, never write. `actions.py` enforces the rules; the
pages call the derivations with querysets they obtained through `restrict()`:

- `stage_ready(member, stage, on)`: may the member move to `stage` on that day, and if not, why;
- `mobile_rule(membership, today)`: "card" (away under 6 months) or "transfer" (6 or more);
- `uncontacted_mobile_members(queryset, days)`: mobile members not contacted for N days;
- `one_shoulder(...)`, `cross_members(...)`, `college_graduate_villages(...)`: derived from
  current CadrePosition rows (一肩挑, 交叉任职, 一村一名大学生), never typed in;
- `meeting_shortfalls(orgs, start, end)`: 三会一课 required against held, per org and kind;
  `meeting_compliance(orgs, start, end)`: the same counted per region, for many orgs at once;
- the election arithmetic (`shortlist_size`, `pick_shortlist`, `quorum_met`, `pick_elected`).

A source given as a region code (a str) reads every row under it: the caller answers for the
region being inside the user's scope. A queryset is taken as given (already restricted).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from fupin.core import params
from fupin.party import choices as c
from fupin.party.models import (
    Cadre,
    CadrePosition,
    Committee,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
)
from fupin.poverty.choices import Education
from fupin.regions.scope import within

# --- configurable rules ------------------------------------------------------------------------
ACTIVIST_MIN_DAYS = params.declare(
    "party.activist_min_days", 365,
    _("Minimum days an activist is trained and observed before becoming a development "
      "candidate (at least one year)."))
PROBATION_DAYS = params.declare(
    "party.probation_days", 365,
    _("Days of the probationary period before a probationary member may become a full member "
      "(one year)."))
MOBILE_TRANSFER_MONTHS = params.declare(
    "party.mobile_transfer_months", 6,
    _("Months away after which a mobile member's membership should be transferred; away for "
      "less, the member carries an activity card."))
MOBILE_CONTACT_DAYS = params.declare(
    "party.mobile_contact_days", 30,
    _("Days without contact after which a mobile member is listed as not contacted (local "
      "practice; not confirmed from an official text)."), confirmed=False)
MEETING_MONTHS = params.declare(
    "party.meeting_months",
    {c.MeetingKind.ALL_MEMBER.value: 3, c.MeetingKind.COMMITTEE.value: 1,
     c.MeetingKind.GROUP.value: 1, c.MeetingKind.LECTURE.value: 3,
     c.MeetingKind.THEMED_DAY.value: 1},
    _("How often each kind of organization-life meeting must be held, in months (1 monthly, "
      "3 quarterly; a divisor of 12): all-member meeting quarterly, branch committee monthly, "
      "party group monthly, party lecture quarterly, themed party day monthly."))
MEETING_KINDS = params.declare(
    "party.meeting_kinds",
    {c.OrgKind.COMMITTEE.value: [],
     c.OrgKind.GENERAL_BRANCH.value: [c.MeetingKind.COMMITTEE.value],
     c.OrgKind.BRANCH.value: [c.MeetingKind.ALL_MEMBER.value, c.MeetingKind.COMMITTEE.value,
                              c.MeetingKind.LECTURE.value, c.MeetingKind.THEMED_DAY.value],
     c.OrgKind.GROUP.value: [c.MeetingKind.GROUP.value]},
    _("Which meeting kinds each kind of organization must hold (a branch: all-member meeting, "
      "branch committee, party lecture, themed day; a party group: its group meeting; not "
      "confirmed from an official text)."), confirmed=False)
ELECTION_MEMBER_SHARE = params.declare(
    "party.election_member_share", 0.5,
    _("Share of the members eligible to vote whose recommendation a nominee needs to be "
      "shortlisted (not confirmed from an official text)."), confirmed=False)
ELECTION_PUBLIC_SHARE = params.declare(
    "party.election_public_share", 0.5,
    _("Share of the public taking part in the recommendation whose votes a nominee needs to be "
      "shortlisted (not confirmed from an official text)."), confirmed=False)
ELECTION_CANDIDATE_MARGIN = params.declare(
    "party.election_candidate_margin", 0.2,
    _("How many more candidates than seats an election needs, as a share of the seats (at least "
      "20% more for a contested election; 0 allows as many candidates as seats; not confirmed)."),
    confirmed=False)
ELECTION_QUORUM = params.declare(
    "party.election_quorum", 0.8,
    _("An election is valid when the members present are more than this share of the members "
      "eligible to vote (more than four fifths)."))
ELECTION_MAJORITY = params.declare(
    "party.election_majority", 0.5,
    _("A candidate is elected with more than this share of the votes of the members present "
      "(more than half)."))


def _decimal(key: str) -> Decimal:
    return Decimal(str(params.get(key)))


def _today() -> datetime.date:
    return timezone.localdate()


def _d(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st of August plus six months is the 28th (or 29th) of
    February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- organization tree ---------------------------------------------------------------------------
ORG_RANK = {c.OrgKind.COMMITTEE: 0, c.OrgKind.GENERAL_BRANCH: 1, c.OrgKind.BRANCH: 2,
            c.OrgKind.GROUP: 3}


def parent_kind_allowed(parent_kind: str, child_kind: str) -> bool:
    """A parent is of a higher kind than its child (a committee over a general branch over a
    branch over a group); only committees nest in committees (county, township)."""
    if parent_kind == child_kind == c.OrgKind.COMMITTEE:
        return True
    return ORG_RANK[parent_kind] < ORG_RANK[child_kind]


def ancestors(org: PartyOrg) -> list[PartyOrg]:
    """Parent, grandparent, ... (stops at a loop, which the actions never let in)."""
    chain, seen = [], {org.pk}
    parent_id = org.parent_id
    while parent_id is not None and parent_id not in seen:
        parent = PartyOrg._base_manager.filter(pk=parent_id).first()
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.pk)
        parent_id = parent.parent_id
    return chain


def would_cycle(org: PartyOrg | None, parent: PartyOrg | None) -> bool:
    """Would `parent` make `org` its own ancestor?"""
    if org is None or org.pk is None or parent is None:
        return False
    return parent.pk == org.pk or any(a.pk == org.pk for a in ancestors(parent))


def descendant_ids(org: PartyOrg) -> set[int]:
    """The org and every org below it (one query per level of the tree)."""
    found, frontier = {org.pk}, {org.pk}
    while frontier:
        frontier = set(PartyOrg._base_manager.filter(parent_id__in=frontier)
                       .exclude(pk__in=found).values_list("pk", flat=True))
        found |= frontier
    return found


# --- membership stages -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Readiness:
    """Whether a member may move to a stage on a day; false with the reason (in the active
    language) and a code, and the earliest day when a minimum duration is what is missing."""

    ok: bool
    reason: str = ""
    code: str = ""
    earliest: datetime.date | None = None

    def __bool__(self) -> bool:
        return self.ok


def next_stage(member: PartyMember) -> str | None:
    i = c.STAGE_ORDER.index(member.stage)
    return c.STAGE_ORDER[i + 1] if i + 1 < len(c.STAGE_ORDER) else None


def _stage_label(stage: str) -> str:
    return str(c.Stage(stage).label)


# stage -> (the earlier stage whose date starts the minimum duration, its parameter)
MIN_DURATION = {c.Stage.CANDIDATE: (c.Stage.ACTIVIST, ACTIVIST_MIN_DAYS),
                c.Stage.FULL: (c.Stage.PROBATIONARY, PROBATION_DAYS)}


def stage_ready(member: PartyMember, stage: str, on: datetime.date,
                today: datetime.date | None = None) -> Readiness:
    """May `member` move to `stage` on `on`? One stage at a time, dated no earlier than the
    earlier stages and not in the future, after the minimum durations (activist at least
    `party.activist_min_days` before candidate, probation `party.probation_days` before full)."""
    if member.left_on is not None:
        return Readiness(False, _g("%(name)s left the party organization on %(date)s.")
                         % {"name": member.name, "date": _d(member.left_on)}, "left")
    if stage not in c.STAGE_ORDER:
        return Readiness(False, _g("“%(stage)s” is not a membership stage.") % {"stage": stage},
                         "unknown_stage")
    current, wanted = c.STAGE_ORDER.index(member.stage), c.STAGE_ORDER.index(stage)
    if wanted <= current:
        return Readiness(False, _g("%(name)s is already at the stage “%(current)s”.")
                         % {"name": member.name, "current": _stage_label(member.stage)},
                         "already")
    if wanted > current + 1:
        return Readiness(False, _g("The stages are taken one at a time: after “%(current)s” "
                                   "comes “%(next)s”, not “%(stage)s”.")
                         % {"current": _stage_label(member.stage),
                            "next": _stage_label(c.STAGE_ORDER[current + 1]),
                            "stage": _stage_label(stage)}, "order")
    if on > (today or _today()):
        return Readiness(False, _g("The date %(date)s is in the future.") % {"date": _d(on)},
                         "future")
    earlier = [(s, getattr(member, c.STAGE_DATE_FIELD[s])) for s in c.STAGE_ORDER[:wanted]]
    dated = [(s, d) for s, d in earlier if d is not None]
    if dated:
        last_stage, last_date = max(dated, key=lambda pair: pair[1])
        if on < last_date:
            return Readiness(False, _g("“%(stage)s” cannot be dated %(date)s, before “%(prev)s” "
                                       "(%(prev_date)s).")
                             % {"stage": _stage_label(stage), "date": _d(on),
                                "prev": _stage_label(last_stage), "prev_date": _d(last_date)},
                             "date_order")
    if stage in MIN_DURATION:
        since_stage, key = MIN_DURATION[stage]
        since = getattr(member, c.STAGE_DATE_FIELD[since_stage])
        if since is None:
            return Readiness(False, _g("The date %(name)s became “%(since)s” is not recorded, so "
                                       "the minimum period cannot be checked.")
                             % {"name": member.name, "since": _stage_label(since_stage)},
                             "missing_date")
        days = int(params.get(key))
        earliest = since + datetime.timedelta(days=days)
        if on < earliest:
            return Readiness(False, _g("“%(stage)s” needs %(days)s days as “%(since)s” (since "
                                       "%(since_date)s): the earliest date is %(earliest)s.")
                             % {"stage": _stage_label(stage), "days": days,
                                "since": _stage_label(since_stage), "since_date": _d(since),
                                "earliest": _d(earliest)}, "too_early", earliest)
        return Readiness(True, earliest=earliest)
    return Readiness(True)


# --- mobile members ---------------------------------------------------------------------------------
CARD = "card"
TRANSFER = "transfer"


def mobile_rule(membership: MobileMembership, today: datetime.date | None = None) -> str | None:
    """"card" while away under `party.mobile_transfer_months` (6), "transfer" from then on;
    None once the member is back."""
    today = today or _today()
    if membership.returned_on is not None and membership.returned_on <= today:
        return None
    months = int(params.get(MOBILE_TRANSFER_MONTHS))
    return TRANSFER if today >= add_months(membership.away_since, months) else CARD


def uncontacted_mobile_members(queryset: QuerySet, days: int | None = None,
                               today: datetime.date | None = None) -> QuerySet:
    """Mobile memberships still away whose last contact (or, never contacted, their leaving)
    is `days` (default `party.mobile_contact_days`) or more days ago, oldest first, annotated
    with `last_seen_on`. `queryset`: MobileMembership rows, or PartyMember rows."""
    days = int(params.get(MOBILE_CONTACT_DAYS) if days is None else days)
    cutoff = (today or _today()) - datetime.timedelta(days=days)
    if queryset.model is PartyMember:
        queryset = MobileMembership._base_manager.filter(member__in=queryset.values("pk"))
    return (queryset.filter(returned_on__isnull=True, member__left_on__isnull=True)
            .annotate(last_seen_on=Coalesce("last_contact_on", "away_since"))
            .filter(last_seen_on__lte=cutoff)
            .select_related("member", "contact", "station")
            .order_by("last_seen_on", "pk"))


# --- village committees and cadres ---------------------------------------------------------------------
def current_positions(source, on: datetime.date | None = None) -> QuerySet:
    """CadrePosition rows held on `on` (today). `source`: a region code, or a queryset of
    CadrePosition, Committee, Cadre or PartyOrg rows."""
    on = on or _today()
    if isinstance(source, str):
        rows = CadrePosition._base_manager.filter(within(source))
    elif source.model is CadrePosition:
        rows = source
    elif source.model is Committee:
        rows = CadrePosition._base_manager.filter(committee__in=source.values("pk"))
    elif source.model is Cadre:
        rows = CadrePosition._base_manager.filter(cadre__in=source.values("pk"))
    elif source.model is PartyOrg:
        rows = CadrePosition._base_manager.filter(committee__org__in=source.values("pk"))
    else:
        raise TypeError(f"cannot read cadre positions from {source.model.__name__}")
    return (rows.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .select_related("cadre", "committee"))


@dataclass
class CrossMember:
    """A cadre on both committees of one village (交叉任职), with the posts held on each."""

    region_code: str
    cadre: Cadre
    branch: list[CadrePosition] = field(default_factory=list)
    villagers: list[CadrePosition] = field(default_factory=list)

    def holds(self, kind: str, post: str) -> CadrePosition | None:
        rows = self.branch if kind == c.CommitteeKind.BRANCH else self.villagers
        return next((p for p in rows if p.post == post), None)

    @property
    def is_one_shoulder(self) -> bool:
        """一肩挑: branch secretary and villagers' committee director."""
        return bool(self.holds(c.CommitteeKind.BRANCH, c.Post.SECRETARY)
                    and self.holds(c.CommitteeKind.VILLAGERS, c.Post.DIRECTOR))


def cross_members(source, on: datetime.date | None = None) -> list[CrossMember]:
    """Cadres holding posts on both the branch committee and the villagers' committee of the
    same region on `on`, by region then name."""
    grouped: dict[tuple[str, int], CrossMember] = {}
    for position in current_positions(source, on).order_by("committee__region_code", "pk"):
        key = (position.committee.region_code, position.cadre_id)
        row = grouped.setdefault(key, CrossMember(key[0], position.cadre))
        if position.committee.kind == c.CommitteeKind.BRANCH:
            row.branch.append(position)
        else:
            row.villagers.append(position)
    rows = [r for r in grouped.values() if r.branch and r.villagers]
    return sorted(rows, key=lambda r: (r.region_code, r.cadre.name, r.cadre.pk))


def one_shoulder(source, on: datetime.date | None = None) -> list[CrossMember]:
    """一肩挑: the village branch secretary who is also the villagers' committee director, per
    region. The villages are `{row.region_code for row in one_shoulder(...)}`."""
    return [r for r in cross_members(source, on) if r.is_one_shoulder]


def committee_villages(source, on: datetime.date | None = None) -> set[str]:
    """The regions whose branch committee has someone in office on `on`: what the 一肩挑 and
    college-graduate shares are taken of."""
    return set(current_positions(source, on).filter(committee__kind=c.CommitteeKind.BRANCH)
               .order_by().values_list("committee__region_code", flat=True).distinct())


def is_college_graduate(cadre: Cadre) -> bool:
    return bool(cadre.is_college_graduate or cadre.education == Education.COLLEGE)


def college_graduate_villages(source, on: datetime.date | None = None) -> dict[str, list[Cadre]]:
    """一村一名大学生: region code -> the college graduates among its cadres holding a post on
    `on` (regions without one are absent)."""
    found: dict[str, dict[int, Cadre]] = defaultdict(dict)
    for position in current_positions(source, on).order_by("committee__region_code", "pk"):
        if is_college_graduate(position.cadre):
            found[position.committee.region_code][position.cadre_id] = position.cadre
    return {code: list(cadres.values()) for code, cadres in sorted(found.items())}


# --- organization life (三会一课) -----------------------------------------------------------------------
ALLOWED_MONTHS = (1, 2, 3, 4, 6, 12)


def windows(start: datetime.date, end: datetime.date, months: int
            ) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar windows of `months` months (months, quarters, halves, years, counted from
    January) lying wholly inside start..end."""
    if months not in ALLOWED_MONTHS:
        raise ValueError(f"a meeting frequency of {months} months does not divide the year")
    first = datetime.date(start.year, (start.month - 1) // months * months + 1, 1)
    found = []
    while first <= end:
        nxt = add_months(first, months)
        last = nxt - datetime.timedelta(days=1)
        if first >= start and last <= end:
            found.append((first, last))
        first = nxt
    return found


@dataclass
class KindCount:
    """For one org and one meeting kind in a period: meetings required (one per window),
    meetings held, and the windows in which none was held."""

    kind: str
    months: int
    required: int
    held: int
    missing: list[tuple[datetime.date, datetime.date]]

    @property
    def short(self) -> bool:
        return bool(self.missing)

    @property
    def label(self) -> str:
        return str(c.MeetingKind(self.kind).label)


@dataclass
class OrgShortfall:
    org: PartyOrg
    counts: list[KindCount]

    @property
    def short(self) -> bool:
        return any(k.short for k in self.counts)

    @property
    def short_kinds(self) -> list[KindCount]:
        return [k for k in self.counts if k.short]


def meeting_shortfalls(orgs: QuerySet | Iterable[PartyOrg], period_start: datetime.date,
                       period_end: datetime.date) -> list[OrgShortfall]:
    """Per org (in the given order), per meeting kind it must hold (`party.meeting_kinds`),
    the meetings required in the period (one per month or quarter wholly inside the period and
    the org's life, `party.meeting_months`), those held, and the windows without one. A page
    lists `[row for row in meeting_shortfalls(...) if row.short]`."""
    orgs = list(orgs)
    frequency = {k: int(v) for k, v in params.get(MEETING_MONTHS).items()}
    kinds_for = params.get(MEETING_KINDS)
    dates: dict[tuple[int, str], list[datetime.date]] = defaultdict(list)
    meetings = OrgMeeting._base_manager.filter(org__in=[o.pk for o in orgs],
                                               date__gte=period_start, date__lte=period_end)
    for org_id, kind, day in meetings.values_list("org_id", "kind", "date"):
        dates[(org_id, kind)].append(day)
    result = []
    for org in orgs:
        counts = []
        for kind in kinds_for.get(org.kind, []):
            months = frequency[kind]
            alive = [(a, b) for a, b in windows(period_start, period_end, months)
                     if (org.founded_on is None or org.founded_on <= a)
                     and (org.dissolved_on is None or org.dissolved_on >= b)]
            held = dates.get((org.pk, kind), [])
            missing = [(a, b) for a, b in alive if not any(a <= d <= b for d in held)]
            counts.append(KindCount(kind, months, len(alive), len(held), missing))
        result.append(OrgShortfall(org, counts))
    return result


def meeting_compliance(orgs: QuerySet, period_start: datetime.date, period_end: datetime.date,
                       meetings: QuerySet | None = None) -> dict[str, list[int]]:
    """region code -> [organizations that must hold a meeting in the period, those that held
    every required one]: what `meeting_shortfalls` says, counted for many organizations at
    once. The meetings of the period are read once (`meetings`, default those of `orgs`) and
    each is placed in its calendar window, so a province costs two scans, not one list per org.
    `orgs`: PartyOrg rows (a restricted queryset, or the base manager's for the rollups)."""
    import bisect

    frequency = {k: int(v) for k, v in params.get(MEETING_MONTHS).items()}
    kinds_for = {k: v for k, v in params.get(MEETING_KINDS).items() if v}
    spans = {kind: windows(period_start, period_end, frequency[kind]) for kind in frequency}
    starts = {kind: [a for a, _b in w] for kind, w in spans.items()}
    orgs = orgs.filter(kind__in=list(kinds_for)).exclude(dissolved_on__lt=period_start)
    if meetings is None:
        meetings = OrgMeeting._base_manager.filter(org__in=orgs.values("pk"))
    meetings = meetings.filter(date__gte=period_start, date__lte=period_end)
    held = set()
    for org_id, kind, day in meetings.order_by().values_list("org_id", "kind", "date").iterator(
            chunk_size=20000):
        if kind in spans:
            i = bisect.bisect_right(starts[kind], day) - 1
            if i >= 0 and day <= spans[kind][i][1]:
                held.add((org_id, kind, i))
    counts: dict[str, list[int]] = {}
    for pk, kind, region, founded, dissolved in orgs.order_by().values_list(
            "pk", "kind", "region_code", "founded_on", "dissolved_on").iterator(chunk_size=20000):
        due = [(k, i) for k in kinds_for[kind] for i, (a, b) in enumerate(spans[k])
               if (founded is None or founded <= a) and (dissolved is None or dissolved >= b)]
        if not due:
            continue
        row = counts.setdefault(region, [0, 0])
        row[0] += 1
        if all((pk, k, i) in held for k, i in due):
            row[1] += 1
    return counts


# --- elections (两推一选) ----------------------------------------------------------------------------------
def shortlist_size(seats: int) -> int:
    """Candidates needed for `seats`: at least `party.election_candidate_margin` more, rounded
    up (3 seats and 20%: 4)."""
    margin = _decimal(ELECTION_CANDIDATE_MARGIN)
    return int((Decimal(seats) * (1 + margin)).to_integral_value(rounding=ROUND_CEILING))


def recommendation_minimums(members_eligible: int, public_voters: int) -> tuple[Decimal, Decimal]:
    """The member and public votes a nominee needs (at least these, fractions possible)."""
    return (_decimal(ELECTION_MEMBER_SHARE) * members_eligible,
            _decimal(ELECTION_PUBLIC_SHARE) * public_voters)


@dataclass(frozen=True)
class ShortlistPick:
    picked: list  # keys, most member votes first
    qualified: int  # nominees reaching both thresholds
    size: int  # candidates wanted (shortlist_size)


def pick_shortlist(votes: dict, seats: int, members_eligible: int, public_voters: int
                   ) -> ShortlistPick:
    """`votes`: key -> (member votes, public votes). Nominees reaching both thresholds, ranked
    by member votes then public votes; the first `shortlist_size(seats)`, and any tied with the
    last of them (a tie is not broken by chance)."""
    min_members, min_public = recommendation_minimums(members_eligible, public_voters)
    qualified = sorted(((k, m, p) for k, (m, p) in votes.items()
                        if m >= min_members and p >= min_public),
                       key=lambda row: (-row[1], -row[2]))
    size = shortlist_size(seats)
    if len(qualified) <= size:
        return ShortlistPick([k for k, _m, _p in qualified], len(qualified), size)
    cutoff = qualified[size - 1][1:]
    picked = [k for k, m, p in qualified if (m, p) >= cutoff]
    return ShortlistPick(picked, len(qualified), size)


def quorum_share() -> Decimal:
    return _decimal(ELECTION_QUORUM)


def quorum_met(present: int, eligible: int) -> bool:
    """More than `party.election_quorum` (four fifths) of the eligible members are present."""
    return eligible > 0 and Decimal(present) > quorum_share() * eligible


def majority_votes(present: int) -> Decimal:
    """A candidate needs more than this many votes."""
    return _decimal(ELECTION_MAJORITY) * present


@dataclass(frozen=True)
class BallotResult:
    elected: list  # keys, most votes first
    tied: list  # keys with a majority tied for the last seat: none of them is elected


def pick_elected(votes: dict, present: int, seats: int) -> BallotResult:
    """Candidates with more than `party.election_majority` of the votes of those present, most
    votes first, up to `seats`; a tie for the last seat elects none of the tied (they need
    another vote), and fewer elected than seats leaves the rest vacant."""
    needed = majority_votes(present)
    over = sorted(((k, v) for k, v in votes.items() if v > needed), key=lambda row: -row[1])
    if len(over) <= seats:
        return BallotResult([k for k, _v in over], [])
    cutoff = over[seats - 1][1]
    if over[seats][1] == cutoff:
        return BallotResult([k for k, v in over if v > cutoff], [k for k, v in over if v == cutoff])
    return BallotResult([k for k, _v in over[:seats]], [])


POSTS_BY_COMMITTEE = {
    c.CommitteeKind.BRANCH: (c.Post.SECRETARY, c.Post.DEPUTY_SECRETARY, c.Post.MEMBER),
    c.CommitteeKind.VILLAGERS: (c.Post.DIRECTOR, c.Post.DEPUTY_DIRECTOR, c.Post.MEMBER,
                                c.Post.ACCOUNTANT),
}
SINGLE_HOLDER_POSTS = frozenset({c.Post.SECRETARY, c.Post.DIRECTOR})
