"""A helper, on a phone, logs a visit to one of their households; it shows on the household's
page. Another helper's household is not theirs to open."""

import datetime

import pytest

from fupin.assistance.models import Pairing, Visit
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, VILLAGE_A
from fupin.party.testing import make_member
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.browser


@pytest.mark.browser
def test_helper_logs_a_visit_on_a_phone(page_factory, login, make_user, results_dir,
                                        live_server):
    member = make_member(COUNTY_A, name="李帮扶")
    helper = make_user(Role.HELPER, COUNTY_A, member=member)
    mine, other = make_household(VILLAGE_A), make_household(VILLAGE_A)
    with acting_as(None, label="test"):
        Pairing.objects.create(household=mine, helper=member, region_code=VILLAGE_A,
                               starts_on=datetime.date(2025, 1, 1))
        Pairing.objects.create(household=other, helper=make_member(COUNTY_A),
                               region_code=VILLAGE_A, starts_on=datetime.date(2025, 1, 1))
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(page, helper)

    # The household list holds only the helper's own household.
    page.goto("/poverty/households/")
    assert page.get_by_role("link", name=mine.number).count() == 1
    assert page.get_by_role("link", name=other.number).count() == 0

    page.goto(mine.get_absolute_url())
    page.get_by_test_id("visits").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.screenshot(path=results_dir / "household-phone.png", full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("log-visit").click()
    form = page.get_by_test_id("visit-form")
    # The form fits the phone: no horizontal scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert form.locator("input[name=visited_on]").input_value() == \
        datetime.date.today().isoformat()
    form.locator("textarea[name=findings]").fill("老人慢性病复诊，药费已报销")
    form.locator("textarea[name=help_given]").fill("联系村医上门随访")
    page.screenshot(path=results_dir / "visit-phone.png", full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("submit").click()

    visit = Visit.objects.get(household=mine)
    assert visit.visitor == member and visit.visitor_name == "李帮扶"
    page.goto(mine.get_absolute_url())
    entry = page.get_by_test_id("visits").get_by_test_id("visit")
    assert entry.count() == 1
    assert "老人慢性病复诊" in entry.inner_text()

    # Another helper's household is not found.
    page.problems.expected_404.add(live_server.url + other.get_absolute_url())
    response = page.goto(other.get_absolute_url())
    assert response.status == 404
    page.problems.check()
