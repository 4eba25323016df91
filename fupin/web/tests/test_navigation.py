"""Menus by role: on the bar only what a role uses day to day, the rest under "More"; the API
only for the roles that use it; one label per page, the same in the menu and the page title."""

import html
import re

import pytest
from django.test import RequestFactory
from django.utils.translation import override

from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, PROVINCE, TOWNSHIP_A, VILLAGE_A, client_for, make_user
from fupin.party.testing import make_member
from fupin.web import navigation

pytestmark = pytest.mark.django_db

# The page's own HTML is not ours: django-ninja's viewer, titled by the API ("Fupin API").
NOT_OUR_TITLE = {"/api/v1/docs"}
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def users():
    return {
        Role.ADMIN: make_user(Role.ADMIN, PROVINCE),
        Role.ORG_DEPT: make_user(Role.ORG_DEPT, COUNTY_A),
        Role.POVERTY_OFFICE: make_user(Role.POVERTY_OFFICE, COUNTY_A),
        Role.TOWNSHIP: make_user(Role.TOWNSHIP, TOWNSHIP_A),
        Role.WORK_TEAM: make_user(Role.WORK_TEAM, VILLAGE_A),
        Role.VILLAGE: make_user(Role.VILLAGE, VILLAGE_A),
        Role.HELPER: make_user(Role.HELPER, VILLAGE_A, member=make_member(VILLAGE_A)),
        Role.INSPECTOR: make_user(Role.INSPECTOR, COUNTY_A),
        Role.VIEWER: make_user(Role.VIEWER, COUNTY_A),
    }


def menu(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    with override("zh-hans"):
        return navigation.menu_for(request)


def title_parts(response) -> list[str]:
    """The <title> without the site's name, split at its " · " separators."""
    text = html.unescape(TITLE.search(response.content.decode()).group(1)).strip()
    return [part.strip() for part in text.split(" · ")][:-1]


def test_every_menu_item_opens_a_page_titled_by_its_label(regions):
    checked = 0
    for role, user in users().items():
        client = client_for(user)
        page = client.get("/")
        items = page.context["nav_menu"]["daily"] + [
            i for g in page.context["nav_menu"]["more"] for i in g["items"]]
        assert items, role
        for item in items:
            response = client.get(item["url"], follow=True)
            assert response.status_code == 200, (role, item["url"], response.status_code)
            if item["url"] in NOT_OUR_TITLE:
                continue
            parts = title_parts(response)
            # "Label" or "Label · subject" (the gaps of a region); a region's own pages put the
            # region first ("南明区 · 数据看板").
            assert str(item["label"]) in parts, (role, item["url"], item["label"], parts)
            checked += 1
    assert checked > 100


def test_menu_labels_are_the_list_titles():
    # The labels the issue found differing from their pages' titles (设岗定责 → 党员岗位, ...).
    expected = {"party:memberpost_list": "党员岗位", "assistance:contactpoint_list": "联系点",
                "poverty:procedure_list": "流程", "core:changerecord_list": "变更记录"}
    items = {i.url_name: i for g in navigation.MENU for i in g.items}
    with override("zh-hans"):
        assert {name: items[name].text() for name in expected} == expected


def test_api_tokens_and_docs_only_for_roles_that_use_the_api(regions):
    for role, user in users().items():
        urls = {i["url"] for i in menu(user)["daily"]} | {
            i["url"] for g in menu(user)["more"] for i in g["items"]}
        api = {"/accounts/tokens/", "/api/v1/docs"} & urls
        assert bool(api) == (role in navigation.API_ROLES), (role, api)


def test_day_to_day_pages_on_the_bar_the_rest_under_more(regions):
    by_role = users()
    village = menu(by_role[Role.VILLAGE])
    labels = [str(i["label"]) for i in village["daily"]]
    assert len(labels) <= 8 and "户" in "".join(labels)
    more = [i for g in village["more"] for i in g["items"]]
    assert len(more) > 20  # the rest is one click away, not gone
    helper = [str(i["label"]) for i in menu(by_role[Role.HELPER])["daily"]]
    assert len(helper) <= 4
    for role, user in by_role.items():
        found = menu(user)
        bar = {i["url"] for i in found["daily"]}
        rest = {i["url"] for g in found["more"] for i in g["items"]}
        assert not bar & rest, role  # a page in one place only
        assert found["daily"], role
