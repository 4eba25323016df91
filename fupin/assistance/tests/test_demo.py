"""The assistance demo generators (fupin/assistance/demo.py).

One module fixture, in a transaction rolled back at the end: three counties of three
prefectures (余庆县, 台江县 and the city district 碧江区) at SCALE, with the poverty and party
generators they need and the demo users; then the four assistance generators. The tests read
that data; one runs the generators again (nothing added), one wipes their rows and runs them
again (the same data) and with another seed (other data). Before anything, they run once on
the empty database.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from fupin.accounts import demo as accounts_demo
from fupin.accounts.models import User
from fupin.assistance import choices as c
from fupin.assistance import demo, rules
from fupin.assistance.models import (
    BranchPairing,
    ChunhuiContribution,
    ChunhuiEnvoy,
    ContactPoint,
    ContactVisit,
    Enterprise,
    IndustryBenefit,
    IndustryProject,
    Measure,
    Pairing,
    PlanFunding,
    PlanProject,
    Presence,
    Relocation,
    ResettlementSite,
    VillagePlan,
    Visit,
    WorkLogEntry,
    WorkTeam,
    WorkTeamMember,
)
from fupin.core import demo as registry
from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.party import choices as pc
from fupin.party import demo as party_demo
from fupin.party.models import PartyMember, PartyOrg
from fupin.poverty import demo as poverty_demo
from fupin.poverty.models import Household, VillageProfile
from fupin.regions import importer
from fupin.regions.scope import pad, within

SCALE = 0.002
SEED = 2006
COUNTIES = ("520329", "522630", "520602")  # 余庆县, 台江县, 碧江区
# Children before parents, for wiping without the per-row delete signals.
MODELS = (ContactVisit, ContactPoint, Presence, WorkLogEntry, WorkTeamMember, WorkTeam,
          BranchPairing, Visit, Measure, Pairing, IndustryBenefit, IndustryProject, Enterprise,
          PlanFunding, PlanProject, VillagePlan, Relocation, ResettlementSite,
          ChunhuiContribution, ChunhuiEnvoy)


def context(seed: int = SEED, scale: float = SCALE) -> registry.DemoContext:
    return registry.DemoContext(scale=scale, seed=seed, stdout=StringIO())


def run(ctx: registry.DemoContext, users: bool = False) -> list[str]:
    """The assistance generators as `fupin demo` runs them (accounts.users in between)."""
    with acting_as(None, label="cli:demo", scope_checks=False):
        out = [demo.teams(ctx), demo.projects(ctx), demo.households(ctx)]
        if users:
            accounts_demo.users(ctx)
        out.append(demo.helper_user(ctx))
    return out


def subset(path) -> None:
    with open(importer.BUNDLED_REGIONS, encoding="utf-8") as src, \
            open(path, "w", encoding="utf-8", newline="") as out:
        rows = csv.reader(src)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        tops = {"520000000000"} | {county[:4] + "00000000" for county in COUNTIES}
        for row in rows:
            if row[0][:6] in COUNTIES or row[0] in tops:
                writer.writerow(row)


def wipe() -> None:
    """The assistance rows and the helping branches the generator added, without signals."""
    qn = connection.ops.quote_name
    record = party_demo.latest_batch(demo.TEAMS_BATCH)
    added = party_demo.in_range(PartyOrg, record, "helping_orgs").values_list("id", flat=True)
    added = list(added)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(User._meta.db_table)} SET member_id = NULL")
        for model in MODELS:
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
    PartyOrg._base_manager.filter(id__in=added)._raw_delete(connection.alias)


def digest() -> str:
    """The data by natural keys (ids differ between runs)."""
    h = hashlib.sha256()

    def add(queryset, *fields):
        for row in queryset.order_by(*fields).values_list(*fields):
            h.update(repr(row).encode())

    add(WorkTeam._base_manager, "region_code", "name", "dispatching_unit", "unit_level",
        "starts_on", "ends_on")
    add(WorkTeamMember._base_manager, "region_code", "name", "role", "unit", "phone")
    add(Presence._base_manager, "team_member__name", "region_code", "month", "days")
    add(WorkLogEntry._base_manager, "region_code", "logged_on", "text")
    add(ContactPoint._base_manager, "region_code", "cadre_name", "post", "starts_on", "ends_on")
    add(ContactVisit._base_manager, "contact_point__cadre_name", "visited_on", "problems_raised")
    add(BranchPairing._base_manager, "village_org__name", "helping_org__name", "helping_kind",
        "starts_on", "ends_on", "money", "materials_value", "state")
    add(Pairing._base_manager, "household__number", "helper__id_number", "starts_on",
        "ends_on", "helper_unit", "unit_level", "end_reason")
    add(Visit._base_manager, "region_code", "household__number", "visitor_name", "kind",
        "visited_on", "findings", "help_given")
    add(Measure._base_manager, "household__number", "kind", "year", "state", "amount",
        "done_on", "project__name", "description")
    add(VillagePlan._base_manager, "region_code", "name", "state", "progress")
    add(PlanFunding._base_manager, "plan__name", "source", "amount")
    add(PlanProject._base_manager, "plan__name", "name", "investment", "state")
    add(Enterprise._base_manager, "region_code", "name", "kind")
    add(IndustryProject._base_manager, "name", "enterprise__name", "year", "funds")
    add(IndustryBenefit._base_manager, "project__name", "household__number", "kind", "amount")
    add(ResettlementSite._base_manager, "region_code", "name", "kind", "capacity", "built_on")
    add(Relocation._base_manager, "household__number", "site__name", "moved_on", "employed")
    add(ChunhuiEnvoy._base_manager, "region_code", "name", "lives_in", "phone")
    add(ChunhuiContribution._base_manager, "envoy__name", "kind", "given_on", "value")
    add(User._base_manager.filter(username=demo.HELPER_USERNAME), "region_code",
        "member__id_number")
    return h.hexdigest()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        empty = run(context())
        path = tmp_path_factory.mktemp("regions") / "counties.csv"
        subset(path)
        call_command("regions", "import", str(path), stdout=StringIO())
        ctx = context()
        with acting_as(None, label="cli:demo", scope_checks=False):
            poverty_demo.villages(ctx)
            poverty_demo.households(ctx)
            party_demo.orgs(ctx)
            party_demo.members(ctx)
        summaries = run(ctx, users=True)
        yield {"summaries": summaries, "empty": empty, "ctx": ctx, "digest": digest()}
        transaction.set_rollback(True)


@pytest.fixture
def data(generated, db):
    return generated


def today():
    return timezone.localdate()


def needy_codes() -> set[str]:
    return set(VillageProfile._base_manager.filter(is_poor_village=True).values_list(
        "region_code", flat=True))


def key_codes() -> set[str]:
    return set(VillageProfile._base_manager.filter(is_key_village=True).values_list(
        "region_code", flat=True))


def current_pairings():
    return Pairing._base_manager.filter(Pairing.current_q(today()))


def helped():
    return Household._base_manager.filter(status__in=rules.helped_statuses())


# --- registry, inputs, batches -----------------------------------------------------------------
def test_generators_run_after_poverty_and_party_and_around_the_users():
    orders = {g.name: g.order for g in registry.ordered()}
    mine = [orders[n] for n in ("assistance.teams", "assistance.projects",
                                "assistance.households")]
    assert mine == sorted(mine)
    assert orders["party.committees"] < mine[0] and mine[-1] < orders["accounts.users"]
    assert orders["assistance.helper_user"] > orders["accounts.users"]


def test_generators_wait_for_their_inputs(data):
    teams, projects, households, helper = data["empty"]
    assert "poverty.villages runs first" in teams
    assert "poverty.villages runs first" in projects
    assert "poverty.households runs first" in households
    assert "accounts.users runs first" in helper


def test_one_batch_record_per_generator(data):
    records = ChangeRecord._base_manager.filter(action="batch", object_id="demo",
                                                model__startswith="assistance.")
    assert Counter(records.values_list("model", flat=True)) == {
        demo.TEAMS_BATCH: 1, demo.PROJECTS_BATCH: 1, demo.HOUSEHOLDS_BATCH: 1}
    teams = records.get(model=demo.TEAMS_BATCH)
    first, last = teams.extra["workteam"]
    # Every team of the run lies in the recorded range (on PostgreSQL the range may hold ids
    # that sequences handed to rolled-back tests).
    assert WorkTeam._base_manager.filter(pk__range=(first, last)).count() \
        == WorkTeam._base_manager.count() > 0
    households = records.get(model=demo.HOUSEHOLDS_BATCH)
    assert households.extra["unpaired"] >= demo.GAP_MIN
    labels = [f"assistance.{m._meta.model_name}" for m in (WorkTeam, Pairing, Visit, Measure)]
    assert not ChangeRecord._base_manager.filter(model__in=labels).exclude(action="batch").exists()
    assert not Pairing._base_manager.exclude(created_by=None).exists()


def test_a_second_run_adds_nothing(data):
    models = (*MODELS, PartyOrg, ChangeRecord)
    before = [m._base_manager.count() for m in models]
    summaries = run(data["ctx"])
    assert all("nothing added" in s for s in summaries[:3]), summaries
    assert "nothing changed" in summaries[3]
    assert before == [m._base_manager.count() for m in models]
    assert summaries[2].startswith(data["summaries"][2].split(" (")[0])


def test_same_seed_same_data_other_seed_other_data(data):
    sid = transaction.savepoint()
    try:
        wipe()
        run(data["ctx"])
        again = digest()
        wipe()
        run(context(SEED + 1))
        other = digest()
    finally:
        transaction.savepoint_rollback(sid)
    assert again == data["digest"]
    assert other != data["digest"]


# --- calibrated counts and the deliberate gaps ---------------------------------------------------
def test_every_key_village_has_a_team_and_some_poor_villages_too(data):
    teams = WorkTeam._base_manager.filter(WorkTeam.current_q(today()))
    codes = Counter(teams.values_list("region_code", flat=True))
    assert max(codes.values()) == 1
    key = key_codes()
    assert key and key <= set(codes)
    others = set(codes) - key
    assert others <= needy_codes()
    poor_others = len(needy_codes() - key)
    assert len(others) == min(poor_others, max(demo.OTHER_TEAM_MIN, round(
        demo.OTHER_TEAM_SHARE * poor_others * SCALE)))


def test_branch_pairings_reach_the_floor(data):
    pairings = BranchPairing._base_manager
    needy = needy_codes()
    branches = PartyOrg._base_manager.filter(
        region_code__in=needy, kind__in=("branch", "general_branch", "committee"))
    unpaired = branches.exclude(branch_pairings__in=pairings.filter(
        BranchPairing.current_q(today()))).count()
    assert 0 < unpaired <= max(demo.GAP_MIN, math.ceil(branches.count() * 0.01))
    floor = max(demo.BRANCH_PAIRING_FLOOR,
                math.ceil((branches.count() - unpaired) / (1 - demo.COMPLETED_SHARE)))
    assert pairings.count() == max(round(demo.BRANCH_PAIRINGS * SCALE), floor)
    states = Counter(pairings.values_list("state", flat=True))
    assert states[c.PairingState.ACTIVE] > states[c.PairingState.COMPLETED] > 0
    assert {k for k, _ in Counter(pairings.values_list("helping_kind", flat=True)).items()} == \
        set(c.HelpingOrgKind.values)


def test_helpers_reach_the_floor_and_every_household_in_need_is_paired_but_a_few(data):
    helpers = current_pairings().values("helper").distinct().count()
    assert helpers >= max(round(demo.HELPERS * SCALE), demo.HELPER_FLOOR)
    total = helped().count()
    paired = helped().filter(pairings__in=current_pairings()).distinct().count()
    unpaired = total - paired
    assert demo.GAP_MIN <= unpaired <= max(demo.GAP_MIN, round(total * demo.UNPAIRED_SHARE)) + 2
    assert not current_pairings().exclude(household__in=helped()).exists()


def test_gaps_are_present_but_few(data):
    counts = {gap.key: gap.rows(today()).count() for gap in rules.GAPS}
    assert counts.pop("key_villages_without_team") == 0
    households = helped().count()
    teams = WorkTeam._base_manager.count()
    bounds = {
        "small_teams": max(demo.GAP_MIN, teams * 0.05),
        "teams_low_presence": max(demo.GAP_MIN, teams * 0.08),
        "households_without_helper": max(demo.GAP_MIN, households * 0.01),
        "helpers_over_limit": max(demo.GAP_MIN, households * 0.01),
        "branches_without_pairing": max(demo.GAP_MIN, needy_codes().__len__() * 0.01),
        "households_not_visited": households * 0.06,
        "villages_not_visited": max(demo.GAP_MIN, len(key_codes()) * 0.1),
        "households_without_measure": households * 0.03,
    }
    assert set(bounds) == set(counts)
    for key, n in counts.items():
        assert 0 < n <= bounds[key], (key, n, bounds[key])


# --- plausibility --------------------------------------------------------------------------------
def test_teams_members_presence(data):
    day = today()
    for team in WorkTeam._base_manager.annotate(n=Count("members")):
        assert (team.ends_on - team.starts_on).days >= 730
        assert team.starts_on <= day <= team.ends_on
        assert 2 <= team.n <= 5
        assert "驻" in team.name and team.name.endswith("工作队")
    roles = Counter(WorkTeamMember._base_manager.values_list("team_id", "role"))
    for team in WorkTeam._base_manager.values_list("id", flat=True):
        assert roles[(team, c.WorkTeamRole.FIRST_SECRETARY)] == 1
        assert roles[(team, c.WorkTeamRole.LEADER)] == 1
    days = list(Presence._base_manager.values_list("days", flat=True))
    assert all(0 < d <= 31 for d in days)
    assert sum(20 <= d <= 26 for d in days) / len(days) > 0.85
    months = {m.day for m in Presence._base_manager.values_list("month", flat=True)}
    assert months == {1}
    assert WorkLogEntry._base_manager.filter(logged_on__gt=day).count() == 0
    assert set(WorkTeam._base_manager.values_list("unit_level", flat=True)) <= set(c.UnitLevel.values)


def test_contact_points_and_visits(data):
    points = ContactPoint._base_manager
    assert points.count() == max(demo.CONTACT_FLOOR, round(demo.CONTACT_POINTS * SCALE))
    assert set(points.values_list("level", flat=True)) <= {"province", "prefecture", "county"}
    assert not ContactVisit._base_manager.filter(visited_on__gt=today()).exists()
    assert all(p.visits.exists() for p in points.all())


def test_branch_pairings_are_consistent(data):
    for p in BranchPairing._base_manager.select_related("helping_org", "village_org"):
        assert p.helping_region_code == p.helping_org.region_code
        assert p.region_code == p.village_org.region_code
        assert p.helping_org.region_code[:4] == p.region_code[:4]  # the same prefecture
        assert (p.ends_on is None) == (p.state == c.PairingState.ACTIVE)
        assert p.money > 0 and p.materials_value > 0
    load = Counter(BranchPairing._base_manager.filter(ends_on__isnull=True).values_list(
        "helping_org_id", "helping_kind"))
    assert all(n <= demo.MAX_PAIRINGS[kind] for (_org, kind), n in load.items())
    record = party_demo.latest_batch(demo.TEAMS_BATCH)
    added = party_demo.in_range(PartyOrg, record, "helping_orgs")
    assert added.exists()
    for org in added.select_related("parent"):
        assert org.kind == pc.OrgKind.BRANCH and org.region_code.endswith("000000")
        assert org.parent is None or org.parent.region_code == org.region_code
    assert Counter(added.values_list("region_code", "name")).most_common(1)[0][1] == 1


def test_pairings_helpers_and_history(data):
    current = current_pairings().select_related("helper")
    organ = 0
    for p in current:
        assert p.helper.stage == pc.Stage.FULL
        assert p.helper_unit and p.unit_level in c.UnitLevel.values
        organ += p.unit_level in (c.UnitLevel.COUNTY, c.UnitLevel.PREFECTURE)
    assert organ > 0
    loads = Counter(current.values_list("helper_id", flat=True))
    assert 1 <= min(loads.values()) and max(loads.values()) <= 8
    assert sum(n > 5 for n in loads.values()) >= demo.GAP_MIN
    ended = Pairing._base_manager.filter(ends_on__isnull=False)
    assert ended.filter(end_reason=c.PairingEndReason.HELPER_CHANGED).exists()
    for p in ended.filter(end_reason=c.PairingEndReason.HELPER_CHANGED):
        now = current.get(household_id=p.household_id)
        assert now.helper_id != p.helper_id and p.ends_on < now.starts_on


def test_visits_over_the_past_year(data):
    day = today()
    visits = Visit._base_manager
    assert not visits.filter(visited_on__gt=day).exists()
    assert not visits.filter(visited_on__lt=day - timezone.timedelta(days=366)).exists()
    starts = dict(current_pairings().values_list("household_id", "starts_on"))
    helpers = dict(current_pairings().values_list("household_id", "helper_id"))
    for household, visitor, when in visits.filter(household__isnull=False).values_list(
            "household_id", "visitor_id", "visited_on"):
        assert visitor == helpers[household] and when >= starts[household]
    kinds = Counter(visits.values_list("kind", flat=True))
    assert kinds[c.VisitKind.HOME] > kinds[c.VisitKind.PHONE] > 0 and kinds[c.VisitKind.VILLAGE]
    village = visits.filter(household__isnull=True)
    assert set(village.values_list("region_code", flat=True)) <= set(
        WorkTeam._base_manager.values_list("region_code", flat=True))


def test_measures_follow_the_causes(data):
    first = defaultdict(list)
    for household, cause, kind, category, state, amount, done in Measure._base_manager.order_by(
            "id").values_list("household_id", "household__main_cause", "kind", "category",
                              "state", "amount", "done_on"):
        assert category == c.MeasureKind.category_of(kind)
        if state == c.MeasureState.DONE:
            assert done is not None and done <= today() and amount is not None
        else:
            assert done is None
        first[household].append((cause, kind))
    for measures in first.values():
        cause, kind = measures[0]
        assert kind == demo.CAUSE_FIRST[cause]
        assert len(measures) <= 4
    with_plan = len(first)
    assert with_plan > 0.95 * helped().count()
    relocated = helped().filter(relocated=True)
    assert not relocated.exclude(measures__kind=c.MeasureKind.RELOCATION).filter(
        measures__isnull=False).exists()
    linked = Measure._base_manager.filter(project__isnull=False)
    assert linked.exists()
    benefits = set(IndustryBenefit._base_manager.values_list("project_id", "household_id"))
    assert set(linked.values_list("project_id", "household_id")) <= benefits


def test_plans_industry_relocation_envoys(data):
    key = key_codes()
    plans = VillagePlan._base_manager
    assert plans.count() == min(len(key), max(demo.VILLAGE_PLAN_MIN,
                                              round(len(key) * demo.VILLAGE_PLAN_SHARE)))
    assert set(plans.values_list("region_code", flat=True)) <= key
    for plan in plans.all():
        assert plan.funding.filter(source=c.FundSource.FISCAL).exists()
        total = sum(f.amount for f in plan.funding.all())
        assert sum(p.investment for p in plan.projects.all()) == total
        assert (plan.state == c.PlanState.ACCEPTED) == (plan.accepted_on is not None)
    assert Enterprise._base_manager.count() == max(demo.ENTERPRISE_FLOOR,
                                                   round(demo.ENTERPRISES * SCALE))
    assert IndustryBenefit._base_manager.count() >= IndustryProject._base_manager.count()
    for b in IndustryBenefit._base_manager.select_related("household", "project"):
        assert b.region_code == b.household.region_code
        assert b.household.region_code[:9] == b.project.region_code[:9]
    relocated = Household._base_manager.filter(relocated=True)
    assert relocated.exists()
    assert Relocation._base_manager.count() == relocated.count()
    for r in Relocation._base_manager.select_related("site", "household"):
        assert r.site_region_code == r.site.region_code
        assert r.site.region_code[:6] == r.household.region_code[:6]
        assert r.site.built_on <= r.moved_on <= today()
    for site in ResettlementSite._base_manager.annotate(n=Count("relocations")):
        assert site.capacity >= site.n
    assert ChunhuiEnvoy._base_manager.count() == max(demo.ENVOY_FLOOR, round(demo.ENVOYS * SCALE))
    assert not ChunhuiEnvoy._base_manager.filter(contributions__isnull=True).exists()


def test_the_demo_helper_sees_their_households(data):
    user = User.objects.get(username=demo.HELPER_USERNAME)
    assert user.member_id is not None
    mine = current_pairings().filter(helper_id=user.member_id)
    assert 2 <= mine.count() <= 5
    assert set(mine.values_list("region_code", flat=True)) == {user.region_code}
    visible = Household.objects.restrict(user, "view")
    assert set(visible.values_list("id", flat=True)) == set(
        mine.values_list("household_id", flat=True))
    ctx = data["ctx"]
    assert ctx.users[demo.HELPER_USERNAME][1].code == user.region_code
    # the accounts generator leaves a linked helper's village alone
    with acting_as(None, label="cli:demo", scope_checks=False):
        accounts_demo.users(ctx)
    user.refresh_from_db()
    assert set(mine.values_list("region_code", flat=True)) == {user.region_code}


def test_no_member_is_a_helper_beyond_the_age_or_away(data):
    helpers = PartyMember._base_manager.filter(pairings__in=current_pairings()).distinct()
    assert not helpers.filter(mobility__returned_on__isnull=True,
                              mobility__isnull=False).exists()
    oldest = party_demo.add_years(today(), -demo.MAX_HELPER_AGE)
    assert not helpers.filter(birth_date__lte=oldest).exists()


def test_helpers_come_from_other_prefectures_where_members_are_short(data):
    """碧江区 (铜仁市) keeps five of its members: its households borrow helpers from the other
    prefectures, and still only the deliberate few go without."""
    sid = transaction.savepoint()
    try:
        wipe()
        members = PartyMember._base_manager.filter(within(pad("5206")))
        keep = list(members.order_by("id").values_list("id", flat=True)[:5])
        members.exclude(id__in=keep).update(left_on=today())
        with acting_as(None, label="cli:demo", scope_checks=False):
            demo.households(data["ctx"])
        stats = party_demo.latest_batch(demo.HOUSEHOLDS_BATCH).extra
        borrowed = current_pairings().filter(within(pad("5206"))).exclude(
            within(pad("5206"), "helper__region_code")).count()
        unpaired = helped().exclude(pairings__in=current_pairings()).count()
    finally:
        transaction.savepoint_rollback(sid)
    assert stats["helped_from_another_prefecture"] == borrowed > 0
    assert stats.get("unpaired_for_want_of_members", 0) == 0
    assert unpaired == stats["unpaired"]
