"""What the three party generators share: dates, ID numbers, names, batches and id ranges."""

from __future__ import annotations

import functools
import zlib
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from fupin.core import idnumber
from fupin.core.models import ChangeRecord
from fupin.party.demo.calibration import BATCH_OBJECT_ID, SQLITE_CACHE_KIB
from fupin.poverty import demo as poverty_demo
from fupin.poverty.choices import Ethnicity
from fupin.poverty.models import VillageProfile


def roomy(func):
    """On SQLite, a page cache of SQLITE_CACHE_KIB while the generator runs (then the one
    before): the default 2 MiB thrashes on the indexes of half a million meetings, and the
    cache holds only pages actually read."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        if connection.vendor != "sqlite":
            return func(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        try:
            return func(*args, **kwargs)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")

    return run


def today() -> date:
    return timezone.localdate()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


# --- shared helpers ------------------------------------------------------------------------------
class TopDownIds:
    """ID numbers that never meet the poverty demo's nor another lane's.

    `poverty.demo.IdNumbers` maps n = 0, 1, 2, ... of each (county prefix, birth year, sex) one
    to one onto numbers, and the poverty generator takes them from 0 upwards. Lane l of `lanes`
    takes n = CAPACITY - 1 - (lanes * m + l) for m = 0, 1, 2, ...: from the top downwards, so
    the two meet only if a key held more than CAPACITY / 2 people between them.

    The mapping is IdNumbers' own (a test holds them together), computed with the check sums
    of the prefix, the date and the order code cached: `idnumber.make` per number cost more
    than anything else in the committees generator."""

    CAPACITY = poverty_demo.IdNumbers.CAPACITY

    def __init__(self, lane: int, lanes: int = 2):
        self.lane, self.lanes = lane, lanes
        self.used: dict[tuple, int] = {}
        self.keys: dict[tuple, tuple[int, date, int]] = {}
        self.dates: dict[date, tuple[str, int]] = {}
        self.orders: dict[tuple[int, str], tuple[str, int]] = {}

    @staticmethod
    def weighted(digits: str, start: int) -> int:
        return sum(int(ch) * w for ch, w in zip(digits, idnumber.WEIGHTS[start:], strict=False))

    def issue(self, prefix: str, year: int, sex: str) -> tuple[str, date]:
        key = (prefix, year, sex)
        m = self.used.get(key, 0)
        self.used[key] = m + 1
        n = self.CAPACITY - 1 - (self.lanes * m + self.lane)
        if n < self.CAPACITY // 2:
            raise ValueError(f"too many demo party members in {prefix}, {year}, {sex}")
        return self.number(prefix, year, sex, n)

    def number(self, prefix: str, year: int, sex: str, n: int) -> tuple[str, date]:
        """The n-th number of the key, as `poverty.demo.IdNumbers` gives it."""
        cached = self.keys.get((prefix, year, sex))
        if cached is None:
            if prefix[:2] not in idnumber.PROVINCE_PREFIXES or len(prefix) != 6:
                raise ValueError(f"{prefix} is not a region prefix")
            cached = (zlib.crc32(f"{prefix}{year}{sex}".encode()), date(year, 1, 1),
                      self.weighted(prefix, 0))
            self.keys[(prefix, year, sex)] = cached
        offset, first, prefix_sum = cached
        birth = first + timedelta(days=(n % 365 * 97 + offset) % 365)
        seq = (n // 365 * 137 + offset // 365) % 500
        day = self.dates.get(birth)
        if day is None:
            text = f"{birth:%Y%m%d}"
            day = self.dates[birth] = (text, self.weighted(text, 6))
        order = self.orders.get((seq, sex))
        if order is None:
            text = f"{seq // 5:02d}{2 * (seq % 5) + (sex == 'M')}"
            order = self.orders[(seq, sex)] = (text, self.weighted(text, 14))
        check = idnumber.CHECK_CHARACTERS[(prefix_sum + day[1] + order[1]) % 11]
        return prefix + day[0] + order[0] + check, birth


class Namer:
    """Names and ethnicity like the poverty demo's: a village is often of one people."""

    def __init__(self, rng):
        self.rng = rng
        self.place: tuple[str, str] = ("", Ethnicity.HAN)

    def ethnicity(self, code: str) -> str:
        mix = poverty_demo.MIX_ODDS.get(code[:4], poverty_demo.DEFAULT_MIX_ODDS)
        if self.place[0] != code:
            self.place = (code, mix(self.rng))
        return self.place[1] if self.rng.random() < 0.8 else mix(self.rng)

    def name(self, ethnicity: str, sex: str) -> str:
        random = self.rng.random
        pool = poverty_demo.SURNAMES.get(ethnicity, HAN) if random() < 0.85 else HAN
        chars = MALE if sex == "M" else FEMALE
        given = chars[int(random() * len(chars))]
        if random() < 0.75:
            given += chars[int(random() * len(chars))]
        return pool[int(random() * len(pool))] + given


HAN, MALE, FEMALE = poverty_demo.HAN_SURNAMES, poverty_demo.MALE_CHARS, poverty_demo.FEMALE_CHARS
PHONE_HEADS = ("139", "138", "137", "135", "158", "159", "150", "151", "187", "182")


def phone(rng) -> str:
    return f"{PHONE_HEADS[int(rng.random() * 10)]}{int(rng.random() * 10**8):08d}"


def batches(model: str):
    return ChangeRecord._base_manager.filter(action=ChangeRecord.Action.BATCH, model=model,
                                             object_id=BATCH_OBJECT_ID)


def latest_batch(model: str) -> ChangeRecord | None:
    return batches(model).order_by("-id").first()


def in_range(model, record: ChangeRecord | None, key: str):
    """The rows of `model` a batch record says it wrote (ids first..last under `key`)."""
    if record is None or not record.extra or key not in record.extra:
        return model._base_manager.none()
    first, last = record.extra[key]
    return model._base_manager.filter(id__gte=first, id__lte=last)


def new_ids(model, last: int, *key_fields: str) -> dict:
    """key -> id of the rows written after id `last`."""
    rows = model._base_manager.filter(id__gt=last).values_list("id", *key_fields)
    if len(key_fields) == 1:
        return {row[1]: row[0] for row in rows}
    return {row[1:]: row[0] for row in rows}


def max_id(model) -> int:
    return model._base_manager.order_by("-id").values_list("id", flat=True).first() or 0


def place_name(name: str) -> str:
    """"桃园村村民委员会" -> "桃园村", "新华路居委会" -> "新华路社区"."""
    for suffix, rural in (("村民委员会", True), ("村委员会", True), ("村委会", True),
                          ("居民委员会", False), ("居民委员", False), ("居委会", False),
                          ("委员会", None)):
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if rural is True and not base.endswith("村"):
                return base + "村"
            if rural is False and not base.endswith("社区"):
                return base + "社区"
            return base
    return name


def populations(codes: list[str]) -> list[float]:
    """Each village's rural population (poverty demo), 1 where unknown."""
    found = dict(VillageProfile._base_manager.values_list("region_code", "rural_population"))
    return [float(max(1, found.get(code) or 0)) for code in codes]
