"""The dashboard's figures mean what their labels say: no per-person figure added up across
households or regions, no two indicators under one label, the rural net income per capita
weighted by rural population, the households under monitoring assessment beside the monitored
ones, and every bar of a chart labelled."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from fupin.analytics import indicators as ind
from fupin.analytics import panels, rollups
from fupin.core.context import acting_as
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.poverty.models import Procedure, VillageProfile
from fupin.poverty.testing import make_household
from fupin.regions.models import Region

VILLAGE_A2 = "520102001002"


@pytest.fixture
def data(regions):
    with acting_as(None, label="test"):
        # 100 people at 1,000 and 300 at 3,000: 2,500 weighted (the plain mean would be 2,000)
        VillageProfile.objects.create(region_code=VILLAGE_A, rural_population=100,
                                      households=30, net_income_per_capita=Decimal(1000))
        VillageProfile.objects.create(region_code=VILLAGE_A2, rural_population=300,
                                      households=90, net_income_per_capita=Decimal(3000))
        VillageProfile.objects.create(region_code=VILLAGE_B, rural_population=500,
                                      households=120)  # no figure: weighs nothing
    # 1 member at 1,000 and 4 at 2,000: 1,800 a person (the mean of households: 1,500)
    small = make_household(VILLAGE_A, members=1, status="low_income",
                           income_per_capita=Decimal(1000))
    big = make_household(VILLAGE_A, members=4, status="low_income",
                         income_per_capita=Decimal(2000))
    other = make_household(VILLAGE_A2, members=2, status="exited")
    start = datetime.date.today() - datetime.timedelta(days=3)
    with acting_as(None, label="test"):
        for household, state in ((small, "open"), (big, "open"), (other, "completed")):
            Procedure.objects.create(household=household, region_code=household.region_code,
                                     kind="monitoring", state=state, started_on=start,
                                     current_step="lead", monitored_group="marginal")
        # a second open procedure of the same household counts it once; an open procedure
        # of another kind is not a monitoring assessment
        Procedure.objects.create(household=small, region_code=small.region_code,
                                 kind="monitoring", state="open", started_on=start,
                                 current_step="lead")
        Procedure.objects.create(household=other, region_code=other.region_code,
                                 kind="identification", state="open", started_on=start,
                                 current_step="application")
    rollups.refresh()


def test_no_per_person_figure_is_summed():
    with translation.override("en"):
        for item in ind.INDICATORS.values():
            label = str(item.label)
            if item.kind == ind.SUM:
                assert not re.search(r"per (person|capita)|summed", label), item.name


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_two_indicators_share_a_label(language):
    with translation.override(language):
        labels = [str(i.label) for i in ind.INDICATORS.values()]
    assert len(labels) == len(set(labels)), sorted(
        label for label in labels if labels.count(label) > 1)


@pytest.mark.django_db
def test_rural_income_per_capita_is_weighted_by_rural_population(data):
    village = rollups.summary(VILLAGE_A)
    assert village["rural_income_per_capita"] == pytest.approx(1000)
    for code in (TOWNSHIP_A, COUNTY_A):
        figures = rollups.summary(code)
        assert figures["rural_income_per_capita"] == pytest.approx(2500), code
        assert figures["rural_population_with_income"] == 400
        assert figures["rural_population"] == 400 or code == COUNTY_A
    assert rollups.summary(VILLAGE_B)["rural_income_per_capita"] is None


@pytest.mark.django_db
def test_registered_income_per_person_is_weighted_by_members(data):
    figures = rollups.summary(VILLAGE_A)
    assert figures["registered_income_total"] == Decimal(9000)
    assert figures["persons_with_income"] == 5
    assert figures["income_per_capita_mean"] == pytest.approx(1800)


@pytest.mark.django_db
def test_households_under_assessment_beside_the_monitored(data):
    assert rollups.summary(VILLAGE_A)["households_under_assessment"] == 2
    assert rollups.summary(COUNTY_A)["households_under_assessment"] == 2
    assert rollups.summary(VILLAGE_A2)["households_under_assessment"] == 0
    dashboard = panels.build(Region.objects.get(code=COUNTY_A))
    table = dashboard.tables()["breakdown-monitored_households"]
    row = [r for r in table.rows
           if r.label == str(ind.INDICATORS["households_under_assessment"].label)]
    assert [c.text for c in row[0].cells] == ["2", panels.DASH]
    with translation.override("en"):
        table = panels.build(Region.objects.get(code=COUNTY_A)).tables()[
            "breakdown-monitored_households"]
    assert table.note.startswith("0 households monitored; 2 more under assessment")


@pytest.mark.django_db
def test_dashboard_rows_have_distinct_labels(data):
    dashboard = panels.build(Region.objects.get(code=COUNTY_A))
    for table in dashboard.tables().values():
        labels = [r.label for r in table.rows]
        assert len(labels) == len(set(labels)), (table.id, labels)
    figures = dashboard.tables()["figures-poverty"]
    names = {r.label: r.cells[0].text for r in figures.rows}
    assert names[str(ind.INDICATORS["rural_income_per_capita"].label)] == "2,500.00"


def test_every_category_of_a_chart_is_labelled():
    """ECharts hides labels that would overlap unless the category axis says interval 0."""
    script = (Path(__file__).resolve().parents[2] / "web/static/fupin/charts.js").read_text()
    axis = script.split("var categories =", 1)[1].split(";", 1)[0]
    assert re.search(r"axisLabel:\s*\{\s*interval:\s*0", axis)
    assert "rotate" in axis
