"""Every role's day starts on its own page (我的工作台): per role, log in, find the role's work on
the home page and follow one link to where it is dealt with. Phone size (390 px) for helper,
village secretary and work team; 1440 px for the levels above."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fupin.analytics import rollups
from fupin.assistance import models as am
from fupin.assistance.testing import pair
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, PROVINCE, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.party.testing import make_member, make_org
from fupin.poverty.models import Procedure, VillageProfile
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.browser

PREFECTURE_A = "520100000000"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1440, "height": 900}}


@pytest.fixture
def work(regions):
    """A village with work to do: an overdue monitoring procedure, a poor household without a
    helper, a branch without its meetings, a work team whose member was short of days."""
    today = timezone.localdate()
    with acting_as(None, label="test"):
        VillageProfile.objects.create(region_code=VILLAGE_A, rural_population=1000,
                                      households=250, is_key_village=True)
        VillageProfile.objects.create(region_code=VILLAGE_B, rural_population=900,
                                      households=200, is_key_village=True)
        late = make_household(VILLAGE_A, status="poor", income_per_capita=Decimal(2500))
        procedure = Procedure.objects.create(
            household=late, region_code=VILLAGE_A, kind="monitoring",
            started_on=today - datetime.timedelta(days=30),
            deadline=today - datetime.timedelta(days=4))
        make_household(VILLAGE_B, status="poor")
        team = am.WorkTeam.objects.create(
            region_code=VILLAGE_A, name="县委组织部驻村工作队", dispatching_unit="县委组织部",
            unit_level="county", starts_on=today - datetime.timedelta(days=200))
        am.WorkTeamMember.objects.create(team=team, region_code=VILLAGE_A, name="王第一书记",
                                         role="leader",
                                         starts_on=today - datetime.timedelta(days=200))
        am.WorkLogEntry.objects.create(team=team, region_code=VILLAGE_A, logged_on=today,
                                       text="入户核实监测户收入")
    make_org(VILLAGE_A, name="和平村党支部", founded_on=datetime.date(2000, 1, 1))
    rollups.refresh()
    return {"procedure": procedure, "household": late, "team": team}


def open_home(page_factory, login, user, size):
    page = page_factory(**size)
    login(page, user)
    page.get_by_test_id("home-panels").wait_for()
    return page


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"horizontal overflow: {width}"


def test_helper_finds_who_is_due_and_logs_a_visit(page_factory, login, make_user, work,
                                                  results_dir):
    member = make_member(VILLAGE_A, name="李帮扶")
    helper = make_user(Role.HELPER, VILLAGE_A, member=member)
    mine = make_household(VILLAGE_A, status="poor")
    pair(mine, member)
    page = open_home(page_factory, login, helper, PHONE)
    households = page.get_by_test_id("home-household")
    assert households.count() == 1  # only the paired household
    assert mine.number in households.first.inner_text()
    households.first.get_by_test_id("due").wait_for()
    page.get_by_test_id("home-log-visit").wait_for()
    no_sideways_scroll(page)
    page.screenshot(path=results_dir / "home-helper-phone.png", full_page=True)
    with page.expect_navigation():
        households.first.get_by_test_id("household-log-visit").click()
    form = page.get_by_test_id("visit-form")
    assert form.locator("[name=household]").input_value() == str(mine.pk)
    page.problems.check()


def test_village_secretary_finds_overdue_procedure_meetings_and_gaps(page_factory, login,
                                                                     make_user, work,
                                                                     results_dir):
    page = open_home(page_factory, login, make_user(Role.VILLAGE, VILLAGE_A), PHONE)
    page.get_by_test_id("home-meeting-due").first.wait_for()
    page.get_by_test_id("home-gap-households_without_helper").wait_for()
    # Villages are named, not coded.
    assert "和平村委会" in page.get_by_test_id("home-gap-villages_not_visited").inner_text()
    procedure = page.get_by_test_id("home-procedure")
    assert procedure.count() == 1 and "逾期 4 天" in procedure.inner_text()
    no_sideways_scroll(page)
    page.screenshot(path=results_dir / "home-village-phone.png", full_page=True)
    # The menu: the day's pages on the bar, API tokens nowhere.
    page.locator(".navbar-toggler").click()
    page.get_by_test_id("nav-more").wait_for(state="visible")
    assert page.locator("a[href='/accounts/tokens/']").count() == 0
    page.screenshot(path=results_dir / "home-village-menu-phone.png", full_page=True)
    with page.expect_navigation():
        procedure.click()
    assert page.url.endswith(work["procedure"].get_absolute_url()), page.url
    page.problems.check()


def test_work_team_finds_presence_log_and_records_presence(page_factory, login, make_user,
                                                           work, results_dir):
    page = open_home(page_factory, login, make_user(Role.WORK_TEAM, VILLAGE_A), PHONE)
    presence = page.get_by_test_id("home-presence")
    assert "王第一书记" in presence.inner_text()
    assert "入户核实监测户收入" in page.get_by_test_id("home-log").inner_text()
    page.get_by_test_id("home-gaps").wait_for()
    no_sideways_scroll(page)
    page.screenshot(path=results_dir / "home-team-phone.png", full_page=True)
    with page.expect_navigation():
        presence.get_by_test_id("record-presence").first.click()
    assert "/presence/" in page.url, page.url
    page.problems.check()


@pytest.mark.parametrize("role, code, name", [
    (Role.TOWNSHIP, TOWNSHIP_A, "township"),
    (Role.POVERTY_OFFICE, COUNTY_A, "county"),
    (Role.ORG_DEPT, PREFECTURE_A, "prefecture"),
])
def test_levels_find_their_childrens_overdue_work_and_gaps(page_factory, login, make_user, work,
                                                           results_dir, role, code, name):
    page = open_home(page_factory, login, make_user(role, code), WIDE)
    panel = page.get_by_test_id("home-levels")
    first = panel.get_by_test_id("home-child").first
    overdue = first.get_by_test_id("home-figure-overdue_procedures")
    assert overdue.inner_text() == "1"
    first.get_by_test_id("home-figure-households_without_helper").wait_for()
    page.screenshot(path=results_dir / f"home-{name}.png", full_page=True)
    page.get_by_test_id("nav-more").click()
    page.locator(".nav-more .dropdown-menu").wait_for(state="visible")
    page.screenshot(path=results_dir / f"home-{name}-more.png")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        first.get_by_test_id("home-figure-households_without_helper").click()
    assert "/assistance/gaps/" in page.url and "gap=households_without_helper" in page.url
    page.problems.check()


def test_province_finds_headline_worst_regions_and_trend(page_factory, login, make_user, work,
                                                         results_dir):
    page = open_home(page_factory, login, make_user(Role.ORG_DEPT, PROVINCE), WIDE)
    headline = page.get_by_test_id("home-headline")
    assert headline.get_by_test_id("figure-poor_households").inner_text() == "2"
    worst = page.get_by_test_id("home-province").get_by_test_id("home-child")
    assert worst.count() == 2 and "贵阳市" in worst.first.inner_text()
    page.screenshot(path=results_dir / "home-province.png", full_page=True)
    with page.expect_navigation():
        worst.first.get_by_role("link", name="贵阳市").click()
    assert page.url.endswith(f"/regions/{PREFECTURE_A}/"), page.url
    page.problems.check()
