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
