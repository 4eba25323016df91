"""`fupin regions import`: the bundled file, idempotency, and every kind of bad row."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from fupin.core import changelog
from fupin.core.models import ChangeRecord
from fupin.regions import importer
from fupin.regions.models import Region

from .conftest import REGION_HEADER, SMALL_TREE

pytestmark = pytest.mark.django_db

PROVINCE = ("520000000000", "贵州省", 1, "", "")
PREFECTURE = ("520100000000", "贵阳市", 2, "520000000000", "")
COUNTY = ("520102000000", "南明区", 3, "520100000000", "")
TOWNSHIP = ("520102001000", "甲街道", 4, "520102000000", "")
VILLAGE = ("520102001001", "甲一社区", 5, "520102001000", "")
GOOD = [PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE]


def run_import(path, *args) -> str:
    out = io.StringIO()
    call_command("regions", "import", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Region._base_manager.order_by("code").values_list(
        "code", "name", "level", "parent_id", "urban_rural_code"))


def per_level() -> dict[int, int]:
    rows = Region._base_manager.values("level").annotate(n=Count("code")).order_by("level")
    return {r["level"]: r["n"] for r in rows}


# --- the bundled file ----------------------------------------------------------------------------


def test_bundled_file_is_the_shared_snapshot():
    data = importer.BUNDLED_REGIONS.read_bytes()
    assert len(data) == 938_721
    assert data.startswith(b"code,name,level,parent_code,urban_rural_code\n")
    notice = (importer.BUNDLED_REGIONS.parent / "NOTICE").read_text(encoding="utf-8")
    for needle in ("liyanjie2048/AdministrativeDivisionCn",
                   "74875658fe652df5738bfb015b390b2857de65e3", "MIT", "NBS", "市辖区"):
        assert needle in notice


def test_bundled_file_imports_every_level_once_and_a_second_run_changes_nothing():
    out = run_import(importer.BUNDLED_REGIONS)
    assert per_level() == {1: 1, 2: 9, 3: 93, 4: 1_511, 5: 17_920}
    assert "province 1 / prefecture 9 / county 93 / township 1,511 / village 17,920" in out
    assert "created 19,534 / updated 0 / unchanged 0 / not in file 0" in out

    sha = hashlib.sha256(importer.BUNDLED_REGIONS.read_bytes()).hexdigest()
    record = ChangeRecord.objects.get()
    assert (record.action, record.model, record.object_id) == ("batch", "regions.region", sha)
    assert record.object_repr == "guizhou-52.csv"
    assert record.region_code == "520000000000"
    assert record.actor == "cli:regions import"
    assert record.extra["file_sha256"] == sha
    assert (record.extra["created"], record.extra["updated"], record.extra["unchanged"]) == (
        19_534, 0, 0)
    assert record.extra["per_level"] == {"1": 1, "2": 9, "3": 93, "4": 1_511, "5": 17_920}

    # Spot checks from the data README.
    assert Region._base_manager.get(code="520402101002").name == "六0二库居委会"
    assert Region._base_manager.get(code="520324116001").name == "桴㯊居民委员会"
    assert Region._base_manager.get(code="520111400498").parent_id == "520111400000"
    assert not Region._base_manager.filter(parent_id="520101000000").exists()  # 市辖区

    before = snapshot()
    out = run_import(importer.BUNDLED_REGIONS)
    assert "created 0 / updated 0 / unchanged 19,534 / not in file 0" in out
    assert ChangeRecord.objects.count() == 1
    assert snapshot() == before
    assert changelog.verify()[1] is None


# --- small files -----------------------------------------------------------------------------------


def test_small_file_counts_and_update(write_csv):
    out = run_import(write_csv(SMALL_TREE))
    assert "province 1 / prefecture 1 / county 2 / township 4 / village 5" in out
    assert "created 13 / updated 0 / unchanged 0" in out
    assert Region._base_manager.get(code="520102001001").urban_rural_code == "111"

    # A renamed village, a new urban-rural code, and a county left out of the file.
    rows = [r for r in SMALL_TREE if not r[0].startswith("520103")]
    rows = [("520102001001", "甲一新社区", 5, "520102001000", "112") if r[0] == "520102001001"
            else r for r in rows]
    out = run_import(write_csv(rows))
    assert "created 0 / updated 1 / unchanged 9 / not in file 3" in out
    village = Region._base_manager.get(code="520102001001")
    assert (village.name, village.urban_rural_code) == ("甲一新社区", "112")
    assert Region._base_manager.filter(code__startswith="520103").count() == 3  # left alone
    batch = ChangeRecord.objects.filter(action="batch").order_by("id").last()
    assert (batch.extra["created"], batch.extra["updated"], batch.extra["not_in_file"]) == (
        0, 1, 3)
    assert ChangeRecord.objects.count() == 2
    assert changelog.verify()[1] is None


def test_parents_after_children_are_accepted(write_csv):
    run_import(write_csv(list(reversed(SMALL_TREE))))
    assert len(snapshot()) == len(SMALL_TREE)
    assert Region._base_manager.get(code="520102001002").parent_id == "520102001000"


def test_parent_already_in_the_database(write_csv):
    run_import(write_csv(GOOD[:3]))
    out = run_import(write_csv([TOWNSHIP, VILLAGE]))  # the county comes from the database
    assert "created 2 / updated 0 / unchanged 0 / not in file 3" in out


def test_repeated_names_are_fine(write_csv):
    rows = GOOD + [("520102001002", "甲一社区", 5, "520102001000", "")]
    run_import(write_csv(rows))
    assert Region._base_manager.filter(name="甲一社区").count() == 2


def test_bom_crlf_whitespace_and_blank_lines(tmp_path):
    text = "\ufeffcode, name ,level,parent_code,urban_rural_code\r\n"
    text += "".join(",".join(map(str, r)) + "\r\n" for r in GOOD[:2])
    text += "\r\n 520102000000 ,南明区 ,3,520100000000,\r\n"
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    run_import(path)
    assert Region._base_manager.get(code="520102000000").name == "南明区"


def test_columns_in_another_order(write_csv):
    header = ("name", "code", "parent_code", "level", "urban_rural_code")
    run_import(write_csv([(r[1], r[0], r[3], r[2], r[4]) for r in GOOD], header=header))
    assert len(snapshot()) == 5


def test_dry_run_stores_nothing(write_csv):
    out = run_import(write_csv(GOOD), "--dry-run")
    assert "created 5" in out and "Dry run" in out
    assert not Region._base_manager.exists()
    assert not ChangeRecord.objects.exists()


# --- bad rows ----------------------------------------------------------------------------------

BAD_ROWS = {
    # kind: (rows, line of the bad row, reason)
    "malformed code": (GOOD + [("52010200100X", "坏村", 5, "520102001000", "")], 7,
                       "malformed code '52010200100X'"),
    "short code": (GOOD + [("52010200100", "坏村", 5, "520102001000", "")], 7,
                   "malformed code '52010200100'"),
    "unknown parent": (GOOD + [("520102002001", "孤村", 5, "520102002000", "")], 7,
                       "unknown parent 520102002000"),
    "level not matching the padding": (GOOD + [("520102002000", "乙镇", 3, "520100000000", "")],
                                       7, "does not have the zero padding of level 3"),
    "level not parent level + 1": (GOOD + [("520102001003", "丙村", 5, "520102000000", "")], 7,
                                   "needs a parent of level 4, but 520102000000 is a code of "
                                   "level 3"),
    "level out of range": (GOOD + [("520102001003", "丙村", 6, "520102001000", "")], 7,
                           "level 6 is not one of 1 to 5"),
    "non-integer level": (GOOD + [("520102001003", "丙村", "村", "520102001000", "")], 7,
                          "level '村' is not a whole number"),
    "duplicate code": (GOOD + [("520102001001", "甲一社区", 5, "520102001000", "")], 7,
                       "duplicate code 520102001001 (first on line 6)"),
    "not nested": (GOOD + [("520103001001", "错村", 5, "520102001000", "")], 7,
                   "code 520103001001 is not nested in its parent 520102001000"),
    "empty name": (GOOD + [("520102001003", "  ", 5, "520102001000", "")], 7, "empty name"),
    "province with a parent": (GOOD + [("530000000000", "云南省", 1, "520000000000", "")], 7,
                               "a province has no parent"),
    "missing parent": (GOOD + [("520102001003", "丙村", 5, "", "")], 7,
                       "a region of level 5 needs a parent"),
    "missing column": (GOOD + [("520102001003", "丙村", 5, "520102001000")], 7,
                       "expected 5 columns"),
    "extra column": (GOOD + [("520102001003", "丙村", 5, "520102001000", "", "x")], 7,
                     "found 6"),
    "bad urban-rural code": (GOOD + [("520102001003", "丙村", 5, "520102001000", "22")], 7,
                             "urban-rural code '22' must be 3 digits"),
    "name too long": (GOOD + [("520102001003", "村" * 101, 5, "520102001000", "")], 7,
                      "longer than 100 characters"),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(kind, write_csv):
    rows, line, reason = BAD_ROWS[kind]
    with pytest.raises(CommandError) as exc:
        run_import(write_csv(rows))
    message = str(exc.value)
    assert f"line {line}: " in message
    assert reason in message
    assert "1 bad row, nothing was stored" in message
    assert not Region._base_manager.exists()
    assert not ChangeRecord.objects.exists()


UNTOUCHED = {
    # kind: (bad rows against SMALL_TREE in the database, reason)
    "malformed code": ([("52010200100X", "坏村", 5, "520102001000", "")], "malformed code"),
    "unknown parent": ([("520102008001", "孤村", 5, "520102008000", "")],
                       "unknown parent 520102008000"),
    "wrong level": ([("520102008000", "戊镇", 3, "520100000000", "")],
                    "does not have the zero padding of level 3"),
    "duplicate code": ([("520102001003", "新村", 5, "520102001000", "")] * 2,
                       "duplicate code 520102001003"),
    "not nested": ([("520103001009", "错村", 5, "520102001000", "")], "is not nested"),
    "empty name": ([("520102001003", "", 5, "520102001000", "")], "empty name"),
}


@pytest.mark.parametrize("kind", UNTOUCHED)
def test_a_bad_row_leaves_existing_regions_untouched(kind, imported_tree, write_csv):
    before, records = snapshot(), ChangeRecord.objects.count()
    bad, reason = UNTOUCHED[kind]
    # The good rows rename a village and add one: they must not be stored either.
    rows = [("520102001002", "改名社区", 5, "520102001000", ""),
            ("520102002202", "乙二村", 5, "520102002000", ""), *bad]
    with pytest.raises(CommandError, match=reason):
        run_import(write_csv(rows))
    assert snapshot() == before
    assert ChangeRecord.objects.count() == records


def test_every_bad_row_is_reported(write_csv):
    rows = [
        ("520102001001", "甲一社区", 5, "520102001000", ""),  # line 2: fine (parent below)
        ("5201020010", "短码", 5, "520102001000", ""),  # 3: malformed
        PROVINCE, PREFECTURE, COUNTY, TOWNSHIP,  # 4-7
        ("520102009001", "孤村", 5, "520102009000", ""),  # 8: unknown parent
        ("520102001001", "重复", 5, "520102001000", ""),  # 9: duplicate
        ("520102001002", "", 5, "520102001000", ""),  # 10: empty name
        ("520199001001", "错位", 5, "520102001000", ""),  # 11: not nested
        ("520102001003", "丙村", "五", "520102001000", ""),  # 12: level not an integer
    ]
    with pytest.raises(CommandError) as exc:
        run_import(write_csv(rows))
    message = str(exc.value)
    assert "6 bad rows, nothing was stored (line numbers count the header as line 1)" in message
    reported = [line.split(":")[0].strip() for line in message.splitlines()[1:]]
    assert reported == ["line 3", "line 8", "line 9", "line 10", "line 11", "line 12"]
    assert "line 3: malformed code '5201020010'" in message
    assert "line 8: unknown parent 520102009000" in message
    assert "line 9: duplicate code 520102001001 (first on line 2)" in message
    assert "line 10: empty name" in message
    assert "line 11: code 520199001001 is not nested in its parent 520102001000" in message
    assert "line 12: level '五' is not a whole number" in message
    assert not Region._base_manager.exists()


def test_line_numbers_count_multiline_cells(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text("code,name,level,parent_code,urban_rural_code\n"
                    '520000000000,"贵州\n省",1,,\n'
                    "52010000000,贵阳市,2,520000000000,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 4: malformed code"):
        run_import(path)


# --- unusable files ------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nope.csv")


def test_not_utf8(write_csv):
    path = write_csv(GOOD, encoding="gbk")
    with pytest.raises(CommandError, match=r"not UTF-8 text \(the first undecodable byte is "
                                           r"on line 2\)"):
        run_import(path)
    assert not Region._base_manager.exists()


@pytest.mark.parametrize("header, problem", [
    (("code", "name", "level", "parent_code"), "missing urban_rural_code"),
    (REGION_HEADER + ("remark",), "unexpected remark"),
    (("code", "code", "name", "level", "parent_code", "urban_rural_code"), "repeated code"),
])
def test_wrong_header(write_csv, header, problem):
    with pytest.raises(CommandError, match=problem):
        run_import(write_csv([], header=header))


def test_header_required(write_csv):
    with pytest.raises(CommandError, match="the header row must name the columns"):
        run_import(write_csv(GOOD, header=None))
    with pytest.raises(CommandError, match="is empty"):
        run_import(write_csv([], header=None))


def test_cli_exits_1_without_a_traceback(tmp_path):
    env = {**os.environ, "FUPIN_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "-m", "fupin", "regions", "import", str(tmp_path / "missing.csv")],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert "missing.csv" in result.stderr
    assert "Traceback" not in result.stderr
