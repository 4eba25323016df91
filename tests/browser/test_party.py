"""A village secretary records a branch meeting and sees the frequency shortfall clear."""

import datetime

import pytest

from fupin.core.context import acting_as
from fupin.core.testing import VILLAGE_A
from fupin.party.models import OrgMeeting
from fupin.party.testing import make_org

pytestmark = pytest.mark.browser

JUNE = ("2025-06-01", "2025-06-30")


@pytest.mark.browser
def test_recording_a_meeting_clears_the_shortfall(page_factory, login, make_user, results_dir):
    secretary = make_user("village", VILLAGE_A)
    branch = make_org(VILLAGE_A, name="和平村党支部", founded_on=datetime.date(2010, 1, 1))
    with acting_as(None, label="test"):
        OrgMeeting.objects.create(org=branch, region_code=VILLAGE_A, kind="themed_day",
                                  date=datetime.date(2025, 6, 10), attendance=20, expected=24,
                                  topics="主题党日：环境整治")
    page = page_factory(viewport={"width": 390, "height": 844})  # on a phone
    login(page, secretary)
    shortfalls = f"/party/shortfalls/?start={JUNE[0]}&end={JUNE[1]}"

    # June needs a branch committee meeting and a themed day; only the themed day was held.
    page.goto(shortfalls)
    row = page.get_by_test_id("shortfalls").get_by_role("row").filter(has_text="和平村党支部")
    assert row.count() == 1
    page.screenshot(path=results_dir / "shortfall-before.png", full_page=True)

    # Record the committee meeting from the branch's page.
    with page.expect_navigation():
        row.get_by_role("link", name="和平村党支部").click()
    with page.expect_navigation():
        page.get_by_test_id("record-meeting").click()
    page.select_option("select[name=kind]", "committee")
    page.fill("input[name=date]", "2025-06-20")
    page.fill("input[name=attendance]", "5")
    page.fill("input[name=expected]", "5")
    page.fill("input[name=topics]", "研究茶叶合作社分红方案")
    with page.expect_navigation():
        page.get_by_test_id("submit").click()
    assert OrgMeeting.objects.filter(org=branch, kind="committee").count() == 1

    # The shortfall is gone.
    page.goto(shortfalls)
    page.get_by_test_id("no-shortfall").wait_for()
    page.screenshot(path=results_dir / "shortfall-after.png", full_page=True)
    page.problems.check()
