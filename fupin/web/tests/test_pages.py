import pytest
from django.test import Client

from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_B, client_for, make_user

pytestmark = pytest.mark.django_db


def test_home_without_panels_shows_region_children_and_counts_per_level(regions, monkeypatch):
    from fupin.core import panels

    monkeypatch.setitem(panels.PAGES, "home", [])  # a role no app serves a panel to
    response = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A)).get("/")
    assert response.status_code == 200
    assert response.context["region"].code == COUNTY_A
    assert [n for _label, n in response.context["level_counts"]] == [2, 3]  # 2 townships, 3 villages
    children = {row["region"].code: row["counts"] for row in response.context["children"]}
    assert children == {"520102001000": {5: 2}, "520102002000": {5: 1}}


def test_region_page_drills_down_with_breadcrumb_and_path(regions):
    client = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A))
    response = client.get("/regions/520102001001/")
    assert response.status_code == 200
    crumbs = [(c["region"].code, c["link"]) for c in response.context["breadcrumb"]]
    # above the user's scope the breadcrumb names regions but does not link to them
    assert crumbs == [("520000000000", False), ("520100000000", False),
                      ("520102000000", False), ("520102001000", True), ("520102001001", True)]
    assert response.context["path"] == "贵阳市 / 南明区 / 新华路街道 / 和平村委会"
    # the village crumb offers its sibling villages; the township crumb (the scope) none
    siblings = [c["siblings"] for c in response.context["breadcrumb"]]
    assert siblings[-1] == [("520102001002", "红旗村委会")] and siblings[-2] == []
    assert client.get("/regions/").url == f"/regions/{TOWNSHIP_A}/"


def test_region_search_shows_paths_for_repeated_names(regions):
    client = client_for(make_user(Role.ORG_DEPT, "520000000000"))
    response = client.get("/regions/search/", {"q": "和平村"})
    paths = [p for _r, p in response.context["results"]]
    assert len(paths) == 3 and len(set(paths)) == 3  # same name, three different paths
    assert client.get("/regions/search/", {"q": "520102"}).context["results"]
    scoped = client_for(make_user(Role.TOWNSHIP, TOWNSHIP_A)).get("/regions/search/", {"q": "和平村"})
    assert [r.code for r, _p in scoped.context["results"]] == ["520102001001"]


def test_out_of_scope_region_gets_the_friendly_404_in_both_languages(regions):
    user = make_user(Role.TOWNSHIP, TOWNSHIP_A)
    client = client_for(user)
    response = client.get(f"/regions/{VILLAGE_B}/")
    assert response.status_code == 404
    assert b'data-testid="error-404"' in response.content
    zh = response.content.decode()
    user.language = "en"
    user.save()
    en = client.get(f"/regions/{VILLAGE_B}/").content.decode()
    assert "Not found" in en and "Not found" not in zh


def test_forbidden_page(regions):
    response = client_for(make_user(Role.VIEWER)).get("/accounts/users/")
    assert response.status_code == 403
    assert b'data-testid="error-403"' in response.content


def test_server_error_page_hides_the_stack_trace(regions, settings):
    from django.urls import path

    from fupin import urls

    def broken(request):
        raise RuntimeError("secret internals 52010219900101123X")

    settings.ROOT_URLCONF = type("U", (), {
        "urlpatterns": urls.urlpatterns + [path("boom/", broken)],
        "handler500": urls.handler500, "handler404": urls.handler404,
        "handler403": urls.handler403})
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.VIEWER))
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"secret internals" not in response.content
    assert b'data-testid="error-500"' in response.content


def test_navigation_shows_only_permitted_built_modules(regions):
    def urls(user):
        menu = client_for(user).get("/").context["nav_menu"]
        return {i["url"] for i in menu["daily"]} | {
            i["url"] for g in menu["more"] for i in g["items"]}

    viewer = urls(make_user(Role.VIEWER))
    assert "/accounts/users/" not in viewer and "/regions/" in viewer
    admin = urls(make_user(Role.ADMIN))
    assert {"/accounts/users/", "/audit/", "/regions/"} <= admin
    assert "/poverty/households/" in admin
    assert "/assistance/gaps/" in admin
    assert not any("training" in u for u in admin)  # not built yet: hidden


def test_chinese_is_the_default_whatever_the_browser_says(regions):
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/accounts/login/")
    assert response["Content-Language"] == "zh-hans"
    assert "登录".encode() in response.content
    english = Client()
    english.cookies["django_language"] = "en"
    assert b"Log in" in english.get("/accounts/login/").content
