"""The party-building demo generators (fupin/party/demo.py).

One module fixture, in a transaction rolled back at the end:

1. in a savepoint (rolled back), one county (余庆县) alone at COUNTY_SCALE, where every committee
   seat of a member has its member row: run, wiped and run again (same digest), then with
   another seed (another digest);
2. the whole bundled province at SCALE after the poverty village and household generators;
   each test reads that data (and a second run, which must add nothing).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import statistics
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Max, Min

from fupin.core import demo as registry
from fupin.core import idnumber, params
from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.party import choices as c
from fupin.party import demo, rules
from fupin.party.models import (
    Cadre,
    CadreCareer,
    CadrePosition,
    CadreWelfare,
    Candidate,
    CareVisit,
    Commitment,
    Committee,
    CoveredRegion,
    Election,
    MemberPost,
    MobileMembership,
    OrgMeeting,
    PartyMember,
    PartyOrg,
    ResponsibilityZone,
    ServiceStation,
    StationService,
)
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Ethnicity
from fupin.poverty.models import Person
from fupin.regions import importer
from fupin.regions.models import Level, Region

SCALE = 0.001
SEED = 2006
COUNTY = "520329"  # 余庆县: 71 villages in 10 townships
COUNTY_SCALE = 0.005
MEMBERS = (c.Stage.FULL, c.Stage.PROBATIONARY)
B, V, P = c.CommitteeKind.BRANCH, c.CommitteeKind.VILLAGERS, c.Post
# Children before parents, for wiping without the per-row delete signals.
PARTY_MODELS = (Candidate, Election, CadreCareer, CadreWelfare, CadrePosition, Cadre, Committee,
                StationService, MobileMembership, CareVisit, Commitment, MemberPost,
                ResponsibilityZone.households.through, ResponsibilityZone, OrgMeeting,
                PartyMember, ServiceStation, CoveredRegion, PartyOrg)


def context(scale: float = SCALE, seed: int = SEED) -> registry.DemoContext:
    return registry.DemoContext(scale=scale, seed=seed, stdout=StringIO())


def run(ctx: registry.DemoContext) -> tuple[str, str, str]:
    with acting_as(None, label="cli:demo", scope_checks=False):
        return demo.orgs(ctx), demo.members(ctx), demo.committees(ctx)


def wipe() -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(PartyOrg._meta.db_table)} SET secretary_id = NULL")
        for model in PARTY_MODELS:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")


def digest() -> str:
    """The data by natural keys (ids differ between runs)."""
    h = hashlib.sha256()

    def add(queryset, *fields):
        for row in queryset.order_by(*fields).values_list(*fields):
            h.update(repr(row).encode())

    add(PartyOrg._base_manager, "region_code", "name", "kind", "basis", "parent__name",
        "founded_on", "secretary__id_number")
    add(CoveredRegion.objects, "org__name", "region_code")
    add(PartyMember._base_manager, "id_number", "name", "org__name", "stage", "applied_on",
        "activist_on", "candidate_on", "probationary_on", "full_on", "phone", "occupation",
        "is_farmer", "is_demo_household", "ethnicity", "education")
    add(MemberPost._base_manager, "member__id_number", "post", "starts_on")
    add(Commitment._base_manager, "member__id_number", "text", "status")
    add(MobileMembership._base_manager, "member__id_number", "away_since", "location",
        "contact__id_number", "last_contact_on")
    add(CareVisit._base_manager, "member__id_number", "date", "amount")
    add(OrgMeeting._base_manager, "org__name", "region_code", "kind", "date", "attendance",
        "expected", "topics")
    add(Committee._base_manager, "region_code", "kind", "term_starts_on", "org__name")
    add(Cadre._base_manager, "id_number", "name", "education", "is_college_graduate",
        "member__id_number")
    add(CadrePosition._base_manager, "cadre__id_number", "committee__kind", "post")
    add(CadreWelfare._base_manager, "cadre__id_number", "pay", "pension_insurance")
    add(Candidate._base_manager, "member__id_number", "member_votes", "public_votes",
        "ballot_votes", "elected", "post")
    return h.hexdigest()


def county_rows(path) -> None:
    with open(importer.BUNDLED_REGIONS, encoding="utf-8") as src, \
            open(path, "w", encoding="utf-8", newline="") as out:
        rows = csv.reader(src)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        for row in rows:
            if row[0].startswith(COUNTY) or row[0] in ("520000000000", "520300000000"):
                writer.writerow(row)


def county_linkage() -> dict:
    """What the county run says about cadres and their member rows."""
    branch_cadres = Cadre._base_manager.filter(positions__committee__kind=B).distinct()
    secretaries = {p.committee.region_code: p.cadre for p in CadrePosition._base_manager
                   .filter(post=P.SECRETARY).select_related("cadre", "committee")}
    orgs = {o.region_code: o for o in PartyOrg._base_manager.filter(
        basis=c.OrgBasis.PLACE, region_code__in=list(secretaries))
        .exclude(kind=c.OrgKind.COMMITTEE)}
    return {
        "villages": Region._base_manager.filter(level=Level.VILLAGE).count(),
        "branch_cadres": branch_cadres.count(),
        "branch_cadres_without_member": branch_cadres.filter(member__isnull=True).count(),
        "secretary_is_org_secretary": sum(
            orgs[code].secretary_id is not None and orgs[code].secretary_id == cadre.member_id
            for code, cadre in secretaries.items()),
        "elections": Election._base_manager.count(),
    }


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        empty = run(context())
        sid = transaction.savepoint()
        path = tmp_path_factory.mktemp("regions") / "county.csv"
        county_rows(path)
        call_command("regions", "import", str(path), stdout=StringIO())
        with acting_as(None, label="cli:demo", scope_checks=False):
            poverty_demo.villages(context(COUNTY_SCALE))
        county_summaries = run(context(COUNTY_SCALE))
        linkage = county_linkage()
        digests = [digest()]
        wipe()
        run(context(COUNTY_SCALE))
        digests.append(digest())
        wipe()
        run(context(COUNTY_SCALE, SEED + 1))
        digests.append(digest())
        transaction.savepoint_rollback(sid)

        call_command("regions", "import", str(importer.BUNDLED_REGIONS), stdout=StringIO())
        with acting_as(None, label="cli:demo", scope_checks=False):
            poverty_demo.villages(context())
            poverty_demo.households(context())
        summaries = run(context())
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys of the million rows once, here: left queued, every
            # test's teardown (TestCase.check_constraints, in a savepoint it then rolls back)
            # would check them all again.
            connection.check_constraints()
        yield {"summaries": summaries, "digests": digests, "empty": empty, "linkage": linkage,
               "county_summaries": county_summaries}
        transaction.set_rollback(True)


@pytest.fixture
def data(generated):
    """The tests only read; they run inside the module's transaction (and its unblocked
    database) without a savepoint each: TestCase's teardown would check every foreign key of
    the million rows again after each test. The one that may write asks for `db` (which also
    has pytest-django create the test database when this module runs alone)."""
    return generated


def village_codes() -> list[str]:
    return list(Region._base_manager.filter(level=Level.VILLAGE).order_by("code")
                .values_list("code", flat=True))


def age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- registry, counts, batches ---------------------------------------------------------------------
def test_generators_are_registered_after_poverty():
    orders = {g.name: g.order for g in registry.ordered()}
    assert (orders["party.orgs"], orders["party.members"], orders["party.committees"]) == (40, 50, 60)
    assert orders["poverty.procedures"] < orders["party.orgs"]
    assert orders["party.committees"] < orders["accounts.users"]


def test_members_are_exactly_the_scaled_million(data):
    rows = PartyMember._base_manager
    assert rows.filter(stage__in=MEMBERS).count() == round(1_000_000 * SCALE) == 1_000
    for stage, share in demo.PIPELINE.items():
        assert rows.filter(stage=stage).count() == round(1_000 * share)
    in_organs = rows.filter(stage__in=MEMBERS, org__basis=c.OrgBasis.ORGAN).count()
    assert in_organs == round(1_000 * demo.ORGAN_SHARE)
    assert 0 < rows.filter(stage=c.Stage.PROBATIONARY).count() < 100
    assert "1,000 members" in data["summaries"][1]


def test_one_batch_record_per_generator(data):
    records = ChangeRecord._base_manager.filter(action="batch", object_id="demo",
                                                model__startswith="party.")
    assert Counter(records.values_list("model", flat=True)) == {
        "party.partyorg": 1, "party.partymember": 1, "party.committee": 1}
    members = records.get(model="party.partymember")
    assert members.extra["members"] == 1_000
    assert not PartyMember._base_manager.exclude(batch_id=members.pk).exists()
    assert not PartyMember._base_manager.exclude(created_by=None).exists()
    orgs = records.get(model="party.partyorg")
    first, last = orgs.extra["orgs"]
    assert PartyOrg._base_manager.count() == last - first + 1
    committees = records.get(model="party.committee")
    assert committees.extra["one_shoulder_villages"] > 0
    assert ChangeRecord._base_manager.filter(model__in=(
        "party.partymember", "party.cadre", "party.orgmeeting")).exclude(action="batch").count() == 0


def test_a_second_run_adds_nothing(data, db):  # in a savepoint: this test could write
    models = (PartyOrg, CoveredRegion, PartyMember, OrgMeeting, MobileMembership, ServiceStation,
              Committee, Cadre, CadrePosition, Election, Candidate, ChangeRecord)
    before = [m._base_manager.count() for m in models]
    summaries = run(context())
    assert all("nothing added" in s for s in summaries)
    assert "1,000 members" in summaries[1]
    assert before == [m._base_manager.count() for m in models]


def test_same_seed_same_data_other_seed_other_data(data):
    first, again, other = data["digests"]
    assert first == again
    assert other != first


def test_generators_wait_for_their_inputs(data):
    orgs, members, committees = data["empty"]
    assert orgs == "no villages, nothing added"
    assert "party.orgs runs first" in members and "party.orgs runs first" in committees


# --- organizations --------------------------------------------------------------------------------
def test_every_village_has_a_branch_under_its_township(data):
    orgs = {o.pk: o for o in PartyOrg._base_manager.all()}
    villages = village_codes()
    place = [o for o in orgs.values() if o.basis == c.OrgBasis.PLACE
             and o.kind != c.OrgKind.COMMITTEE]
    assert sorted(o.region_code for o in place) == villages  # one per village, no more
    general = [o for o in place if o.kind == c.OrgKind.GENERAL_BRANCH]
    assert abs(len(general) / len(place) - demo.GENERAL_BRANCH_SHARE) < 0.01
    for org in place:
        parent = orgs[org.parent_id]
        assert parent.kind == c.OrgKind.COMMITTEE
        assert parent.region_code == org.region_code[:9] + "000"
    townships = Region._base_manager.filter(level=Level.TOWNSHIP).count()
    committees = [o for o in orgs.values() if o.kind == c.OrgKind.COMMITTEE]
    levels = Counter(len(o.region_code.rstrip("0")) > 6 for o in committees)
    assert levels[True] == townships
    for org in committees:
        code = org.region_code
        if code.endswith("0" * 8):  # a prefecture: the top
            assert org.parent_id is None
        elif code.endswith("0" * 6):  # a county, under its prefecture
            assert orgs[org.parent_id].region_code == code[:4] + "0" * 8
        else:  # a township, under its county
            assert orgs[org.parent_id].region_code == code[:6] + "0" * 6
    for org in orgs.values():  # no cycles: every chain ends within five steps
        seen, node = set(), org
        while node.parent_id is not None:
            assert node.pk not in seen and len(seen) < 5
            seen.add(node.pk)
            node = orgs[node.parent_id]


def test_joint_orgs_cover_neighbouring_villages(data):
    joint = list(PartyOrg._base_manager.filter(basis__in=c.OrgBasis.joint())
                 .prefetch_related("covered_regions"))
    assert len(joint) == round(len(village_codes()) * demo.JOINT_SHARE)
    assert {o.basis for o in joint} == {c.OrgBasis.JOINT_VILLAGES, c.OrgBasis.VILLAGE_ENTERPRISE}
    seen: set[str] = set()
    for org in joint:
        covered = sorted(r.region_code for r in org.covered_regions.all())
        assert 2 <= len(covered) <= 3
        assert org.kind == c.OrgKind.GENERAL_BRANCH and org.region_code == covered[0]
        assert len({code[:9] for code in covered}) == 1  # one township
        assert all(code[9] == "2" for code in covered)  # villagers' committees
        assert org.parent.region_code == covered[0][:9] + "000"
        assert not seen & set(covered)
        seen |= set(covered)
    scoped = PartyOrg.objects.filter(PartyOrg.scope_q(sorted(seen)[-1])).distinct()
    assert scoped.filter(basis__in=c.OrgBasis.joint()).exists()  # seen from every village


def test_organ_branches_in_every_county_and_prefecture(data):
    organs = Counter(PartyOrg._base_manager.filter(basis=c.OrgBasis.ORGAN)
                     .values_list("region_code", flat=True))
    for org in PartyOrg._base_manager.filter(basis=c.OrgBasis.ORGAN).select_related("parent"):
        assert org.parent.region_code == org.region_code and org.kind == c.OrgKind.BRANCH
    counties = PartyOrg._base_manager.filter(kind=c.OrgKind.COMMITTEE, region_code__endswith="000000")
    for code in counties.values_list("region_code", flat=True):
        low, high = demo.ORGANS_PER_PREFECTURE if code.endswith("0" * 8) else demo.ORGANS_PER_COUNTY
        assert low <= organs[code] <= high


# --- members ------------------------------------------------------------------------------------------
def test_id_numbers_are_valid_and_never_collide(data):
    members = list(PartyMember._base_manager.values_list("id_number", "sex", "birth_date"))
    for number, sex, birth in members:
        assert idnumber.cross_check(idnumber.parse(number), sex=sex, birth_date=birth) == []
    cadres = list(Cadre._base_manager.values_list("id_number", "sex", "birth_date",
                                                  "member__id_number"))
    for number, sex, birth, _m in cadres[::7]:
        assert idnumber.cross_check(idnumber.parse(number), sex=sex, birth_date=birth) == []
    member_numbers = {row[0] for row in members}
    cadre_numbers = {row[0] for row in cadres}
    persons = set(Person._base_manager.values_list("id_number", flat=True))
    assert len(member_numbers) == len(members) and len(cadre_numbers) == len(cadres)
    assert len(persons) > 5_000
    assert not persons & member_numbers and not persons & cadre_numbers
    # a number in both tables is one person: a cadre and their own member row
    assert member_numbers & cadre_numbers == {row[0] for row in cadres if row[3]}
    assert all(row[0] == row[3] for row in cadres if row[3])


def test_top_down_ids_follow_the_poverty_numbering():
    ours = demo.TopDownIds(lane=0)
    theirs = poverty_demo.IdNumbers()
    for prefix, year, sex in (("520329", 1970, "M"), ("522601", 1941, "F"), ("520101", 2001, "M")):
        for n in (0, 1, 364, 365, 9_999, 182_499):
            theirs.next[(prefix, year, sex)] = n
            assert ours.number(prefix, year, sex, n) == theirs.issue(prefix, year, sex)
    issued = [ours.issue("520329", 1970, "F")[0] for _ in range(3)]
    lane1 = demo.TopDownIds(lane=1)
    other = [lane1.issue("520329", 1970, "F")[0] for _ in range(3)]
    top = poverty_demo.IdNumbers.CAPACITY - 1
    assert issued[0] == ours.number("520329", 1970, "F", top)[0]
    assert other[0] == ours.number("520329", 1970, "F", top - 1)[0]
    assert not set(issued) & set(other)


def test_stage_dates_are_consistent(data):
    today = demo.today()
    activist_days = int(params.get(rules.ACTIVIST_MIN_DAYS))
    probation_days = int(params.get(rules.PROBATION_DAYS))
    fields = [c.STAGE_DATE_FIELD[s] for s in c.STAGE_ORDER]
    for member in PartyMember._base_manager.all():
        reached = c.STAGE_ORDER.index(member.stage)
        dates = [getattr(member, f) for f in fields]
        assert all(d is not None for d in dates[: reached + 1])
        assert all(d is None for d in dates[reached + 1:])
        held = dates[: reached + 1]
        assert held == sorted(held) and held[-1] <= today
        assert age(member.birth_date, member.applied_on) >= 18
        if member.candidate_on:
            assert (member.candidate_on - member.activist_on).days >= activist_days
        if member.full_on:
            assert (member.full_on - member.probationary_on).days >= probation_days
        if member.stage == c.Stage.PROBATIONARY:
            assert (today - member.probationary_on).days < probation_days
        if member.stage in MEMBERS:
            assert 20 <= age(member.birth_date, today) <= 85
        assert rules.stage_ready(member, c.STAGE_ORDER[reached], today).code in ("already", "")


def test_member_attributes_are_plausible(data):
    village = list(PartyMember._base_manager.filter(stage__in=MEMBERS, org__basis=c.OrgBasis.PLACE))
    organ = list(PartyMember._base_manager.filter(stage__in=MEMBERS, org__basis=c.OrgBasis.ORGAN))
    men = sum(m.sex == "M" for m in village) / len(village)
    assert 0.65 <= men <= 0.82
    assert all(not m.is_farmer for m in organ) and all(not m.is_demo_household for m in organ)
    assert sum(m.is_farmer for m in village) / len(village) > 0.8
    assert 0.02 <= sum(m.is_demo_household for m in village) / len(village) <= 0.09
    assert sum(m.education == "college" for m in organ) > len(organ) / 3
    ethnicities = Counter(m.ethnicity for m in village)
    assert ethnicities[Ethnicity.HAN] == max(ethnicities.values()) and len(ethnicities) >= 4
    assert all(m.region_code == m.org.region_code for m in village + organ)
    ages = [age(m.birth_date, demo.today()) for m in village]
    assert 45 <= statistics.mean(ages) <= 60


def test_posts_commitments_mobile_members_care(data):
    members = PartyMember._base_manager.filter(stage__in=MEMBERS)
    total = members.count()
    assert 0.14 <= MemberPost._base_manager.count() / total <= 0.27
    commitments = Commitment._base_manager
    assert 0.23 <= commitments.count() / total <= 0.38
    assert set(commitments.values_list("year", flat=True)) == {demo.today().year}
    mobile = list(MobileMembership._base_manager.select_related("member", "contact", "station"))
    assert 0.01 <= len(mobile) / total <= 0.05
    today = demo.today()
    cards = Counter(rules.mobile_rule(m, today) for m in mobile)
    assert cards[rules.CARD] and cards[rules.TRANSFER]
    for m in mobile:
        assert (rules.mobile_rule(m, today) == rules.CARD) == m.has_activity_card
        assert m.member.stage in MEMBERS and m.member.occupation != demo.CADRE_OCCUPATION
        assert m.away_since <= today and m.region_code == m.member.region_code
        assert m.contact is None or (m.contact.org_id == m.member.org_id and m.contact != m.member)
        assert m.last_contact_on is None or m.away_since <= m.last_contact_on <= today
        assert (m.station is None) == (m.location in demo.OTHER_PLACES)
    stations = ServiceStation._base_manager.all()
    assert 8 <= stations.count() <= 10
    regions = set(Region._base_manager.values_list("code", flat=True))
    assert all(s.region_code in regions for s in stations)
    for visit in CareVisit._base_manager.select_related("member"):
        assert age(visit.member.birth_date, today) >= 70 and visit.date <= today


def test_meetings_in_the_last_twelve_months(data):
    today = demo.today()
    start = demo.month_start(today, 12)
    end = demo.month_start(today, 0) - datetime.timedelta(days=1)
    branches = PartyOrg._base_manager.filter(
        basis__in=(c.OrgBasis.PLACE, c.OrgBasis.ORGAN)).exclude(kind=c.OrgKind.COMMITTEE)
    meetings = OrgMeeting._base_manager.order_by()
    held = set(meetings.values_list("org", flat=True).distinct())
    assert set(branches.values_list("pk", flat=True)) <= held
    sample = list(branches.filter(region_code__startswith="5204"))  # 安顺, 1,300 branches
    rows = rules.meeting_shortfalls(sample, start, end)
    short = sum(r.short for r in rows) / len(rows)
    assert abs(short - demo.SHORT_SHARE) < 0.03
    span = meetings.aggregate(first=Min("date"), last=Max("date"))
    assert demo.month_start(today, 14) <= span["first"] and span["last"] < today
    assert not meetings.filter(org__in=sample, attendance__gt=F("expected")).exists()
    joint = meetings.filter(org__basis__in=c.OrgBasis.joint())
    assert set(joint.values_list("kind", flat=True).distinct()) == {c.MeetingKind.COMMITTEE}


# --- committees and cadres -------------------------------------------------------------------------
def positions_by_village() -> dict[str, list[tuple]]:
    out = defaultdict(list)
    for row in CadrePosition._base_manager.values_list(
            "committee__region_code", "committee__kind", "cadre_id", "post",
            "cadre__is_college_graduate", "cadre__education"):
        out[row[0]].append(row[1:])
    return out


def test_two_committees_in_every_village(data):
    villages = village_codes()
    committees = Counter(Committee._base_manager.values_list("region_code", "kind"))
    assert set(committees) == {(v, k) for v in villages for k in (B, V)}
    assert set(committees.values()) == {1}
    today = demo.today()
    term = demo.term_start(today)
    for committee in Committee._base_manager.filter(region_code__startswith=COUNTY
                                                     ).select_related("org"):
        assert term <= committee.term_starts_on <= today
        assert committee.term_ends_on == demo.add_years(
            committee.term_starts_on, demo.TERM_YEARS) - datetime.timedelta(days=1)
        if committee.kind == B:
            assert committee.org.region_code == committee.region_code
        else:
            assert committee.org is None
    by_village = positions_by_village()
    for code in villages:
        rows = by_village[code]
        posts = {k: [post for kind, _cadre, post, *_ in rows if kind == k] for k in (B, V)}
        assert posts[B].count(P.SECRETARY) == 1 and posts[V].count(P.DIRECTOR) == 1
        assert 3 <= len(posts[B]) <= 5 and 3 <= len(posts[V]) <= 5


def test_shares_of_one_shoulder_cross_membership_and_college_graduates(data):
    by_village = positions_by_village()
    one_shoulder = cross = college = 0
    for rows in by_village.values():
        held = defaultdict(set)
        for kind, cadre, post, _graduate, _education in rows:
            held[cadre].add((kind, post))
        one_shoulder += any({(B, P.SECRETARY), (V, P.DIRECTOR)} <= h for h in held.values())
        cross += any({k for k, _p in h} == {B, V} and (B, P.SECRETARY) not in h
                     for h in held.values())
        college += any(graduate or education == "college" for _k, _c, _p, graduate, education in rows)
    n = len(by_village)
    assert abs(one_shoulder / n - demo.ONE_SHOULDER_SHARE) < 0.02
    assert abs(cross / n - demo.CROSS_SHARE) < 0.02
    assert abs(college / n - demo.COLLEGE_SHARE) < 0.02
    # the rules' own derivations agree, on one county
    county = "520329000000"
    mine = {code for code, rows in by_village.items() if code.startswith(county[:6]) and any(
        {(B, P.SECRETARY), (V, P.DIRECTOR)} <= {(k, p) for k, c2, p, *_ in rows if c2 == cadre}
        for _k, cadre, *_ in rows)}
    assert {row.region_code for row in rules.one_shoulder(county)} == mine
    graduates = {code for code, rows in by_village.items() if code.startswith(county[:6])
                 and any(g or e == "college" for *_x, g, e in rows)}
    assert set(rules.college_graduate_villages(county)) == graduates


def test_cadres_and_their_member_rows(data):
    linked = list(Cadre._base_manager.filter(member__isnull=False).select_related("member__org"))
    assert linked
    for cadre in linked:
        m = cadre.member
        assert (m.name, m.sex, m.birth_date, m.id_number) == (cadre.name, cadre.sex,
                                                               cadre.birth_date, cadre.id_number)
        assert m.org.region_code == cadre.region_code and m.org.basis == c.OrgBasis.PLACE
        assert m.occupation == demo.CADRE_OCCUPATION and m.stage == c.Stage.FULL
    seat_members = PartyMember._base_manager.filter(occupation=demo.CADRE_OCCUPATION)
    assert seat_members.count() == len(linked)  # every member cadre row is a cadre
    village_members = PartyMember._base_manager.filter(stage__in=MEMBERS,
                                                       org__basis=c.OrgBasis.PLACE).count()
    assert len(linked) <= village_members * demo.MAX_CADRE_SHARE + 50
    # a village with member cadres has its secretary among them, and as its org's secretary
    for org in PartyOrg._base_manager.filter(secretary__isnull=False, basis=c.OrgBasis.PLACE):
        secretary = CadrePosition._base_manager.get(committee__region_code=org.region_code,
                                                    post=P.SECRETARY)
        assert secretary.cadre.member_id == org.secretary_id
    secretaries = CadrePosition._base_manager.filter(post=P.SECRETARY, cadre__member__isnull=False)
    assert secretaries.count() == PartyOrg._base_manager.filter(
        secretary__isnull=False, basis=c.OrgBasis.PLACE).count()
    assert not PartyOrg._base_manager.filter(basis=c.OrgBasis.ORGAN, secretary__isnull=True,
                                             members__isnull=False).exists()


def test_in_a_dense_county_every_branch_cadre_is_a_member(data):
    linkage = data["linkage"]
    assert linkage["branch_cadres"] >= 3 * linkage["villages"]
    assert linkage["branch_cadres_without_member"] == 0
    assert linkage["secretary_is_org_secretary"] == linkage["villages"]
    assert linkage["elections"] >= 3
    assert f"{round(1_000_000 * COUNTY_SCALE):,} members" in data["county_summaries"][1]


def test_welfare_and_careers(data):
    today = demo.today()
    heads = set(CadrePosition._base_manager.filter(post__in=(P.SECRETARY, P.DIRECTOR))
                .values_list("cadre_id", flat=True))
    welfare = list(CadreWelfare._base_manager.all())
    assert sorted(w.cadre_id for w in welfare) == sorted(heads)
    assert all(w.year == today.year and 18_000 <= w.pay <= 36_000 for w in welfare)
    careers = list(CadreCareer._base_manager.select_related("cadre"))
    assert len(careers) == max(3, round(len(village_codes()) * demo.CAREER_SHARE))
    for career in careers:
        position = CadrePosition._base_manager.get(cadre=career.cadre, post=P.SECRETARY)
        assert position.starts_on <= career.date <= today


def test_closed_elections_add_up(data):
    elections = list(Election._base_manager.select_related("org", "result_committee"))
    assert len(elections) >= 3
    for election in elections:
        assert election.state == c.ElectionState.CLOSED
        committee = election.result_committee
        assert committee.kind == B and committee.org_id == election.org_id
        assert election.region_code == committee.region_code == election.org.region_code
        assert rules.quorum_met(election.members_present, election.members_eligible)
        assert election.members_eligible == PartyMember._base_manager.filter(
            org=election.org, stage=c.Stage.FULL).count()
        candidates = list(Candidate._base_manager.filter(election=election))
        votes = {x.member_id: (x.member_votes, x.public_votes) for x in candidates}
        picked = rules.pick_shortlist(votes, election.seats, election.members_eligible,
                                      election.public_voters).picked
        assert set(picked) == {x.member_id for x in candidates if x.shortlisted}
        result = rules.pick_elected({x.member_id: x.ballot_votes for x in candidates
                                     if x.shortlisted}, election.members_present, election.seats)
        elected = {x.member_id: x.post for x in candidates if x.elected}
        assert set(result.elected) == set(elected) and not result.tied
        seats = {p.cadre.member_id: p.post for p in CadrePosition._base_manager.filter(
            committee=committee).select_related("cadre")}
        assert seats == elected and election.seats == len(seats)
        assert all(x.member.org_id == election.org_id for x in candidates)
