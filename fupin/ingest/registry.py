"""Registries that can be imported and exported (导入导出登记): declared once by each app.

An app declares its registry in `<app>/ingest.py` as a `Registry` subclass with its `columns`
and registers it with `@register`; `fupin.ingest` finds these modules when Django starts. The
pipeline (`fupin.ingest.pipeline`) does everything that is the same for every registry
(reading, headers, cell normalisation, per-column checks, the error workbook, the transaction
and the batch record); the registry adds what only it knows (checks across rows and against its
tables, and how rows are written). A registry of one model with one row per record declares a
`fupin.ingest.records.ModelRegistry` instead and writes no code of its own beyond extra checks.
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models

# Column kinds. Every cell is read as text, trimmed, then parsed by its kind.
TEXT = "text"  # free text: trimmed, inner runs of whitespace kept
CODE = "code"  # an identifier typed by hand: NFKC (full-width to ASCII), no whitespace at all
ENUM = "enum"  # one of `choices`, written as its Chinese label, identifier or an alias
INT = "int"  # a whole number ("2014", "2014.0", "2014年")
DECIMAL = "decimal"  # a number with 2 decimals ("1,234.5", "1234.5元"), rounded half to even
DATE = "date"  # 2020-01-31, 2020/1/31, 2020.1.31, 20200131, 2020年1月31日, or an Excel serial
ID_NUMBER = "id_number"  # a resident ID number (GB 11643), normalised
VILLAGE = "village"  # a 12-digit region code that exists and is a village (level 5)
REGION = "region"  # a 12-digit region code that exists, at any level
BOOL = "bool"  # yes or no: 是/否, 有/无, √/×, true/false, 1/0 (`choices` default to 是/否)
KINDS = (TEXT, CODE, ENUM, INT, DECIMAL, DATE, ID_NUMBER, VILLAGE, REGION, BOOL)
REGION_KINDS = (VILLAGE, REGION)
BOOL_CHOICES = (("true", "是"), ("false", "否"))
BOOL_ALIASES = {"有": "true", "√": "true", "✓": "true", "y": "true", "yes": "true", "1": "true",
                "对": "true", "无": "false", "×": "false", "✗": "false", "n": "false",
                "no": "false", "0": "false", "不是": "false"}


def fold(text: str) -> str:
    """The form in which written values are compared with labels and aliases: NFKC (full-width
    letters, digits and brackets become ASCII), no whitespace, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


@dataclass(frozen=True)
class Column:
    """One column of a registry's flat sheet.

    `name` is the field name (also accepted as a header), `header` the Chinese header of the
    template. `choices` are (identifier, Chinese label) pairs in template order; `aliases` map
    the other forms officials write to an identifier. A blank cell in a column with
    `blank_keeps` means "not given": an existing record keeps its value, a new one gets
    `default`; otherwise a blank cell clears the field (to "" or NULL).
    """

    name: str
    header: str
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    header_aliases: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    pattern: str | None = None  # a regular expression a CODE value must match
    pattern_hint: str = ""  # what the pattern means, for the error message (translatable)
    blank_keeps: bool = False
    personal: str | None = None  # the masking kind (fupin.core.masking) of personal data
    export_only: bool = False  # written by exports, never read (e.g. a derived value)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == BOOL:
            # Frozen: the defaults of a yes/no column are set once, here.
            object.__setattr__(self, "choices", self.choices or BOOL_CHOICES)
            object.__setattr__(self, "aliases", {**BOOL_ALIASES, **self.aliases})

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header under which this column is recognised, folded."""
        return tuple(fold(h) for h in (self.header, self.name, *self.header_aliases))

    def value_map(self) -> dict[str, str]:
        """Folded written form -> identifier: the identifier, the Chinese label, the aliases."""
        mapping: dict[str, str] = {}
        for value, label in self.choices:
            mapping[fold(value)] = value
            mapping[fold(label)] = value
        for written, value in self.aliases.items():
            if value not in {v for v, _label in self.choices}:
                raise ValueError(f"{self.name}: alias {written!r} names unknown value {value!r}")
            mapping[fold(written)] = value
        return mapping

    def labels(self) -> dict[str, str]:
        return dict(self.choices)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class Registry(ABC):
    """Base class of a registry declaration. Subclasses set the class attributes and implement
    `check_chunk`, `check_file`, `plan`, `write` and `export_frames` (see fupin/poverty/ingest.py).
    """

    name: str = ""  # the CLI and URL name, e.g. "households"
    verbose_name = ""  # translatable plural, e.g. _("households")
    model: type[models.Model]  # whose policy decides who may import and export
    columns: tuple[Column, ...] = ()
    entities: tuple[str, ...] = ()  # what the counts are of, e.g. ("households", "persons")
    sheet_title = ""  # the template's sheet name (Chinese)
    region_column = "region_code"  # the column of the written rows holding their region

    description = ""  # what a row is, for the upload page (translatable)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def entity_labels(self) -> dict[str, str]:
        return {e: e for e in self.entities}

    # --- hooks ------------------------------------------------------------------------------
    def check_chunk(self, frame, ctx) -> list:
        """Per-row checks that need more than one column or the database: a list of
        (row, reason) frames or polars expressions evaluated on `frame`."""
        return []

    def check_file(self, rows, ctx):
        """Checks across rows of the whole file (a LazyFrame of every parsed row). Returns a
        LazyFrame or DataFrame of (row, reason)."""
        return None

    @abstractmethod
    def write(self, rows, ctx):
        """Write every row (all are good) in the caller's transaction; returns
        {entity: Counts}. `ctx.begin_batch(counts)` appends the batch record once counts are
        known and returns its id (None when nothing changes)."""

    @abstractmethod
    def export_frames(self, user, region_code: str | None) -> Iterator:
        """Polars frames of the rows `user` may see under `region_code`, with one column per
        registry column, values as stored (identifiers, not labels), personal data unmasked."""


_REGISTRY: dict[str, Registry] = {}


class UnknownRegistry(LookupError):
    pass


def register(cls: type[Registry]) -> type[Registry]:
    instance = cls()
    if not instance.name:
        raise ValueError(f"{cls.__name__} has no name")
    _REGISTRY[instance.name] = instance
    return cls


def get(name: str) -> Registry:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownRegistry(name) from None


def names() -> list[str]:
    return sorted(_REGISTRY)


def all_registries() -> list[Registry]:
    return [_REGISTRY[n] for n in names()]
