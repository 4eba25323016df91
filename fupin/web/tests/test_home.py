"""The workbench (我的工作台): each role finds its own work on the home page, each item linked to
where it is dealt with, and a panel's cost does not grow with the registry."""

import datetime

import pytest
from django.utils import timezone

from fupin.analytics import rollups
from fupin.assistance import models as am
from fupin.assistance.testing import pair
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import (
    COUNTY_A,
    PROVINCE,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
    make_user,
)
from fupin.party.models import OrgMeeting
from fupin.party.testing import make_member, make_org
from fupin.poverty.models import Procedure
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.django_db


def panel(response, template):
    found = [p for p in response.context["panels"] if p["template"] == template]
    assert found, [p["template"] for p in response.context["panels"]]
    return found[0]


def test_helper_sees_their_households_the_last_visit_and_who_is_due(regions):
    member = make_member(VILLAGE_A, name="李帮扶")
    helper = make_user(Role.HELPER, VILLAGE_A, member=member)
    due, visited, other = (make_household(VILLAGE_A, status="poor") for _ in range(3))
    for household in (due, visited):
        pair(household, member)
    pair(other, make_member(VILLAGE_A))
    today = timezone.localdate()
    with acting_as(None, label="test"):
        am.Visit.objects.create(household=visited, region_code=VILLAGE_A, visitor=member,
                                visitor_name="李帮扶", visited_on=today, findings="ok")
        am.Visit.objects.create(household=due, region_code=VILLAGE_A, visitor=member,
                                visitor_name="李帮扶", findings="long ago",
                                visited_on=today - datetime.timedelta(days=200))
    response = client_for(helper).get("/")
    data = panel(response, "assistance/home/helper.html")
    rows = {h.pk: h for h in data["households"]}
    assert set(rows) == {due.pk, visited.pk}  # another helper's household is not theirs
    assert rows[due.pk].due and not rows[visited.pk].due and data["due"] == 1
    assert data["households"][0].pk == due.pk  # who is due comes first
    assert rows[visited.pk].last_visit == today
    assert f"household={due.pk}" in rows[due.pk].visit_url
    html = response.content.decode()
    assert 'data-testid="home-log-visit"' in html and "没有下级区划" not in html
    assert client_for(helper).get(rows[due.pk].visit_url).status_code == 200


def test_village_secretary_sees_procedures_meetings_and_gaps(regions):
    secretary = make_user(Role.VILLAGE, VILLAGE_A)
    today = timezone.localdate()
    late = make_household(VILLAGE_A, status="poor")
    make_household(VILLAGE_B, status="poor")  # another county's: not on this page
    with acting_as(None, label="test"):
        overdue = Procedure.objects.create(
            household=late, region_code=VILLAGE_A, kind="monitoring",
            started_on=today - datetime.timedelta(days=30),
            deadline=today - datetime.timedelta(days=3))
    branch = make_org(VILLAGE_A, name="和平村党支部", founded_on=datetime.date(2000, 1, 1))
    response = client_for(secretary).get("/")
    procedures = panel(response, "poverty/home/procedures.html")
    assert [p.pk for p in procedures["procedures"]] == [overdue.pk]
    assert procedures["overdue"] == 1 and procedures["procedures"][0].days_late == 3
    meetings = panel(response, "party/home/meetings.html")
    assert (branch.pk, "committee") in {(d["org"].pk, d["code"]) for d in meetings["due"]}
    assert meetings["due"][0]["url"].startswith(f"/party/orgs/{branch.pk}/meeting/")
    gaps = {g["gap"].key: g for g in panel(response, "assistance/home/gaps.html")["gaps"]}
    assert gaps["households_without_helper"]["count"] == 1
    assert gaps["households_without_helper"]["items"][0]["link"] == \
        f"/assistance/households/{late.pk}/pair/"
    # A meeting held this month takes the branch committee meeting off the list.
    with acting_as(None, label="test"):
        OrgMeeting.objects.create(org=branch, region_code=VILLAGE_A, kind="committee",
                                  date=today, attendance=5, expected=5, topics="x")
    again = panel(client_for(secretary).get("/"), "party/home/meetings.html")
    assert (branch.pk, "committee") not in {(d["org"].pk, d["code"]) for d in again["due"]}
    assert len(again["due"]) == len(meetings["due"]) - 1


def test_work_team_sees_presence_and_log(regions):
    today = timezone.localdate()
    with acting_as(None, label="test"):
        team = am.WorkTeam.objects.create(
            region_code=VILLAGE_A, name="驻村工作队", dispatching_unit="县委组织部",
            unit_level="county", starts_on=today - datetime.timedelta(days=100))
        member = am.WorkTeamMember.objects.create(
            team=team, region_code=VILLAGE_A, name="王队员", role="leader",
            starts_on=today - datetime.timedelta(days=100))
        am.Presence.objects.create(team_member=member, region_code=VILLAGE_A,
                                   month=today.replace(day=1), days=12)
        am.WorkLogEntry.objects.create(team=team, region_code=VILLAGE_A, logged_on=today,
                                       text="走访脱贫户")
    response = client_for(make_user(Role.WORK_TEAM, VILLAGE_A)).get("/")
    data = panel(response, "assistance/home/team.html")
    (entry,) = data["teams"]
    assert [m.this_month for m in entry["members"]] == [12]
    assert entry["members"][0].short  # no days recorded last month
    assert [e.text for e in entry["log"]] == ["走访脱贫户"]
    assert "走访脱贫户" in response.content.decode()
    panel(response, "assistance/home/gaps.html")


def test_county_sees_its_childrens_overdue_work_and_gaps_worst_first(regions):
    today = timezone.localdate()
    with acting_as(None, label="test"):
        for _ in range(2):
            Procedure.objects.create(household=make_household(VILLAGE_A), region_code=VILLAGE_A,
                                     kind="monitoring",
                                     started_on=today - datetime.timedelta(days=20),
                                     deadline=today - datetime.timedelta(days=1))
    make_household(VILLAGE_A, status="poor")
    rollups.refresh()
    response = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A)).get("/")
    data = panel(response, "analytics/home/levels.html")
    first = data["rows"][0]
    assert first.region.code == TOWNSHIP_A  # the worst child first
    figures = {f.key: f for f in first.figures}
    assert figures["overdue_procedures"].value == 2
    assert figures["households_without_helper"].value == 3
    assert figures["households_without_helper"].url == \
        f"/assistance/gaps/?region={TOWNSHIP_A}&gap=households_without_helper"
    assert {f.key: f.value for f in data["totals"]}["overdue_procedures"] == 2
    assert 'data-testid="home-figure-overdue_procedures"' in response.content.decode()


def test_province_sees_headline_worst_regions_and_trend(regions, django_assert_max_num_queries):
    make_household(VILLAGE_A, status="poor")
    rollups.refresh()
    client = client_for(make_user(Role.ORG_DEPT, PROVINCE))
    with django_assert_max_num_queries(40):  # session, user, menu, panels: not per record
        response = client.get("/")
    data = panel(response, "analytics/home/province.html")
    names = {card.item.name for card in data["cards"]}
    assert {"poor_households", "party_members"} <= names
    assert data["rows"] and len(data["rows"]) <= 5
    assert 'data-testid="home-headline"' in response.content.decode()


def test_roles_without_own_work_keep_the_region_overview(regions):
    response = client_for(make_user(Role.VIEWER, VILLAGE_A)).get("/")
    assert response.status_code == 200 and response.context["panels"] == []
