"""Importing and exporting party organizations and members (fupin/party/ingest.py)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import (
    COUNTY_A,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
)
from fupin.ingest import exporting, pipeline
from fupin.ingest import registry as registries
from fupin.ingest.models import ImportJob
from fupin.ingest.testing import write_rows
from fupin.party.models import PartyMember, PartyOrg
from fupin.party.testing import make_member, make_org

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(registry, path, **kwargs):
    with acting_as(kwargs.get("user"), label="test:import"):
        return pipeline.import_file(registry, path, **kwargs)


def snapshot():
    return (PartyOrg.objects.count(), PartyMember.objects.count(), ChangeRecord.objects.count(),
            sorted(PartyOrg.objects.values_list("code", "name", "parent_id", "updated_at")),
            sorted(PartyMember.objects.values_list("id_number", "name", "stage", "updated_at")))


def reasons_in(errors_path) -> dict[int, str]:
    sheet = load_workbook(errors_path).active
    rows = list(sheet.iter_rows(values_only=True))
    col = rows[0].index("Errors")
    return {i + 1: r[col] for i, r in enumerate(rows) if i and r[col]}


def org_rows() -> list[dict]:
    """A county committee, a township committee, a village branch and a group; children come
    before their parents, so parents are created by the same file."""
    row = dict.fromkeys(["组织代码", "组织名称", "组织类别", "组建方式", "所在区划代码",
                         "上级组织代码", "成立日期", "撤销日期"], "")
    return [
        {**row, "组织代码": "G-01", "组织名称": "和平村第一党小组", "组织类别": "党小组",
         "所在区划代码": VILLAGE_A, "上级组织代码": "B-01"},
        {**row, "组织代码": "B-01", "组织名称": "和平村党支部", "组织类别": "党支部",
         "组建方式": "按地域", "所在区划代码": VILLAGE_A, "上级组织代码": "T-01",
         "成立日期": "1985-07-01"},
        {**row, "组织代码": "T-01", "组织名称": "中共新华路街道工作委员会", "组织类别": "党工委",
         "组建方式": "place", "所在区划代码": TOWNSHIP_A, "上级组织代码": "C-01",
         "成立日期": "1956/1/1"},
        {**row, "组织代码": "C-01", "组织名称": "中共南明区委员会", "组织类别": "committee",
         "所在区划代码": COUNTY_A, "成立日期": "19500101"},
    ]


def member_rows(count: int = 3, org_code: str = "B-01", village: str = VILLAGE_A,
                start: int = 0) -> list[dict]:
    rows = []
    for n in range(start, start + count):
        sex = "F" if n % 2 else "M"
        birth = datetime.date(1960 + n % 30, 1 + n % 12, 1 + n % 28)
        rows.append({
            "身份证号": make_id(village[:6], birth, n % 500, sex), "姓名": f"党员{n}",
            "性别": "", "出生日期": "", "民族": "汉", "文化程度": "高中",
            "所在党组织代码": org_code, "人员类别": "正式党员", "申请入党日期": "2000-03-01",
            "确定为积极分子日期": "2000-09-01", "确定为发展对象日期": "2001-10-01",
            "入党日期": "2002-07-01", "转正日期": "2003-07-01", "联系电话": "13912345678",
            "职业": "务农", "是否农民": "是", "是否党员示范户": "否",
        })
    return rows


@pytest.fixture
def orgs(regions, tmp_path):
    run("orgs", write_rows(tmp_path / "orgs.csv", org_rows()))
    return {o.code: o for o in PartyOrg.objects.all()}


# --- organization codes ------------------------------------------------------------------------


def test_codes_are_assigned_per_region(regions):
    first, second = make_org(VILLAGE_A), make_org(VILLAGE_A)
    other = make_org(VILLAGE_B)
    given = make_org(VILLAGE_A, code="ZB-7")
    assert (first.code, second.code) == (f"{VILLAGE_A}001", f"{VILLAGE_A}002")
    assert other.code == f"{VILLAGE_B}001" and given.code == "ZB-7"
    second.name = "改名"
    with acting_as(None, label="test"):
        second.save()
    second.refresh_from_db()
    assert second.code == f"{VILLAGE_A}002"
    assert make_org(VILLAGE_A).code == f"{VILLAGE_A}003"


def test_demo_orgs_have_codes_numbered_on(regions, tmp_path):
    from fupin.core.demo import DemoContext
    from fupin.party import demo

    make_org(VILLAGE_A)  # 001 of the village, before the demo
    with acting_as(None, label="test"):
        demo.orgs(DemoContext(scale=0.001, seed=7, stdout=io.StringIO()))
    codes = list(PartyOrg.objects.values_list("region_code", "code"))
    assert len(codes) > 5 and len({code for _r, code in codes}) == len(codes)
    assert all(code.startswith(region) and len(code) == 15 for region, code in codes)
    assert f"{VILLAGE_A}002" in {code for _r, code in codes}
    # the demo's orgs export and import back unchanged
    out = exporting.export("orgs", tmp_path / "orgs.csv")
    assert not run("orgs", out.path).changed


def test_registries_are_listed():
    assert {"orgs", "members", "households"} <= set(registries.names())


# --- organizations: a good file -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_org_file(regions, tmp_path, suffix):
    result = run("orgs", write_rows(tmp_path / f"orgs{suffix}", org_rows()))
    assert result.counts["orgs"].created == 4
    by_code = {o.code: o for o in PartyOrg.objects.all()}
    assert by_code["G-01"].parent == by_code["B-01"] and by_code["G-01"].kind == "group"
    assert by_code["B-01"].parent == by_code["T-01"] and by_code["B-01"].basis == "place"
    assert by_code["T-01"].parent == by_code["C-01"] and by_code["T-01"].kind == "committee"
    assert by_code["C-01"].parent is None and by_code["C-01"].region_code == COUNTY_A
    assert by_code["C-01"].founded_on == datetime.date(1950, 1, 1)
    assert by_code["G-01"].basis == "place"  # blank: the default
    record = ChangeRecord.objects.get(pk=result.record_id)
    assert record.action == "batch" and record.model == "party.partyorg"
    assert record.extra["orgs"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert record.region_code == COUNTY_A
    assert PartyOrg.objects.filter(created_by__isnull=True).count() == 4


def test_org_changes_are_updates_and_a_repeat_changes_nothing(orgs, tmp_path):
    rows = org_rows()
    rows[1]["组织名称"] = "和平村党总支"
    rows[1]["组织类别"] = "党总支"
    rows[0]["上级组织代码"] = ""  # the group leaves its branch
    path = write_rows(tmp_path / "b.csv", rows)
    result = run("orgs", path)
    assert result.counts["orgs"].as_dict() == {"created": 0, "updated": 2, "unchanged": 2}
    branch = PartyOrg.objects.get(code="B-01")
    assert branch.name == "和平村党总支" and branch.kind == "general_branch"
    assert PartyOrg.objects.get(code="G-01").parent is None
    before = snapshot()
    again = run("orgs", path)
    assert not again.changed and again.record_id is None
    assert again.counts["orgs"].unchanged == 4
    assert snapshot() == before


def test_new_org_under_a_registered_parent(orgs, tmp_path):
    rows = [{"组织代码": "G-02", "组织名称": "第二党小组", "组织类别": "党小组",
             "所在区划代码": VILLAGE_A, "上级组织代码": "B-01"}]
    run("orgs", write_rows(tmp_path / "g.csv", rows))
    assert PartyOrg.objects.get(code="G-02").parent == orgs["B-01"]


# --- organizations: bad rows, one kind at a time -----------------------------------------------


def _unknown_parent(rows):
    rows[0]["上级组织代码"] = "NOPE"
    return 2, "in the registry or in this file"


def _duplicate_code(rows):
    rows.append({**rows[1], "组织名称": "另一个党支部"})
    return 6, "same as in row 3"


def _unknown_kind(rows):
    rows[1]["组织类别"] = "党委员"
    return 3, "is not one of"


def _parent_of_lower_kind(rows):
    rows[2]["上级组织代码"] = "B-01"  # a branch over the township committee (and a loop)
    return [3, 4], "cannot be the parent of"


def _parent_elsewhere(rows):
    rows[1]["所在区划代码"] = VILLAGE_B  # under a township committee of another county
    return [2, 3], "does not contain"  # and its own group stays in the first village


def _loop(rows):
    rows[3]["上级组织代码"] = "T-01"  # the county committee under the township's
    return [4, 5], "below itself"


def _own_parent(rows):
    rows[3]["上级组织代码"] = "C-01"
    return 5, "below itself"


def _unknown_region(rows):
    rows[1]["所在区划代码"] = "520102001099"
    return 3, "not a known region code"


def _dissolved_before_founded(rows):
    rows[1]["撤销日期"] = "1980-01-01"
    return 3, "is before"


def _future_founding(rows):
    rows[1]["成立日期"] = "2999-01-01"
    return 3, "in the future"


def _code_too_long(rows):
    rows[3]["组织代码"] = "C" * 31
    rows[2]["上级组织代码"] = "C" * 31
    return [4, 5], "longer than 30"


def _missing_name(rows):
    rows[2]["组织名称"] = " "
    return 4, "is required"


ORG_BAD = [_unknown_parent, _duplicate_code, _unknown_kind, _parent_of_lower_kind,
           _parent_elsewhere, _loop, _own_parent, _unknown_region, _dissolved_before_founded,
           _future_founding, _code_too_long, _missing_name]


@pytest.mark.parametrize("spoil", ORG_BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_org_row_is_rejected_and_nothing_stored(regions, tmp_path, spoil):
    rows = org_rows()
    bad_rows, reason = spoil(rows)
    bad_rows = bad_rows if isinstance(bad_rows, list) else [bad_rows]
    before = snapshot()
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(pipeline.RowsRejected) as caught:
        run("orgs", write_rows(tmp_path / "bad.csv", rows), errors_path=errors)
    assert snapshot() == before
    found = reasons_in(errors)
    assert list(found) == bad_rows, (found, caught.value.sample)
    assert any(reason in found[n] for n in bad_rows), found


def test_kind_change_keeps_registered_children_below(orgs, tmp_path):
    rows = [org_rows()[1] | {"组织类别": "党小组"}]  # the branch, without its group's row
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run("orgs", write_rows(tmp_path / "b.csv", rows), errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    assert "cannot be the parent of its organizations G-01" in reasons_in(
        tmp_path / "e.xlsx")[2]
    rows.insert(0, org_rows()[0] | {"上级组织代码": "T-01"})  # the group moves up: fine
    run("orgs", write_rows(tmp_path / "c.csv", rows))
    assert PartyOrg.objects.get(code="B-01").kind == "group"


def test_registered_org_stays_in_its_region(orgs, tmp_path):
    rows = org_rows()
    rows[1]["所在区划代码"] = "520102001002"
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run("orgs", write_rows(tmp_path / "b.csv", rows), errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    assert "registered in region 520102001001" in reasons_in(tmp_path / "e.xlsx")[3]


def test_org_rows_outside_the_users_region(regions, tmp_path, make_user):
    make_org(COUNTY_A, code="C-01", kind="committee")
    user = make_user(Role.TOWNSHIP, TOWNSHIP_A)
    rows = org_rows()[:3]  # the township committee's parent is the county's: outside, allowed
    rows.append({"组织代码": "X-01", "组织名称": "外县党支部", "组织类别": "党支部",
                 "所在区划代码": VILLAGE_B})
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run("orgs", write_rows(tmp_path / "b.csv", rows), user=user,
            errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    found = reasons_in(tmp_path / "e.xlsx")
    assert list(found) == [5] and "outside your region" in found[5]
    result = run("orgs", write_rows(tmp_path / "ok.csv", rows[:3]), user=user)
    assert result.counts["orgs"].created == 3
    assert PartyOrg.objects.get(code="T-01").created_by == user
    # the county committee is registered outside the township: not to be changed from here
    county = [{"组织代码": "C-01", "组织名称": "改名", "组织类别": "党委",
               "所在区划代码": COUNTY_A}]
    with pytest.raises(pipeline.RowsRejected):
        run("orgs", write_rows(tmp_path / "c.csv", county), user=user,
            errors_path=tmp_path / "e2.xlsx")
    assert "registered in another region" in reasons_in(tmp_path / "e2.xlsx")[2]


# --- members --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_member_file(orgs, tmp_path, suffix):
    result = run("members", write_rows(tmp_path / f"m{suffix}", member_rows(3)))
    assert result.counts["members"].created == 3
    member = PartyMember.objects.get(name="党员1")
    assert member.org == orgs["B-01"] and member.region_code == VILLAGE_A
    assert member.sex == "F" and member.birth_date == datetime.date(1961, 2, 2)  # from the ID
    assert member.ethnicity == "01" and member.education == "senior"
    assert member.stage == "full" and member.full_on == datetime.date(2003, 7, 1)
    assert member.is_farmer and not member.is_demo_household and member.phone == "13912345678"
    record = ChangeRecord.objects.get(pk=result.record_id)
    assert record.model == "party.partymember" and record.region_code == VILLAGE_A
    assert set(PartyMember.objects.values_list("batch_id", flat=True)) == {record.pk}


def test_member_aliases_and_english_identifiers(orgs, tmp_path):
    rows = member_rows(2)
    rows[0].update({"人员类别": "预备", "转正日期": "", "是否农民": "否", "民族": "Miao",
                    "性别": "男性"})
    rows[1].update({"人员类别": "activist", "确定为发展对象日期": "", "入党日期": "",
                    "转正日期": "", "是否党员示范户": "√", "文化程度": "本科"})
    run("members", write_rows(tmp_path / "m.csv", rows))
    first, second = PartyMember.objects.order_by("name")
    assert first.stage == "probationary" and not first.is_farmer and first.ethnicity == "06"
    assert second.stage == "activist" and second.is_demo_household
    assert second.education == "college"


def test_member_repeat_and_update(orgs, tmp_path):
    path = write_rows(tmp_path / "a.xlsx", member_rows(3))
    run("members", path)
    before = snapshot()
    again = run("members", path)
    assert not again.changed and again.counts["members"].unchanged == 3
    assert snapshot() == before
    rows = member_rows(3)
    rows[2]["联系电话"] = ""
    rows[2]["是否农民"] = ""  # blank: kept
    result = run("members", write_rows(tmp_path / "b.csv", rows))
    assert result.counts["members"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    member = PartyMember.objects.get(name="党员2")
    assert member.phone == "" and member.is_farmer and member.batch_id == result.record_id


def _bad_check_digit(rows):
    n = rows[1]["身份证号"]
    rows[1]["身份证号"] = n[:-1] + ("1" if n[-1] != "1" else "2")
    return 3, "check digit"


def _unknown_org(rows):
    rows[0]["所在党组织代码"] = "NOPE"
    return 2, "no party organization has the organization code “NOPE”"


def _duplicate_id(rows):
    rows[2]["身份证号"] = rows[0]["身份证号"]
    return 4, "same as in row 2"


def _sex_mismatch(rows):
    rows[0]["性别"] = "女"
    return 2, "man's"


def _birth_mismatch(rows):
    rows[0]["出生日期"] = "1999-01-01"
    return 2, "does not match"


def _unknown_stage(rows):
    rows[1]["人员类别"] = "老党员"
    return 3, "is not one of"


def _stage_dates_out_of_order(rows):
    rows[1]["转正日期"] = "2002-01-01"
    return 3, "转正日期 is before 入党日期"


def _date_of_a_stage_not_reached(rows):
    rows[2]["人员类别"] = "预备党员"
    return 4, "转正日期 is given, but the stage is 预备党员"


def _future_date(rows):
    rows[0]["转正日期"] = "2999-07-01"
    return 2, "in the future"


def _bad_phone(rows):
    rows[0]["联系电话"] = "call me"
    return 2, "not a phone number"


def _bad_yes_no(rows):
    rows[0]["是否农民"] = "也许"
    return 2, "is not one of 是、否"


def _missing_org(rows):
    rows[1]["所在党组织代码"] = ""
    return 3, "is required"


MEMBER_BAD = [_bad_check_digit, _unknown_org, _duplicate_id, _sex_mismatch, _birth_mismatch,
              _unknown_stage, _stage_dates_out_of_order, _date_of_a_stage_not_reached,
              _future_date, _bad_phone, _bad_yes_no, _missing_org]


@pytest.mark.parametrize("spoil", MEMBER_BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_member_row_is_rejected_and_nothing_stored(orgs, tmp_path, spoil):
    rows = member_rows(3)
    bad_rows, reason = spoil(rows)
    before = snapshot()
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(pipeline.RowsRejected) as caught:
        run("members", write_rows(tmp_path / "bad.csv", rows), errors_path=errors)
    assert snapshot() == before
    found = reasons_in(errors)
    assert list(found) == [bad_rows], (found, caught.value.sample)
    assert reason in found[bad_rows], found
    # reasons never repeat an ID number or a phone
    assert not any(r["身份证号"] in found[bad_rows] for r in rows if r["身份证号"])
    assert "13912345678" not in found[bad_rows]


def test_member_stays_in_its_organization(orgs, tmp_path):
    run("members", write_rows(tmp_path / "a.csv", member_rows(2)))
    rows = member_rows(2)
    rows[1]["所在党组织代码"] = "G-01"
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run("members", write_rows(tmp_path / "b.csv", rows), errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    found = reasons_in(tmp_path / "e.xlsx")
    assert list(found) == [3] and "registered with “B-01”" in found[3]
    assert "by transfer" in found[3]


def test_member_rows_outside_the_users_region(orgs, tmp_path, make_user):
    make_org(VILLAGE_B, code="B-02")
    user = make_user(Role.VILLAGE, VILLAGE_A)
    rows = member_rows(2) + member_rows(1, org_code="B-02", village=VILLAGE_B, start=10)
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run("members", write_rows(tmp_path / "b.csv", rows), user=user,
            errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    found = reasons_in(tmp_path / "e.xlsx")
    assert list(found) == [4] and "“B-02” is outside your region" in found[4]
    # a member registered in another region cannot be changed from here
    other = make_member(VILLAGE_B, org=PartyOrg.objects.get(code="B-02"))
    row = member_rows(1)[0] | {"身份证号": other.id_number}
    with pytest.raises(pipeline.RowsRejected):
        run("members", write_rows(tmp_path / "c.csv", [row]), user=user,
            errors_path=tmp_path / "e2.xlsx")
    assert "registered in another region" in reasons_in(tmp_path / "e2.xlsx")[2]
    result = run("members", write_rows(tmp_path / "ok.csv", member_rows(2)), user=user)
    assert result.counts["members"].created == 2


# --- exports ----------------------------------------------------------------------------------------


def _sheet(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    return [["" if v is None else v for v in r]
            for r in load_workbook(path).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_is_a_no_op(orgs, tmp_path, suffix):
    run("members", write_rows(tmp_path / "m.csv", member_rows(3)))
    make_member(VILLAGE_A, org=orgs["G-01"], stage="applicant", education="junior",
                occupation="=1+1")
    extra = make_org(VILLAGE_B)  # a code assigned on creation
    make_member(VILLAGE_B, org=extra, phone="")
    before = snapshot()
    org_out = exporting.export("orgs", tmp_path / f"orgs{suffix}")
    member_out = exporting.export("members", tmp_path / f"members{suffix}")
    assert org_out.rows == 5 and member_out.rows == 5 and not member_out.masked
    header, *rows = _sheet(member_out.path)
    assert "'=1+1" in [r[header.index("职业")] for r in rows]  # neutralised
    assert {r[header.index("是否农民")] for r in rows} == {"是", "否"}
    for registry, out in (("orgs", org_out), ("members", member_out)):
        result = run(registry, out.path)
        assert not result.changed, result.counts
    assert snapshot() == before


@pytest.mark.parametrize("role,masked", [(Role.VIEWER, True), (Role.INSPECTOR, True),
                                         (Role.ORG_DEPT, False)])
def test_member_export_masks_personal_data_per_role(orgs, tmp_path, make_user, role, masked):
    run("members", write_rows(tmp_path / "m.csv", member_rows(1)))
    make_member(VILLAGE_B, org=make_org(VILLAGE_B))
    user = make_user(role, COUNTY_A)
    for suffix in (".csv", ".xlsx"):
        result = exporting.export("members", tmp_path / f"x{suffix}", user=user)
        header, *rows = _sheet(result.path)
        assert result.masked is masked and len(rows) == 1  # only the user's region
        values = dict(zip(header, rows[0], strict=True))
        number = member_rows(1)[0]["身份证号"]
        if masked:
            assert values["身份证号"] == number[:4] + "*" * 10 + number[-4:]
            assert values["联系电话"] == "139****5678"
        else:
            assert values["身份证号"] == number and values["联系电话"] == "13912345678"


def test_org_export_follows_the_users_region(orgs, tmp_path, make_user):
    make_org(VILLAGE_B)
    user = make_user(Role.VIEWER, TOWNSHIP_A)
    header, *rows = _sheet(exporting.export("orgs", tmp_path / "o.csv", user=user).path)
    assert sorted(r[header.index("组织代码")] for r in rows) == ["B-01", "G-01", "T-01"]
    parent = {r[0]: r[header.index("上级组织代码")] for r in rows}
    assert parent["T-01"] == "C-01"  # the parent outside the region is named by its code


# --- commands, template, web ------------------------------------------------------------------------


def test_template_and_commands(regions, tmp_path, capsys):
    call_command("export", "members", "--template", "-o", str(tmp_path / "T.xlsx"))
    book = load_workbook(tmp_path / "T.xlsx")
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:3] == ["身份证号", "姓名", "性别"] and "所在党组织代码" in header
    allowed = {v for row in book["允许值"].iter_rows(values_only=True) for v in row}
    assert {"正式党员", "入党积极分子", "是", "否", "汉族", "男"} <= allowed
    call_command("export", "orgs", "--template", "-o", str(tmp_path / "O.xlsx"))
    header = [c.value for c in load_workbook(tmp_path / "O.xlsx").worksheets[0][1]]
    assert header == ["组织代码", "组织名称", "组织类别", "组建方式", "所在区划代码",
                      "上级组织代码", "成立日期", "撤销日期"]
    path = write_rows(tmp_path / "o.csv", org_rows())
    call_command("import", "orgs", str(path), "--dry-run")
    assert PartyOrg.objects.count() == 0
    assert "party organizations: created 4" in capsys.readouterr().out
    call_command("import", "orgs", str(path))
    assert PartyOrg.objects.count() == 4


def test_import_command_refuses_a_role_that_may_not_change(regions, tmp_path, make_user):
    make_user(Role.VIEWER, COUNTY_A, username="viewer-a")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import", "orgs", str(write_rows(tmp_path / "o.csv", org_rows())),
                     "--as", "viewer-a")
    assert PartyOrg.objects.count() == 0


def test_web_import_of_orgs_and_members(regions, make_user, tmp_path, settings):
    # Both through the `settings` fixture: an override_settings decorator beside it would be
    # undone out of order and leave TASKS overridden for the tests after this one.
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path / "var"
    make_org(COUNTY_A, code="C-01", kind="committee")
    user = make_user(Role.TOWNSHIP, COUNTY_A)
    client = client_for(user)
    page = client.get(reverse("ingest:orgs_upload"))
    assert page.status_code == 200 and b'data-testid="registry-description"' in page.content
    with open(write_rows(tmp_path / "o.xlsx", org_rows()[:3]), "rb") as handle:
        response = client.post(reverse("ingest:orgs_upload"), {"file": handle})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == "done" and job.result["orgs"]["created"] == 3, job.message
    with open(write_rows(tmp_path / "m.csv", member_rows(2)), "rb") as handle:
        client.post(reverse("ingest:members_upload"), {"file": handle})
    job = ImportJob.objects.first()
    assert job.state == "done" and job.result["members"]["created"] == 2, job.message
    assert PartyMember.objects.filter(created_by=user).count() == 2
    template = client.get(reverse("ingest:members_template"))
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert book.worksheets[0].cell(1, 1).value == "身份证号"
    # roles that may not change party records may not import them
    for role in (Role.POVERTY_OFFICE, Role.WORK_TEAM, Role.VIEWER):
        assert client_for(make_user(role, COUNTY_A)).get(
            reverse("ingest:members_upload")).status_code == 403, role
