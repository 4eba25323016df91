"""The one-model registry base (fupin/ingest/records.py), through two registries declared here
and never registered: village cadres (key: the ID number; region: a village column; the party
member by ID number, one-to-one) and cadre welfare (key: the cadre's ID number and the year
together; region: the cadre's)."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.core.idnumber import make as make_id
from fupin.core.masking import ID_NUMBER as ID_KIND
from fupin.core.masking import PHONE
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, VILLAGE_A, VILLAGE_B
from fupin.ingest import exporting, pipeline
from fupin.ingest.records import ModelRegistry, Ref, identity_checks
from fupin.ingest.registry import (
    BOOL,
    CODE,
    DECIMAL,
    ENUM,
    ID_NUMBER,
    INT,
    REGION,
    TEXT,
    VILLAGE,
    Column,
)
from fupin.ingest.testing import write_rows
from fupin.party.models import Cadre, CadreWelfare
from fupin.party.testing import make_cadre, make_member

pytestmark = pytest.mark.django_db


class CadreRegistry(ModelRegistry):
    name = "test-cadres"
    verbose_name = "village cadres"
    model = Cadre
    sheet_title = "村干部"
    columns = (
        Column("id_number", "身份证号", ID_NUMBER, required=True, personal=ID_KIND),
        Column("name", "姓名", TEXT, required=True),
        Column("region_code", "村区划代码", VILLAGE, required=True),
        Column("sex", "性别", ENUM, choices=(("M", "男"), ("F", "女")), blank_keeps=True),
        Column("birth_date", "出生日期", "date", blank_keeps=True),
        Column("is_college_graduate", "是否大学生", BOOL, blank_keeps=True),
        Column("member_id_number", "党员身份证号", ID_NUMBER, personal=ID_KIND),
        Column("phone", "联系电话", CODE, personal=PHONE),
    )
    key = ("id_number",)
    refs = (Ref("member_id_number", "member", key="id_number"),)
    derived = ("sex", "birth_date")

    def check_rows(self, frame, ctx):
        return identity_checks(frame, ctx)


class WelfareRegistry(ModelRegistry):
    name = "test-welfare"
    verbose_name = "cadre welfare"
    model = CadreWelfare
    sheet_title = "报酬"
    columns = (
        Column("cadre_id_number", "身份证号", ID_NUMBER, required=True, personal=ID_KIND),
        Column("year", "年度", INT, required=True, min_value=2000, max_value=2100),
        Column("pay", "报酬(元)", DECIMAL),
        Column("pension_insurance", "养老保险", BOOL),
        Column("medical_insurance", "医疗保险", BOOL, blank_keeps=True),
    )
    key = ("cadre_id_number", "year")
    refs = (Ref("cadre_id_number", "cadre", key="id_number"),)
    region = "cadre_id_number"


CADRES = CadreRegistry()
WELFARE = WelfareRegistry()


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def run(registry, path, **kwargs):
    with acting_as(kwargs.get("user"), label="test:import"):
        return pipeline.import_file(registry, path, **kwargs)


def reasons_in(errors_path) -> dict[int, str]:
    rows = list(load_workbook(errors_path).active.iter_rows(values_only=True))
    col = rows[0].index("Errors")
    return {i + 1: r[col] for i, r in enumerate(rows) if i and r[col]}


def cadre_rows(count=3, village=VILLAGE_A, start=0):
    rows = []
    for n in range(start, start + count):
        birth = datetime.date(1970 + n, 3, 1 + n)
        rows.append({"身份证号": make_id(village[:6], birth, 100 + n, "F" if n % 2 else "M"),
                     "姓名": f"干部{n}", "村区划代码": village, "性别": "", "出生日期": "",
                     "是否大学生": "是" if n % 2 else "否", "党员身份证号": "",
                     "联系电话": "13800001111"})
    return rows


def state():
    return (sorted(Cadre.objects.values_list("id_number", "name", "member_id", "updated_at")),
            sorted(CadreWelfare.objects.values_list("cadre_id", "year", "pay", "updated_at")),
            ChangeRecord.objects.count())


def rejected(registry, rows, tmp_path, **kwargs) -> dict[int, str]:
    """Import `rows`, expect them rejected with nothing stored; the reasons by row."""
    before = state()
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(pipeline.RowsRejected):
        run(registry, write_rows(tmp_path / "bad.csv", rows), errors_path=errors, **kwargs)
    assert state() == before
    return reasons_in(errors)


# --- the declaration ------------------------------------------------------------------------------


def test_columns_take_the_model_field_lengths():
    assert CADRES.column("name").max_length == 50 and CADRES.column("phone").max_length == 20
    assert CADRES.entities == ("test-cadres",)


@pytest.mark.parametrize("attrs", [
    {"key": ("phone",)},  # a key column must be required
    {"key": ("nothing",)},
    {"region": "phone"},  # not a region column
    {"columns": (*CadreRegistry.columns, Column("nothing", "无", TEXT))},
    {"refs": (Ref("phone", "member", key="id_number"),), "region": "phone"},  # not required
    {"refs": (Ref("member_id_number", "member", key="nothing"),)},
    {"refs": (Ref("member_id_number", "nothing", key="id_number"),)},
])
def test_bad_declarations_fail_early(attrs):
    with pytest.raises(ImproperlyConfigured):
        type("Bad", (CadreRegistry,), attrs)()


def test_a_region_column_may_be_any_level(regions, tmp_path):
    class AnyLevel(CadreRegistry):
        columns = tuple(Column("region_code", "区划代码", REGION, required=True)
                        if c.name == "region_code" else c for c in CadreRegistry.columns)

    rows = cadre_rows(1)
    rows[0]["区划代码"] = rows[0].pop("村区划代码")
    rows[0]["区划代码"] = COUNTY_A
    run(AnyLevel(), write_rows(tmp_path / "a.csv", rows))
    assert Cadre.objects.get().region_code == COUNTY_A
    for row in rows:
        row["区划代码"] = "520102001099"
    assert "not a known region code" in rejected(AnyLevel(), rows, tmp_path)[2]


# --- a good file, repeats, round trips ----------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_file_repeat_and_round_trip(regions, tmp_path, suffix):
    member = make_member(VILLAGE_A)
    rows = cadre_rows(3)
    rows[0]["党员身份证号"] = member.id_number
    path = write_rows(tmp_path / f"a{suffix}", rows)
    result = run(CADRES, path)
    assert result.counts == {"test-cadres": result.counts["test-cadres"]}
    assert result.counts["test-cadres"].as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    first = Cadre.objects.get(name="干部0")
    assert first.member == member and first.sex == "M" and first.birth_date.year == 1970
    assert Cadre.objects.get(name="干部1").is_college_graduate
    record = ChangeRecord.objects.get(pk=result.record_id)
    assert record.model == "party.cadre" and record.extra["file_sha256"] == result.sha256
    assert record.extra["test-cadres"]["created"] == 3 and record.region_code == VILLAGE_A
    before = state()
    again = run(CADRES, path)
    assert not again.changed and again.record_id is None and state() == before
    out = exporting.export(CADRES, tmp_path / f"x{suffix}")
    assert out.rows == 3 and not run(CADRES, out.path).changed and state() == before


def test_dry_run_counts_and_stores_nothing(regions, tmp_path):
    result = run(CADRES, write_rows(tmp_path / "a.csv", cadre_rows(2)), dry_run=True)
    assert result.counts["test-cadres"].created == 2 and result.record_id is None
    assert not Cadre.objects.exists() and not ChangeRecord.objects.filter(action="batch").exists()


def test_blank_cells_keep_or_clear(regions, tmp_path):
    run(CADRES, write_rows(tmp_path / "a.csv", cadre_rows(2)))
    rows = cadre_rows(2)
    rows[1].update({"联系电话": "", "是否大学生": ""})
    result = run(CADRES, write_rows(tmp_path / "b.csv", rows))
    assert result.counts["test-cadres"].as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    cadre = Cadre.objects.get(name="干部1")
    assert cadre.phone == "" and cadre.is_college_graduate  # cleared; kept


@pytest.mark.parametrize("written,value", [("√", True), ("×", False), ("true", True),
                                           ("1", True), ("否", False), ("有", True)])
def test_yes_no_cells(regions, tmp_path, written, value):
    rows = cadre_rows(1)
    rows[0]["是否大学生"] = written
    run(CADRES, write_rows(tmp_path / "a.csv", rows))
    assert Cadre.objects.get().is_college_graduate is value


# --- refs -------------------------------------------------------------------------------------------


def test_unknown_ref_names_no_personal_data(regions, tmp_path):
    rows = cadre_rows(2)
    rows[1]["党员身份证号"] = make_id("520102", datetime.date(1990, 1, 1), 7, "M")
    found = rejected(CADRES, rows, tmp_path)
    assert list(found) == [3] and "no party member has this ID number" in found[3]
    assert rows[1]["党员身份证号"] not in found[3]


def test_ref_outside_the_users_region(regions, tmp_path, make_user):
    outside = make_member(VILLAGE_B)
    rows = cadre_rows(1)
    rows[0]["党员身份证号"] = outside.id_number
    user = make_user(Role.VILLAGE, VILLAGE_A)
    found = rejected(CADRES, rows, tmp_path, user=user)
    assert "this party member is outside your region" in found[2]


def test_one_to_one_ref_is_unique(regions, tmp_path):
    member = make_member(VILLAGE_A)
    make_cadre(VILLAGE_A, member=member)
    rows = cadre_rows(2)
    rows[0]["党员身份证号"] = member.id_number
    found = rejected(CADRES, rows, tmp_path)
    assert list(found) == [2] and "belongs to another village cadre already" in found[2]
    rows = cadre_rows(2)
    other = make_member(VILLAGE_A)
    rows[0]["党员身份证号"] = rows[1]["党员身份证号"] = other.id_number
    found = rejected(CADRES, rows, tmp_path)
    assert list(found) == [3] and "same as in row 2" in found[3]


# --- the natural key and the region ---------------------------------------------------------------


def test_duplicate_key_in_the_file(regions, tmp_path):
    rows = cadre_rows(3)
    rows[2]["身份证号"] = rows[0]["身份证号"]
    rows[2]["姓名"] = "干部0"
    found = rejected(CADRES, rows, tmp_path)
    assert list(found) == [4] and "身份证号 is the same as in row 2" in found[4]


def test_rows_outside_the_users_region(regions, tmp_path, make_user):
    user = make_user(Role.VILLAGE, VILLAGE_A)
    rows = cadre_rows(2) + cadre_rows(1, village=VILLAGE_B, start=5)
    found = rejected(CADRES, rows, tmp_path, user=user)
    assert list(found) == [4] and "outside your region" in found[4]
    elsewhere = make_cadre(VILLAGE_B)
    row = cadre_rows(1)[0] | {"身份证号": elsewhere.id_number, "性别": "", "出生日期": ""}
    found = rejected(CADRES, [row], tmp_path, user=user)
    assert "身份证号 is registered in another region" in found[2]
    assert elsewhere.id_number not in found[2]


def test_a_registered_record_stays_in_its_region(regions, tmp_path):
    run(CADRES, write_rows(tmp_path / "a.csv", cadre_rows(1)))
    rows = cadre_rows(1)
    rows[0]["村区划代码"] = "520102001002"
    found = rejected(CADRES, rows, tmp_path)
    assert "registered in region 520102001001" in found[2]


# --- a composite key with a ref, the region from the ref ------------------------------------------


def welfare_rows(cadre, years=(2024, 2025)):
    return [{"身份证号": cadre.id_number, "年度": str(year), "报酬(元)": "24,000.50",
             "养老保险": "是", "医疗保险": "否"} for year in years]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_composite_key(regions, tmp_path, suffix):
    cadre = make_cadre(VILLAGE_A)
    path = write_rows(tmp_path / f"w{suffix}", welfare_rows(cadre))
    result = run(WELFARE, path)
    assert result.counts["test-welfare"].created == 2
    row = CadreWelfare.objects.get(year=2025)
    assert row.cadre == cadre and row.region_code == VILLAGE_A and row.pay == Decimal("24000.50")
    assert row.pension_insurance and not row.medical_insurance
    assert not run(WELFARE, path).changed
    rows = welfare_rows(cadre)
    rows[1].update({"报酬(元)": "", "养老保险": "", "医疗保险": ""})
    result = run(WELFARE, write_rows(tmp_path / "b.csv", rows))
    assert result.counts["test-welfare"].as_dict() == {"created": 0, "updated": 1,
                                                       "unchanged": 1}
    row.refresh_from_db()
    # blank clears to the model default; a blank_keeps column keeps
    assert row.pay == 0 and not row.pension_insurance and not row.medical_insurance
    before = state()
    out = exporting.export(WELFARE, tmp_path / f"x{suffix}")
    assert out.rows == 2 and not run(WELFARE, out.path).changed and state() == before


def test_composite_key_errors(regions, tmp_path, make_user):
    cadre = make_cadre(VILLAGE_A)
    rows = welfare_rows(cadre, (2024, 2024))
    found = rejected(WELFARE, rows, tmp_path)
    assert list(found) == [3] and "身份证号+年度 is the same as in row 2" in found[3]
    rows = welfare_rows(cadre)
    rows[0]["身份证号"] = make_id("520102", datetime.date(1980, 1, 1), 9, "F")
    found = rejected(WELFARE, rows, tmp_path)
    assert list(found) == [2] and "no village cadre has this ID number" in found[2]
    other = make_cadre(VILLAGE_B)
    found = rejected(WELFARE, welfare_rows(other), tmp_path,
                     user=make_user(Role.VILLAGE, VILLAGE_A))
    assert list(found) == [2, 3] and "outside your region" in found[2]


# --- exports ---------------------------------------------------------------------------------------


def _sheet(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("role,masked", [(Role.VIEWER, True), (Role.INSPECTOR, True),
                                         (Role.ORG_DEPT, False), (Role.VILLAGE, False)])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_masks_per_role_and_keeps_to_the_region(regions, tmp_path, make_user, role,
                                                        masked, suffix):
    member = make_member(VILLAGE_A)
    cadre = make_cadre(VILLAGE_A, member=member, phone="13912345678", name="=2+3")
    make_cadre(VILLAGE_B)
    user = make_user(role, VILLAGE_A if role == Role.VILLAGE else COUNTY_A)
    result = exporting.export(CADRES, tmp_path / f"x{suffix}", user=user)
    header, *rows = _sheet(result.path)
    assert result.masked is masked and len(rows) == 1
    values = dict(zip(header, rows[0], strict=True))
    assert values["姓名"] == "'=2+3" and values["是否大学生"] == "否"
    if masked:
        assert values["身份证号"] == cadre.id_number[:4] + "*" * 10 + cadre.id_number[-4:]
        assert values["党员身份证号"].startswith(member.id_number[:4]) and "*" in \
            values["党员身份证号"]
        assert values["联系电话"] == "139****5678"
    else:
        assert values["身份证号"] == cadre.id_number
        assert values["党员身份证号"] == member.id_number
        assert values["联系电话"] == "13912345678"


def test_template(regions, tmp_path):
    path = exporting.write_template(CADRES, tmp_path / "t.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["身份证号", "姓名", "村区划代码"]
    assert sheet.title == "村干部" and book["允许值"].sheet_state == "hidden"
    assert len(sheet.data_validations.dataValidation) == 2  # sex, college graduate
    with pytest.raises(Exception, match="no data rows"):
        run(CADRES, path)
