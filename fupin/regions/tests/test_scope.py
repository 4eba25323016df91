"""Scope helpers: how codes nest, and that "everything under R" is served by an index."""

from __future__ import annotations

import re

import polars as pl
import pytest
from django.db import connection
from django.db.models import Count, Q
from hypothesis import assume, given
from hypothesis import strategies as st

from fupin.accounts.models import User
from fupin.regions import scope
from fupin.regions.models import Region

# Digits each level adds to the code: 2 + 2 + 2 + 3 + 3 = 12.
SEGMENT_WIDTH = {1: 2, 2: 2, 3: 2, 4: 3, 5: 3}


def segment(level: int):
    width = SEGMENT_WIDTH[level]
    return st.integers(1, 10**width - 1).map(lambda n: str(n).zfill(width))


@st.composite
def segments(draw, min_level=1, max_level=5):
    """The non-zero segments of a region's code, one per level from the province down."""
    level = draw(st.integers(min_level, max_level))
    return [draw(segment(lvl)) for lvl in range(1, level + 1)]


def code_of(segs: list[str]) -> str:
    return scope.pad("".join(segs))


# --- pure helpers ------------------------------------------------------------------------------


def test_known_codes():
    assert scope.level_of("520000000000") == 1
    assert scope.level_of("520100000000") == 2
    assert scope.level_of("520102000000") == 3
    assert scope.level_of("520102016000") == 4
    assert scope.level_of("520102016001") == 5
    assert scope.prefix("520102016000") == "520102016"
    assert scope.bounds("520102000000") == ("520102000000", "520102999999")
    assert scope.bounds("520102016001") == ("520102016001", "520102016001")
    assert scope.parent_code("520000000000") is None
    assert scope.parent_code("520102016001") == "520102016000"
    assert scope.ancestor_codes("520102016001") == [
        "520000000000", "520100000000", "520102000000", "520102016000", "520102016001"]
    assert scope.within("520102000000") == Q(region_code__gte="520102000000",
                                             region_code__lte="520102999999")
    assert scope.within("520102000000", "code") == Q(code__gte="520102000000",
                                                     code__lte="520102999999")


@pytest.mark.parametrize("code", [None, ""])
def test_no_scope_means_everything(code):
    assert scope.within(code) == Q()
    assert scope.is_within("520102016001", code)


@pytest.mark.parametrize("bad", ["", "52010201600", "5201020160011", "52010201600x", None, 5.2e11])
def test_malformed_codes_are_never_within(bad):
    assert not scope.is_valid_code(bad)
    assert not scope.is_within(bad, "520000000000")


@given(segments())
def test_level_prefix_and_padding(segs):
    code, level = code_of(segs), len(segs)
    assert scope.is_valid_code(code)
    assert scope.level_of(code) == level
    assert scope.is_well_nested(code, level)
    assert all(not scope.is_well_nested(code, other) for other in scope.LEVELS if other != level)
    assert scope.prefix(code) == "".join(segs)
    assert len(scope.prefix(code)) == scope.PREFIX_LENGTH[level]
    assert scope.pad(scope.prefix(code)) == code
    for lvl in range(1, level + 1):
        assert scope.prefix(code, lvl) == "".join(segs[:lvl])


@given(segments())
def test_bounds_and_within(segs):
    code = code_of(segs)
    lo, hi = scope.bounds(code)
    assert lo == code
    assert hi == scope.prefix(code).ljust(12, "9")
    assert scope.is_within(code, code)
    assert scope.within(code) == Q(region_code__gte=lo, region_code__lte=hi)


@given(segments(max_level=4), st.data())
def test_every_code_under_a_region_is_within_its_bounds(segs, data):
    code = code_of(segs)
    deeper = data.draw(st.integers(len(segs) + 1, 5))
    child_segs = segs + [data.draw(segment(lvl)) for lvl in range(len(segs) + 1, deeper + 1)]
    child = code_of(child_segs)
    lo, hi = scope.bounds(code)
    assert lo < child <= hi
    assert scope.is_within(child, code)
    assert not scope.is_within(code, child)
    assert code in scope.ancestor_codes(child)
    c_lo, c_hi = scope.bounds(child)
    assert lo <= c_lo <= c_hi <= hi  # a subtree's range lies inside its ancestors' ranges


@given(segments(), st.data())
def test_a_siblings_code_is_not_within(segs, data):
    level = len(segs)
    other = data.draw(segment(level))
    assume(other != segs[-1])
    code, sibling = code_of(segs), code_of(segs[:-1] + [other])
    deeper = data.draw(st.integers(level, 5))
    nephew = code_of(segs[:-1] + [other] + [data.draw(segment(lvl))
                                            for lvl in range(level + 1, deeper + 1)])
    assert not scope.is_within(sibling, code)
    assert not scope.is_within(nephew, code)
    assert scope.is_within(nephew, sibling)
    lo, hi = scope.bounds(code)
    assert not lo <= nephew <= hi
    if level > 1:
        assert scope.parent_code(sibling) == scope.parent_code(code)


@given(segments())
def test_ancestors_and_parent(segs):
    code, level = code_of(segs), len(segs)
    ancestors = scope.ancestor_codes(code)
    assert len(ancestors) == level
    assert ancestors[-1] == code
    assert [scope.level_of(a) for a in ancestors] == list(range(1, level + 1))
    assert all(scope.is_within(code, a) for a in ancestors)
    if level == 1:
        assert scope.parent_code(code) is None
    else:
        parent = scope.parent_code(code)
        assert parent == ancestors[-2]
        assert scope.level_of(parent) == level - 1
        assert scope.ancestor_codes(parent) == ancestors[:-1]


@given(segments(), st.data())
def test_is_level_and_ancestor_at(segs, data):
    code, level = code_of(segs), len(segs)
    assert scope.is_level(code, level)
    assert all(not scope.is_level(code, other) for other in scope.LEVELS if other != level)
    up = data.draw(st.integers(1, level))
    ancestor = scope.ancestor_at(code, up)
    assert ancestor == code_of(segs[:up])
    assert scope.level_of(ancestor) == up
    assert scope.is_within(code, ancestor)
    assert ancestor == scope.ancestor_codes(code)[up - 1]


@pytest.mark.parametrize("bad", ["", None, "52010201600", "52010201600x", "000000000000"])
def test_is_level_refuses_what_is_not_a_region_code(bad):
    assert not any(scope.is_level(bad, level) for level in scope.LEVELS)


@given(segments(), segments())
def test_common_ancestor_is_the_lowest_region_holding_both(a_segs, b_segs):
    a, b = code_of(a_segs), code_of(b_segs)
    common = scope.common_ancestor(a, b)
    assert common == scope.common_ancestor(b, a)
    if a_segs[0] != b_segs[0]:
        assert common == ""
        return
    assert scope.is_within(a, common) and scope.is_within(b, common)
    # no child of the common ancestor holds both
    shared = len(scope.ancestor_codes(common))
    below = [x for x in (a, b) if scope.level_of(x) > shared]
    assert len({scope.ancestor_at(x, shared + 1) for x in below}) == len(below)


def test_common_ancestor_of_nothing():
    assert scope.common_ancestor(None, "520102016001") == ""
    assert scope.common_ancestor("520102016001", "520102016001") == "520102016001"
    assert scope.common_ancestor("520102016001", "520102016002") == "520102016000"
    assert scope.common_ancestor("520102016001", "530102016001") == ""


@given(st.lists(segments(), min_size=1, max_size=30), st.sampled_from(scope.LEVELS))
def test_polars_expressions_agree_with_the_code_helpers(many, level):
    codes = [code_of(segs) for segs in many]
    frame = pl.DataFrame({"region_code": codes}).with_columns(
        scope.level_expr().alias("level"),
        scope.ancestor_expr("region_code", level).alias("ancestor"))
    assert frame["level"].to_list() == [scope.level_of(c) for c in codes]
    assert frame["ancestor"].to_list() == [scope.pad(scope.prefix(c, level)) for c in codes]


@pytest.mark.django_db
def test_prefix_sql_groups_a_subtree_by_its_children(bundled_regions):
    county = "520102000000"
    rows = (Region._base_manager.filter(scope.within(county, "code"), level=5)
            .annotate(township=scope.prefix_sql("code", scope.TOWNSHIP))
            .values("township").annotate(n=Count("code")))
    counted = {scope.pad(r["township"]): r["n"] for r in rows}
    expected: dict[str, int] = {}
    for code in Region._base_manager.filter(scope.within(county, "code"), level=5) \
            .values_list("code", flat=True):
        township = scope.ancestor_at(code, scope.TOWNSHIP)
        expected[township] = expected.get(township, 0) + 1
    assert counted == expected
    assert len(counted) > 1


# --- the range query in the database -----------------------------------------------------------

USES_INDEX_SQLITE = re.compile(r"SEARCH \S+ USING (COVERING )?(INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)")


def analyze(model) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@pytest.mark.django_db
def test_range_query_is_served_by_an_index(bundled_regions):
    """On the bundled 19,534 rows, with statistics, the planner uses the code index."""
    codes = {"county": "520102000000", "township": "520102016000", "village": "520102016001"}
    analyze(Region)
    for kind, code in codes.items():
        qs = Region.objects.filter(scope.within(code, "code"))
        # The range returns exactly the codes that start with the region's prefix.
        p = scope.prefix(code)
        expected = Region._base_manager.filter(code__startswith=p).count()
        assert qs.count() == expected > 0
        plan = qs.explain()
        if connection.vendor == "sqlite":
            assert USES_INDEX_SQLITE.search(plan), (kind, plan)
        elif connection.vendor == "postgresql":
            if kind != "county":  # a county is ~1% of the table; a sequential scan may win
                assert "Index" in plan, (kind, plan)
        else:  # pragma: no cover
            pytest.fail(f"Fupin supports SQLite and PostgreSQL, not {connection.vendor}")


@pytest.mark.django_db
def test_scoped_table_range_query_uses_its_region_code_index():
    """A table with a region_code column (users) is searched through its index too.

    Users are spread over 50 counties so that one township is a small share of the table,
    as scoped tables are in production; with statistics both planners then use the index.
    """
    users = [User(username=f"plan-{i}", password="!",
                  region_code=f"5201{i % 50:02d}{i % 7:03d}{i % 11:03d}")
             for i in range(5000)]
    User.objects.bulk_create(users)  # no signals needed: this only shapes the table
    analyze(User)
    plan = User.objects.filter(scope.within("520102003000")).explain()
    if connection.vendor == "sqlite":
        assert USES_INDEX_SQLITE.search(plan), plan
        assert "region_code" in plan
    else:
        assert "Index" in plan and "region_code" in plan, plan
