"""Fixtures for the region tests: small CSV files in tmp_path and a small region tree."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from fupin.regions import importer

REGION_HEADER = ("code", "name", "level", "parent_code", "urban_rural_code")
CHANGE_HEADER = ("year", "kind", "old_code", "new_code", "new_name", "note")

# A small tree: one province, one prefecture, two counties, four townships, five villages.
SMALL_TREE = [
    ("520000000000", "贵州省", 1, "", ""),
    ("520100000000", "贵阳市", 2, "520000000000", ""),
    ("520102000000", "南明区", 3, "520100000000", ""),
    ("520102001000", "甲街道", 4, "520102000000", ""),
    ("520102001001", "甲一社区", 5, "520102001000", "111"),
    ("520102001002", "甲二社区", 5, "520102001000", ""),
    ("520102002000", "乙镇", 4, "520102000000", ""),
    ("520102002201", "乙一村", 5, "520102002000", ""),
    ("520102003000", "丙镇", 4, "520102000000", ""),
    ("520102003401", "丙一村", 5, "520102003000", ""),
    ("520103000000", "云岩区", 3, "520100000000", ""),
    ("520103001000", "丁街道", 4, "520103000000", ""),
    ("520103001001", "丁一社区", 5, "520103001000", ""),
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(rows, header=REGION_HEADER, name=..., encoding=...) -> path."""
    counter = iter(range(1, 10_000))

    def write(rows, header=REGION_HEADER, name=None, encoding="utf-8", lineterminator="\n"):
        path = tmp_path / (name or f"file{next(counter)}.csv")
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, lineterminator=lineterminator)
            if header is not None:
                writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def imported_tree(db, write_csv):
    """The SMALL_TREE regions, imported through the importer."""
    return importer.import_regions(write_csv(SMALL_TREE, name="small-tree.csv"))


@pytest.fixture
def bundled_regions(db):
    """The bundled Guizhou file (19,534 rows), imported; use in few tests (~1-3 s each)."""
    return importer.import_regions(importer.BUNDLED_REGIONS)
