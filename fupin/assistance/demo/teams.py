"""The `assistance.teams` generator: work teams, contact points, branch pairings."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from fupin.assistance import choices as c
from fupin.assistance.demo.calibration import (
    BRANCH_GAP_SHARE,
    BRANCH_PAIRING_FLOOR,
    BRANCH_PAIRINGS,
    COMPLETED_SHARE,
    CONTACT_FLOOR,
    CONTACT_POINTS,
    HELPING_KINDS,
    MAX_PAIRINGS,
    OTHER_TEAM_MIN,
    OTHER_TEAM_SHARE,
    SHORT_MONTH_SHARE,
    SHORT_PRESENCE_SHARE,
    SMALL_TEAM_SHARE,
    TEAMS_BATCH,
    UL,
    Table,
    add_years,
    in_range,
    latest_batch,
    max_id,
    month_start,
    phone,
    today,
)
from fupin.assistance.demo.helpers import (
    Places,
    Spans,
    day_between,
    few,
    money,
    pick,
    read_ids,
    record_batch,
    short_name,
    written,
)
from fupin.assistance.demo.names import (
    AGREED_ACTIONS,
    CONTACT_LEVELS,
    CONTACT_POSTS,
    NEW_BRANCH_BASIS,
    NEW_BRANCH_UNITS,
    ORDINALS,
    PROBLEMS,
    TEAM_LEVELS,
    TEAM_SIZES,
    TEAM_UNITS_BY_LEVEL,
    WORK_LOG,
)
from fupin.assistance.models import (
    BranchPairing,
    ContactPoint,
    ContactVisit,
    Presence,
    WorkLogEntry,
    WorkTeam,
    WorkTeamMember,
)
from fupin.core import demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as pc
from fupin.party import demo as party_demo
from fupin.party.models import PartyOrg
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Ethnicity


def team_counts(record: ChangeRecord) -> dict[str, int]:
    teams = written(WorkTeam, record)
    return {"teams": teams.count(),
            "team_members": WorkTeamMember._base_manager.filter(team__in=teams).count(),
            "contact_points": written(ContactPoint, record).count(),
            "branch_pairings": written(BranchPairing, record).count(),
            "helping_orgs": in_range(PartyOrg, record, "helping_orgs").count()}


def describe_teams(counts: dict[str, int]) -> str:
    return (f"{counts['teams']:,} work teams ({counts['team_members']:,} members), "
            f"{counts['contact_points']:,} contact points, {counts['branch_pairings']:,} branch "
            f"pairings ({counts['helping_orgs']:,} helping branches added)")


@demo.generator("assistance.teams", order=70)
def teams(ctx: demo.DemoContext) -> str:
    record = latest_batch(TEAMS_BATCH)
    if written(WorkTeam, record).exists():
        return describe_teams(team_counts(record)) + " exist, nothing added"
    places = Places()
    if not places.needy:
        return "no key or poor villages, nothing added (poverty.villages runs first)"
    if not PartyOrg._base_manager.exists():
        return "no party organizations, nothing added (party.orgs runs first)"
    spans = Spans(WorkTeam, WorkTeamMember, Presence, WorkLogEntry, ContactPoint, ContactVisit,
                  BranchPairing)
    team_stats = TeamBuilder(ctx, places).build()
    contact_points(ctx, places)
    pairing_stats = BranchPairings(ctx, places).build()
    record = record_batch(TEAMS_BATCH, "work teams, contact points and branch pairings", ctx,
                          {**spans.ranges(), **team_stats, **pairing_stats})
    return describe_teams(team_counts(record))


class TeamBuilder:
    def __init__(self, ctx: demo.DemoContext, places: Places):
        self.rng = ctx.random("assistance.teams")
        self.ctx, self.places = ctx, places
        self.today = today()
        self.namer = party_demo.Namer(self.rng)

    def unit(self, level: str, code: str) -> str:
        template = pick(self.rng, TEAM_UNITS_BY_LEVEL[level])
        p = self.places
        region = {UL.PROVINCE: "", UL.PREFECTURE: p.prefecture(code), UL.COUNTY: p.county(code),
                  UL.TOWNSHIP: p.township(code)}[level]
        return template.format(region) if "{}" in template else template

    def build(self) -> dict:
        rng, day, places = self.rng, self.today, self.places
        others = [code for code, key in places.needy if not key]
        wanted = round(OTHER_TEAM_SHARE * len(others) * min(1.0, self.ctx.scale))
        chosen = set(places.key) | set(rng.sample(others, min(len(others),
                                                              max(OTHER_TEAM_MIN, wanted))))
        codes = sorted(chosen)
        small = few(rng, len(codes), SMALL_TEAM_SHARE)
        short = few(rng, len(codes), SHORT_PRESENCE_SHARE)
        teams, plans = [], []
        for i, code in enumerate(codes):
            level = TEAM_LEVELS(rng)
            unit = self.unit(level, code)
            start = day - timedelta(days=rng.randint(45, 700))
            end = add_years(start, 2 if rng.random() < 0.6 else 3)
            teams.append((code, f"{unit}驻{places.village(code)}工作队"[:100], unit, level,
                          start.isoformat(), end.isoformat()))
            plans.append((code, unit, start, end, 2 if i in small else TEAM_SIZES(rng), i in short))
        last = max_id(WorkTeam)
        Table(WorkTeam, ("region_code", "name", "dispatching_unit", "unit_level", "starts_on",
                         "ends_on")).write(teams)
        team_ids = read_ids(WorkTeam, last, len(teams))

        members, member_plans = [], []
        roles = [c.WorkTeamRole.FIRST_SECRETARY, c.WorkTeamRole.LEADER]
        for team, (code, unit, start, end, size, is_short) in zip(team_ids, plans, strict=True):
            short_one = rng.randrange(size) if is_short else -1
            township = places.township(code) + "人民政府"
            for k in range(size):
                role = roles[k] if k < 2 else c.WorkTeamRole.MEMBER
                sex = "M" if rng.random() < 0.75 else "F"
                name = self.namer.name(self.namer.ethnicity(code), sex)
                own = unit if k < 2 or rng.random() < 0.6 else township
                members.append((team, code, name, role, own, phone(rng), start.isoformat(),
                                end.isoformat()))
                member_plans.append((code, start, k == short_one))
        last = max_id(WorkTeamMember)
        Table(WorkTeamMember, ("team", "region_code", "name", "role", "unit", "phone",
                               "starts_on", "ends_on")).write(members)
        member_ids = read_ids(WorkTeamMember, last, len(members))

        last_month = month_start(day, 1)
        months = [month_start(day, back) for back in range(12, 0, -1)]
        presence = []
        for pk, (code, start, short_last) in zip(member_ids, member_plans, strict=True):
            for month in months:
                month_end = month_start(month, -1) - timedelta(days=1)
                if start > month_end:
                    continue
                if month == last_month and short_last:
                    days = rng.randint(8, 18)
                elif month != last_month and rng.random() < SHORT_MONTH_SHARE:
                    days = rng.randint(10, 19)
                else:
                    days = rng.randint(20, 26)
                if start > month:  # arrived during the month
                    days = min(days, (month_end - start).days + 1)
                presence.append((pk, code, month.isoformat(), days))
        Table(Presence, ("team_member", "region_code", "month", "days")).write(presence)

        log = []
        for team, (code, _unit, start, _end, _size, _short) in zip(team_ids, plans, strict=True):
            since = max(start, day - timedelta(days=365))
            for entry in sorted(rng.sample(range(len(WORK_LOG)), rng.randint(3, 6))):
                log.append((team, code, day_between(rng, since, day).isoformat(), WORK_LOG[entry]))
        Table(WorkLogEntry, ("team", "region_code", "logged_on", "text")).write(log)
        return {"teams_in_key_villages": len(places.key), "small_teams": len(small),
                "teams_short_last_month": len(short), "presence": len(presence)}


def contact_points(ctx: demo.DemoContext, places: Places) -> None:
    """Leading cadres of counties, prefectures and the province, each following a township or
    a village in need (key villages three times as likely), with their visits."""
    rng = ctx.random("assistance.contacts")
    namer = party_demo.Namer(rng)
    day = today()
    weights = poverty_demo.cumulative(3 if key else 1 for _code, key in places.needy)
    rows, visits = [], []
    for _ in range(ctx.scaled(CONTACT_POINTS, CONTACT_FLOOR)):
        village = rng.choices(places.needy, cum_weights=weights)[0][0]
        code = village if rng.random() < 0.6 else village[:9] + "000"
        level = CONTACT_LEVELS(rng)
        where = {UL.PROVINCE: places.province(code), UL.PREFECTURE: places.prefecture(code),
                 UL.COUNTY: places.county(code)}[level]
        head = where[-1:] if where[-1:] in ("省", "市", "州", "县", "区") else "县"
        post = pick(rng, CONTACT_POSTS[level]).format(w=where, h=head)
        name = namer.name(Ethnicity.HAN, "M" if rng.random() < 0.85 else "F")
        start = day - timedelta(days=rng.randint(60, 1800))
        ended = rng.random() < 0.1 and (day - start).days > 400
        end = day - timedelta(days=rng.randint(10, 200)) if ended else None
        rows.append((code, name, post[:100], level, start.isoformat(),
                     end.isoformat() if end else None))
        visits.append((code, start, end or day))
    last = max_id(ContactPoint)
    Table(ContactPoint, ("region_code", "cadre_name", "post", "level", "starts_on",
                         "ends_on")).write(rows)
    ids = read_ids(ContactPoint, last, len(rows))
    visit_rows = []
    for pk, (code, start, end) in zip(ids, visits, strict=True):
        since = max(start, end - timedelta(days=365))
        for _ in range(rng.randint(2, 6)):
            raised, solved = pick(rng, PROBLEMS)
            visit_rows.append((pk, code, day_between(rng, since, end).isoformat(), raised,
                               solved if rng.random() < 0.7 else ""))
    Table(ContactVisit, ("contact_point", "region_code", "visited_on", "problems_raised",
                         "problems_solved")).write(visit_rows)


class OrgCodes:
    """Organization codes as PartyOrg.next_code gives them (the region code and a number of
    three digits or more), numbered on from those there."""

    def __init__(self):
        self.last: dict[str, int] = defaultdict(int)
        for code in PartyOrg._base_manager.exclude(code__isnull=True).values_list(
                "code", flat=True).iterator():
            if code[12:].isdigit():
                self.last[code[:12]] = max(self.last[code[:12]], int(code[12:]))

    def next(self, region_code: str) -> str:
        self.last[region_code] += 1
        return f"{region_code}{self.last[region_code]:03d}"


@dataclass
class Helping:
    """A helping branch: an existing org (pk) or one to add (key = (region code, name))."""

    pk: int | None
    region_code: str
    kind: str
    key: tuple[str, str] | None = None
    load: int = 0


@dataclass
class HelpingPools:
    """Helping branches by (kind, region code) of the county, prefecture or, for urban
    communities, the prefecture prefix."""

    pools: dict = field(default_factory=lambda: defaultdict(list))

    def free(self, kind: str, code: str) -> list[Helping]:
        return [h for h in self.pools.get((kind, code), ()) if h.load < MAX_PAIRINGS[kind]]


class BranchPairings:
    def __init__(self, ctx: demo.DemoContext, places: Places):
        self.rng = ctx.random("assistance.branch_pairings")
        self.ctx, self.places = ctx, places
        self.today = today()
        self.pools = HelpingPools()
        self.new: list[Helping] = []
        self.names: set[tuple[str, str]] = set()
        self.committees: dict[str, int] = {}
        self.unit_order: dict[tuple, list[tuple[str, str]]] = {}
        self.unit_rounds: dict[tuple, int] = {}

    def load_orgs(self) -> list[tuple[int, str, bool]]:
        """Fill the pools; return the branches of key and poor villages (id, code, key)."""
        needy = dict(self.places.needy)
        village_orgs = []
        for pk, code, name, kind, basis in PartyOrg._base_manager.filter(
                dissolved_on__isnull=True).order_by("region_code", "id").values_list(
                "id", "region_code", "name", "kind", "basis"):
            self.names.add((code, name))
            if basis == pc.OrgBasis.ORGAN and code[6:] == "000000":
                self.pools.pools[(c.HelpingOrgKind.ORGAN, code)].append(
                    Helping(pk, code, c.HelpingOrgKind.ORGAN))
            elif kind == pc.OrgKind.COMMITTEE and basis == pc.OrgBasis.PLACE:
                self.committees[code] = pk
            elif basis == pc.OrgBasis.PLACE and code[9:] != "000" and code[9] == "0":
                self.pools.pools[(c.HelpingOrgKind.URBAN, code[:4])].append(
                    Helping(pk, code, c.HelpingOrgKind.URBAN))
            if code in needy and kind in (pc.OrgKind.BRANCH, pc.OrgKind.GENERAL_BRANCH,
                                          pc.OrgKind.COMMITTEE):
                village_orgs.append((pk, code, needy[code]))
        return village_orgs

    def add_branch(self, kind: str, code: str) -> Helping | None:
        """A new helping branch of `kind` at the county or prefecture `code`, named after a
        unit that has none there yet; once every unit has one, their second branches
        (第二党支部), and so on up to the tenth (None after that)."""
        order = self.unit_order.get((kind, code))
        if order is None:
            order = self.unit_order[(kind, code)] = []
        region = self.places.names.get(code, "")
        if code[4:6] == "00":
            region = short_name(region)
        prefix = "机关" if kind == c.HelpingOrgKind.ORGAN else ""
        while True:
            if not order:
                rounds = self.unit_rounds.get((kind, code), 0)
                if rounds >= len(ORDINALS):
                    return None
                self.unit_rounds[(kind, code)] = rounds + 1
                units = list(NEW_BRANCH_UNITS[kind])
                self.rng.shuffle(units)
                order.extend((unit, ORDINALS[rounds]) for unit in units)
            unit, ordinal = order.pop()
            name = f"{unit.format(region)}{prefix}{ordinal}党支部"
            if (code, name) in self.names:
                continue
            self.names.add((code, name))
            helping = Helping(None, code, kind, key=(code, name))
            self.pools.pools[(kind, code)].append(helping)
            self.new.append(helping)
            return helping

    def helper_for(self, village: str, current: bool) -> Helping:
        rng = self.rng
        kind = HELPING_KINDS(rng)
        county, prefecture = village[:6] + "000000", village[:4] + "00000000"
        if kind == c.HelpingOrgKind.URBAN:
            options = self.pools.free(kind, village[:4]) if current else \
                self.pools.pools.get((kind, village[:4]), [])
            if options:
                return pick(rng, options)
            kind = c.HelpingOrgKind.ORGAN
        up = rng.random() < (0.3 if kind == c.HelpingOrgKind.ORGAN else 0.2)
        for code in ((prefecture, county) if up else (county, prefecture)):
            if code not in self.places.names:
                continue
            options = self.pools.free(kind, code) if current else \
                self.pools.pools.get((kind, code), [])
            if options:
                return pick(rng, options)
            added = self.add_branch(kind, code)
            if added is not None:
                return added
        for other in c.HelpingOrgKind:  # every unit name there is taken: any kind
            if other == c.HelpingOrgKind.URBAN:
                continue
            added = self.add_branch(other, county) or self.add_branch(other, prefecture)
            if added is not None:
                return added
        raise RuntimeError(f"no helping branch left for {village}")

    def build(self) -> dict:
        rng, day = self.rng, self.today
        village_orgs = self.load_orgs()
        gaps = few(rng, len(village_orgs), BRANCH_GAP_SHARE)
        covered = [org for i, org in enumerate(village_orgs) if i not in gaps]
        floor = max(BRANCH_PAIRING_FLOOR, math.ceil(len(covered) / (1 - COMPLETED_SHARE)))
        total = max(self.ctx.scaled(BRANCH_PAIRINGS), floor)
        completed = round(total * COMPLETED_SHARE)
        active = total - completed
        # every covered branch once, then key villages' branches again (round robin), then any
        targets = list(covered)
        extra = [org for org in covered if org[2]] or covered
        while covered and len(targets) < active:
            order = list(extra)
            rng.shuffle(order)
            targets.extend(order[: active - len(targets)])
            extra = covered
        planned = []  # (village org, helping, current)
        for org in targets:
            helping = self.helper_for(org[1], current=True)
            helping.load += 1
            planned.append((org, helping, True))
        for _ in range(completed if covered else 0):
            org = pick(rng, covered)
            planned.append((org, self.helper_for(org[1], current=False), False))

        added = self.write_branches()
        rows = []
        for (pk, code, _key), helping, current in planned:
            helping_id = helping.pk if helping.pk is not None else added[helping.key]
            if current:
                start = day - timedelta(days=rng.randint(30, 900))
                end, state = None, c.PairingState.ACTIVE
                months = max(1, (day - start).days // 30)
                given = money(rng, 2_000 * months, 12_000 * months)
                materials = money(rng, 500 * months, 4_000 * months)
            else:
                start = day - timedelta(days=rng.randint(1_000, 2_400))
                early = rng.random() < 0.1
                end = min(add_years(start, 1 if early else rng.choice((2, 3))),
                          day - timedelta(days=rng.randint(30, 200)))
                state = c.PairingState.ENDED if early else c.PairingState.COMPLETED
                given = money(rng, 30_000, 300_000)
                materials = money(rng, 5_000, 80_000)
            actions = "；".join(rng.sample(AGREED_ACTIONS, 3))
            rows.append((code, helping_id, helping.kind, helping.region_code, pk, actions, given,
                         materials, state, start.isoformat(), end.isoformat() if end else None))
        Table(BranchPairing, ("region_code", "helping_org", "helping_kind", "helping_region_code",
                              "village_org", "agreed_actions", "money", "materials_value",
                              "state", "starts_on", "ends_on")).write(rows)
        return {"branch_pairings": len(rows), "active_branch_pairings": active if covered else 0,
                "needy_branches": len(village_orgs), "needy_branches_unpaired": len(gaps),
                "helping_orgs": self.helping_range}

    def write_branches(self) -> dict[tuple[str, str], int]:
        """Write the added helping branches (under the committee of their county or
        prefecture, as party.orgs writes its organ branches); (region, name) -> id."""
        self.helping_range = None
        if not self.new:
            return {}
        rng = self.rng
        rows = []
        for h in sorted(self.new, key=lambda h: h.key):
            basis = NEW_BRANCH_BASIS[h.kind]
            founded = date(1980, 1, 1) + timedelta(days=rng.randrange(29 * 365))
            rows.append((h.region_code, h.key[1], pc.OrgKind.BRANCH, basis,
                         self.committees.get(h.region_code), founded.isoformat()))
        fields = ("region_code", "name", "kind", "basis", "parent", "founded_on")
        if any(f.name == "code" for f in PartyOrg._meta.fields):  # 组织代码, as party.orgs gives
            codes = getattr(party_demo, "OrgCodes", OrgCodes)()  # the party demo's, once it has one
            rows = [(*row, codes.next(row[0])) for row in rows]
            fields += ("code",)
        last = max_id(PartyOrg)
        Table(PartyOrg, fields).write(rows)
        ids = party_demo.new_ids(PartyOrg, last, "region_code", "name")
        if len(ids) != len(rows):
            raise RuntimeError(f"wrote {len(rows)} helping branches, read {len(ids)} back")
        self.helping_range = [min(ids.values()), max(ids.values())]
        return ids
