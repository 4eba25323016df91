"""What the assistance generators share: draws, unit names, batches and id ranges, places."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q

from fupin.assistance.demo.calibration import BATCH_OBJECT_ID, GAP_MIN, in_range, max_id, place_name
from fupin.core import changelog, demo
from fupin.core.models import ChangeRecord
from fupin.poverty.models import VillageProfile
from fupin.regions.models import Region


def money(rng, lo: int, hi: int, step: int = 100) -> str:
    """A whole amount of yuan from lo to hi, in steps of `step`, as decimal text (random()
    alone: randrange costs several times more, and the hot loops draw millions)."""
    first = lo // step
    return f"{(first + int(rng.random() * (hi // step - first + 1))) * step}.00"


def pick(rng, options):
    return options[int(rng.random() * len(options))]


def day_between(rng, start: date, end: date) -> date:
    if end <= start:
        return end
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def few(rng, population: int, share: float, minimum: int = GAP_MIN) -> set[int]:
    """Indices of a deliberate few: share of `population`, at least `minimum` (of what there
    is), drawn without replacement."""
    k = min(population, max(minimum, round(population * share)))
    return set(rng.sample(range(population), k))


def short_name(name: str) -> str:
    """A prefecture's short form: "黔东南苗族侗族自治州" -> "黔东南州"; a city stays."""
    if name.endswith("自治州"):
        cut = min((name.find(p) for p in ("苗族", "布依族", "侗族", "彝族", "土家族") if p in name),
                  default=len(name) - 3)
        return name[:cut] + "州"
    return name


def unit_name(org_name: str) -> str:
    """"余庆县教育局机关党支部" (or 机关第二党支部) -> "余庆县教育局"; a village's branch keeps
    its name."""
    match = re.search(r"机关(第.)?党支部$", org_name)
    return org_name[: match.start()] if match else org_name


class Spans:
    """The id range each model's rows of one generator run take (ids only grow)."""

    def __init__(self, *models):
        self.start = {m: max_id(m) for m in models}

    def ranges(self) -> dict[str, list[int]]:
        out = {}
        for model, start in self.start.items():
            last = max_id(model)
            if last > start:
                out[model._meta.model_name] = [start + 1, last]
        return out


def record_batch(model: str, what: str, ctx: demo.DemoContext, extra: dict) -> ChangeRecord:
    return changelog.append(action=ChangeRecord.Action.BATCH, model=model,
                            object_id=BATCH_OBJECT_ID, object_repr=f"demo {what}", region_code="",
                            extra=extra | {"scale": ctx.scale, "seed": ctx.seed})


def written(model, record: ChangeRecord | None):
    return in_range(model, record, model._meta.model_name)


def read_ids(model, last: int, expected: int) -> list[int]:
    """Ids of the rows written after id `last`, in the order written (COPY and executemany
    take ids from the sequence in row order)."""
    ids = list(model._base_manager.filter(id__gt=last).order_by("id").values_list("id", flat=True))
    if len(ids) != expected:
        raise RuntimeError(f"wrote {expected} {model._meta.model_name} rows, read {len(ids)} back")
    return ids


class Places:
    """Region names, and the villages in need (key and poor) with their counties."""

    def __init__(self):
        self.names = dict(Region._base_manager.values_list("code", "name"))
        profiles = VillageProfile._base_manager.filter(
            Q(is_key_village=True) | Q(is_poor_village=True)).order_by("region_code")
        self.needy = list(profiles.values_list("region_code", "is_key_village"))
        self.key = [code for code, key in self.needy if key]
        self.townships = defaultdict(list)  # county prefix -> township codes
        for code in sorted(self.names):
            if code[9:] == "000" and code[6:9] != "000":
                self.townships[code[:6]].append(code)

    def village(self, code: str) -> str:
        return place_name(self.names.get(code, code))

    def county(self, code: str) -> str:
        return self.names.get(code[:6] + "000000", "")

    def prefecture(self, code: str) -> str:
        return short_name(self.names.get(code[:4] + "00000000", ""))

    def township(self, code: str) -> str:
        return self.names.get(code[:9] + "000", "")

    def province(self, code: str) -> str:
        return self.names.get(code[:2] + "0" * 10, "")
