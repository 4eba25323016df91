"""Keeping rollups current: an import refreshes the regions of its rows; a page write
refreshes its region when the transaction commits, a rolled-back one refreshes nothing; many
touched regions collapse to a few subtrees with the same result as a full rebuild."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fupin.analytics import rollups
from fupin.analytics.models import Rollup
from fupin.core.context import acting_as
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.ingest import pipeline
from fupin.ingest.testing import household_rows, write_rows
from fupin.poverty.models import Household
from fupin.poverty.testing import make_household

VILLAGE_A2 = "520102001002"


def rows() -> dict:
    return {(r.region_code, r.indicator, r.period, r.key): r.value
            for r in Rollup._base_manager.all()}


def test_import_refreshes_the_regions_it_wrote(regions, tmp_path,
                                              django_capture_on_commit_callbacks):
    rollups.refresh()
    path = write_rows(tmp_path / "h.csv", household_rows(count=3, members=2, village=VILLAGE_A))
    with django_capture_on_commit_callbacks(execute=True):
        with acting_as(None, label="test"):
            pipeline.import_file("households", path)
    for code in (VILLAGE_A, TOWNSHIP_A, COUNTY_A, "520000000000"):
        figures = rollups.summary(code, ["poor_households", "poor_persons"])
        assert figures == {"poor_households": 3, "poor_persons": 6}, code
    assert rollups.summary(VILLAGE_B, ["poor_households"])["poor_households"] == 0
    # a dry run changes nothing
    before = rows()
    path2 = write_rows(tmp_path / "h2.csv", household_rows(count=2, village=VILLAGE_A2,
                                                          prefix="U", start=10))
    with django_capture_on_commit_callbacks(execute=True):
        with acting_as(None, label="test"):
            pipeline.import_file("households", path2, dry_run=True)
    assert rows() == before


def test_write_refreshes_on_commit_not_on_rollback(regions, django_capture_on_commit_callbacks):
    household = make_household(VILLAGE_A)
    rollups.refresh()
    assert rollups.summary(COUNTY_A, ["poor_households"])["poor_households"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic(), acting_as(None, label="test"):
                Household.objects.filter(pk=household.pk).get().delete()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert rollups.summary(COUNTY_A, ["poor_households"])["poor_households"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic(), acting_as(None, label="test"):
            h = Household.objects.get(pk=household.pk)
            h.status = "exited"
            h.exit_year = 2016
            h.save()
    county = rollups.summary(COUNTY_A, ["poor_households", "exits"])
    assert county == {"poor_households": 0, "exits": {2016: Decimal(1)}}


def test_many_regions_collapse_to_the_same_result(regions, monkeypatch):
    for village in (VILLAGE_A, VILLAGE_A2, VILLAGE_B):
        make_household(village)
    rollups.refresh()
    full = rows()
    Rollup._base_manager.all().delete()
    rollups.refresh()  # a base to refresh incrementally against
    with acting_as(None, label="test"):
        Household.objects.filter(region_code=VILLAGE_B).update(status="low_income")
    monkeypatch.setattr(rollups, "MAX_SUBTREES", 1)
    rollups.refresh([VILLAGE_A, VILLAGE_A2, VILLAGE_B], {"poverty.household"})
    after = rows()
    rollups.refresh()
    assert after == rows() != full


def test_cadre_figures_match_the_party_derivations(regions):
    """The grouped queries of the cadre source say what fupin.party.rules derives."""
    import datetime

    from fupin.analytics import indicators as ind
    from fupin.party import rules
    from fupin.party.models import CadrePosition
    from fupin.party.testing import make_cadre, make_committee

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
        # an ended one-shoulder arrangement does not count
        old = make_committee(VILLAGE_B, "villagers")
        CadrePosition.objects.create(cadre=CadrePosition.objects.filter(
            region_code=VILLAGE_B, post="secretary").get().cadre, committee=old, post="director",
            region_code=VILLAGE_B, starts_on=start, ends_on=datetime.date(2024, 6, 1))
    rows = list(ind._cadres(None))
    found = {name: {r[1] for r in rows if r[0] == name} for name in
             ("committee_villages", "one_shoulder_villages", "college_graduate_villages")}
    positions = rules.current_positions("")
    assert found["one_shoulder_villages"] == {r.region_code for r in rules.one_shoulder(positions)} \
        == {VILLAGE_A}
    assert found["college_graduate_villages"] == set(rules.college_graduate_villages(positions)) \
        == {VILLAGE_A2}
    assert found["committee_villages"] == {VILLAGE_A, VILLAGE_A2, VILLAGE_B}
    rollups.refresh()
    assert rollups.summary(COUNTY_A, ["one_shoulder_rate"])["one_shoulder_rate"] == 50.0


def test_meeting_compliance_matches_the_party_shortfalls(regions):
    import datetime

    from django.utils import timezone

    from fupin.analytics import indicators as ind
    from fupin.party import rules
    from fupin.party.models import OrgMeeting, PartyOrg
    from fupin.party.testing import make_org

    start, end = ind.meeting_period(timezone.localdate())
    founded = datetime.date(2010, 1, 1)
    full, partial = make_org(VILLAGE_A, founded_on=founded), make_org(VILLAGE_A2, founded_on=founded)
    make_org(VILLAGE_B, founded_on=end)  # founded during the period: nothing required yet
    make_org(COUNTY_A, kind="committee")  # a committee need not meet
    with acting_as(None, label="test"):
        month = start
        while month <= end:
            for kind in ("committee", "themed_day", "all_member", "lecture"):
                OrgMeeting.objects.create(org=full, region_code=VILLAGE_A, kind=kind, date=month,
                                          attendance=5, expected=5, topics="学习")
            OrgMeeting.objects.create(org=partial, region_code=VILLAGE_A2, kind="committee",
                                      date=month, attendance=5, expected=5, topics="学习")
            month = rules.add_months(month, 1)
    rows = list(ind._meetings(None))
    shortfalls = rules.meeting_shortfalls(PartyOrg._base_manager.order_by("pk"), start, end)
    required = {r.org.region_code for r in shortfalls if any(k.required for k in r.counts)}
    meeting = {r.org.region_code for r in shortfalls
               if any(k.required for k in r.counts) and not r.short}
    assert {r[1] for r in rows if r[0] == "orgs_required_to_meet"} == required \
        == {VILLAGE_A, VILLAGE_A2}
    assert {r[1] for r in rows if r[0] == "orgs_meeting_requirement"} == meeting == {VILLAGE_A}
    rollups.refresh()
    assert rollups.summary(COUNTY_A, ["meeting_compliance"])["meeting_compliance"] == 50.0
