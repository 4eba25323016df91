"""Smoke test in a real browser: log in, walk the tree, switch language, 404, log out.

Run with `make test-browser` (or `pytest -m browser`); needs Debian's chromium.
"""

import re

import pytest

from fupin.core.testing import COUNTY_B, TOWNSHIP_A, TREE, VILLAGE_B

pytestmark = pytest.mark.browser

NAMES = {code: name for code, name, *_ in TREE}
VILLAGES_A = [name for code, name, level, parent in TREE if parent == TOWNSHIP_A]


@pytest.mark.browser
def test_login_walk_language_404_logout(page_factory, login, results_dir, live_server):
    page = page_factory(viewport={"width": 1280, "height": 900})
    township = NAMES[TOWNSHIP_A]

    # Log in through the form and land on the home page of one's own region.
    login(page)
    assert page.url.rstrip("/") == live_server.url, page.url
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.locator(".page-title").get_by_text(township).wait_for()
    # The stylesheets are really applied (Tabler's navbar is a flex box).
    assert page.locator("header.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    page.screenshot(path=results_dir / "home.png", full_page=True)

    # A child village in the children table.
    children = page.get_by_test_id("children")
    links = children.get_by_role("link")
    assert sorted(links.all_inner_texts()) == sorted(VILLAGES_A)
    with page.expect_navigation():
        links.first.click()
    assert re.search(r"/regions/\d{12}/$", page.url), page.url
    crumbs = page.get_by_test_id("breadcrumb")
    crumbs.get_by_role("link", name=township).wait_for()
    assert crumbs.locator(".breadcrumb-item.active").inner_text() in VILLAGES_A
    village_url = page.url

    # English, then back to Chinese; the page stays where it was.
    with page.expect_navigation():
        page.get_by_test_id("lang-en").click()
    assert page.url == village_url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("logout").text_content().strip() == "Log out"
    page.get_by_test_id("lang-zh").wait_for()
    with page.expect_navigation():
        page.get_by_test_id("lang-zh").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_test_id("lang-en").wait_for()

    # Out of scope: a village of county B is "not found", not "forbidden".
    out_of_scope = f"{live_server.url}/regions/{VILLAGE_B}/"
    page.problems.expected_404.add(out_of_scope)
    response = page.goto(out_of_scope)
    assert response.status == 404
    page.get_by_test_id("error-404").wait_for()
    assert NAMES[COUNTY_B] not in page.content()
    page.screenshot(path=results_dir / "404.png", full_page=True)

    # Log out through the user menu (a Bootstrap dropdown: needs Tabler's JS to run).
    page.get_by_test_id("user-menu").click()
    logout = page.get_by_test_id("logout")
    logout.wait_for(state="visible")
    with page.expect_navigation():
        logout.click()
    assert page.url.startswith(f"{live_server.url}/accounts/login/"), page.url
    page.get_by_test_id("login-form").wait_for()
    page.goto("/")  # really logged out: home sends us back to the login page
    assert "/accounts/login/" in page.url, page.url

    page.problems.check()


@pytest.mark.browser
def test_phone_viewport_has_menu_toggle_and_no_overflow(page_factory, login, results_dir):
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                        device_scale_factor=2)
    login(page)
    page.locator(".page-title").get_by_text(NAMES[TOWNSHIP_A]).wait_for()
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=results_dir / "home-phone.png", full_page=True)
    assert scroll_width <= 390 + 1, f"horizontal overflow: scrollWidth={scroll_width}"
    # The toggle opens the collapsed menu.
    toggler.click()
    page.locator("#navbar-menu").get_by_role("link", name=re.compile(".+")).first.wait_for(
        state="visible")
    page.problems.check()
