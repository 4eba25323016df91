"""Importing and exporting households (fupin/poverty/ingest.py through fupin.ingest)."""

from __future__ import annotations

import csv
import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, VILLAGE_B
from fupin.ingest import exporting, pipeline
from fupin.ingest.testing import household_rows, write_rows
from fupin.poverty.models import Household, Person
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def streamed_xlsx(monkeypatch):
    """Read every XLSX as a large one is read (StreamingXlsxSource, not calamine)."""
    from fupin.ingest import sources

    monkeypatch.setattr(sources, "STREAM_XLSX_BYTES", 0)


def run(path, **kwargs):
    with acting_as(kwargs.get("user"), label="test:import"):
        return pipeline.import_file("households", path, **kwargs)


def snapshot():
    return (Household.objects.count(), Person.objects.count(), ChangeRecord.objects.count())


def reasons_in(errors_path) -> dict[int, str]:
    sheet = load_workbook(errors_path).active
    rows = list(sheet.iter_rows(values_only=True))
    col = rows[0].index("Errors")
    return {i + 1: r[col] for i, r in enumerate(rows) if i and r[col]}


# --- a good file --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", "streamed.xlsx"])
def test_good_file(regions, tmp_path, suffix, request):
    if suffix.startswith("streamed"):
        request.getfixturevalue("streamed_xlsx")
        suffix = ".xlsx"
    path = write_rows(tmp_path / f"good{suffix}", household_rows(2, 3))
    result = run(path)
    assert result.counts["households"].created == 2
    assert result.counts["persons"].created == 6
    household = Household.objects.get(number="T00000")
    assert household.region_code == VILLAGE_A
    assert household.attribute == "ordinary" and household.main_cause == "illness"
    assert household.members_count == 3 and household.head_name == "成员0-0"
    assert household.identification_year == 2014 and str(household.income_per_capita) == "2300.50"
    head = household.members.get(relation="head")
    assert head.sex == "M" and head.birth_date.year == 1960  # read from the ID number
    assert household.members.get(relation="spouse").sex == "F"
    assert head.ethnicity == "01" and head.education == "junior"
    record = ChangeRecord.objects.get(pk=result.record_id)
    assert record.action == "batch" and record.model == "poverty.household"
    assert record.extra["file_sha256"] == result.sha256
    assert record.extra["persons"] == {"created": 6, "updated": 0, "unchanged": 0}
    assert record.region_code == VILLAGE_A
    assert set(Person.objects.values_list("batch_id", flat=True)) == {record.pk}
    assert set(Household.objects.values_list("batch_id", flat=True)) == {record.pk}
    assert Household.objects.filter(created_by__isnull=True).count() == 2  # the CLI is the system


def test_normalising_cells(regions, tmp_path):
    rows = household_rows(1, 2)
    number = rows[0]["身份证号"]
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in number)
    for row in rows:
        row.update({"贫困户属性": "低保贫困户", "主要致贫原因": "缺劳动力"})
    rows[0].update({"身份证号": f"  {full_width.lower()}\u3000", "姓名": "  张三  ",
                    "民族": "苗", "与户主关系": "本人", "户编号": "Ｔ00000"})
    rows[1].update({"与户主关系": "长子", "民族": "Miao", "健康状况": "患大病",
                    "户编号": "T00000"})
    headers = [*rows[0], "出生日期"]
    # the ID number gives the birth date; an Excel serial for the same day agrees with it
    info_birth = datetime.date(1960, 1, 1)
    rows[0]["出生日期"] = str((info_birth - datetime.date(1899, 12, 30)).days)  # Excel serial
    rows[1]["出生日期"] = ""
    run(write_rows(tmp_path / "n.csv", rows, headers))
    head = Person.objects.get(relation="head")
    assert head.id_number == number and head.name == "张三" and head.ethnicity == "06"
    assert head.birth_date == info_birth
    assert head.household.number == "T00000" and head.household.attribute == "dibao"
    assert head.household.main_cause == "labour"
    son = Person.objects.get(relation="son")
    assert son.ethnicity == "06" and son.health == "serious"


def test_english_headers_and_identifiers(regions, tmp_path):
    rows = [{"household_number": "E1", "region_code": VILLAGE_A, "name": "A",
             "id_number": make_id("520102", datetime.date(1980, 5, 5), 1, "M"),
             "relation": "head", "identification_year": "2016", "attribute": "support",
             "ethnicity": "01"}]
    result = run(write_rows(tmp_path / "e.csv", rows))
    assert result.counts["persons"].created == 1
    assert Household.objects.get(number="E1").attribute == "support"


# --- bad rows, one kind at a time -------------------------------------------------------------


def _bad_check_digit(rows):
    n = rows[1]["身份证号"]
    rows[1]["身份证号"] = n[:-1] + ("1" if n[-1] != "1" else "2")
    return 3, "check digit"


def _unknown_value(rows):
    rows[0]["贫困户属性"] = "富裕户"
    return 2, "is not one of"


def _not_a_village(rows):
    for row in rows[:3]:
        row["村区划代码"] = "520102001000"
    return [2, 3, 4], "not a village"


def _unknown_region(rows):
    for row in rows[:3]:
        row["村区划代码"] = "520102001099"
    return [2, 3, 4], "not a known region code"


def _duplicate_id(rows):
    rows[4]["身份证号"] = rows[1]["身份证号"]
    return 6, "same as in row 3"


def _two_heads(rows):
    rows[2]["与户主关系"] = "户主"
    return 4, "second head"


def _no_head(rows):
    rows[0]["与户主关系"] = "其他"
    return 2, "no row whose"


def _household_disagrees(rows):
    rows[2]["识别年度"] = "2015"
    return 4, "differs from row 2"


def _missing_name(rows):
    rows[1]["姓名"] = "  "
    return 3, "is required"


def _bad_year(rows):
    rows[0]["识别年度"] = "二〇一四"
    return 2, "not a whole number"


def _new_household_without_year(rows):
    for row in rows[:3]:
        row["识别年度"] = ""
    return 2, "required for a new household"


def _bad_phone(rows):
    rows[0]["联系电话"] = "call me"
    return 2, "not a phone number"


def _sex_mismatch(rows):
    rows[0]["性别"] = "女"
    return 2, "man's"


BAD = [_bad_check_digit, _unknown_value, _not_a_village, _unknown_region, _duplicate_id,
       _two_heads, _no_head, _household_disagrees, _missing_name, _bad_year,
       _new_household_without_year, _bad_phone, _sex_mismatch]


@pytest.mark.parametrize("spoil", BAD, ids=lambda f: f.__name__.strip("_"))
def test_bad_row_is_rejected_and_nothing_stored(regions, tmp_path, spoil):
    rows = household_rows(2, 3)
    for row in rows:
        row.setdefault("性别", "")
    bad_rows, reason = spoil(rows)
    bad_rows = bad_rows if isinstance(bad_rows, list) else [bad_rows]
    before = snapshot()
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(pipeline.RowsRejected) as caught:
        run(write_rows(tmp_path / "bad.csv", rows), errors_path=errors)
    assert caught.value.bad_rows == len(bad_rows), caught.value.sample
    assert snapshot() == before
    found = reasons_in(errors)
    assert list(found) == bad_rows, found
    assert all(reason in found[n] for n in bad_rows), found
    # the error workbook is the input plus the reasons column
    sheet = load_workbook(errors).active
    assert sheet.max_row == len(rows) + 1
    assert sheet.cell(1, 1).value == "户编号"


def test_id_number_of_another_household_is_rejected(regions, tmp_path):
    other = make_household(VILLAGE_A, members=1, number="OTHER1")
    rows = household_rows(1, 2)
    rows[1]["身份证号"] = other.members.get().id_number
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run(write_rows(tmp_path / "b.csv", rows), errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    assert "already registered to household OTHER1" in reasons_in(tmp_path / "e.xlsx")[3]


def test_household_in_another_village_is_rejected(regions, tmp_path):
    make_household("520102001002", members=1, number="T00000")
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run(write_rows(tmp_path / "b.csv", household_rows(1, 2)), errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    assert "registered in village 520102001002" in reasons_in(tmp_path / "e.xlsx")[2]


def test_members_missing_from_the_file_are_rejected(regions, tmp_path):
    path = write_rows(tmp_path / "a.csv", household_rows(1, 3))
    run(path)
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run(write_rows(tmp_path / "b.csv", household_rows(1, 3)[:2]),
            errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    assert "1 more member" in reasons_in(tmp_path / "e.xlsx")[2]


def test_rows_outside_the_users_region_are_rejected(regions, tmp_path, make_user):
    user = make_user(Role.VILLAGE, VILLAGE_A)
    rows = household_rows(1, 2) + household_rows(1, 2, village=VILLAGE_B, prefix="B")
    before = snapshot()
    with pytest.raises(pipeline.RowsRejected):
        run(write_rows(tmp_path / "b.csv", rows), user=user, errors_path=tmp_path / "e.xlsx")
    assert snapshot() == before
    found = reasons_in(tmp_path / "e.xlsx")
    assert sorted(found) == [4, 5] and "outside your region" in found[4]
    result = run(write_rows(tmp_path / "ok.csv", household_rows(1, 2)), user=user)
    assert result.counts["households"].created == 1
    assert Household.objects.get().created_by == user


# --- idempotence and round trips ----------------------------------------------------------------


def test_repeat_import_is_a_no_op(regions, tmp_path):
    path = write_rows(tmp_path / "a.xlsx", household_rows(3, 2))
    run(path)
    stamps = list(Person.objects.order_by("id").values_list("updated_at", "batch_id"))
    before = snapshot()
    result = run(path)
    assert not result.changed and result.record_id is None
    assert result.counts["persons"].unchanged == 6 and result.counts["households"].unchanged == 3
    assert snapshot() == before
    assert list(Person.objects.order_by("id").values_list("updated_at", "batch_id")) == stamps


def test_changed_rows_are_updated_blank_keeps_or_clears(regions, tmp_path):
    rows = household_rows(1, 2)
    run(write_rows(tmp_path / "a.csv", rows))
    rows[0]["姓名"] = "新名字"
    for row in rows:
        row.update({"贫困状态": "", "人均纯收入(元)": "", "主要致贫原因": "因学"})
    result = run(write_rows(tmp_path / "b.csv", rows))
    assert result.counts["persons"].updated == 1 and result.counts["persons"].unchanged == 1
    assert result.counts["households"].updated == 1
    household = Household.objects.get()
    assert household.head_name == "新名字"
    assert household.status == "poor"  # blank: not given, kept
    assert household.income_per_capita is None  # blank: cleared
    assert household.main_cause == "schooling"
    assert household.batch_id == result.record_id


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", "streamed.xlsx"])
def test_export_then_import_is_a_no_op(regions, tmp_path, suffix, request):
    if suffix.startswith("streamed"):
        request.getfixturevalue("streamed_xlsx")
        suffix = ".xlsx"
    make_household(VILLAGE_A, members=3)
    make_household(VILLAGE_B, members=2, income_per_capita="-120.50", main_cause="land")
    run(write_rows(tmp_path / "a.csv", household_rows(2, 3, prefix="Z")))
    out = exporting.export("households", tmp_path / f"export{suffix}")
    assert out.rows == 11 and not out.masked
    before = snapshot()
    result = run(out.path)
    assert not result.changed, result.counts
    assert result.counts["persons"].unchanged == 11
    assert snapshot() == before


# --- exports: masking, scope, formulas --------------------------------------------------------


def _export_rows(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.INSPECTOR, Role.VILLAGE, Role.HELPER,
                                  Role.POVERTY_OFFICE])
def test_export_masks_personal_data_per_role(regions, tmp_path, make_user, role):
    from fupin.core.masking import BANK_ACCOUNT, FULL, HEALTH, ID_NUMBER, LAST4, PHONE
    from fupin.core.policy import can_see
    from fupin.core.testing import sample_for

    user = make_user(role, VILLAGE_A if role == Role.VILLAGE else "520102000000")
    # a helper's export holds their own households only
    household = sample_for("poverty.household", VILLAGE_A, user) if role == Role.HELPER \
        else make_household(VILLAGE_A, members=2)
    make_household(VILLAGE_B, members=2)
    result = exporting.export("households", tmp_path / "x.csv", user=user)
    rows = _export_rows(result.path)
    header = rows[0]
    forms = {kind: can_see(user, kind) for kind in (ID_NUMBER, PHONE, BANK_ACCOUNT, HEALTH)}
    assert result.masked is (set(forms.values()) != {FULL})
    assert len(rows) == 1 + household.members.count()  # only the user's region
    number = household.members.get(relation="head").id_number
    values = dict(zip(header, rows[1], strict=True))
    assert values["身份证号"] == {FULL: number, LAST4: "*" * 14 + number[-4:]}.get(
        forms[ID_NUMBER], number[:4] + "*" * 10 + number[-4:])
    assert values["联系电话"] == ("13912345678" if forms[PHONE] == FULL else "139****5678")
    assert values["银行账号"] == ("6222021234567890123" if forms[BANK_ACCOUNT] == FULL
                                  else "*" * 19)  # masked: no digit of it
    assert values["健康状况"] == ("长期慢性病" if forms[HEALTH] == FULL else "(hidden)")


def test_export_command_as_user_says_masked(regions, tmp_path, make_user, capsys):
    make_household(VILLAGE_A, members=1)
    user = make_user(Role.VIEWER, "520102000000", username="viewer-a")
    call_command("export", "households", "--as", "viewer-a", "-o", str(tmp_path / "x.xlsx"))
    assert "cannot be imported back" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("export", "households", "--as", "viewer-a", "--region", "520302000000",
                     "-o", str(tmp_path / "y.xlsx"))
    assert user.pk


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", "streamed.xlsx"])
def test_formulas_are_neutralised(regions, tmp_path, suffix, request):
    if suffix.startswith("streamed"):
        request.getfixturevalue("streamed_xlsx")
        suffix = ".xlsx"
    rows = household_rows(1, 2)
    rows[0]["姓名"] = '=HYPERLINK("http://x.example","点我")'
    rows[1]["姓名"] = "@SUM(A1)"
    for row in rows:
        row["人均纯收入(元)"] = "-35.5"
    run(write_rows(tmp_path / "f.csv", rows))
    assert Person.objects.filter(name__startswith="=HYPERLINK").exists()
    out = exporting.export("households", tmp_path / f"x{suffix}")
    exported = _export_rows(out.path)
    names = [r[exported[0].index("姓名")] for r in exported[1:]]
    assert names == ['\'=HYPERLINK("http://x.example","点我")', "'@SUM(A1)"]
    income = exported[1][exported[0].index("人均纯收入(元)")]
    assert income == (-35.5 if suffix == ".xlsx" else "-35.50")  # a number, no apostrophe
    if suffix == ".xlsx":
        cell = load_workbook(out.path).active.cell(2, exported[0].index("姓名") + 1)
        assert cell.data_type == "s"
    assert not run(out.path).changed  # the apostrophe is dropped again on import


# --- the commands -----------------------------------------------------------------------------


def test_import_command(regions, tmp_path, capsys):
    path = write_rows(tmp_path / "a.csv", household_rows(2, 2))
    call_command("import", "households", str(path), "--dry-run")
    assert Household.objects.count() == 0
    call_command("import", "households", str(path))
    out = capsys.readouterr().out
    assert "households: created 2" in out and "persons: created 4" in out
    call_command("import", "households", str(path))
    assert "created 0 / updated 0 / unchanged 4" in capsys.readouterr().out


def test_import_command_bad_rows_exit_1(regions, tmp_path, capsys):
    rows = household_rows(1, 2)
    rows[1]["与户主关系"] = "邻居"
    path = write_rows(tmp_path / "a.csv", rows)
    with pytest.raises(CommandError) as caught:
        call_command("import", "households", str(path))
    assert caught.value.returncode == 1
    assert "1 of 2 rows have errors; nothing was stored" in str(caught.value)
    assert (tmp_path / "a-errors.xlsx").exists()
    assert "row 3:" in capsys.readouterr().err


@pytest.mark.parametrize("name,content,expected", [
    ("missing.csv", None, "no such file"),
    ("data.txt", b"x", "unknown format"),
    ("broken.xlsx", b"not a zip file", "not a readable workbook"),
    ("empty.csv", b"", "is empty"),
    ("header.csv", "姓名,身份证号\n".encode(), "must name the columns"),
])
def test_import_command_file_errors_are_one_line(regions, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command("import", "households", str(path))
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_registry(regions, tmp_path):
    with pytest.raises(CommandError, match="unknown registry"):
        call_command("import", "nothing", str(tmp_path / "a.csv"))


def test_template(regions, tmp_path):
    call_command("export", "households", "--template", "-o", str(tmp_path / "T.xlsx"))
    book = load_workbook(tmp_path / "T.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["户编号", "村区划代码", "贫困户属性"] and "身份证号" in header
    values = book["允许值"]
    assert values.sheet_state == "hidden"
    allowed = {v for row in values.iter_rows(values_only=True) for v in row}
    assert {"户主", "配偶", "孙子女", "一般", "因病", "汉族"} <= allowed
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 9 and all(v.type == "list" for v in validations)
    # the template imports as "no data rows"
    with pytest.raises(CommandError, match="no data rows"):
        call_command("import", "households", str(tmp_path / "T.xlsx"))
