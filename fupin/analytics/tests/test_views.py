"""The dashboard, its exports, the yearly report and the API show the figures `fupin stats
--json` prints, read only from the rollups; "—" where a ratio has nothing to divide by; a county
user reaches its own county and what lies below, never another county."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from fupin.analytics import indicators as ind
from fupin.analytics import panels, report, rollups
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import (
    COUNTY_A,
    COUNTY_B,
    PROVINCE,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
    make_user,
)
from fupin.party.testing import make_member, make_org
from fupin.poverty.models import VillageProfile
from fupin.poverty.testing import make_household
from fupin.regions.models import Region

YEAR = 2016
PREFECTURE_A = "520100000000"
VILLAGE_A2 = "520102001002"
EMPTY_TOWNSHIP = "520102002000"  # a township of county A without any record


@pytest.fixture
def data(regions):
    with acting_as(None, label="test"):
        VillageProfile.objects.create(region_code=VILLAGE_A, rural_population=1200,
                                      households=300, is_key_village=True)
        VillageProfile.objects.create(region_code=VILLAGE_A2, rural_population=800,
                                      households=200, is_poor_village=True,
                                      poor_village_exit_year=YEAR)
        VillageProfile.objects.create(region_code=VILLAGE_B, rural_population=999,
                                      households=250, is_key_village=True)
        branch = make_org(VILLAGE_A)
        make_member(VILLAGE_A, org=branch)
    for i, cause in enumerate(("illness", "illness", "disability", "schooling")):
        make_household(VILLAGE_A, members=2 + i % 2, status="poor", main_cause=cause,
                       income_per_capita=Decimal(2000 + 333 * i))
    make_household(VILLAGE_A2, members=4, status="exited", exit_year=YEAR,
                   identification_year=2015, income_per_capita=Decimal("4100.50"))
    make_household(VILLAGE_A2, members=2, status="monitored", monitored_group="marginal")
    make_household(VILLAGE_B, members=5, status="poor", main_cause="disaster")
    rollups.refresh()


@pytest.fixture
def county_user(regions):
    return make_user(Role.POVERTY_OFFICE, COUNTY_A)


@pytest.fixture
def province_user(regions):
    return make_user(Role.ADMIN, PROVINCE)


def stats(code: str) -> dict:
    out = StringIO()
    call_command("stats", "--region", code, "--json", stdout=out)
    return json.loads(out.getvalue())


def figure_on_page(html: str, name: str) -> str:
    found = re.search(rf'data-testid="figure-{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """First cell (a link's text or plain) -> the other cells' texts, of one dashboard table."""
    body = html.split(f'data-testid="{table_id}-table"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def expected(value, name: str) -> str:
    return panels.show(value, ind.INDICATORS[name])


def xlsx_value(item: ind.Indicator, column: report.Column, figures: dict):
    """What the workbook must hold for `column`, from `fupin stats --json`."""
    value = figures[item.name]
    if item.by_year:
        by_year = value.get(str(column.period), 0)
        return by_year if not column.key else None  # by key: checked through the total
    if item.breakdown is not None:
        return value.get(column.key, 0) if column.key else sum(value.values())
    return value


@pytest.mark.django_db
def test_page_api_stats_and_report_show_the_same_figures(data, county_user):
    client = client_for(county_user)
    printed = stats(COUNTY_A)
    figures = printed["indicators"]
    assert figures["poor_persons"] == 10 and figures["rural_population"] == 2000
    assert figures["poverty_incidence"] == 0.5

    # the dashboard page and the region page's panel
    for url in (f"/analytics/{COUNTY_A}/", f"/regions/{COUNTY_A}/"):
        html = client.get(url).content.decode()
        for item in ind.key_figures():
            assert figure_on_page(html, item.name) == expected(figures[item.name], item.name), \
                (url, item.name)
        children = table_rows(html, "children-poverty")
        for child in printed["children"]:
            cells = children[child["name"]]
            key_items = [i for i in ind.key_figures() if i.group == "poverty"]
            assert cells == [expected(child["indicators"][i.name], i.name) for i in key_items]
    assert figure_on_page(html, "poverty_incidence") == "0.5%"

    # the API: the same JSON
    api = client.get(f"/api/v1/analytics/regions/{COUNTY_A}")
    assert api.status_code == 200
    assert api.json() == printed

    # the yearly report's workbook: FP-1 and the townships' sheet
    response = client.get(f"/analytics/{COUNTY_A}/report.xlsx", {"year": YEAR})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3  # the county, its townships, its villages
    first = book.worksheets[0]
    rows = list(first.iter_rows(min_row=5, max_row=4 + len(report.columns(YEAR)),
                                values_only=True))
    checked = 0
    for column, row in zip(report.columns(YEAR), rows, strict=True):
        want = xlsx_value(column.item, column, figures)
        if want is None and column.item.by_year:
            continue
        got = row[3]
        assert (got == "—") if want is None else (got == want), (column.label, got, want)
        checked += 1
    assert checked > 40
    townships = book.worksheets[1]
    cols = report.columns(YEAR)
    names = [c.item.name if not c.key and not c.item.by_year else None for c in cols]
    by_code = {r[0]: r for r in townships.iter_rows(min_row=5, values_only=True)
               if r[0] and str(r[0]).isdigit()}
    for child in printed["children"]:
        row = by_code[child["region"]]
        for k, name in enumerate(names):
            if name in child["indicators"]:
                want = child["indicators"][name]
                assert row[2 + k] == ("—" if want is None else want), (child["name"], name)
    with translation.override("zh-hans"):  # the workbook's headers are Chinese
        assert by_code[COUNTY_A][1] == translation.gettext("Total")  # the county's total first
    villages = book.worksheets[2]
    village_rows = {r[0]: r for r in villages.iter_rows(min_row=6, values_only=True) if r[0]}
    assert VILLAGE_A in village_rows and VILLAGE_B not in village_rows
    assert village_rows[VILLAGE_A][2] == "新华路街道"  # where the village lies


@pytest.mark.django_db
def test_dashboard_reads_only_the_rollups(data, province_user):
    client = client_for(province_user)
    client.get(f"/analytics/{PROVINCE}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/analytics/{PROVINCE}/")
    assert response.status_code == 200
    tables = {t for q in queries for t in re.findall(r'FROM "(\w+)"', q["sql"])}
    # (and the poverty lines: a province-wide table of one row a year, not the records)
    assert tables <= {"analytics_rollup", "regions_region", "django_session", "accounts_user",
                      "poverty_povertyline"}, tables
    assert len(queries) <= 14, [q["sql"][:80] for q in queries]


@pytest.mark.django_db
def test_zero_denominators_show_a_dash(data, county_user):
    client = client_for(county_user)
    printed = stats(EMPTY_TOWNSHIP)["indicators"]
    ratios = [i.name for i in ind.INDICATORS.values() if i.kind == ind.RATIO]
    assert all(printed[name] is None for name in ratios)
    html = client.get(f"/analytics/{EMPTY_TOWNSHIP}/").content.decode()
    for name in ratios:
        if ind.INDICATORS[name].key_figure:
            assert figure_on_page(html, name) == "—"
    assert figure_on_page(html, "poor_persons") == "0"
    figures = table_rows(html, "figures-poverty")
    assert figures[str(ind.INDICATORS["poverty_incidence"].label)][0] == "—"
    assert figures[str(ind.INDICATORS["income_per_capita_median"].label)][0] == "—"
    # the children's table of the county: the empty township's ratios are dashes too
    county = table_rows(client.get(f"/analytics/{COUNTY_A}/").content.decode(),
                        "children-poverty")
    incidence = [i.name for i in ind.key_figures() if i.group == "poverty"].index(
        "poverty_incidence")
    assert county["花果园街道"][incidence] == "—"
    # API null, export and report "—"
    assert client.get(f"/api/v1/analytics/regions/{EMPTY_TOWNSHIP}").json()[
        "indicators"]["poverty_incidence"] is None
    export = client.get(f"/analytics/{EMPTY_TOWNSHIP}/export/",
                        {"table": "figures-poverty", "format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = {r[0]: r[1] for r in csv.reader(io.StringIO(text))}
    assert rows[str(ind.INDICATORS["poverty_incidence"].label)] == "—"
    page = client.get(f"/analytics/{EMPTY_TOWNSHIP}/report/").content.decode()
    assert 'data-indicator="poverty_incidence" data-key="">—<' in page
    book = load_workbook(io.BytesIO(client.get(f"/analytics/{EMPTY_TOWNSHIP}/report.xlsx")
                                    .content))
    values = [r[3] for r in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    year = report.build(Region.objects.get(code=EMPTY_TOWNSHIP), None, county_user).year
    position = [c.item.name for c in report.columns(year)].index("poverty_incidence")
    assert values[position] == "—"


@pytest.mark.django_db
def test_a_county_user_sees_its_county_and_below_and_no_other(data, county_user):
    client = client_for(county_user)
    for code in (COUNTY_A, TOWNSHIP_A, VILLAGE_A):
        for url in (f"/analytics/{code}/", f"/analytics/{code}/export/",
                    f"/analytics/{code}/report/", f"/analytics/{code}/report.xlsx",
                    f"/api/v1/analytics/regions/{code}"):
            assert client.get(url).status_code == 200, url
    for code in (COUNTY_B, VILLAGE_B, PROVINCE, PREFECTURE_A):
        for url in (f"/analytics/{code}/", f"/analytics/{code}/export/",
                    f"/analytics/{code}/report/", f"/analytics/{code}/report.pdf",
                    f"/analytics/{code}/report.xlsx", f"/api/v1/analytics/regions/{code}",
                    f"/regions/{code}/"):
            assert client.get(url).status_code == 404, url
    # nothing of county B shows in county A's figures (its 5 poor persons, its village)
    html = client.get(f"/analytics/{COUNTY_A}/").content.decode()
    assert "红花岗区" not in html and "遵义市" not in html
    assert figure_on_page(html, "poor_persons") == "10"
    # the dashboard's home is one's own scope
    assert client.get("/analytics/")["Location"] == f"/analytics/{COUNTY_A}/"


@pytest.mark.django_db
def test_drill_down_links_and_breadcrumb(data, province_user, county_user):
    client = client_for(province_user)
    html = client.get(f"/analytics/{PROVINCE}/").content.decode()
    links = re.findall(r'<a href="(/analytics/\d{12}/)" data-testid="drill-down">', html)
    assert set(links) == {"/analytics/520100000000/", "/analytics/520300000000/"}
    # the region page's panel drills down through the region pages
    html = client.get(f"/regions/{PROVINCE}/").content.decode()
    assert 'href="/regions/520100000000/" data-testid="drill-down"' in html
    assert 'data-testid="dashboard-panel"' in html
    # a county's breadcrumb climbs back through the dashboards
    html = client.get(f"/analytics/{COUNTY_A}/").content.decode()
    crumbs = html.split('data-testid="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert f'href="/analytics/{PROVINCE}/"' in crumbs and f'href="/analytics/{PREFECTURE_A}/"' \
        in crumbs
    # above a county user's scope the crumbs are names, not links
    html = client_for(county_user).get(f"/analytics/{TOWNSHIP_A}/").content.decode()
    crumbs = html.split('data-testid="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert f'href="/analytics/{COUNTY_A}/"' in crumbs
    assert f"/analytics/{PROVINCE}/" not in crumbs and "贵州省" in crumbs
    # a village has no children to compare
    html = client.get(f"/analytics/{VILLAGE_A}/").content.decode()
    assert 'data-testid="children-poverty"' not in html and 'drill-down' not in html


@pytest.mark.django_db
def test_every_chart_has_its_table_and_export(data, county_user):
    client = client_for(county_user)
    response = client.get(f"/analytics/{COUNTY_A}/")
    dashboard = response.context["dashboard"]
    html = response.content.decode()
    charts = [t for t in dashboard.tables().values() if t.chart]
    assert {"children-poverty", "trend-exits", "breakdown-poor_households_by_cause",
            "breakdown-monitored_households"} <= {t.id for t in charts}
    for table in dashboard.tables().values():
        assert f'data-testid="{table.id}-table"' in html
        if table.chart:
            assert f'id="{table.chart_id}"' in html and f'data-chart="{table.chart_id}"' in html
        for fmt in ("csv", "xlsx"):
            assert f"?table={table.id}&amp;format={fmt}" in html
            export = client.get(f"/analytics/{COUNTY_A}/export/",
                                {"table": table.id, "format": fmt})
            assert export.status_code == 200, (table.id, fmt)
    # the numbers of the exported table are the chart's
    exits = dashboard.tables()["trend-exits"]
    book = load_workbook(io.BytesIO(client.get(f"/analytics/{COUNTY_A}/export/", {
        "table": "trend-exits", "format": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == exits.head
    assert {r[0]: r[1:] for r in rows[1:]} == {
        r.label: tuple(c.value for c in r.cells) for r in exits.rows}
    assert {r[0]: r[1] for r in rows[1:]}[str(YEAR)] == 1
    causes = table_rows(html, "breakdown-poor_households_by_cause")
    assert causes[str(dict(ind._labels("fupin.poverty.choices", "PovertyCause"))["illness"])] \
        == ["2", "50.0%"]
    assert client.get(f"/analytics/{COUNTY_A}/export/", {"table": "nope"}).status_code == 404
    assert client.get(f"/analytics/{COUNTY_A}/export/", {"format": "ods"}).status_code == 404


@pytest.mark.django_db
def test_report_page_and_pdf(data, county_user):
    client = client_for(county_user)
    response = client.get(f"/analytics/{COUNTY_A}/report/")
    assert response.status_code == 200
    result = response.context["report"]
    assert result.year == YEAR  # the latest year with by-year figures
    html = response.content.decode()
    assert result.title in html and "FP-1" in html and "FP-2" in html
    assert 'data-testid="report-children"' in html and "新华路街道" in html
    assert client.get(f"/analytics/{COUNTY_A}/report/", {"year": "x"}).status_code == 404
    pdf = client.get(f"/analytics/{COUNTY_A}/report.pdf", {"year": YEAR})
    try:
        from fupin.core.pdf import find_font

        find_font()
    except Exception:
        assert pdf.status_code == 302  # no Chinese font here: back to the page, with a message
        return
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_indicator_definitions_in_the_api(data, county_user):
    response = client_for(county_user).get("/api/v1/analytics/indicators")
    assert response.status_code == 200
    by_name = {i["name"]: i for i in response.json()}
    assert set(by_name) == set(ind.INDICATORS)
    assert by_name["poverty_incidence"]["kind"] == "ratio" and by_name["poverty_incidence"][
        "percent"]
    assert "illness" in by_name["poor_households_by_cause"]["breakdown"]


def test_income_is_shown_against_the_poverty_line(data, county_user):
    from fupin.poverty.models import PovertyLine

    line = PovertyLine.objects.order_by("-year").first()
    mean = stats(COUNTY_A)["indicators"]["income_per_capita_mean"]
    with translation.override("en"):
        html = client_for(county_user).get(f"/analytics/{COUNTY_A}/",
                                           HTTP_ACCEPT_LANGUAGE="en").content.decode()
    note = re.search(r'data-testid="note-income_per_capita_mean">([^<]+)<', html).group(1)
    assert str(line.year) in note and f"{line.poverty_line:,.0f}" in note
    assert f"{100 * mean / float(line.poverty_line):.0f}%" in note
