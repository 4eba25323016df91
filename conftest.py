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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Modules whose tests share a module-scoped fixture (a demo province, a rollup data set)
    run first, each module's tests together.

    Together: pytest-django runs the tests that use `db` before the others, which split such a
    module, so its fixture was torn down in between and built twice (27 s for the party demo).
    First: `make test` runs on two workers with `--dist loadscope` (a module's functions, or a
    class, to one worker), so the long builds overlap the rest instead of trailing at the end.
    No test here is transactional, so the order pytest-django wants for those is kept."""
    modules = list(dict.fromkeys(item.module for item in items if _shares_a_module_fixture(item)))
    if modules:
        first = sorted((i for i in items if getattr(i, "module", None) in modules),
                       key=lambda i: modules.index(i.module))  # stable: each module's own order
        items[:] = first + [i for i in items if getattr(i, "module", None) not in modules]
