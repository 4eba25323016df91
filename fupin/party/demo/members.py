"""The `party.members` generator: members and the people on the way in, their posts, zones,
commitments, mobility, care visits, and twelve months of organization life.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as c
from fupin.party.demo.calibration import (
    BATCH_OBJECT_ID,
    CADRE_OCCUPATION,
    CADRE_ROLES,
    CARE,
    CARE_SHARE,
    CHUNK,
    COMMITMENT_SHARE,
    COMMITMENTS,
    DEMO_HOUSEHOLD_SHARE,
    EVIDENCE,
    FARMER_OCCUPATIONS,
    JOINT_MEETING_TOPICS,
    MEMBER_POSTS,
    MEMBERS,
    MOBILE_REASONS,
    MOBILE_SHARE,
    NOMINEES,
    ORGAN_AGES,
    ORGAN_EDUCATION,
    ORGAN_OCCUPATIONS,
    ORGAN_SHARE,
    OTHER_PLACES,
    PIPELINE,
    PIPELINE_AGES,
    POST_SHARE,
    PROBATIONARY_AGES,
    PROBATIONARY_SHARE,
    RESOLUTIONS,
    SHORT_SHARE,
    STATION_SERVICES,
    STATIONS,
    TOPICS,
    VILLAGE_AGES,
    VILLAGE_EDUCATION,
    VILLAGE_OCCUPATIONS,
    ZONE_SHARE,
    Odds,
    Table,
    apportion,
    cumulative,
)
from fupin.party.demo.helpers import (
    Namer,
    TopDownIds,
    add_years,
    batches,
    in_range,
    latest_batch,
    month_start,
    phone,
    populations,
    roomy,
    today,
)
from fupin.party.demo.orgs import Tree, load_tree
from fupin.party.demo.plan import VillagePlan, allocate, committee_plan, election_villages
from fupin.party.models import (
    CareVisit,
    Commitment,
    MemberPost,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
    ResponsibilityZone,
    ServiceStation,
    StationService,
)
from fupin.regions.models import Level, Region

STAMP = ("created_at", "updated_at")  # written by the caller: see write_rows
MEMBER_FIELDS = ("org", "region_code", "name", "id_number", "sex", "birth_date", "ethnicity",
                 "education", "stage", "applied_on", "activist_on", "candidate_on",
                 "probationary_on", "full_on", "phone", "occupation", "is_farmer",
                 "is_demo_household", "batch_id", *STAMP)
MEETING_FIELDS = ("org", "region_code", "kind", "date", "attendance", "expected", "topics",
                  "resolutions", *STAMP)


def member_batches():
    return batches("party.partymember").values("id")


def member_counts() -> dict[str, int] | None:
    rows = PartyMember._base_manager.filter(batch_id__in=member_batches())
    if not rows.exists():
        return None
    counts = rows.aggregate(**{s: Count("id", filter=Q(stage=s)) for s in c.STAGE_ORDER})
    members = rows.filter(stage__in=(c.Stage.FULL, c.Stage.PROBATIONARY))
    counts["members"] = counts[c.Stage.FULL] + counts[c.Stage.PROBATIONARY]
    counts["pipeline"] = sum(counts[s] for s in PIPELINE)
    counts["mobile"] = MobileMembership._base_manager.filter(member__in=members).count()
    counts["meetings"] = OrgMeeting._base_manager.filter(
        org__in=in_range(PartyOrg, latest_batch("party.partyorg"), "orgs")).count()
    return counts


def describe_members(counts: dict[str, int]) -> str:
    return (f"{counts['members']:,} members ({counts[c.Stage.PROBATIONARY]:,} probationary) and "
            f"{counts['pipeline']:,} on the way in, {counts['mobile']:,} mobile, "
            f"{counts['meetings']:,} meetings")


@demo.generator("party.members", order=50)
@roomy
def members(ctx: demo.DemoContext) -> str:
    found = member_counts()
    if found:
        return describe_members(found) + " exist, nothing added"
    tree = load_tree()
    if tree is None:
        return "no demo party organizations, nothing added (party.orgs runs first)"
    rng = ctx.random("party.members")
    codes = [code for _pk, code, _kind in tree.villages]
    plans = committee_plan(ctx, codes)
    total = ctx.scaled(MEMBERS)
    in_organs = round(total * ORGAN_SHARE) if tree.organs else 0
    showcase = election_villages(ctx, len(plans))
    village_counts, seat_counts = allocate(rng, total - in_organs,
                                           [len(p.member_seats) for p in plans], populations(codes),
                                           showcase)
    organ_counts = apportion(in_organs, [rng.lognormvariate(0, 0.5) for _ in tree.organs])
    counts = village_counts + organ_counts
    pipeline: dict[int, list[str]] = defaultdict(list)  # village, then organ index -> stages
    if sum(counts):
        cum = cumulative(counts)
        for stage, share in PIPELINE.items():
            for i in rng.choices(range(len(counts)), cum_weights=cum,
                                 k=round(total * share)):
                pipeline[i].append(stage)
    record = changelog.append(
        action=ChangeRecord.Action.BATCH, model="party.partymember", object_id=BATCH_OBJECT_ID,
        object_repr="demo party members", region_code="",
        extra={"members": total, "in_villages": total - in_organs, "in_organs": in_organs,
               "member_cadres": sum(seat_counts),
               **{s: sum(v.count(s) for v in pipeline.values()) for s in PIPELINE},
               "scale": ctx.scale, "seed": ctx.seed})
    builder = MemberBuilder(ctx, record.pk, stations(ctx))
    elected = set(showcase)
    for i, (pk, code, _kind) in enumerate(tree.villages):
        builder.village(pk, code, plans[i], seat_counts[i], village_counts[i] - seat_counts[i],
                        pipeline.get(i, []), NOMINEES if i in elected else 0)
        if len(builder.members) >= CHUNK:
            builder.flush()
    prefixes = county_prefixes()
    for j, (pk, code, _kind) in enumerate(tree.organs):
        builder.organ(pk, code, prefixes.get(code[:4], code[:6]) if code[4:6] == "00"
                      else code[:6], organ_counts[j], pipeline.get(len(tree.villages) + j, []))
        if len(builder.members) >= CHUNK:
            builder.flush()
    builder.flush()
    builder.meetings(tree, plans, village_counts, organ_counts)
    set_secretaries(record.pk)
    return describe_members(member_counts())


def set_secretaries(batch_id: int) -> None:
    """A village branch's secretary is its first member cadre (the plan's first seat), an organ
    branch's its first full member; a village whose secretary has no member row keeps none.
    One aggregate and a join (UPDATE ... FROM, SQLite 3.33 or later): a correlated subquery
    per org scanned the whole, never analysed, member table for each on PostgreSQL."""
    qn = connection.ops.quote_name
    org, member = qn(PartyOrg._meta.db_table), qn(PartyMember._meta.db_table)
    sql = (f"UPDATE {org} SET secretary_id = firsts.member_id FROM ("  # noqa: S608
           f"SELECT org_id, MIN(id) AS member_id FROM {member} "
           f"WHERE batch_id = %s AND stage = %s {{}} GROUP BY org_id) firsts "
           f"WHERE {org}.id = firsts.org_id AND {org}.basis = %s AND {org}.secretary_id IS NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql.format("AND occupation = %s"),
                       [batch_id, c.Stage.FULL.value, CADRE_OCCUPATION, c.OrgBasis.PLACE.value])
        cursor.execute(sql.format(""), [batch_id, c.Stage.FULL.value, c.OrgBasis.ORGAN.value])


def county_prefixes() -> dict[str, str]:
    """Prefecture prefix -> its first county's prefix (for the ID numbers of prefecture organ
    staff)."""
    out: dict[str, str] = {}
    for code in Region._base_manager.filter(level=Level.COUNTY).order_by("code").values_list(
            "code", flat=True):
        out.setdefault(code[:4], code[:6])
    return out


def stations(ctx: demo.DemoContext) -> list[tuple[int, str, str]]:
    """The service stations (created once, found again), as (id, city, location)."""
    existing = {loc: (pk, code) for pk, loc, code in ServiceStation._base_manager.values_list(
        "id", "location", "region_code")}
    codes = set(Region._base_manager.filter(level__lte=Level.PREFECTURE).values_list(
        "code", flat=True))
    province = min((code for code in codes if code.endswith("0" * 10)), default=None)
    rows = []
    for host_prefix, host, city, location in STATIONS:
        region = host_prefix.ljust(12, "0")
        if region not in codes:
            region = province
        if region is None or location in existing:
            continue
        short = "贵州省" if host_prefix == "52" else host[: host.index("驻")]
        rows.append((region, f"{short}驻{city}流动党员服务站", host, location))
    Table(ServiceStation, ("region_code", "name", "host_unit", "location")).write(rows)
    found = ServiceStation._base_manager.values_list("id", "location", "region_code")
    by_location = {loc: (pk, code) for pk, loc, code in found}
    return [(by_location[loc][0], by_location[loc][1], loc) for _h, _host, _city, loc in STATIONS
            if loc in by_location]


@dataclass
class Pending:
    """Rows that wait for their member's id: `place` is the member's index in the chunk."""

    posts: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    mobile: list = field(default_factory=list)  # (place, contact place or None, values...)
    care: list = field(default_factory=list)
    services: list = field(default_factory=list)


class MemberBuilder:
    def __init__(self, ctx: demo.DemoContext, batch_id: int, station_list):
        self.rng = ctx.random("party.members.people")
        self.life_rng = ctx.random("party.members.life")
        self.meeting_rng = ctx.random("party.members.meetings")
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.batch_id = batch_id
        self.today = today()
        self.year = self.today.year
        self.month_day = self.today.isoformat()[5:]
        self.ids = TopDownIds(lane=0)
        self.namer = Namer(self.rng)
        self.stations = station_list
        self.members: list[tuple] = []
        self.pending = Pending()
        self.last_id = 0
        self.written = 0

    # -- one member
    def member(self, org: int, code: str, prefix: str, stage: str, ages: tuple[int, int],
               sex: str, education: Odds | str, occupation: str, village: bool) -> int:
        """Adds a member row; returns its place in the chunk."""
        rng = self.rng
        ethnicity = self.namer.ethnicity(code)
        age = rng.randint(*ages)
        number, birth = self.ids.issue(prefix, self.year - age, sex)
        if not isinstance(education, str):
            education = education(rng)
        dates = stage_dates(rng, stage, birth, self.today)
        farmer = village and occupation in FARMER_OCCUPATIONS
        demo_household = (village and farmer and stage in (c.Stage.FULL, c.Stage.PROBATIONARY)
                          and 25 <= age <= 70 and rng.random() < DEMO_HOUSEHOLD_SHARE / 0.8)
        self.members.append((
            org, code, self.namer.name(ethnicity, sex), number, sex, birth.isoformat(),
            ethnicity, education, stage, *dates,
            phone(rng) if rng.random() < (0.8 if age < 60 else 0.4) else "", occupation,
            farmer, demo_household, self.batch_id, self.now, self.now))
        return len(self.members) - 1

    def village(self, org: int, code: str, plan: VillagePlan, seats: int, ordinary: int,
                pipeline: list[str], full: int = 0) -> None:
        """The village's member cadres (the plan's first `seats`), its other members (the
        first `full` of them full members: an election village's nominees) and the people on
        the way in."""
        rng, prefix = self.rng, code[:6]
        places = []
        for seat in plan.member_seats[:seats]:
            lo, hi, men, education = CADRE_ROLES[seat.role]
            sex = "F" if seat.female else "M" if rng.random() < men else "F"
            places.append(self.member(org, code, prefix, c.Stage.FULL, (lo, hi), sex, education,
                                      CADRE_OCCUPATION, True))
        cadres = len(places)
        for k in range(ordinary):
            probationary = rng.random() < PROBATIONARY_SHARE and k >= full
            ages = PROBATIONARY_AGES if probationary else VILLAGE_AGES(rng)
            sex = "M" if rng.random() < 0.7 else "F"
            mid = sum(ages) // 2
            education = next(odds for below, odds in VILLAGE_EDUCATION if mid < below)
            occupation = VILLAGE_OCCUPATIONS(rng)
            if occupation == "退休" and mid < 55:
                occupation = "务农"
            places.append(self.member(org, code, prefix,
                                      c.Stage.PROBATIONARY if probationary else c.Stage.FULL,
                                      ages, sex, education, occupation, True))
        for stage in pipeline:
            self.member(org, code, prefix, stage, PIPELINE_AGES[stage],
                        "M" if rng.random() < 0.6 else "F", VILLAGE_EDUCATION[0][1],
                        VILLAGE_OCCUPATIONS(rng), True)
        self.life(code, places, cadres, village=True)

    def organ(self, org: int, code: str, prefix: str, count: int, pipeline: list[str]) -> None:
        rng = self.rng
        places = []
        for k in range(count):
            probationary = k > 0 and rng.random() < PROBATIONARY_SHARE
            ages = PROBATIONARY_AGES if probationary else (35, 58) if k == 0 else ORGAN_AGES(rng)
            places.append(self.member(
                org, code, prefix, c.Stage.PROBATIONARY if probationary else c.Stage.FULL, ages,
                "M" if rng.random() < 0.6 else "F", ORGAN_EDUCATION, ORGAN_OCCUPATIONS(rng),
                False))
        for stage in pipeline:
            self.member(org, code, prefix, stage, PIPELINE_AGES[stage],
                        "M" if rng.random() < 0.5 else "F", ORGAN_EDUCATION,
                        ORGAN_OCCUPATIONS(rng), False)
        self.life(code, places, 0, village=False)

    # -- posts, zones, commitments, mobility, care of a branch's members
    def life(self, code: str, places: list[int], cadres: int, village: bool) -> None:
        rng, pending, day = self.life_rng, self.pending, self.today
        for k, place in enumerate(places):
            born = self.members[place][5]  # ISO date
            age = self.year - int(born[:4]) - (self.month_day < born[5:])
            if rng.random() < POST_SHARE:
                post = rng.choice(tuple(MEMBER_POSTS))
                start = day - timedelta(days=rng.randrange(30, 3 * 365))
                pending.posts.append((place, code, post, MEMBER_POSTS[post], start.isoformat()))
            if village and rng.random() < ZONE_SHARE:
                group = rng.randint(1, 12)
                area = f"第{group}村民组" if rng.random() < 0.6 else f"第{group}、{group + 1}村民组"
                pending.zones.append((place, code, area))
            if rng.random() < COMMITMENT_SHARE:
                status = rng.choices(tuple(c.CommitmentStatus),
                                     weights=(10, 35, 50, 5))[0]
                evidence = rng.choice(EVIDENCE) if status == c.CommitmentStatus.FULFILLED else ""
                pending.commitments.append((place, code, self.year, rng.choice(COMMITMENTS),
                                            status, evidence))
            if village and k >= cadres and 20 <= age <= 55 and rng.random() < MOBILE_SHARE:
                self.mobile(code, place, places[:cadres] or [p for p in places if p != place])
            if age >= 70 and rng.random() < CARE_SHARE:
                for _ in range(1 if rng.random() < 0.7 else 2):
                    reason, help_given = rng.choice(CARE)
                    visit = day - timedelta(days=rng.randrange(1, 365))
                    pending.care.append((place, code, visit.isoformat(), reason, help_given,
                                         f"{rng.randrange(2, 11) * 100}.00"))

    def mobile(self, code: str, place: int, contacts: list[int]) -> None:
        rng, day = self.life_rng, self.today
        short = rng.random() < 0.5
        away = day - timedelta(days=rng.randrange(7, 170) if short else rng.randrange(190, 1100))
        station = None
        if self.stations and rng.random() < 0.7:
            station, _region, location = rng.choice(self.stations)
        else:
            location = rng.choice(OTHER_PLACES)
        roll = rng.random()
        if roll < 0.75:
            last = day - timedelta(days=rng.randrange(0, 26))
        elif roll < 0.9:
            last = day - timedelta(days=rng.randrange(31, 120))
        else:
            last = None
        if last is not None and last < away:
            last = away
        contact = rng.choice(contacts) if contacts else None
        self.pending.mobile.append((place, contact, code, away.isoformat(), location,
                                    MOBILE_REASONS(rng), station, short,
                                    last.isoformat() if last else None))
        if station is not None and rng.random() < 0.4:
            region = next(r for pk, r, _loc in self.stations if pk == station)
            served = away + timedelta(days=rng.randrange(0, max(1, (day - away).days)))
            self.pending.services.append((place, station, region, served.isoformat(),
                                          rng.choice(STATION_SERVICES)))

    def flush(self) -> None:
        if not self.members:
            return
        write_rows(PartyMember, MEMBER_FIELDS, self.members)
        ids = dict(PartyMember._base_manager.filter(batch_id=self.batch_id, id__gt=self.last_id)
                   .values_list("id_number", "id"))
        if len(ids) != len(self.members):
            raise RuntimeError(f"wrote {len(self.members)} members, read {len(ids)} back")
        place = [ids[row[3]] for row in self.members]
        self.last_id = max(place)
        self.written += len(self.members)
        p = self.pending
        Table(MemberPost, ("member", "region_code", "post", "duties", "starts_on")).write(
            [(place[r[0]], *r[1:]) for r in p.posts])
        Table(ResponsibilityZone, ("member", "region_code", "description")).write(
            [(place[r[0]], *r[1:]) for r in p.zones])
        Table(Commitment, ("member", "region_code", "year", "text", "status", "evidence")).write(
            [(place[r[0]], *r[1:]) for r in p.commitments])
        Table(MobileMembership, ("member", "contact", "region_code", "away_since", "location",
                                 "reason", "station", "has_activity_card", "last_contact_on")
              ).write([(place[r[0]], None if r[1] is None else place[r[1]], *r[2:])
                       for r in p.mobile])
        Table(CareVisit, ("member", "region_code", "date", "reason", "help_given", "amount")
              ).write([(place[r[0]], *r[1:]) for r in p.care])
        Table(StationService, ("member", "station", "region_code", "date", "service")).write(
            [(place[r[0]], *r[1:]) for r in p.services])
        self.members, self.pending = [], Pending()

    # -- organization life of the last twelve complete months
    def meetings(self, tree: Tree, plans: list[VillagePlan], village_counts: list[int],
                 organ_counts: list[int]) -> None:
        """Every branch holds each required meeting in each month or quarter of the last twelve
        complete months, but SHORT_SHARE of them miss one to three (never in the first window,
        which a "last twelve months" view may not count whole). Joint general branches hold
        their committee meeting monthly. About 590,000 rows whatever the scale: the hot loop
        draws with random() alone and builds whole rows for `write_rows`."""
        rng = self.meeting_rng
        random = rng.random
        months = [month_start(self.today, back) for back in range(12, 0, -1)]
        this_quarter = date(self.today.year, (self.today.month - 1) // 3 * 3 + 1, 1)
        quarters = [month_start(this_quarter, 3 * back) for back in range(4, 0, -1)]

        def days(windows: list[date], months_long: int) -> list[list[str]]:
            return [[(start + timedelta(days=d)).isoformat()
                     for d in range((month_start(start, -months_long) - start).days)]
                    for start in windows]

        K = c.MeetingKind
        calendar = {K.ALL_MEMBER: days(quarters, 3), K.COMMITTEE: days(months, 1),
                    K.LECTURE: days(quarters, 3), K.THEMED_DAY: days(months, 1)}
        branch_kinds = tuple(calendar)
        orgs = ([(pk, code, max(village_counts[i], plans[i].branch_size), plans[i].branch_size,
                  branch_kinds) for i, (pk, code, _kind) in enumerate(tree.villages)]
                + [(pk, code, max(organ_counts[j], 3), 3, branch_kinds)
                   for j, (pk, code, _kind) in enumerate(tree.organs)]
                + [(pk, code, 5, 5, (K.COMMITTEE,)) for pk, code, _kind in tree.joint])
        now = self.now
        kind_text = {kind: str(kind) for kind in calendar}
        topics = {kind: TOPICS[kind] for kind in calendar}
        resolutions = {kind: RESOLUTIONS if kind in (K.ALL_MEMBER, K.COMMITTEE) else ("",)
                       for kind in calendar}
        rows: list[tuple] = []
        for n, (pk, code, members, committee, kinds) in enumerate(orgs):
            skip: set[tuple[str, int]] = set()
            if random() < SHORT_SHARE:
                for kind in rng.sample(kinds, min(len(kinds), 1 if random() < 0.7 else 2)):
                    count = len(calendar[kind])
                    for w in rng.sample(range(1, count), rng.randint(1, min(3, count - 1))):
                        skip.add((kind, w))
            for kind in kinds:
                expected = committee if kind == K.COMMITTEE else members
                said = JOINT_MEETING_TOPICS if len(kinds) == 1 else topics[kind]
                decided = resolutions[kind]
                text = kind_text[kind]
                for w, window in enumerate(calendar[kind]):
                    if skip and (kind, w) in skip:
                        continue
                    rows.append((pk, code, text, window[int(random() * len(window))],
                                 expected - int(expected * random() * 0.25), expected,
                                 said[int(random() * len(said))],
                                 decided[int(random() * len(decided))], now, now))
            if len(rows) >= 50_000 or n == len(orgs) - 1:
                write_rows(OrgMeeting, MEETING_FIELDS, rows)
                rows = []


def copy_text(rows: list[tuple]) -> str | None:
    """The rows in COPY's text format, built in one go: psycopg's pure-Python write_row cost
    more than the server. None if a value would need escaping (no text made here does): then
    write_row does it."""
    text = "".join(["\t".join(["\\N" if v is None else "t" if v is True else "f" if v is False
                                else str(v) for v in row]) + "\n" for row in rows])
    if text.count("\\") != text.count("\\N") or "\r" in text or text.count("\n") != len(rows) \
            or text.count("\t") != len(rows) * (len(rows[0]) - 1):
        return None
    return text


def write_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Like `poverty.demo.Table.write` for rows that hold every column written, timestamps
    included (STAMP, the time of the run, adapted); the columns not named are left NULL. For
    the largest tables, where Table's copy of every row to append its constants shows."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = copy_text(rows)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if text is None:
                    for row in rows:
                        copy.write_row(row)
                else:
                    copy.write(text)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                               rows)


def stage_dates(rng, stage: str, birth: date, day: date) -> tuple:
    """applied_on, activist_on, candidate_on, probationary_on, full_on (ISO text or None): in
    order, none in the future, applied at 18 or later, an activist at least a year before being
    a candidate, a probationary member a year before being full."""
    adult = add_years(birth, 18)

    def gaps(minimal: bool) -> tuple[int, int, int, int]:
        if minimal:
            return 30, 366, 60, 365
        return (rng.randint(30, 365), rng.randint(366, 900), rng.randint(60, 300),
                365 + (rng.randint(0, 45) if rng.random() < 0.3 else 0))

    order = c.STAGE_ORDER.index(stage)
    for minimal in (False, True):
        g = gaps(minimal)
        if stage == c.Stage.FULL:
            span = sum(g)
            room = (day - adult).days - span
            if room < 0:
                continue
            back = int(rng.expovariate(1 / 3000))
            applied = adult + timedelta(days=back if back <= room else rng.randint(0, room))
        else:
            anchor = day - timedelta(days=rng.randint(0, 30) if minimal else {
                c.Stage.APPLICANT: rng.randint(0, 365), c.Stage.ACTIVIST: rng.randint(0, 700),
                c.Stage.CANDIDATE: rng.randint(0, 300),
                c.Stage.PROBATIONARY: rng.randint(1, 364)}[stage])
            applied = anchor - timedelta(days=sum(g[:order]))
            if applied < adult:
                continue
        dates, current = [applied], applied
        for k in range(order):
            current = current + timedelta(days=g[k])
            dates.append(current)
        return tuple(d.isoformat() for d in dates) + (None,) * (4 - order)
    raise ValueError(f"born {birth}: too young to be at the stage {stage}")
