"""The shortfall and cadre-figure pages above a township: figures per child region from the
rollups (equal to what fupin.party.rules derives), a bounded number of queries whatever the
number of villages, the organizations listed from a township down, and regions picked by name."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from fupin.analytics import rollups
from fupin.core.context import acting_as
from fupin.core.testing import COUNTY_A, COUNTY_B, PROVINCE, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.party import rules
from fupin.party.models import CadrePosition, OrgMeeting, PartyOrg
from fupin.party.testing import make_cadre, make_committee, make_org
from fupin.party.views import default_period
from fupin.regions.models import Region

VILLAGE_A2 = "520102001002"
FOUNDED = datetime.date(2010, 1, 1)


def client_for(make_user, role, region):
    client = Client()
    client.force_login(make_user(role, region))
    return client


def meet_everything(org, start, end):
    with acting_as(None, label="test"):
        month = start
        while month <= end:
            for kind in ("committee", "themed_day", "all_member", "lecture"):
                OrgMeeting.objects.create(org=org, region_code=org.region_code, kind=kind,
                                          date=month, attendance=5, expected=5, topics="学习")
            month = rules.add_months(month, 1)


def cells(html: str, testid: str) -> dict[str, list[str]]:
    """Region name -> the cells of its row in the table `testid`."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        values = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                          row, re.S)]
        out[values[0]] = values[1:]
    return out


@pytest.fixture
def shortfalls(regions):
    start, end = default_period(timezone.localdate())
    full = make_org(VILLAGE_A, founded_on=FOUNDED, name="和平村党支部")
    meet_everything(full, start, end)
    make_org(VILLAGE_A2, founded_on=FOUNDED, name="红旗村党支部")  # held nothing
    make_org(VILLAGE_B, founded_on=FOUNDED, name="老城村党支部")  # held nothing
    rollups.refresh()
    return start, end


def test_province_page_counts_per_child_region_as_the_rules_do(shortfalls, make_user):
    start, end = shortfalls
    html = client_for(make_user, "org_dept", PROVINCE).get("/party/shortfalls/").content.decode()
    by_region = cells(html, "shortfall-children")
    rows = rules.meeting_shortfalls(PartyOrg.objects.order_by("pk"), start, end)
    for prefecture, prefix in (("贵阳市", "5201"), ("遵义市", "5203")):
        mine = [r for r in rows if r.org.region_code.startswith(prefix)]
        required = sum(1 for r in mine if any(k.required for k in r.counts))
        short = sum(1 for r in mine if r.short)
        assert by_region[prefecture][:2] == [str(required), str(short)]
    assert by_region["贵阳市"][:2] == ["2", "1"] and by_region["遵义市"][:2] == ["1", "1"]
    assert "红旗村党支部" not in html  # no organization listed above a township
    assert 'href="/party/shortfalls/?region=520100000000"' in html  # drills down by name


def test_another_period_is_counted_from_a_county_down(shortfalls, make_user):
    client = client_for(make_user, "org_dept", PROVINCE)
    june = {"start": "2025-06-01", "end": "2025-06-30"}
    assert 'data-testid="choose-region"' in client.get("/party/shortfalls/", june).content.decode()
    html = client.get("/party/shortfalls/", {**june, "region": COUNTY_A}).content.decode()
    assert cells(html, "shortfall-children")["新华路街道"] == ["2", "2"]  # nothing held in June


def test_township_lists_the_organizations_with_region_names(shortfalls, make_user):
    client = client_for(make_user, "org_dept", PROVINCE)
    html = client.get("/party/shortfalls/", {"region": TOWNSHIP_A}).content.decode()
    listed = html.split('data-testid="shortfalls"', 1)[1]
    assert "红旗村党支部" in listed and "和平村党支部" not in listed and "老城村党支部" not in listed
    assert "红旗村委会" in listed  # the village by name, its code only as the muted second line


def test_region_is_picked_by_name_among_the_users_regions(shortfalls, make_user):
    client = client_for(make_user, "org_dept", COUNTY_A)
    html = client.get("/party/shortfalls/", {"region": TOWNSHIP_A}).content.decode()
    form = html.split('data-testid="region-form"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<select[^>]*name="region"', form)
    assert not re.search(r'<input[^>]*name="region"', form)
    options = dict((v, re.sub(r"\W", "", t)) for v, t in
                   re.findall(r'<option value="(\d{12})"[^>]*>([^<]*)</option>', form))
    assert options == {COUNTY_A: "南明区", TOWNSHIP_A: "新华路街道", VILLAGE_A: "和平村委会",
                       VILLAGE_A2: "红旗村委会"}  # the way up stops at the user's own county
    # A region outside the user's scope is not taken: the user's own county is shown.
    html = client.get("/party/shortfalls/", {"region": COUNTY_B}).content.decode()
    assert "老城村党支部" not in html and "新华路街道" in cells(html, "shortfall-children")


def test_province_page_queries_are_bounded_whatever_the_number_of_villages(
        shortfalls, make_user, django_assert_max_num_queries):
    client = client_for(make_user, "org_dept", PROVINCE)
    client.get("/party/shortfalls/")  # sessions, translations warm

    def many_villages(n):
        township = Region._base_manager.get(code=TOWNSHIP_A)
        for i in range(n):
            code = f"520102001{100 + i:03d}"
            Region._base_manager.get_or_create(code=code, defaults={
                "name": f"新村{i}", "level": 5, "parent": township})
            make_org(code, founded_on=FOUNDED)
        rollups.refresh()

    with django_assert_max_num_queries(20) as few:
        assert client.get("/party/shortfalls/").status_code == 200
    many_villages(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/party/shortfalls/").status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/party/cadres/derived/").status_code == 200


def test_cadre_figures_per_region_equal_the_party_derivations(regions, make_user):
    start = datetime.date(2024, 1, 1)
    with acting_as(None, label="test"):
        for village, one_shoulder, college in ((VILLAGE_A, True, False),
                                               (VILLAGE_A2, False, True),
                                               (VILLAGE_B, False, False)):
            branch = make_committee(village, "branch")
            villagers = make_committee(village, "villagers")
            secretary = make_cadre(village, is_college_graduate=college)
            CadrePosition.objects.create(cadre=secretary, committee=branch, post="secretary",
                                         region_code=village, starts_on=start)
            director = secretary if one_shoulder else make_cadre(village)
            CadrePosition.objects.create(cadre=director, committee=villagers, post="director",
                                         region_code=village, starts_on=start)
            if village == VILLAGE_A2:  # a deputy on both committees: cross-membership only
                deputy = make_cadre(village)
                for committee, post in ((branch, "member"), (villagers, "deputy_director")):
                    CadrePosition.objects.create(cadre=deputy, committee=committee, post=post,
                                                 region_code=village, starts_on=start)
    rollups.refresh()
    client = client_for(make_user, "org_dept", PROVINCE)
    html = client.get("/party/cadres/derived/", {"region": COUNTY_A}).content.decode()
    row = cells(html, "cadre-children")["新华路街道"]
    positions = rules.current_positions(TOWNSHIP_A)
    one = {r.region_code for r in rules.one_shoulder(positions)}
    assert row == [str(len(rules.committee_villages(positions))), str(len(one)), "50.0%",
                   str(len(rules.cross_members(positions))),
                   str(len(rules.college_graduate_villages(positions))), "50.0%"]
    assert row == ["2", "1", "50.0%", "2", "1", "50.0%"]
    # From a township down the cadres themselves are listed.
    html = client.get("/party/cadres/derived/", {"region": TOWNSHIP_A}).content.decode()
    listed = html.split('data-testid="cross-members"', 1)[1]
    assert listed.count("/party/cadres/") == 2 and "一肩挑" in listed
