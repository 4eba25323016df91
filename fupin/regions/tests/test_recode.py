"""`fupin regions apply-changes`: rename, recode, merge, split, and bad rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fupin.accounts.models import User
from fupin.core import changelog
from fupin.core.models import ChangeRecord, PersonalDataAccess
from fupin.regions import recode
from fupin.regions.models import Region, RegionChange

from .conftest import CHANGE_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(write_csv):
    def write(rows):
        return write_csv(rows, header=CHANGE_HEADER)

    return write


def apply(path, *args) -> str:
    out = io.StringIO()
    call_command("regions", "apply-changes", str(path), *args, stdout=out)
    return out.getvalue()


def tree() -> dict[str, tuple[str, str | None]]:
    return {code: (name, parent) for code, name, parent in
            Region._base_manager.values_list("code", "name", "parent_id")}


def user(username: str, region_code: str) -> User:
    return User.objects.create_user(username, password="pw-12345678", region_code=region_code,
                                    role="village")


@pytest.fixture(autouse=True)
def chain_stays_intact():
    yield
    checked, broken, reason = changelog.verify()
    assert broken is None, reason


def assert_tree_is_consistent():
    """Every region's parent exists, is one level up and is its code's parent."""
    from fupin.regions import scope

    regions = tree()
    for code, (_name, parent) in regions.items():
        assert parent == scope.parent_code(code), code
        assert parent is None or parent in regions, code
    connection.check_constraints(table_names=[Region._meta.db_table])


def test_models_recoded():
    labels = {m._meta.label_lower for m in recode.region_code_models()}
    assert "accounts.user" in labels
    assert not labels & {"core.changerecord", "core.personaldataaccess", "regions.region"}


def test_rename(imported_tree, changes):
    out = apply(changes([(2024, "rename", "520102002000", "", "乙街道", "撤镇设街道")]))
    assert "rename 520102002000 乙镇 → 520102002000 乙街道" in out
    assert Region._base_manager.get(code="520102002000").name == "乙街道"
    rc = RegionChange.objects.get()
    assert (rc.kind, rc.old_code, rc.new_code, rc.old_name, rc.new_name, rc.note) == (
        "rename", "520102002000", "520102002000", "乙镇", "乙街道", "撤镇设街道")
    assert rc.rows_recoded == {}
    record = ChangeRecord.objects.get(action="recode")
    assert record.before == {"code": "520102002000", "name": "乙镇"}
    assert record.after == {"code": "520102002000", "name": "乙街道"}
    assert record.actor == "cli:regions apply-changes"
    # The RegionChange row itself is recorded by the signals.
    assert ChangeRecord.objects.filter(model="regions.regionchange", action="create").count() == 1


def test_recode_township(imported_tree, changes):
    moved = user("in-township", "520102001001")
    at_township = user("at-township", "520102001000")
    county = user("county", "520102000000")
    sibling = user("sibling", "520102002201")
    PersonalDataAccess.objects.create(user=county, request_id="r", model="accounts.user",
                                      channel="page", region_code="520102001001")
    user_records = set(ChangeRecord.objects.filter(model="accounts.user")
                       .values_list("object_id", "region_code"))

    out = apply(changes([(2024, "recode", "520102001000", "520102009000", "", "")]))
    assert "recode 520102001000 甲街道 → 520102009000 甲街道" in out
    assert "accounts.user 2" in out and "regions.region 3" in out

    regions = tree()
    assert not {"520102001000", "520102001001", "520102001002"} & regions.keys()
    assert regions["520102009000"] == ("甲街道", "520102000000")
    assert regions["520102009001"] == ("甲一社区", "520102009000")
    assert regions["520102009002"] == ("甲二社区", "520102009000")
    assert Region._base_manager.get(code="520102009001").urban_rural_code == "111"
    assert_tree_is_consistent()

    def code_of(u):
        return User.objects.get(pk=u.pk).region_code

    assert code_of(moved) == "520102009001"
    assert code_of(at_township) == "520102009000"
    assert code_of(county) == "520102000000"
    assert code_of(sibling) == "520102002201"
    # History keeps the old codes.
    assert set(ChangeRecord.objects.filter(model="accounts.user")
               .values_list("object_id", "region_code")) == user_records
    assert PersonalDataAccess.objects.get().region_code == "520102001001"

    rc = RegionChange.objects.get()
    assert rc.rows_recoded == {"regions.region": 3, "accounts.user": 2}
    assert (rc.old_name, rc.new_name) == ("甲街道", "甲街道")
    record = ChangeRecord.objects.get(action="recode")
    assert (record.model, record.object_id, record.region_code) == (
        "regions.region", "520102009000", "520102009000")
    assert record.before == {"code": "520102001000", "name": "甲街道"}
    assert record.after == {"code": "520102009000", "name": "甲街道"}
    assert record.extra["rows_recoded"] == {"regions.region": 3, "accounts.user": 2}


def test_recode_with_a_new_name_and_a_new_county(imported_tree, changes):
    """A township moves to another county and is renamed, then renamed again."""
    apply(changes([
        (2024, "recode", "520103001000", "520102005000", "丁镇", "划转"),
        (2024, "rename", "520102005000", "520102005000", "丁新镇", ""),
    ]))
    regions = tree()
    assert regions["520102005000"] == ("丁新镇", "520102000000")
    assert regions["520102005001"] == ("丁一社区", "520102005000")
    assert "520103001000" not in regions
    assert list(RegionChange.objects.order_by("id").values_list("old_name", "new_name")) == [
        ("丁街道", "丁镇"), ("丁镇", "丁新镇")]
    assert_tree_is_consistent()


def test_merge_two_townships_into_one(imported_tree, changes):
    in_b = user("in-b", "520102002201")
    at_c = user("at-c", "520102003000")
    deleted_before = ChangeRecord.objects.filter(action="delete").count()

    apply(changes([
        (2024, "merge", "520102002000", "520102001000", "", "乙镇并入甲街道"),
        (2024, "merge", "520102003000", "520102001000", "甲乙丙街道", "丙镇并入甲街道"),
    ]))
    regions = tree()
    assert "520102002000" not in regions and "520102003000" not in regions
    assert regions["520102001000"] == ("甲乙丙街道", "520102000000")
    children = sorted(c for c, (_n, p) in regions.items() if p == "520102001000")
    assert children == ["520102001001", "520102001002", "520102001201", "520102001401"]
    assert regions["520102001201"] == ("乙一村", "520102001000")
    assert_tree_is_consistent()
    assert User.objects.get(pk=in_b.pk).region_code == "520102001201"
    assert User.objects.get(pk=at_c.pk).region_code == "520102001000"

    first, second = RegionChange.objects.order_by("id")
    assert (first.old_name, first.new_name) == ("乙镇", "甲街道")
    assert (second.old_name, second.new_name) == ("丙镇", "甲乙丙街道")
    assert first.rows_recoded == {"regions.region": 1, "accounts.user": 1}
    assert second.rows_recoded == {"regions.region": 1, "accounts.user": 1}
    # The two absorbed townships' deletions are in the change log.
    assert ChangeRecord.objects.filter(action="delete").count() == deleted_before + 2
    assert ChangeRecord.objects.filter(action="recode").count() == 2


def test_merge_collision_names_both_codes(imported_tree, changes):
    before = tree()
    with pytest.raises(CommandError) as exc:
        apply(changes([(2024, "merge", "520103001000", "520102001000", "", "")]))
    message = str(exc.value)
    assert "line 2: 520103001001 would become 520102001001, which already exists" in message
    assert tree() == before
    assert not RegionChange.objects.exists()


def test_split(imported_tree, changes):
    """甲街道's villages go to 乙镇 and to a township created by an earlier row."""
    mover = user("mover", "520102001002")
    apply(changes([
        (2024, "recode", "520103001000", "520102004000", "", "丁街道划入南明区"),
        (2024, "split", "520102001001", "520102002001", "", "甲一社区划归乙镇"),
        (2024, "split", "520102001002", "520102004002", "", "甲二社区划归丁街道"),
    ]))
    regions = tree()
    assert regions["520102002001"] == ("甲一社区", "520102002000")
    assert regions["520102004002"] == ("甲二社区", "520102004000")
    assert regions["520102004001"] == ("丁一社区", "520102004000")
    assert not [c for c, (_n, p) in regions.items() if p == "520102001000"]
    assert "520102001000" in regions  # the split township itself stays
    assert User.objects.get(pk=mover.pk).region_code == "520102004002"
    assert RegionChange.objects.count() == 3
    assert_tree_is_consistent()


def test_bad_rows_are_all_reported_and_nothing_is_stored(imported_tree, changes):
    someone = user("someone", "520102001001")
    before, records = tree(), ChangeRecord.objects.count()
    rows = [
        (2024, "recode", "520102001000", "520102009000", "", "fine on its own"),  # 2
        (2024, "recode", "520102001000", "520102008000", "", ""),  # 3: moved by line 2
        (2024, "recode", "520102002000", "520102000000", "", ""),  # 4: level 3 code
        (2024, "recode", "520102002000", "520199002000", "", ""),  # 5: no parent 520199
        (2024, "merge", "520102002000", "520102007000", "", ""),  # 6: target missing
        (2024, "rename", "520102002000", "", "", ""),  # 7: no name
        (2024, "rename", "520102002000", "520102007000", "乙", ""),  # 8: code changes
        (2024, "reshuffle", "520102002000", "520102007000", "", ""),  # 9: bad kind
        ("24", "rename", "520102002000", "", "乙", ""),  # 10: bad year
        (2024, "recode", "5201020020", "520102007000", "", ""),  # 11: malformed old code
        (2024, "recode", "520102002000", "520102003000", "", ""),  # 12: exists: merge?
        (2024, "split", "520102002201", "520102002202", "", ""),  # 13: same parent
        (2024, "recode", "520102003000", "520102003000", "", ""),  # 14: same code
        (2024, "rename", "520102003000", "", "丙镇", ""),  # 15: already named so
    ]
    with pytest.raises(CommandError) as exc:
        apply(changes(rows))
    message = str(exc.value)
    assert "13 bad rows, nothing was stored" in message
    expected = {
        3: "old code 520102001000 does not exist (or an earlier row moved it)",
        4: "new code 520102000000 is not a code of level 4",
        5: "the new parent 520199000000 does not exist",
        6: "merge target 520102007000 does not exist",
        7: "a rename needs a new name",
        8: "a rename keeps the code",
        9: "kind 'reshuffle' is not one of rename, merge, split, recode",
        10: "year '24' is not a 4-digit year",
        11: "malformed old code '5201020020'",
        12: "new code 520102003000 already exists (丙镇); to merge into it use kind merge",
        13: "a split moves a region under a different parent",
        14: "the new code is the old code",
        15: "520102003000 is already named 丙镇",
    }
    for line, reason in expected.items():
        assert f"line {line}: {reason}" in message, (line, message)
    assert "line 2:" not in message
    assert tree() == before
    assert not RegionChange.objects.exists()
    assert ChangeRecord.objects.count() == records
    assert User.objects.get(pk=someone.pk).region_code == "520102001001"


def test_unknown_old_code_and_wrong_columns(imported_tree, changes, write_csv):
    with pytest.raises(CommandError, match="line 2: old code 520102006000 does not exist"):
        apply(changes([(2024, "rename", "520102006000", "", "无", "")]))
    with pytest.raises(CommandError, match="missing note"):
        apply(write_csv([(2024, "rename", "520102002000", "", "乙")],
                        header=CHANGE_HEADER[:5]))
    with pytest.raises(CommandError, match="line 2: expected 6 columns"):
        apply(changes([(2024, "rename", "520102002000", "", "乙")]))
    with pytest.raises(CommandError, match="no such file"):
        apply("/nonexistent/changes.csv")


def test_dry_run(imported_tree, changes):
    before, records = tree(), ChangeRecord.objects.count()
    out = apply(changes([(2024, "recode", "520102001000", "520102009000", "", "")]), "--dry-run")
    assert "Dry run: 1 changes checked" in out
    assert tree() == before
    assert ChangeRecord.objects.count() == records


def test_apply_changes_function(imported_tree, changes):
    applied = recode.apply_changes(changes([
        (2025, "recode", "520102002000", "520102006000", "", ""),
    ]))
    assert [(a.change.kind, a.old_name, a.new_name, a.rows_recoded) for a in applied] == [
        ("recode", "乙镇", "乙镇", {"regions.region": 2})]
    assert applied[0].region_change.year == 2025
