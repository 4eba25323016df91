"""Importing and exporting work teams, team members, pairings, visits and measures
(fupin/assistance/ingest.py): good files in CSV and XLSX, each kind of bad row rejected with
nothing stored, repeats and exports that import as no-ops, masking per role, one current
pairing per household across the registry and the file, and a helper's own households."""

from __future__ import annotations

import csv
import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import load_workbook

from fupin.assistance.models import Measure, Pairing, Visit, WorkTeam, WorkTeamMember
from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, TOWNSHIP_A, VILLAGE_A, VILLAGE_B
from fupin.ingest import exporting, pipeline
from fupin.ingest import registry as registries
from fupin.ingest.testing import write_rows
from fupin.party.testing import make_member, make_org
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.django_db
VILLAGE_A2 = "520102001002"
MODELS = (WorkTeam, WorkTeamMember, Pairing, Visit, Measure)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def world(regions):
    """Households in two villages of county A and one in county B; helpers in a county organ's
    branch (outside the villages they help)."""
    org = make_org(COUNTY_A)
    return SimpleNamespace(
        h1=make_household(VILLAGE_A, number="H001"),
        h2=make_household(VILLAGE_A, number="H002"),
        h3=make_household(VILLAGE_A2, number="H003"),
        exited=make_household(VILLAGE_A, number="H009", status="exited"),
        far=make_household(VILLAGE_B, number="B001"),
        helper=make_member(COUNTY_A, org=org, name="李帮扶"),
        other=make_member(COUNTY_A, org=org, name="王帮扶"),
        third=make_member(COUNTY_A, org=org, name="赵帮扶"),
        applicant=make_member(COUNTY_A, org=org, name="张申请", stage="applicant"),
    )


def run(registry, path, **kwargs):
    with acting_as(kwargs.get("user"), label="test:import"):
        return pipeline.import_file(registry, path, **kwargs)


def snapshot():
    return ([list(model._base_manager.order_by("pk").values_list(
        *[f.attname for f in model._meta.concrete_fields])) for model in MODELS],
        ChangeRecord.objects.count())


def reasons_in(errors_path) -> dict[int, str]:
    rows = list(load_workbook(errors_path).active.iter_rows(values_only=True))
    col = rows[0].index("Errors")
    return {i + 1: r[col] for i, r in enumerate(rows) if i and r[col]}


def rejected(registry, rows, tmp_path, **kwargs) -> dict[int, str]:
    """Import `rows`, expect them rejected with nothing stored; the reasons by row."""
    before = snapshot()
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(pipeline.RowsRejected):
        run(registry, write_rows(tmp_path / "bad.csv", rows), errors_path=errors, **kwargs)
    assert snapshot() == before
    return reasons_in(errors)


def sheet(path) -> tuple[list, list[dict]]:
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig") as handle:
            header, *rows = list(csv.reader(handle))
    else:
        header, *rows = [["" if v is None else v for v in r]
                         for r in load_workbook(path).active.iter_rows(values_only=True)]
    return header, [dict(zip(header, r, strict=True)) for r in rows]


def round_trip(name, tmp_path, suffix, rows_expected):
    """Export everything, import it back: nothing changes."""
    before = snapshot()
    out = exporting.export(name, tmp_path / f"export-{name}{suffix}")
    assert out.rows == rows_expected and not out.masked
    result = run(name, out.path)
    assert not result.changed, result.counts
    assert snapshot() == before


def create(model, **fields):
    with acting_as(None, label="test"):
        return model.objects.create(**fields)


# --- declarations and templates -------------------------------------------------------------------


def test_registries_and_templates(regions, tmp_path):
    headers = {
        "teams": ["所在村区划代码", "工作队名称", "派出单位", "派出单位级别", "驻村开始日期",
                  "驻村结束日期"],
        "team_members": ["所在村区划代码", "工作队名称", "工作队驻村开始日期", "姓名", "队内职务",
                         "工作单位", "联系电话", "党员身份证号", "驻村开始日期", "驻村结束日期"],
        "pairings": ["户编号", "帮扶责任人身份证号", "帮扶责任人姓名", "帮扶责任人单位", "单位级别",
                     "开始日期", "结束日期", "结束原因"],
        "visits": ["所在村区划代码", "户编号", "走访人", "走访人身份证号", "走访方式", "走访日期",
                   "发现问题", "帮扶内容", "后续跟进"],
        "measures": ["户编号", "措施类别", "措施类型", "年度", "状态", "金额(元)", "完成日期",
                     "措施内容", "成效"],
    }
    for name, expected in headers.items():
        path = exporting.write_template(name, tmp_path / f"{name}.xlsx")
        book = load_workbook(path)
        assert [c.value for c in book.worksheets[0][1]] == expected, name
        allowed = {v for row in book["允许值"].iter_rows(values_only=True) for v in row}
        assert registries.get(name).sheet_title == book.worksheets[0].title
        if name == "measures":
            assert {"产业扶持", "开发式扶贫", "已完成"} <= allowed
        if name == "teams":
            assert {"省级", "市级", "县级", "乡级"} <= allowed


# --- work teams and their members -----------------------------------------------------------------

TEAM_NAME = "县农业农村局驻和平村工作队"


def team_rows():
    return [
        {"所在村区划代码": VILLAGE_A, "工作队名称": TEAM_NAME, "派出单位": "县农业农村局",
         "派出单位级别": "县级", "驻村开始日期": "2025-03-01", "驻村结束日期": "2027-02-28"},
        {"所在村区划代码": VILLAGE_A2, "工作队名称": "市财政局驻红旗村工作队",
         "派出单位": "市财政局", "派出单位级别": "市(州)级", "驻村开始日期": "2023/3/1",
         "驻村结束日期": "2025年2月28日"},
    ]


def team_member_rows():
    row = {"所在村区划代码": VILLAGE_A, "工作队名称": TEAM_NAME, "工作队驻村开始日期": "2025-03-01",
           "工作单位": "县农业农村局", "联系电话": "13800001111", "党员身份证号": "",
           "驻村开始日期": "2025-03-01", "驻村结束日期": ""}
    return [{**row, "姓名": "王第一", "队内职务": "第一书记"},
            {**row, "姓名": "李队长", "队内职务": "工作队长"},
            {**row, "姓名": "赵队员", "队内职务": "", "驻村开始日期": "2025-04-01",
             "驻村结束日期": "2026-03-31", "联系电话": "13912345678"}]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_team_files_repeat_and_round_trip(regions, tmp_path, suffix):
    result = run("teams", write_rows(tmp_path / f"t{suffix}", team_rows()))
    assert result.counts["teams"].created == 2
    team = WorkTeam.objects.get(region_code=VILLAGE_A)
    assert team.name == TEAM_NAME and team.unit_level == "county"
    assert team.ends_on == datetime.date(2027, 2, 28)  # a planned end may lie ahead
    assert WorkTeam.objects.get(region_code=VILLAGE_A2).unit_level == "prefecture"
    path = write_rows(tmp_path / f"m{suffix}", team_member_rows())
    result = run("team_members", path)
    assert result.counts["team_members"].created == 3
    first, leader, member = (WorkTeamMember.objects.get(name=n) for n in ("王第一", "李队长",
                                                                          "赵队员"))
    assert first.team == team and first.role == "first_secretary" and leader.role == "leader"
    assert member.role == "member" and member.region_code == VILLAGE_A  # the default role
    assert member.ends_on == datetime.date(2026, 3, 31) and member.phone == "13912345678"
    before = snapshot()
    assert not run("teams", write_rows(tmp_path / f"t2{suffix}", team_rows())).changed
    assert not run("team_members", path).changed and snapshot() == before
    round_trip("teams", tmp_path, suffix, 2)
    round_trip("team_members", tmp_path, suffix, 3)


def test_team_member_linked_to_a_party_member(world, tmp_path):
    run("teams", write_rows(tmp_path / "t.csv", team_rows()))
    rows = team_member_rows()[:1]
    rows[0].update({"姓名": world.helper.name, "党员身份证号": world.helper.id_number})
    run("team_members", write_rows(tmp_path / "m.csv", rows))
    assert WorkTeamMember.objects.get().member == world.helper
    rows[0]["姓名"] = "别人"
    found = rejected("team_members", rows, tmp_path)
    assert "姓名: “别人” is not the name registered for this 党员身份证号" in found[2]
    assert world.helper.id_number not in found[2]


def _team_unknown(rows):
    rows[1]["工作队驻村开始日期"] = "2025-03-02"
    return 3, "no work team has the name “县农业农村局驻和平村工作队” and the 所在村区划代码、工作队驻村开始日期 given"


def _team_in_another_village(rows):
    rows[0]["所在村区划代码"] = VILLAGE_A2
    return 2, "no work team has the name"


def _member_before_the_team(rows):
    rows[0]["驻村开始日期"] = "2025-02-01"
    return 2, "驻村开始日期 is before the team was stationed (2025-03-01)"


def _member_after_the_team(rows):
    rows[2]["驻村结束日期"] = "2027-03-31"
    return 4, "驻村结束日期 is after the team's term ends (2027-02-28)"


def _member_ends_before_starting(rows):
    rows[2]["驻村结束日期"] = "2025-03-31"
    return 4, "驻村结束日期 is before 驻村开始日期"


def _member_starts_in_the_future(rows):
    rows[2]["驻村开始日期"] = "2099-01-01"
    rows[2]["驻村结束日期"] = ""
    return 4, "驻村开始日期 is in the future"


def _bad_role(rows):
    rows[1]["队内职务"] = "司机"
    return 3, "队内职务: “司机” is not one of 第一书记、队长、队员"


def _bad_phone(rows):
    rows[0]["联系电话"] = "call me"
    return 2, "联系电话: “…” is not a phone number"  # personal data is not repeated


def _same_member_twice(rows):
    rows[2].update({"姓名": "王第一", "驻村开始日期": "2025-03-01"})
    return 4, "is the same as in row 2"


@pytest.mark.parametrize("spoil", [
    _team_unknown, _team_in_another_village, _member_before_the_team, _member_after_the_team,
    _member_ends_before_starting, _member_starts_in_the_future, _bad_role, _bad_phone,
    _same_member_twice], ids=lambda f: f.__name__.strip("_"))
def test_bad_team_member_rows(regions, tmp_path, spoil):
    run("teams", write_rows(tmp_path / "t.csv", team_rows()))
    rows = team_member_rows()
    row, reason = spoil(rows)
    found = rejected("team_members", rows, tmp_path)
    assert list(found) == [row] and reason in found[row], found


def test_bad_team_rows(regions, tmp_path, make_user):
    rows = team_rows()
    rows[0]["驻村开始日期"] = "2099-01-01"
    rows[1]["驻村结束日期"] = "2020-01-01"
    found = rejected("teams", rows, tmp_path)
    assert "驻村开始日期 is in the future" in found[2]
    assert "驻村结束日期 is before 驻村开始日期" in found[3]
    rows = team_rows()
    rows[1]["派出单位级别"] = "部级"
    rows[0]["所在村区划代码"] = TOWNSHIP_A
    found = rejected("teams", rows, tmp_path)
    assert "not a village" in found[2] and "“部级” is not one of" in found[3]
    found = rejected("teams", team_rows() + [{**team_rows()[0], "所在村区划代码": VILLAGE_B}],
                     tmp_path, user=make_user(Role.ORG_DEPT, COUNTY_A))
    assert list(found) == [4] and "outside your region" in found[4]


@pytest.mark.parametrize("role,masked", [(Role.VIEWER, True), (Role.ORG_DEPT, False)])
def test_team_member_export_masks_the_phone(world, tmp_path, make_user, role, masked):
    run("teams", write_rows(tmp_path / "t.csv", team_rows()))
    rows = team_member_rows()
    rows[0].update({"姓名": world.helper.name, "党员身份证号": world.helper.id_number})
    run("team_members", write_rows(tmp_path / "m.csv", rows))
    for suffix in (".csv", ".xlsx"):
        result = exporting.export("team_members", tmp_path / f"x{suffix}",
                                  user=make_user(role, COUNTY_A))
        _header, values = sheet(result.path)
        assert result.masked is masked and len(values) == 3
        first = values[0]
        assert first["工作队驻村开始日期"] in ("2025-03-01", datetime.datetime(2025, 3, 1))
        if masked:
            assert first["联系电话"] == "138****1111"
            number = world.helper.id_number
            assert first["党员身份证号"] == number[:4] + "*" * 10 + number[-4:]
        else:
            assert first["联系电话"] == "13800001111"
            assert first["党员身份证号"] == world.helper.id_number


# --- pairings --------------------------------------------------------------------------------------


def pairing_row(household, helper, starts="2024-03-01", **extra):
    return {"户编号": household.number, "帮扶责任人身份证号": helper.id_number,
            "帮扶责任人姓名": helper.name, "帮扶责任人单位": "县农业农村局", "单位级别": "县级",
            "开始日期": starts, "结束日期": "", "结束原因": "", **extra}


def pairing_rows(w):
    return [pairing_row(w.h1, w.helper), pairing_row(w.h2, w.other, "2024-05-01"),
            pairing_row(w.h1, w.other, "2022-01-01", 结束日期="2024-02-29",
                        结束原因="帮扶责任人调整")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_pairing_file_repeat_and_round_trip(world, tmp_path, suffix):
    path = write_rows(tmp_path / f"p{suffix}", pairing_rows(world))
    result = run("pairings", path)
    assert result.counts["pairings"].as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    current = Pairing.objects.get(household=world.h1, ends_on__isnull=True)
    assert current.helper == world.helper and current.region_code == VILLAGE_A
    assert current.unit_level == "county" and current.helper_unit == "县农业农村局"
    ended = Pairing.objects.get(household=world.h1, ends_on__isnull=False)
    assert ended.end_reason == "helper_changed" and ended.helper == world.other
    record = ChangeRecord.objects.get(pk=result.record_id)
    assert record.model == "assistance.pairing" and record.extra["pairings"]["created"] == 3
    before = snapshot()
    again = run("pairings", path)
    assert not again.changed and again.counts["pairings"].unchanged == 3
    assert snapshot() == before
    round_trip("pairings", tmp_path, suffix, 3)


def _unknown_household(rows, w):
    rows[0]["户编号"] = "NOPE"
    return 2, "户编号: no household has the household number “NOPE”"


def _unknown_helper(rows, w):
    rows[1]["帮扶责任人身份证号"] = make_id("520102", datetime.date(1980, 5, 5), 77, "M")
    return 3, "帮扶责任人身份证号: no party member has this ID number"


def _helper_not_a_member_yet(rows, w):
    rows[1] = pairing_row(w.h2, w.applicant)
    return 3, "this person is not a current party member"


def _helper_has_left(rows, w):
    with acting_as(None, label="test"):
        w.other.left_on = datetime.date(2024, 1, 1)
        w.other.save()
    return 3, "this person is not a current party member"


def _household_not_in_need(rows, w):
    rows[1] = pairing_row(w.exited, w.other)
    return 3, "household “H009” is exited from poverty; only households in need"


def _ends_before_it_starts(rows, w):
    rows[2]["结束日期"] = "2021-12-31"
    return 4, "结束日期 is before 开始日期"


def _starts_in_the_future(rows, w):
    rows[1]["开始日期"] = "2099-05-01"
    return 3, "开始日期 is in the future"


def _ends_in_the_future(rows, w):
    rows[2]["结束日期"] = "2099-05-01"
    return 4, "结束日期 is in the future"


def _helper_name_differs(rows, w):
    rows[0]["帮扶责任人姓名"] = "李帮忙"
    return 2, "帮扶责任人姓名: “李帮忙” is not the name registered for this 帮扶责任人身份证号"


def _reason_without_end(rows, w):
    rows[1]["结束原因"] = "其他"
    return 3, "结束原因 is given, but not 结束日期"


def _bad_level(rows, w):
    rows[1]["单位级别"] = "部级"
    return 3, "单位级别: “部级” is not one of 省级、市级、县级、乡级"


def _same_pairing_twice(rows, w):
    rows[2] = dict(rows[0])
    return 4, "户编号+帮扶责任人身份证号+开始日期 is the same as in row 2"


def _two_current_in_the_file(rows, w):
    rows[2].update({"结束日期": "", "结束原因": ""})
    return 4, "户编号: row 2 already gives this household a current pairing"


def _household_outside_the_users_region(rows, w):
    rows[1] = pairing_row(w.far, w.other)
    return 3, "户编号: the household “B001” is outside your region"


PAIRING_BAD = [_unknown_household, _unknown_helper, _helper_not_a_member_yet, _helper_has_left,
               _household_not_in_need, _ends_before_it_starts, _starts_in_the_future,
               _ends_in_the_future, _helper_name_differs, _reason_without_end, _bad_level,
               _same_pairing_twice, _two_current_in_the_file,
               _household_outside_the_users_region]


@pytest.mark.parametrize("spoil", PAIRING_BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_pairing_row_is_rejected_and_nothing_stored(world, tmp_path, make_user, spoil):
    rows = pairing_rows(world)
    row, reason = spoil(rows, world)
    found = rejected("pairings", rows, tmp_path, user=make_user(Role.POVERTY_OFFICE, COUNTY_A))
    assert list(found) == [row], found
    assert reason in found[row], found
    numbers = {w.id_number for w in (world.helper, world.other, world.applicant)}
    numbers |= {r["帮扶责任人身份证号"] for r in rows}
    assert not any(n in found[row] for n in numbers)  # never an ID number in a reason


def test_an_ended_pairing_needs_no_household_in_need_nor_a_current_helper(world, tmp_path):
    rows = [pairing_row(world.exited, world.applicant, "2020-01-01", 结束日期="2021-01-01",
                        结束原因="脱贫")]
    run("pairings", write_rows(tmp_path / "p.csv", rows))
    assert Pairing.objects.get().end_reason == "household_exited"


def test_a_second_current_pairing_is_rejected(world, tmp_path):
    run("pairings", write_rows(tmp_path / "p.csv", pairing_rows(world)))
    new = [pairing_row(world.h1, world.third, "2025-01-01")]
    found = rejected("pairings", new, tmp_path)
    assert list(found) == [2]
    assert "the household already has a current pairing (since 2024-03-01) that this file " \
           "does not end" in found[2]
    # A file without the end-date column: the registered pairing stays current, too.
    bare = [{k: v for k, v in row.items() if k not in ("结束日期", "结束原因")} for row in new]
    assert "already has a current pairing" in rejected("pairings", bare, tmp_path)[2]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_that_ends_the_old_pairing_and_starts_the_next(world, tmp_path, suffix):
    run("pairings", write_rows(tmp_path / "p.csv", pairing_rows(world)))
    old = Pairing.objects.get(household=world.h1, ends_on__isnull=True)
    rows = [pairing_row(world.h1, world.third, "2025-01-01"),
            pairing_row(world.h1, world.helper, 结束日期="2024-12-31", 结束原因="调整")]
    result = run("pairings", write_rows(tmp_path / f"next{suffix}", rows))
    assert result.counts["pairings"].as_dict() == {"created": 1, "updated": 1, "unchanged": 0}
    old.refresh_from_db()
    assert old.ends_on == datetime.date(2024, 12, 31) and old.end_reason == "helper_changed"
    current = Pairing.objects.get(household=world.h1, ends_on__isnull=True)
    assert current.helper == world.third and current.starts_on == datetime.date(2025, 1, 1)
    assert Pairing.objects.filter(household=world.h1).count() == 3  # the history stays


def test_reopening_an_ended_pairing_checks_the_household_again(world, tmp_path):
    rows = [pairing_row(world.exited, world.helper, "2020-01-01", 结束日期="2021-01-01",
                        结束原因="脱贫")]
    run("pairings", write_rows(tmp_path / "p.csv", rows))
    rows[0].update({"结束日期": "", "结束原因": ""})
    assert "only households in need" in rejected("pairings", rows, tmp_path)[2]


@pytest.mark.parametrize("role,masked", [(Role.VIEWER, True), (Role.INSPECTOR, True),
                                         (Role.ORG_DEPT, False)])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_pairing_export_masks_the_helpers_id_number(world, tmp_path, make_user, role, masked,
                                                    suffix):
    run("pairings", write_rows(tmp_path / "p.csv", pairing_rows(world)))
    create(Pairing, household=world.far, helper=world.other, region_code=VILLAGE_B,
           starts_on=datetime.date(2024, 1, 1))
    result = exporting.export("pairings", tmp_path / f"x{suffix}", user=make_user(role, COUNTY_A))
    _header, values = sheet(result.path)
    assert result.masked is masked and len(values) == 3  # not county B's
    first = values[0]
    assert first["户编号"] == "H001" and first["帮扶责任人姓名"] in (world.helper.name,
                                                                   world.other.name)
    numbers = {world.helper.id_number, world.other.id_number}
    if masked:
        assert not {v["帮扶责任人身份证号"] for v in values} & numbers
        assert all("*" * 10 in v["帮扶责任人身份证号"] for v in values)
    else:
        assert {v["帮扶责任人身份证号"] for v in values} == numbers


# --- visits ----------------------------------------------------------------------------------------


def visit_rows(w):
    row = {"所在村区划代码": VILLAGE_A, "走访人身份证号": "", "走访方式": "",
           "帮扶内容": "", "后续跟进": ""}
    return [
        {**row, "户编号": "H001", "走访人": w.helper.name, "走访人身份证号": w.helper.id_number,
         "走访方式": "入户", "走访日期": "2025-01-10", "发现问题": "屋顶漏雨",
         "帮扶内容": "联系危改", "后续跟进": "下月回访"},
        {**row, "户编号": "H002", "走访人": "驻村队员甲", "走访方式": "电话联系",
         "走访日期": "2025-01-11", "发现问题": "'=外出务工"},
        {**row, "户编号": "", "走访人": "驻村队员甲", "走访日期": "2025-01-12",
         "发现问题": "村道损坏"},
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_visit_file_repeat_and_round_trip(world, tmp_path, suffix):
    path = write_rows(tmp_path / f"v{suffix}", visit_rows(world))
    result = run("visits", path)
    assert result.counts["visits"].created == 3
    home = Visit.objects.get(household=world.h1)
    assert home.kind == "home" and home.visitor == world.helper and home.follow_up == "下月回访"
    phoned = Visit.objects.get(household=world.h2)
    assert phoned.kind == "phone" and phoned.findings == "=外出务工"  # protected, then kept
    village = Visit.objects.get(household__isnull=True)
    assert village.kind == "village" and village.region_code == VILLAGE_A
    assert village.visitor is None
    before = snapshot()
    assert not run("visits", path).changed and snapshot() == before
    round_trip("visits", tmp_path, suffix, 3)


def test_a_visit_keeps_its_kind_when_the_cell_is_blank(world, tmp_path):
    run("visits", write_rows(tmp_path / "v.csv", visit_rows(world)))
    rows = visit_rows(world)
    rows[1]["走访方式"] = ""
    rows[1]["后续跟进"] = "再联系"
    result = run("visits", write_rows(tmp_path / "w.csv", rows))
    assert result.counts["visits"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    visit = Visit.objects.get(household=world.h2)
    assert visit.kind == "phone" and visit.follow_up == "再联系"


def _visit_in_the_future(rows, w):
    rows[0]["走访日期"] = "2099-01-10"
    return 2, "走访日期 is in the future"


def _household_of_another_village(rows, w):
    rows[1]["户编号"] = "H003"
    return 3, "户编号: household “H003” is in village 520102001002, not 520102001001"


def _village_kind_for_a_household(rows, w):
    rows[0]["走访方式"] = "走访村"
    return 2, "走访方式: a visit to a household is a home visit or a phone call"


def _home_kind_without_a_household(rows, w):
    rows[2]["走访方式"] = "入户走访"
    return 4, "走访方式: a visit without a household is a visit to the village"


def _unknown_visited_household(rows, w):
    rows[1]["户编号"] = "H404"
    return 3, "户编号: no household has the household number “H404”"


def _visitor_name_differs(rows, w):
    rows[0]["走访人"] = "李某"
    return 2, "走访人: “李某” is not the name registered for this 走访人身份证号"


def _no_findings(rows, w):
    rows[2]["发现问题"] = ""
    return 4, "发现问题 is required"


def _same_visit_twice(rows, w):
    rows[2].update({"户编号": "H002", "走访日期": "2025-01-11", "走访方式": "入户"})
    return 4, "所在村区划代码+户编号+走访日期+走访人 is the same as in row 3"


def _same_village_visit_twice(rows, w):
    rows[1].update({"户编号": "", "走访日期": "2025-01-12", "走访方式": ""})
    return 4, "is the same as in row 3"


VISIT_BAD = [_visit_in_the_future, _household_of_another_village, _village_kind_for_a_household,
             _home_kind_without_a_household, _unknown_visited_household, _visitor_name_differs,
             _no_findings, _same_visit_twice, _same_village_visit_twice]


@pytest.mark.parametrize("spoil", VISIT_BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_visit_row_is_rejected_and_nothing_stored(world, tmp_path, spoil):
    rows = visit_rows(world)
    row, reason = spoil(rows, world)
    found = rejected("visits", rows, tmp_path)
    assert list(found) == [row], found
    assert reason in found[row], found
    assert world.helper.id_number not in found[row]


# --- a helper's own households ----------------------------------------------------------------------


@pytest.fixture
def helper_user(world, make_user):
    user = make_user(Role.HELPER, COUNTY_A, member=world.helper)
    create(Pairing, household=world.h1, helper=world.helper, region_code=VILLAGE_A,
           starts_on=datetime.date(2024, 3, 1))
    return user


def test_a_helper_imports_visits_to_their_own_households_only(world, tmp_path, helper_user):
    rows = visit_rows(world)
    found = rejected("visits", rows, tmp_path, user=helper_user)
    assert list(found) == [3, 4]
    assert "户编号: the household “H002” is not among those you may see" in found[3]
    assert "户编号: a helper records visits to their own households only" in found[4]
    result = run("visits", write_rows(tmp_path / "own.csv", rows[:1]), user=helper_user)
    assert result.counts["visits"].created == 1
    assert Visit.objects.get().created_by == helper_user


def test_a_helper_cannot_change_a_visit_someone_else_logged(world, tmp_path, helper_user):
    create(Visit, household=world.h1, region_code=VILLAGE_A, visitor_name="驻村队员乙",
           visited_on=datetime.date(2025, 2, 1), findings="缺劳力")
    row = {"所在村区划代码": VILLAGE_A, "户编号": "H001", "走访人": "驻村队员乙",
           "走访日期": "2025-02-01", "发现问题": "改过的情况"}
    found = rejected("visits", [row], tmp_path, user=helper_user)
    assert "is registered, and not among the records you may change" in found[2]
    # the work team may
    team = run("visits", write_rows(tmp_path / "t.csv", [row]))
    assert team.counts["visits"].updated == 1


def test_a_helper_exports_their_own_visits_and_households_only(world, tmp_path, helper_user,
                                                              make_user):
    run("visits", write_rows(tmp_path / "v.csv", visit_rows(world)))
    create(Visit, household=world.h1, region_code=VILLAGE_A, visitor_name="驻村队员乙",
           visited_on=datetime.date(2025, 2, 1), findings="缺劳力")
    run("measures", write_rows(tmp_path / "m.csv", measure_rows()))
    _header, values = sheet(exporting.export("visits", tmp_path / "x.csv",
                                             user=helper_user).path)
    assert [(v["户编号"], v["走访人"]) for v in values] == [("H001", world.helper.name)]
    # a helper sees the last four of an ID number (fupin.core.policy.PERSONAL_DATA)
    assert values[0]["走访人身份证号"] == "*" * 14 + world.helper.id_number[-4:]
    _header, values = sheet(exporting.export("measures", tmp_path / "m.csv",
                                             user=helper_user).path)
    assert {v["户编号"] for v in values} == {"H001"}
    viewer = make_user(Role.VIEWER, COUNTY_A)
    _header, values = sheet(exporting.export("visits", tmp_path / "y.csv", user=viewer).path)
    assert len(values) == 4
    assert all(v["走访人身份证号"] in ("", world.helper.id_number[:4] + "*" * 10
                                       + world.helper.id_number[-4:]) for v in values)


# --- measures ---------------------------------------------------------------------------------------


def measure_rows():
    return [
        {"户编号": "H001", "措施类型": "产业扶贫", "年度": "2024", "状态": "已完成",
         "金额(元)": "5,000", "完成日期": "2024-06-30", "措施内容": "发放鸡苗200只",
         "成效": "年增收3000元"},
        {"户编号": "H001", "措施类型": "医疗救助", "年度": "2024", "状态": "实施中",
         "金额(元)": "", "完成日期": "", "措施内容": "慢病签约", "成效": ""},
        {"户编号": "H002", "措施类型": "易地搬迁", "年度": "2025", "状态": "",
         "金额(元)": "", "完成日期": "", "措施内容": "", "成效": ""},
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_measure_file_repeat_and_round_trip(world, tmp_path, suffix):
    path = write_rows(tmp_path / f"m{suffix}", measure_rows())
    result = run("measures", path)
    assert result.counts["measures"].created == 3
    industry = Measure.objects.get(kind="industry")
    assert industry.category == "development" and industry.state == "done"
    assert str(industry.amount) == "5000.00" and industry.region_code == VILLAGE_A
    assert Measure.objects.get(kind="health").category == "relief"
    moved = Measure.objects.get(kind="relocation")
    assert moved.category == "relocation" and moved.state == "planned"  # the default
    before = snapshot()
    assert not run("measures", path).changed and snapshot() == before
    out = exporting.export("measures", tmp_path / f"x{suffix}")
    _header, values = sheet(out.path)
    assert {v["措施类型"]: v["措施类别"] for v in values} == {
        "健康扶贫": "救助式扶贫", "产业扶持": "开发式扶贫", "易地扶贫搬迁": "搬迁式扶贫"}
    round_trip("measures", tmp_path, suffix, 3)


def test_a_registered_measure_keeps_its_state_when_the_cell_is_blank(world, tmp_path):
    run("measures", write_rows(tmp_path / "m.csv", measure_rows()))
    rows = measure_rows()
    rows[0].update({"状态": "", "完成日期": "2024-06-30", "成效": "年增收4000元"})
    result = run("measures", write_rows(tmp_path / "n.csv", rows))
    assert result.counts["measures"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    measure = Measure.objects.get(kind="industry")
    assert measure.state == "done" and measure.effect == "年增收4000元"


KIND_WRITTEN = [("产业扶持", "industry"), ("产业扶贫", "industry"), ("就业扶贫", "employment"),
                ("教育资助", "education"), ("教育扶贫", "education"), ("健康扶贫", "health"),
                ("医疗救助", "health"), ("危房改造", "housing"), ("易地扶贫搬迁", "relocation"),
                ("低保兜底", "dibao"), ("小额信贷", "loan"), ("扶贫小额信贷", "loan"),
                ("资产收益", "dividend"), ("分红", "dividend"), ("公益岗位", "public_job"),
                ("公益性岗位", "public_job"), ("技能培训", "training"), ("其他", "other")]


def test_measure_kinds_as_officials_write_them(world, tmp_path):
    from fupin.assistance.choices import MeasureKind

    rows = [{"户编号": "H001", "措施类型": written, "年度": str(2000 + i)}
            for i, (written, _kind) in enumerate(KIND_WRITTEN)]
    run("measures", write_rows(tmp_path / "m.xlsx", rows))
    stored = dict(Measure.objects.values_list("year", "kind"))
    categories = dict(Measure.objects.values_list("year", "category"))
    for i, (written, kind) in enumerate(KIND_WRITTEN):
        assert stored[2000 + i] == kind, written
        assert categories[2000 + i] == MeasureKind.category_of(kind)


def _done_without_a_date(rows):
    rows[0]["完成日期"] = ""
    return 2, "完成日期 is required for a measure that is done"


def _date_without_done(rows):
    rows[1]["完成日期"] = "2024-05-01"
    return 3, "完成日期 is given, but the measure is not done"


def _date_for_a_new_measure_without_state(rows):
    rows[2]["完成日期"] = "2024-05-01"
    return 4, "完成日期 is given, but the measure is not done"


def _done_in_the_future(rows):
    rows[0]["完成日期"] = "2099-06-30"
    return 2, "完成日期 is in the future"


def _negative_amount(rows):
    rows[1]["金额(元)"] = "-10"
    return 3, "金额(元) must be at least 0"


def _unknown_kind(rows):
    rows[1]["措施类型"] = "扶志"
    return 3, "措施类型: “扶志” is not one of"


def _year_out_of_range(rows):
    rows[2]["年度"] = "1970"
    return 4, "年度 must be between 1980 and 2100"


def _same_measure_twice(rows):
    rows[1].update({"措施类型": "产业扶持", "状态": "已完成", "完成日期": "2024-06-30"})
    return 3, "户编号+年度+措施类型 is the same as in row 2"


def _measure_of_an_unknown_household(rows):
    rows[2]["户编号"] = "H404"
    return 4, "no household has the household number “H404”"


@pytest.mark.parametrize("spoil", [
    _done_without_a_date, _date_without_done, _date_for_a_new_measure_without_state,
    _done_in_the_future, _negative_amount, _unknown_kind, _year_out_of_range,
    _same_measure_twice, _measure_of_an_unknown_household], ids=lambda f: f.__name__.strip("_"))
def test_bad_measure_row_is_rejected_and_nothing_stored(world, tmp_path, spoil):
    rows = measure_rows()
    row, reason = spoil(rows)
    found = rejected("measures", rows, tmp_path)
    assert list(found) == [row], found
    assert reason in found[row], found


def test_measure_rows_outside_the_users_region(world, tmp_path, make_user):
    rows = measure_rows() + [{"户编号": "B001", "措施类型": "低保", "年度": "2024"}]
    found = rejected("measures", rows, tmp_path, user=make_user(Role.TOWNSHIP, TOWNSHIP_A))
    assert list(found) == [5] and "the household “B001” is outside your region" in found[5]
