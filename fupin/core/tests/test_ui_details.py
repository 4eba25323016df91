"""The interface details of issue 11 (point 5): API docs under the CSP, import buttons, logout by
GET, "any" filters, empty choices, thousands separators, names instead of codes, export names."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

from fupin.core.policy import Role
from fupin.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_api_docs_load_only_same_origin_files_that_exist(regions):
    client = client_for(make_user(Role.VIEWER))
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in scripts)
    for url in sources:
        assert url.startswith(settings.STATIC_URL), url  # no CDN: the CSP allows 'self' only
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not vendored"
    # No inline script: the CSP (script-src 'self') would block it.
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    licence = Path(finders.find("vendor/swagger-ui/LICENSE"))
    assert "Apache License" in licence.read_text()


def test_logout_by_get_asks_then_post_logs_out_with_a_message(regions):
    user = make_user(Role.VIEWER)
    client = client_for(user)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'method="post"' in html and 'data-testid="logout-confirm"' in html
    assert client.get("/").status_code == 200  # a GET does not log out
    done = client.post("/accounts/logout/", follow=True)
    assert done.status_code == 200
    assert "您已退出登录" in done.content.decode()
    assert client.get("/").status_code == 302


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_unset_filters_read_all_not_unknown_or_dashes(regions):
    client = client_for(make_user(Role.POVERTY_OFFICE))
    html = client.get("/poverty/households/").content.decode()
    assert _options(html, "has_helper")[0] == ("unknown", "全部")
    assert _options(html, "attribute")[0] == ("", "全部")
    assert "---------" not in html


def test_empty_choices_in_forms_are_readable(regions):
    client = client_for(make_user(Role.POVERTY_OFFICE))
    html = client.get("/poverty/households/add/").content.decode()
    assert _options(html, "main_cause")[0] == ("", "请选择")
    assert "---------" not in html


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_are_named_by_list_region_and_date_in_rfc_6266(regions, fmt):
    from urllib.parse import quote

    from django.utils import timezone

    client = client_for(make_user(Role.POVERTY_OFFICE))
    response = client.get("/poverty/households/", {"export": fmt})
    day = timezone.localdate().isoformat()
    name = f"贫困户-南明区-{day}.{fmt}"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    village = client.get("/poverty/households/", {"export": fmt, "region": "520102001001"})
    assert quote(f"贫困户-和平村委会-{day}.{fmt}") in village["Content-Disposition"]


def test_lists_with_an_import_registry_offer_import_to_roles_that_may_add(regions):
    from django.urls import reverse

    upload = reverse("ingest:households_upload")
    office = client_for(make_user(Role.POVERTY_OFFICE)).get("/poverty/households/")
    assert f'href="{upload}" data-testid="import"' in office.content.decode()
    viewer = client_for(make_user(Role.VIEWER)).get("/poverty/households/")
    assert viewer.status_code == 200 and 'data-testid="import"' not in viewer.content.decode()
    # A list without a registry has no import button.
    users = client_for(make_user(Role.ADMIN)).get("/accounts/users/")
    assert users.status_code == 200 and 'data-testid="import"' not in users.content.decode()
    members = client_for(make_user(Role.ORG_DEPT)).get(reverse("party:partymember_list"))
    assert reverse("ingest:members_upload") in members.content.decode()


def test_counts_have_thousands_separators_and_years_do_not(regions):
    from decimal import Decimal

    from django.utils.formats import number_format

    from fupin.core.context import acting_as
    from fupin.core.testing import COUNTY_A, VILLAGE_A, sample_for

    assert number_format(12854, force_grouping=True) == "12,854"  # zh-hans, as in en
    record = sample_for("poverty.incomerecord", VILLAGE_A)
    record.wages = Decimal(12345)
    record.compute()
    with acting_as(None, label="test"):
        record.save()
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    html = client.get("/poverty/incomes/").content.decode()
    cells = re.findall(r'<td[^>]*data-label="([^"]*)"[^>]*>\s*(.*?)\s*</td>', html, re.S)
    shown = dict(cells)
    assert shown["年度"] == "2015"
    assert "12,345" in shown["工资性收入"], shown
    assert 'data-testid="record-count">共 1 条' in html
    detail = client.get(f"/poverty/incomes/{record.pk}/").content.decode()
    assert "2,015" not in detail and "2015" in detail


def test_change_log_shows_names_not_labels_or_command_codes(regions):
    from django.urls import reverse

    from fupin.core.context import acting_as
    from fupin.core.testing import VILLAGE_A, sample_for

    household = sample_for("poverty.household", VILLAGE_A)
    with acting_as(None, label="cli:demo"):
        household.phone = "13800000000"
        household.save()
    client = client_for(make_user(Role.ADMIN))
    html = client.get(reverse("core:changerecord_list"), {"model": "poverty.household"}
                      ).content.decode()
    assert "命令行：演示数据" in html and ">cli:demo<" not in html
    assert "贫困户" in html
    history = client.get(household.get_absolute_url()).content.decode()
    assert "命令行：演示数据" in history


def test_change_history_names_the_records_a_change_points_at(regions):
    from fupin.core.context import acting_as
    from fupin.core.testing import VILLAGE_A, sample_for

    record = sample_for("poverty.incomerecord", VILLAGE_A)
    with acting_as(None, label="test"):
        record.wages = record.wages + 1
        record.household = sample_for("poverty.household", VILLAGE_A)
        record.save()
    client = client_for(make_user(Role.POVERTY_OFFICE))
    html = client.get(f"/poverty/incomes/{record.pk}/").content.decode()
    history = html[html.index('data-testid="history"'):]
    assert str(record.household) in history


def test_exports_give_region_names_and_codes_in_their_own_column(regions):
    import csv
    import io

    from fupin.core.testing import VILLAGE_A, sample_for

    sample_for("poverty.household", VILLAGE_A)
    client = client_for(make_user(Role.POVERTY_OFFICE))
    response = client.get("/poverty/households/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, first = rows[0], rows[1]
    region = next(i for i, h in enumerate(header) if "代码" in h)
    assert first[region] == VILLAGE_A and first[region - 1] == "和平村委会", (header, first)
