"""The `party.committees` generator: the two village committees, their cadres, pay, careers and
elections.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as c
from fupin.party.demo.calibration import (
    BATCH_OBJECT_ID,
    CADRE_OCCUPATION,
    CADRE_ROLES,
    CAREER_POSTS,
    CAREER_SHARE,
    PAY,
    TERM_YEARS,
    VILLAGE_CHUNK,
    B,
    P,
    Table,
    V,
)
from fupin.party.demo.helpers import (
    Namer,
    TopDownIds,
    add_years,
    in_range,
    latest_batch,
    max_id,
    new_ids,
    phone,
    roomy,
    today,
)
from fupin.party.demo.members import STAMP, member_batches, write_rows
from fupin.party.demo.orgs import Tree, load_tree
from fupin.party.demo.plan import Seat, VillagePlan, committee_plan, election_villages, term_start
from fupin.party.models import (
    Cadre,
    CadreCareer,
    CadrePosition,
    CadreWelfare,
    Candidate,
    Committee,
    Election,
    PartyMember,
    PartyOrg,
)
from fupin.regions.models import Level, Region

COMMITTEE_FIELDS = ("region_code", "kind", "org", "term_starts_on", "term_ends_on", *STAMP)
CADRE_FIELDS = ("region_code", "name", "id_number", "sex", "birth_date", "education",
                "is_college_graduate", "member", "phone", *STAMP)
POSITION_FIELDS = ("cadre", "committee", "region_code", "post", "starts_on", *STAMP)
WELFARE_FIELDS = ("cadre", "region_code", "year", "pay", "pension_insurance",
                  "medical_insurance", "severance")
CAREER_FIELDS = ("cadre", "region_code", "move", "date", "new_post")
ELECTION_FIELDS = ("region_code", "committee_kind", "org", "state", "seats", "members_eligible",
                   "members_present", "public_voters", "held_on", "result_committee")
CANDIDATE_FIELDS = ("election", "region_code", "member", "member_votes", "public_votes",
                    "shortlisted", "ballot_votes", "elected", "post")


def committee_counts(record: ChangeRecord) -> dict[str, int]:
    committees = in_range(Committee, record, "committees")
    cadres = in_range(Cadre, record, "cadres")
    return {"committees": committees.count(), "cadres": cadres.count(),
            "member_cadres": cadres.filter(member__isnull=False).count(),
            "positions": CadrePosition._base_manager.filter(committee__in=committees).count(),
            "elections": Election._base_manager.filter(result_committee__in=committees).count()}


def describe_committees(counts: dict[str, int]) -> str:
    return (f"{counts['committees']:,} committees, {counts['cadres']:,} cadres "
            f"({counts['member_cadres']:,} party members), {counts['positions']:,} posts, "
            f"{counts['elections']:,} elections")


@demo.generator("party.committees", order=60)
@roomy
def committees(ctx: demo.DemoContext) -> str:
    record = latest_batch("party.committee")
    if in_range(Committee, record, "committees").exists():
        return describe_committees(committee_counts(record)) + " exist, nothing added"
    tree = load_tree()
    if tree is None:
        return "no demo party organizations, nothing added (party.orgs runs first)"
    codes = [code for _pk, code, _kind in tree.villages]
    plans = committee_plan(ctx, codes)
    org_range = in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")
    seat_members: dict[int, list[tuple]] = defaultdict(list)
    for row in PartyMember._base_manager.filter(
            batch_id__in=member_batches(), org__in=org_range.values("id"),
            occupation=CADRE_OCCUPATION).order_by("org_id", "id").values_list(
            "org_id", "id", "name", "sex", "birth_date", "id_number", "education", "phone"):
        seat_members[row[0]].append(row[1:])
    full_members = dict(PartyMember._base_manager.filter(
        batch_id__in=member_batches(), org__in=org_range.values("id"), stage=c.Stage.FULL)
        .values("org").annotate(n=Count("id")).values_list("org", "n"))
    builder = CadreBuilder(ctx, tree, plans, seat_members, full_members)
    for start in range(0, len(codes), VILLAGE_CHUNK):
        builder.chunk(range(start, min(start + VILLAGE_CHUNK, len(codes))))
    builder.elections()
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.committee", object_id=BATCH_OBJECT_ID,
        object_repr="demo village committees", region_code="",
        extra={"committees": builder.ranges["committees"], "cadres": builder.ranges["cadres"],
               "one_shoulder_villages": sum(p.one_shoulder for p in plans),
               "college_graduate_villages": sum(p.college for p in plans),
               "careers": builder.careers, "elections": builder.election_count,
               "scale": ctx.scale, "seed": ctx.seed})
    return describe_committees(committee_counts(record))


class CadreBuilder:
    def __init__(self, ctx, tree: Tree, plans: list[VillagePlan], seat_members, full_members):
        self.rng = ctx.random("party.committees")
        self.today = today()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.tree, self.plans = tree, plans
        self.seat_members = seat_members
        self.ids = TopDownIds(lane=1)
        self.namer = Namer(self.rng)
        self.base_term = term_start(self.today)
        self.townships = dict(Region._base_manager.filter(level=Level.TOWNSHIP).values_list(
            "code", "name"))
        self.ranges: dict[str, list[int]] = {}
        self.careers = 0
        self.election_count = 0
        count = len(plans)
        wanted = max(3, round(count * CAREER_SHARE))
        self.career_villages = set(self.rng.sample(range(count), min(count, wanted)))
        # the election villages where every seat of the branch committee is a member row and
        # the branch has enough other full members to nominate (all, unless at a tiny scale)
        self.election_villages = {
            i for i in election_villages(ctx, count)
            if len(seat_members.get(tree.villages[i][0], ())) >= plans[i].branch_size
            and full_members.get(tree.villages[i][0], 0)
            - len(seat_members[tree.villages[i][0]]) >= 3}
        self.election_data: list[tuple] = []

    def span(self, key: str, first: int, last: int) -> None:
        lo, hi = self.ranges.get(key, [first, last])
        self.ranges[key] = [min(lo, first), max(hi, last)]

    def chunk(self, indices: range) -> None:
        rng, now = self.rng, self.now
        committees, starts = [], {}
        for i in indices:
            pk, code, _kind = self.tree.villages[i]
            start = min(self.today, self.base_term + timedelta(days=rng.randrange(0, 80)))
            end = add_years(start, TERM_YEARS) - timedelta(days=1)
            starts[code] = start
            committees.append((code, B, pk, start.isoformat(), end.isoformat(), now, now))
            committees.append((code, V, None, start.isoformat(), end.isoformat(), now, now))
        last = max_id(Committee)
        write_rows(Committee, COMMITTEE_FIELDS, committees)
        committee_ids = new_ids(Committee, last, "region_code", "kind")
        self.span("committees", min(committee_ids.values()), max(committee_ids.values()))

        cadres, seats_of = [], []  # seats_of: (village index, seat, cadre row index)
        for i in indices:
            pk, code, _kind = self.tree.villages[i]
            members = self.seat_members.get(pk, [])
            for k, seat in enumerate(self.plans[i].seats):
                if seat.member and k < len(members):
                    member_id, name, sex, birth, number, education, tel = members[k]
                    cadres.append((code, name, number, sex, birth.isoformat(), education,
                                   seat.college, member_id, tel, now, now))
                else:
                    cadres.append(self.person(code, seat))
                seats_of.append((i, seat, len(cadres) - 1))
        last = max_id(Cadre)
        write_rows(Cadre, CADRE_FIELDS, cadres)
        cadre_ids = new_ids(Cadre, last, "id_number")
        if len(cadre_ids) != len(cadres):
            raise RuntimeError(f"wrote {len(cadres)} cadres, read {len(cadre_ids)} back")
        self.span("cadres", min(cadre_ids.values()), max(cadre_ids.values()))

        positions, welfare, careers = [], [], []
        year = self.today.year
        for i, seat, row in seats_of:
            code = self.tree.villages[i][1]
            cadre = cadre_ids[cadres[row][2]]
            start = starts[code].isoformat()
            for kind, post in seat.posts:
                positions.append((cadre, committee_ids[(code, kind)], code, post, start, now, now))
            if not seat.head:
                continue
            pay = rng.randrange(*PAY[seat.head]) // 100 * 100
            welfare.append((cadre, code, year, f"{pay}.00", rng.random() < 0.85,
                            rng.random() < 0.95, "0.00"))
            if seat.head == P.DIRECTOR:
                continue
            if i in self.career_villages:
                move = rng.choices(tuple(CAREER_POSTS), weights=(50, 20, 30))[0]
                town = self.townships.get(code[:9] + "000", "")
                when = starts[code] + timedelta(
                    days=rng.randrange(0, max(1, (self.today - starts[code]).days)))
                careers.append((cadre, code, move, when.isoformat(),
                                CAREER_POSTS[move].format(town)))
            if i in self.election_villages:
                branch_seats = [(cadres[r][7], s.posts[0][1]) for j, s, r in seats_of
                                if j == i and s.posts[0][0] == B]  # a branch post comes first
                self.election_data.append((i, code, committee_ids[(code, B)], starts[code],
                                           branch_seats))
        write_rows(CadrePosition, POSITION_FIELDS, positions)
        Table(CadreWelfare, WELFARE_FIELDS).write(welfare)
        Table(CadreCareer, CAREER_FIELDS).write(careers)
        self.careers += len(careers)

    def person(self, code: str, seat: Seat) -> tuple:
        """A cadre who is not a party member (or, at small scales, has no member row)."""
        rng = self.rng
        lo, hi, men, education = CADRE_ROLES[seat.role]
        sex = "F" if seat.female else "M" if rng.random() < men else "F"
        year = self.today.year - lo - int(rng.random() * (hi - lo + 1))
        number, birth = self.ids.issue(code[:6], year, sex)
        name = self.namer.name(self.namer.ethnicity(code), sex)
        return (code, name, number, sex, birth.isoformat(), education(rng), seat.college, None,
                phone(rng) if rng.random() < 0.95 else "", self.now, self.now)

    def elections(self) -> None:
        """Closed elections (两推一选) of the branch committees of a few villages: the seats'
        holders are nominated with a few other full members, recommended, shortlisted and
        elected by the rules' own arithmetic."""
        from fupin.party import rules

        if not self.election_data:
            return
        rng = self.rng
        orgs = [self.tree.villages[i][0] for i, *_rest in self.election_data]
        others: dict[int, list[int]] = defaultdict(list)
        for org, pk in PartyMember._base_manager.filter(
                org__in=orgs, stage=c.Stage.FULL).exclude(occupation=CADRE_OCCUPATION).order_by(
                "org_id", "id").values_list("org_id", "id"):
            others[org].append(pk)
        eligible_of = dict(PartyMember._base_manager.filter(org__in=orgs, stage=c.Stage.FULL)
                           .values("org").annotate(n=Count("id")).values_list("org", "n"))
        elections, plans = [], []
        for i, code, committee, start, seats in self.election_data:
            org = self.tree.villages[i][0]
            b = len(seats)
            eligible = eligible_of[org]
            if not rules.quorum_met(eligible, eligible):
                continue
            quorum = eligible  # the fewest present that make a quorum
            while quorum > 1 and rules.quorum_met(quorum - 1, eligible):
                quorum -= 1
            present = rng.randint(quorum, eligible)
            public = rng.randint(60, 300)
            size = rules.shortlist_size(b)
            extra = rng.sample(others[org], min(len(others[org]), size - b + rng.randint(1, 2)))
            shortlisted = [m for m, _post in seats] + extra[: size - b]
            nominees = shortlisted + extra[size - b:]
            min_members, min_public = rules.recommendation_minimums(eligible, public)
            need_m, need_p = math.ceil(min_members), math.ceil(min_public)
            votes = {}
            for m in nominees:
                if m in shortlisted:
                    votes[m] = (rng.randint(need_m, eligible), rng.randint(need_p, public))
                elif rng.random() < 0.5:
                    votes[m] = (rng.randint(0, need_m - 1), rng.randint(0, public))
                else:
                    votes[m] = (rng.randint(need_m, eligible), rng.randint(0, need_p - 1))
            picked = rules.pick_shortlist(votes, b, eligible, public).picked
            needed = math.floor(rules.majority_votes(present))
            ballots = {m: (rng.randint(needed + 1, present) if m in dict(seats)
                           else rng.randint(0, needed)) for m in picked}
            result = rules.pick_elected(ballots, present, b)
            if sorted(picked) != sorted(shortlisted) or sorted(result.elected) != sorted(
                    dict(seats)) or not rules.quorum_met(present, eligible):
                raise RuntimeError(f"demo election in {code} does not add up")
            elections.append((code, B, org, c.ElectionState.CLOSED, b, eligible, present, public,
                              (start - timedelta(days=rng.randint(0, 10))).isoformat(),
                              committee))
            posts = dict(seats)
            plans.append((code, committee, [
                (code, m, votes[m][0], votes[m][1], m in picked, ballots.get(m, 0),
                 m in result.elected, posts.get(m, "") if m in result.elected else "")
                for m in nominees]))
        last = max_id(Election)
        Table(Election, ELECTION_FIELDS).write(elections)
        ids = new_ids(Election, last, "result_committee")
        Table(Candidate, CANDIDATE_FIELDS).write(
            [(ids[committee], *row) for _code, committee, rows in plans for row in rows])
        self.election_count = len(elections)
