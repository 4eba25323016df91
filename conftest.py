"""Fixtures shared by every test: a small five-level tree and users per role.

The tree has two counties in two prefectures, so "in scope" and "out of scope" are always at
hand: county A (520102) holds the data, county B (520302) is another county.
"""

import pytest

from fupin.core.testing import make_user as _make_user
from fupin.regions.testing import small_tree


@pytest.fixture
def regions(db):
    return small_tree()


@pytest.fixture
def make_user(regions):
    return _make_user


def _shares_a_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(
        fixturedef.scope == "module" and not name.startswith("_")
        for name, defs in info.name2fixturedefs.items() for fixturedef in defs)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """`make test` runs on two workers (`-n 2 --dist loadgroup`): a module whose tests share a
    module-scoped fixture (a demo province, a rollup data set) goes to one worker, so that the
    fixture is built once; every other test goes to whichever worker is free.

    Then, after pytest-django has put the tests that use `db` before the others: that split
    such a module, so its fixture was torn down in between and built twice (27 s for the party
    demo). Its tests are kept together, where its first test stands (no test here is
    transactional, so the order pytest-django wants for those is kept)."""
    shared = set()
    for item in items:
        if _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
            shared.add(item.module)
    result = yield
    if shared:
        grouped, placed = [], set()
        for item in items:
            module = getattr(item, "module", None)
            if module not in shared:
                grouped.append(item)
            elif module not in placed:
                placed.add(module)
                grouped.extend(i for i in items if getattr(i, "module", None) is module)
        items[:] = grouped
    return result
