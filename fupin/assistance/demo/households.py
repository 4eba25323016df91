"""The `assistance.households` generator: household pairings, visits, measures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from fupin.assistance import choices as c
from fupin.assistance.demo.calibration import (
    CHUNK,
    HELPER_CHANGED_SHARE,
    HELPER_FLOOR,
    HELPERS,
    HOUSEHOLDS_BATCH,
    LIGHT_LOADS,
    LOADS,
    MAX_HELPER_AGE,
    MEAN_LOAD,
    NO_MEASURE_SHARE,
    OVER_LIMIT_SHARE,
    QUIET_VILLAGE_SHARE,
    STALE_SHARE,
    STAMP,
    UL,
    UNPAIRED_SHARE,
    add_years,
    apportion,
    latest_batch,
    today,
    write_rows,
)
from fupin.assistance.demo.helpers import (
    Spans,
    day_between,
    few,
    money,
    pick,
    record_batch,
    unit_name,
    written,
)
from fupin.assistance.demo.names import (
    CAUSE_FIRST,
    CAUSE_MEASURES,
    DEFAULT_FINDINGS,
    FOLLOW_UP,
    HELP_GIVEN,
    HOME_FINDINGS,
    MEASURE_COUNTS,
    MEASURE_TEXT,
    PHONE_FINDINGS,
    VILLAGE_FINDINGS,
    VILLAGE_HELP,
    VISIT_COUNTS,
    M,
)
from fupin.assistance.demo.projects import helped_households
from fupin.assistance.models import IndustryBenefit, Measure, Pairing, Visit, WorkTeamMember
from fupin.core import demo
from fupin.core.models import ChangeRecord
from fupin.party import choices as pc
from fupin.party import demo as party_demo
from fupin.party.models import MobileMembership, PartyMember
from fupin.poverty.choices import HouseholdAttribute
from fupin.poverty.models import VillageProfile
from fupin.regions.models import Level, Region
from fupin.regions.scope import pad, within

PAIRING_FIELDS = ("household", "helper", "region_code", "starts_on", "ends_on", "helper_unit",
                  "unit_level", "end_reason", *STAMP)
VISIT_FIELDS = ("household", "visitor", "visitor_name", "kind", "visited_on", "findings",
                "help_given", "follow_up", "region_code", *STAMP)
MEASURE_FIELDS = ("household", "region_code", "kind", "category", "year", "state", "amount",
                  "done_on", "project", "description", "effect", *STAMP)


def household_counts(record: ChangeRecord) -> dict[str, int]:
    pairings = written(Pairing, record)
    current = pairings.filter(ends_on__isnull=True)
    return {"pairings": pairings.count(), "current": current.count(),
            "helpers": current.values("helper").distinct().count(),
            "visits": written(Visit, record).count(),
            "measures": written(Measure, record).count()}


def describe_households(counts: dict[str, int]) -> str:
    return (f"{counts['current']:,} households paired with {counts['helpers']:,} helpers "
            f"({counts['pairings'] - counts['current']:,} earlier pairings), "
            f"{counts['visits']:,} visits, {counts['measures']:,} measures")


@demo.generator("assistance.households", order=74)
@party_demo.roomy
def households(ctx: demo.DemoContext) -> str:
    record = latest_batch(HOUSEHOLDS_BATCH)
    if written(Pairing, record).exists():
        return describe_households(household_counts(record)) + " exist, nothing added"
    total = helped_households().count()
    if not total:
        return "no households in need, nothing added (poverty.households runs first)"
    if not PartyMember._base_manager.filter(stage=pc.Stage.FULL).exists():
        return "no party members, nothing added (party.members runs first)"
    spans = Spans(Pairing, Visit, Measure)
    builder = HouseholdBuilder(ctx, total)
    prefixes = sorted({code[:4] for code in Region._base_manager.filter(
        level=Level.PREFECTURE).values_list("code", flat=True)})
    for prefix in prefixes:
        builder.prefecture(prefix)
    builder.overflow()
    builder.village_visits()
    builder.flush()
    record = record_batch(HOUSEHOLDS_BATCH, "household pairings, visits and measures", ctx,
                          {**spans.ranges(), **builder.stats})
    return describe_households(household_counts(record))


@dataclass
class Helper:
    pk: int
    name: str
    unit: str
    level: str
    code: str  # the member's region: an organ's county or prefecture, or a village


class HouseholdBuilder:
    """Pairs households with helpers a prefecture at a time and writes the pairings, visits
    and measures in chunks. The deliberate few (unpaired, not visited, without a measure, over
    the load limit) are drawn up front by their place in the order households are taken."""

    def __init__(self, ctx: demo.DemoContext, total: int):
        self.rng = ctx.random("assistance.pairings")
        self.visit_rng = ctx.random("assistance.visits")
        self.measure_rng = ctx.random("assistance.measures")
        self.today = today()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.year = self.today.year
        rng = self.rng
        self.unpaired = few(rng, total, UNPAIRED_SHARE)
        self.stale = few(rng, total, STALE_SHARE)
        self.no_measure = few(rng, total, NO_MEASURE_SHARE)
        paired = total - len(self.unpaired)
        light = paired < max(ctx.scaled(HELPERS), HELPER_FLOOR) * MEAN_LOAD
        self.loads = LIGHT_LOADS if light else LOADS
        expected = paired / (1.3 if light else MEAN_LOAD)  # helpers, about
        self.over = few(rng, max(1, int(expected * 0.8)), OVER_LIMIT_SHARE)
        self.key = set(VillageProfile._base_manager.filter(is_key_village=True).values_list(
            "region_code", flat=True))
        key = sorted(self.key)
        self.quiet = {key[i] for i in few(self.visit_rng, len(key), QUIET_VILLAGE_SHARE)}
        self.benefits = self.load_benefits()
        self.index = 0  # place of the next household in the order taken
        self.helper_count = 0
        self.pending_over = 0
        self.used: set[int] = set()
        self.recent: dict[str, list[int]] = defaultdict(list)  # county -> latest helpers
        self.leftover: list[tuple] = []
        self.pairings, self.visits, self.measures = [], [], []
        self.units: dict[str, str] = {}
        self.stats: dict[str, int] = defaultdict(int)
        self.stats["quiet_key_villages"] = len(self.quiet)

    @staticmethod
    def load_benefits() -> dict[int, tuple[int, str, int]]:
        """household -> (project, benefit kind, project year) of its first industry benefit."""
        out: dict[int, tuple[int, str, int]] = {}
        for household, project, kind, year in IndustryBenefit._base_manager.order_by(
                "household_id", "project_id").values_list(
                "household_id", "project_id", "kind", "project__year"):
            out.setdefault(household, (project, kind, year))
        return out

    # -- helpers
    def members(self, prefix: str) -> list[Helper]:
        """Full members of the prefecture who can help: organ and village branch members,
        not away (mobile), aged 20 to MAX_HELPER_AGE."""
        away = MobileMembership._base_manager.filter(member=OuterRef("pk"),
                                                     returned_on__isnull=True)
        rows = PartyMember._base_manager.filter(
            within(pad(prefix)), stage=pc.Stage.FULL, left_on__isnull=True,
            birth_date__gt=add_years(self.today, -MAX_HELPER_AGE),
            birth_date__lte=add_years(self.today, -20)).exclude(Exists(away)).order_by(
            "region_code", "id").values_list("id", "name", "region_code", "org__basis",
                                             "org__kind", "org__name")
        out = []
        for pk, name, code, basis, kind, org_name in rows:
            if basis == pc.OrgBasis.ORGAN:
                level = UL.PREFECTURE if code[4:6] == "00" else UL.COUNTY
            elif basis == pc.OrgBasis.PLACE and kind != pc.OrgKind.COMMITTEE and code[9:] != "000":
                level = UL.VILLAGE
            else:
                continue
            unit = self.units.setdefault(org_name, unit_name(org_name))
            out.append(Helper(pk, name, unit, level, code))
        return out

    def next_load(self, available: int) -> int:
        """Households for the next helper, `available` being those left to take: one of
        the over-limit few gets six to eight (or, with fewer left, the next helper who can)."""
        n = self.helper_count
        self.helper_count += 1
        self.pending_over += n in self.over
        if self.pending_over and available >= 6:
            self.pending_over -= 1
            return self.rng.randint(6, min(8, available))
        return self.loads(self.rng)

    def take(self, pool: list[Helper]) -> Helper | None:
        while pool:
            helper = pool.pop()
            if helper.pk not in self.used:
                self.used.add(helper.pk)
                return helper
        return None

    # -- a prefecture
    def prefecture(self, prefix: str) -> None:
        rng = self.rng
        rows = list(helped_households().filter(within(pad(prefix))).order_by(
            "region_code", "number").values_list(
            "id", "region_code", "main_cause", "secondary_causes", "attribute", "relocated",
            "housing_safe"))
        if not rows:
            return
        organs = defaultdict(list)  # county prefix ("" for the prefecture) -> organ members
        villages = defaultdict(list)  # village code -> its members
        for h in self.members(prefix):
            if h.level == UL.VILLAGE:
                villages[h.code].append(h)
            else:
                organs[h.code[:6] if h.level == UL.COUNTY else ""].append(h)
        townships, counties = defaultdict(list), defaultdict(list)
        for code in sorted(villages):
            townships[code[:9]].extend(villages[code])
            counties[code[:6]].extend(villages[code])
        everyone = [h for code in sorted(villages) for h in villages[code]]
        for group in (*organs.values(), *villages.values(), *townships.values(),
                      *counties.values(), everyone):
            rng.shuffle(group)
        by_county = defaultdict(list)
        for row in rows:
            by_county[row[1][:6]].append(row)
        # the prefecture's organ members, shared among its counties by their households
        county_codes = sorted(by_county)
        shares = apportion(len(organs[""]), [len(by_county[cc]) for cc in county_codes])
        start = 0
        for cc, share in zip(county_codes, shares, strict=True):
            organs[cc] = organs[cc] + organs[""][start:start + share]
            start += share
        pools = (villages, townships, counties)
        for cc in county_codes:
            self.county(by_county[cc], organs[cc], pools, everyone)

    def county(self, rows: list[tuple], organ_helpers: list[Helper], pools: tuple,
               everyone: list[Helper]) -> None:
        """Organ members first, and the key villages' households first; then members of the
        household's village, township, county and prefecture."""
        queue = []
        for row in rows:  # the order households are taken: by village, by number
            place = self.index
            self.index += 1
            if place in self.unpaired:
                self.household(row, place, None)
            else:
                queue.append((row, place))
        queue.sort(key=lambda item: (item[0][1] not in self.key, item[0][1]))
        i = 0
        for helper in organ_helpers:
            if i >= len(queue):
                break
            self.used.add(helper.pk)
            load = self.next_load(len(queue) - i)
            for row, place in queue[i:i + load]:
                self.household(row, place, helper)
            i += load
        rest = queue[i:]
        villages, townships, counties = pools
        j = 0
        while j < len(rest):
            code = rest[j][0][1]
            helper = (self.take(villages.get(code, [])) or self.take(townships.get(code[:9], []))
                      or self.take(counties.get(code[:6], [])) or self.take(everyone))
            if helper is None:
                self.leftover.extend(rest[j:])
                return
            load = self.next_load(len(rest) - j)
            group = rest[j:j + load]
            if load <= 5:  # a village member helps households of one village
                group = [item for item in group if item[0][1] == code]
            for row, place in group:
                self.household(row, place, helper)
            j += len(group)

    def overflow(self) -> None:
        """Households left without a helper in their prefecture (only at tiny scales, where
        members are few): members of other prefectures who help nobody yet."""
        pending, self.leftover = self.leftover, []
        if not pending:
            return
        j = 0
        for prefix in sorted({code[:4] for code in Region._base_manager.filter(
                level=Level.PREFECTURE).values_list("code", flat=True)}):
            for helper in self.members(prefix):
                if j >= len(pending):
                    break
                if helper.pk in self.used:
                    continue
                self.used.add(helper.pk)
                load = self.next_load(len(pending) - j)
                for row, place in pending[j:j + load]:
                    self.household(row, place, helper)
                    self.stats["helped_from_another_prefecture"] += 1
                j += load
        for row, place in pending[j:]:
            self.stats["unpaired_for_want_of_members"] += 1
            self.household(row, place, None)

    # -- one household
    def household(self, row: tuple, place: int, helper: Helper | None) -> None:
        """The household's pairings (an earlier one, the current one), visits and measures."""
        rng, day = self.rng, self.today
        pk, code = row[0], row[1]
        recent = self.recent[code[:6]]
        if helper is None:
            self.stats["unpaired"] += 1
            if recent and rng.random() < 0.5:  # the helper left, nobody has taken over yet
                start = day - timedelta(days=rng.randint(400, 1_200))
                end = day - timedelta(days=rng.randint(20, 200))
                self.pairings.append((pk, pick(rng, recent), code, start.isoformat(),
                                      end.isoformat(), "", "", c.PairingEndReason.OTHER, self.now,
                                      self.now))
        else:
            earlier = [m for m in recent if m != helper.pk]
            if earlier and rng.random() < HELPER_CHANGED_SHARE:
                start = day - timedelta(days=rng.randint(30, 300))
                first = start - timedelta(days=rng.randint(300, 900))
                self.pairings.append((pk, pick(rng, earlier), code, first.isoformat(),
                                      (start - timedelta(days=1)).isoformat(), "", "",
                                      c.PairingEndReason.HELPER_CHANGED, self.now, self.now))
                self.stats["helper_changed"] += 1
            else:
                start = day - timedelta(days=rng.randint(100, 1_000))
            self.pairings.append((pk, helper.pk, code, start.isoformat(), None, helper.unit,
                                  helper.level, "", self.now, self.now))
            if not recent or recent[-1] != helper.pk:
                recent.append(helper.pk)
                if len(recent) > 40:
                    del recent[:20]
            self.visit(row, place, helper, start)
        if place in self.no_measure:
            self.stats["without_measure"] += 1
        else:
            self.plan(row)
        if len(self.pairings) + len(self.visits) + len(self.measures) >= CHUNK:
            self.flush()

    def visit(self, row: tuple, place: int, helper: Helper, start: date) -> None:
        """Two to six visits (home, or by phone) over the past year, since the pairing
        started; the latest within 90 days, except for the stale few."""
        rng, day = self.visit_rng, self.today
        pk, code, cause = row[0], row[1], row[2]
        since = max(start, day - timedelta(days=365))
        if place in self.stale:
            if (day - since).days < 95:
                return  # paired recently, not visited yet
            latest = day - timedelta(days=rng.randint(95, min(300, (day - since).days)))
        elif code in self.quiet:
            latest = day - timedelta(days=rng.randint(31, 85))
        else:
            latest = day - timedelta(days=rng.randint(0, 85))
        latest = max(latest, since)
        dates = [latest] + [day_between(rng, since, latest) for _ in range(VISIT_COUNTS(rng) - 1)]
        findings = HOME_FINDINGS.get(cause, DEFAULT_FINDINGS)
        for when in sorted(dates):
            if rng.random() < 0.3:
                kind, said, given = c.VisitKind.PHONE, pick(rng, PHONE_FINDINGS), ""
            else:
                kind = c.VisitKind.HOME
                said = pick(rng, findings) if rng.random() < 0.6 else pick(rng, DEFAULT_FINDINGS)
                given = pick(rng, HELP_GIVEN)
            self.visits.append((pk, helper.pk, helper.name, kind, when.isoformat(), said, given,
                                pick(rng, FOLLOW_UP), code, self.now, self.now))

    def plan(self, row: tuple) -> None:
        """One to four measures, their kinds following the causes of poverty (and the
        household's relocation, unsafe house, subsistence allowance, industry benefit); last
        year's mostly done, this year's done, under way or planned."""
        rng, day = self.measure_rng, self.today
        pk, code, cause, secondary, attribute, relocated, housing_safe = row
        kinds = [CAUSE_FIRST.get(cause, M.INDUSTRY)]
        if relocated:
            kinds.append(M.RELOCATION)
        elif not housing_safe:
            kinds.append(M.HOUSING)
        if attribute in (HouseholdAttribute.DIBAO, HouseholdAttribute.SUPPORT):
            kinds.append(M.DIBAO)
        for other in secondary or ():
            if other in CAUSE_MEASURES:
                kinds.append(CAUSE_MEASURES[other](rng))
        benefit = self.benefits.get(pk)
        linked = None
        if benefit is not None:
            linked = M.DIVIDEND if benefit[1] == c.BenefitKind.DIVIDEND else M.INDUSTRY
            kinds.insert(1, linked)
        kinds = list(dict.fromkeys(kinds))
        wanted = max(MEASURE_COUNTS(rng), min(4, len(kinds)))
        odds = CAUSE_MEASURES.get(cause)
        for _ in range(8):
            if len(kinds) >= wanted or odds is None:
                break
            kind = odds(rng)
            if kind not in kinds:
                kinds.append(kind)
        for kind in kinds[:4]:
            (lo, hi), descriptions, effects = MEASURE_TEXT[kind]
            project = benefit[0] if kind == linked else None
            if kind == M.RELOCATION and relocated:
                year, state = self.year - rng.randint(0, 2), c.MeasureState.DONE
            else:
                year = self.year - (rng.random() < 0.4)
                roll = rng.random()
                if year < self.year:
                    state = (c.MeasureState.DONE if roll < 0.7 else c.MeasureState.UNDER_WAY
                             if roll < 0.95 else c.MeasureState.CANCELLED)
                else:
                    state = (c.MeasureState.DONE if roll < 0.3 else c.MeasureState.UNDER_WAY
                             if roll < 0.6 else c.MeasureState.PLANNED if roll < 0.97
                             else c.MeasureState.CANCELLED)
            if project is not None:
                year = min(self.year, max(year, benefit[2]))
                if state in (c.MeasureState.CANCELLED, c.MeasureState.PLANNED):
                    state = c.MeasureState.UNDER_WAY
            if kind == kinds[0] and state == c.MeasureState.CANCELLED:
                state = c.MeasureState.UNDER_WAY  # the plan keeps a measure that stands
            done = None
            if state == c.MeasureState.DONE:
                done = day_between(rng, date(year, 1, 1), min(day, date(year, 12, 31)))
            planned = state == c.MeasureState.PLANNED
            amount = money(rng, lo, hi) if not planned or rng.random() < 0.5 else None
            self.measures.append((pk, code, kind, M.category_of(kind), year, state, amount,
                                  done.isoformat() if done else None, project,
                                  pick(rng, descriptions),
                                  pick(rng, effects) if done else "", self.now, self.now))

    # -- villages visited by their work teams
    def village_visits(self) -> None:
        """Two to four visits a month by members of the village's current team over the past
        year, one in the last 20 days in every key village but the quiet few (where the
        latest is more than 30 days old)."""
        rng, day = self.visit_rng, self.today
        members = defaultdict(list)
        for code, name, starts_on in WorkTeamMember._base_manager.filter(
                WorkTeamMember.current_q(day)).order_by("region_code", "id").values_list(
                "region_code", "name", "starts_on"):
            members[code].append((name, starts_on))
        for code in sorted(members):
            team = members[code]
            start = max(min(s for _n, s in team), day - timedelta(days=365))
            latest = day - timedelta(days=31) if code in self.quiet else day
            months = max(1, (latest - start).days // 30)
            dates = [day_between(rng, start, latest) for _ in range(months * rng.randint(2, 4))]
            if code in self.key and code not in self.quiet and start <= day - timedelta(days=20):
                dates.append(day - timedelta(days=rng.randint(0, 20)))
            for when in sorted(dates):
                self.visits.append((None, None, pick(rng, team)[0], c.VisitKind.VILLAGE,
                                    when.isoformat(), pick(rng, VILLAGE_FINDINGS),
                                    pick(rng, VILLAGE_HELP), pick(rng, FOLLOW_UP), code, self.now,
                                    self.now))
            self.stats["village_visits"] += len(dates)
            if len(self.visits) >= CHUNK:
                self.flush()

    def flush(self) -> None:
        write_rows(Pairing, PAIRING_FIELDS, self.pairings)
        write_rows(Visit, VISIT_FIELDS, self.visits)
        write_rows(Measure, MEASURE_FIELDS, self.measures)
        self.pairings, self.visits, self.measures = [], [], []
