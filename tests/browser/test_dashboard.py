"""The province dashboard in a browser: its charts drawn, a child clicked (drill-down) shows
the child's figures, the breadcrumb climbs back; the chart's indicator can be switched."""

import re
from decimal import Decimal

import pytest

from fupin.analytics import rollups
from fupin.core.context import acting_as
from fupin.core.testing import COUNTY_A, PROVINCE, VILLAGE_A, VILLAGE_B
from fupin.poverty.models import VillageProfile
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.browser

PREFECTURE_A, PREFECTURE_B = "520100000000", "520300000000"


@pytest.fixture
def figures(regions):
    with acting_as(None, label="test"):
        VillageProfile.objects.create(region_code=VILLAGE_A, rural_population=1000,
                                      households=250, is_key_village=True)
        VillageProfile.objects.create(region_code=VILLAGE_B, rural_population=2500,
                                      households=700, is_key_village=True)
    for cause in ("illness", "disability", "illness"):
        make_household(VILLAGE_A, members=2, status="poor", main_cause=cause,
                       income_per_capita=Decimal(2500))
    make_household(VILLAGE_A, members=3, status="exited", exit_year=2016)
    for _ in range(2):
        make_household(VILLAGE_B, members=4, status="poor", main_cause="disaster")
    rollups.refresh()


@pytest.mark.browser
def test_drill_down_and_climb_back(page_factory, login, make_user, figures, results_dir,
                                   live_server):
    user = make_user("org_dept", PROVINCE, full_name="省委组织部干部")
    page = page_factory(viewport={"width": 1280, "height": 900})
    login(page, user)

    page.goto(f"/analytics/{PROVINCE}/")
    dashboard = page.get_by_test_id("dashboard")
    assert page.get_by_test_id("figure-poor_persons").inner_text() == "14"  # 6 + 8
    assert page.get_by_test_id("figure-poverty_incidence").inner_text() == "0.4%"  # 14 / 3500
    # the charts are drawn (ECharts renders SVG into the chart elements)
    children = page.get_by_test_id("children-poverty")
    children.locator("[data-chart] svg").first.wait_for()
    assert dashboard.locator("[data-chart] svg").count() >= 4
    # switching the compared indicator redraws the bar chart, without errors
    select = page.get_by_test_id("children-poverty-select")
    select.select_option("poor_households")
    children.locator("[data-chart] svg").first.wait_for()
    # every chart's numbers: the table toggle opens
    causes = page.get_by_test_id("breakdown-poor_households_by_cause")
    causes.locator("summary").click()
    causes.get_by_test_id("breakdown-poor_households_by_cause-table").wait_for(state="visible")
    page.screenshot(path=results_dir / "dashboard-province.png", full_page=True)

    # drill down: click prefecture A in the children's table
    table = page.get_by_test_id("children-poverty-table")
    row = table.get_by_role("row").filter(has_text="贵阳市")
    assert row.locator("td").nth(3).inner_text() == "6"  # poor persons of prefecture A
    with page.expect_navigation():
        row.get_by_role("link", name="贵阳市").click()
    assert page.url.endswith(f"/analytics/{PREFECTURE_A}/"), page.url
    assert page.locator(".page-title").inner_text().strip() == "贵阳市"
    assert page.get_by_test_id("figure-poor_persons").inner_text() == "6"
    assert page.get_by_test_id("figure-poverty_incidence").inner_text() == "0.6%"
    crumbs = page.get_by_test_id("breadcrumb")
    assert crumbs.locator(".breadcrumb-item.active").inner_text() == "贵阳市"

    # and down once more, to the county
    with page.expect_navigation():
        page.get_by_test_id("children-poverty-table").get_by_role("link", name="南明区").click()
    assert page.url.endswith(f"/analytics/{COUNTY_A}/")
    page.get_by_test_id("figure-poor_persons").wait_for()
    page.screenshot(path=results_dir / "dashboard-county.png", full_page=True)

    # the breadcrumb climbs back to the province
    with page.expect_navigation():
        page.get_by_test_id("breadcrumb").get_by_role("link", name="贵州省").click()
    assert page.url.endswith(f"/analytics/{PROVINCE}/")
    assert page.get_by_test_id("figure-poor_persons").inner_text() == "14"
    links = page.get_by_test_id("children-poverty-table").get_by_role("link")
    assert sorted(links.all_inner_texts()) == ["贵阳市", "遵义市"]
    hrefs = [links.nth(k).get_attribute("href") for k in range(links.count())]
    assert sorted(hrefs) == [f"/analytics/{PREFECTURE_A}/", f"/analytics/{PREFECTURE_B}/"]
    page.problems.check()


@pytest.mark.browser
def test_region_page_shows_the_dashboard(page_factory, login, make_user, figures, results_dir):
    user = make_user("poverty_office", COUNTY_A)
    page = page_factory(viewport={"width": 390, "height": 844})  # on a phone
    login(page, user)
    page.goto(f"/regions/{COUNTY_A}/")
    panel = page.get_by_test_id("dashboard-panel")
    panel.locator("[data-chart] svg").first.wait_for()
    assert page.get_by_test_id("figure-poor_persons").inner_text() == "6"
    # drill-down from the region page stays on region pages
    link = panel.get_by_test_id("children-poverty-table").get_by_role("link").first
    assert re.fullmatch(r"/regions/\d{12}/", link.get_attribute("href"))
    # no horizontal overflow of the page on a phone
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(
        e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(
        e => e.tagName + '.' + e.className + '#' + (e.dataset.testid || '') + ' ' +
             Math.round(e.getBoundingClientRect().right))""")
    page.screenshot(path=results_dir / "dashboard-region-page-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
    page.screenshot(path=results_dir / "dashboard-region-page-phone.png", full_page=True)
    page.problems.check()
