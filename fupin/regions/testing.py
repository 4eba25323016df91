"""Sample makers for the regions app and `small_tree()`, the five-level tree every test stands
on (see fupin.core.testing.TREE)."""

from __future__ import annotations

from fupin.core.context import acting_as
from fupin.core.testing import TREE, sample
from fupin.regions.models import Region, RegionChange


def small_tree() -> dict[str, str]:
    with acting_as(None, label="test"):
        for code, name, level, parent in TREE:
            Region.objects.get_or_create(code=code, defaults={"name": name, "level": level,
                                                               "parent_id": parent})
    return {code: name for code, name, *_ in TREE}


@sample("regions.region")
def _region(region_code, user):
    return Region.objects.get(code=region_code)


@sample("regions.regionchange")
def _region_change(region_code, user):
    with acting_as(None, label="test"):
        return RegionChange.objects.create(year=2022, kind="rename", old_code=region_code,
                                           new_code=region_code, new_name=f"新名{region_code}")
