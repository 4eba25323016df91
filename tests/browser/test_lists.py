"""Lists at desktop and phone widths: names on one line at 1440 px; on a phone one card per row,
filters folded behind a button, and no coverage gap off-screen on the gap table."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def lists(regions):
    from fupin.assistance.testing import _measure
    from fupin.core.context import acting_as
    from fupin.core.testing import VILLAGE_A
    from fupin.poverty.testing import make_household

    for i in range(3):
        household = make_household(VILLAGE_A, main_cause="illness", monitored_group="marginal")
        if i == 0:
            with acting_as(None, label="test"):
                household.head_name = "杨建春"
                household.save()
    _measure(VILLAGE_A, None)


@pytest.fixture
def office(make_user):
    from fupin.core.testing import COUNTY_A

    return make_user("poverty_office", COUNTY_A)


def _lines(page, locator) -> float:
    """How many lines of text an element takes: its height over its line height."""
    return locator.evaluate(
        "el => { const s = getComputedStyle(el); const r = document.createRange();"
        " r.selectNodeContents(el); const lh = parseFloat(s.lineHeight)"
        " || parseFloat(s.fontSize) * 1.4; return r.getBoundingClientRect().height / lh; }")


def test_names_and_statuses_keep_to_one_line_on_a_wide_screen(page_factory, login, office,
                                                               lists, results_dir):
    page = page_factory(viewport=DESKTOP)
    login(page, office)
    page.goto("/poverty/households/")
    cell = page.locator('td[data-label="户主"]', has_text="杨建春")
    assert _lines(page, cell) < 1.5
    for label in ("状态", "贫困户属性"):
        assert _lines(page, page.locator(f'td[data-label="{label}"]').first) < 1.5, label
    page.screenshot(path=results_dir / "households-1440.png", full_page=True)
    page.goto("/assistance/measures/")
    page.screenshot(path=results_dir / "measures-1440.png", full_page=True)
    page.problems.check()


def test_phone_lists_are_cards_with_folded_filters(page_factory, login, office, lists,
                                                    results_dir):
    page = page_factory(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, office)
    for url, name in (("/poverty/households/", "households"), ("/assistance/measures/", "measures")):
        page.goto(url)
        row = page.locator("table.table-cards tbody tr").first
        assert row.evaluate("el => getComputedStyle(el).display") == "block"
        assert page.locator("table.table-cards thead").first.is_hidden()
        label = row.locator("td").nth(1).evaluate(
            "el => getComputedStyle(el, '::before').content")
        assert label not in ("none", '""', "normal"), label
        # Every cell fits the card: no vertical text from a squeezed column.
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
        filters = page.get_by_test_id("filters")
        assert filters.is_hidden()
        # The first row starts on the first screen, not after a full-screen filter form.
        assert row.bounding_box()["y"] < PHONE["height"]
        page.screenshot(path=results_dir / f"{name}-390.png", full_page=True)
    page.get_by_test_id("filters-toggle").click()
    page.get_by_test_id("filters").wait_for(state="visible")
    page.problems.check()


def test_phone_gap_table_shows_every_nonzero_gap_on_screen(page_factory, login, office, lists,
                                                           results_dir):
    page = page_factory(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, office)
    page.goto("/assistance/gaps/")
    nonzero = page.locator('[data-testid="gap-counts"] td.text-danger')
    assert nonzero.count() > 0
    for cell in nonzero.all():
        assert cell.is_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    page.screenshot(path=results_dir / "gaps-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.reload()
    page.screenshot(path=results_dir / "gaps-1440.png", full_page=True)
    page.problems.check()


def test_api_docs_render_under_the_csp(page_factory, login, office):
    page = page_factory(viewport=DESKTOP)
    login(page, office)
    page.goto("/api/v1/docs")
    # Swagger UI draws the operations from /api/v1/openapi.json: nothing is blocked or blank.
    page.locator(".opblock").first.wait_for(state="visible")
    assert "Fupin API" in page.locator(".information-container").inner_text()
    page.problems.check()
