"""Registries of one model, one row per record (一行一条记录): `ModelRegistry`.

Most registries are a flat list of one model's records, each identified by a natural key (an ID
number, an organization code, or several columns together) and pointing at other records by
*their* natural keys (a member's organization by its code). Such a registry is a declaration:

    @register
    class OrgRegistry(ModelRegistry):
        name = "orgs"
        verbose_name = gettext_lazy("party organizations")
        model = PartyOrg
        sheet_title = "党组织"
        columns = (Column("code", "组织代码", CODE, required=True),
                   Column("name", "组织名称", TEXT, required=True), ...,
                   Column("region_code", "所在区划代码", REGION, required=True),
                   Column("parent_code", "上级组织代码", CODE))
        key = ("code",)
        refs = (Ref("parent_code", "parent"),)  # PartyOrg.parent, by PartyOrg.code
        region = "region_code"  # a VILLAGE/REGION column, or a ref's column (its region)

and the base gives the template, the export of the same shape and the import, all or nothing:

- per chunk: every ref's keys are looked up once (the target's id, region and `fetch` fields);
  an unknown key is an error, except for a ref to the registry's own model, whose target may be
  a row of the same file; a target outside the importing user's region is an error
  (`in_scope`), and so is one the policy hides from the user where it narrows the target's
  model beyond the region (a helper's own households); a target whose natural key spans
  several columns is picked by `Ref.match`; the record's region is the region column or the
  ref's target's; the natural key is looked up: a record registered in another region, one
  the policy does not let the user change, or one that would move region or change a `fixed`
  ref, is an error;
- across the file: a key given twice; a ref to the own model that is neither registered nor in
  the file; loops (a record below itself);
- writing: new records get ids up front (so that rows of the file may point at each other),
  existing ones are updated through a staging table only where a value differs (before the
  new ones are inserted, so that a row may end what a new row replaces under a unique
  constraint), with one batch change record; a repeated import, or an import of an export,
  changes nothing.

A registry adds its own checks in `check_rows` (per chunk, with the refs resolved) and
`check_across` (the whole file, e.g. with `linked()` for what a ref points at). A column's
`max_length` defaults to its model field's. `derived` columns are filled by `check_rows`; an
export-only derived column is a stored derivation (written, never read). `optional_key` names
key columns that may be blank (a visit to a village has no household). The SQL text of the
natural-key lookups is built in `sql.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _

from fupin.core import db, idnumber
from fupin.ingest import cells
from fupin.ingest.pipeline import (
    ERRORS,
    REASON,
    ConcurrentChange,
    add_reasons,
    duplicates,
    in_scope,
    no_reasons,
)
from fupin.ingest.registry import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    INT,
    REGION_KINDS,
    TEXT,
    Column,
    Counts,
    Registry,
)
from fupin.ingest.sources import ROW
from fupin.ingest.sql import (
    natural_key,
    parent_lookup,
    record_lookup,
    ref_lookup,
    stored_text,
    unique_lookup,
)

KEY = "__key"  # the natural key as one text ("\x1f" between the parts of a composite key)
ID = "__id"  # the id of the registered record with this key, null for a new one
REGION = "__region"  # the record's region code
DB_REGION = "__db_region"
SEPARATOR = "\x1f"
_STATE = "records"


def ref_id(column: str) -> str:
    """The column holding the id a ref's key resolves to."""
    return f"__ref_{column}"


def ref_field(column: str, name: str) -> str:
    """The column holding a field (`fetch`, `region_code`) of the record a ref points at."""
    return f"__ref_{column}__{name}"


@dataclass(frozen=True)
class Ref:
    """A foreign key given in the sheet by the other record's natural key.

    `column` is the registry column with the key (e.g. "org_code"), `field` the model's
    ForeignKey (e.g. "org"), `key` the field of the target model that the key is (e.g. "code").
    `fetch`: fields of the target the registry's own checks read (as `ref_field(column, name)`
    in `check_rows`, or through `linked()`). `in_scope`: the target must lie inside the
    importing user's region and, where the policy narrows the target's model further (a
    helper's own households), be one the user may see (`restrict(..., "view")`). `fixed`: a
    registered record keeps its target (`fixed_hint` says how it is changed instead). A blank
    cell clears the field unless the column has `blank_keeps`.
    `match`: (column, target field) pairs the target must also agree with, for a target
    whose natural key spans several columns (a work team by its name, village and start
    date): `key` is looked up, then the pairs pick among the records with that key. Not
    for a ref to the own model, nor for `linked()`.
    """

    column: str
    field: str
    key: str = "code"
    fetch: tuple[str, ...] = ()
    in_scope: bool = True
    fixed: bool = False
    fixed_hint: str = ""
    match: tuple[tuple[str, str], ...] = ()


class ModelRegistry(Registry):
    """A registry of one model, one row per record, identified by `key` (see the module)."""

    key: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()
    region: str = "region_code"
    movable = False  # may an import move a registered record to another region?
    acyclic = True  # a ref to the own model may not make a record its own ancestor
    derived: tuple[str, ...] = ()  # columns `check_rows` fills even when the file lacks them
    # (an export-only derived column is never read, always written: a stored derivation)
    optional_key: tuple[str, ...] = ()  # key columns that may be blank (a blank part is "")
    export_fields: dict[str, str] = {}  # column -> ORM lookup of an export-only column
    chunk_rows = 50000  # rows per exported frame
    region_column = REGION

    def __init__(self):
        super().__init__()
        if not getattr(self, "model", None):
            return
        self.entities = (self.name,)
        self.columns = tuple(self._complete(col) for col in self.columns)
        self._check_declaration()

    # --- the declaration ---------------------------------------------------------------------
    def _complete(self, col: Column) -> Column:
        if col.max_length is None and col.kind in (TEXT, CODE) and not self.ref(col.name):
            try:
                field = self.model._meta.get_field(col.name)
            except FieldDoesNotExist:
                return col
            if getattr(field, "max_length", None):
                return dataclasses.replace(col, max_length=field.max_length)
        return col

    def _check_declaration(self) -> None:
        names = {c.name for c in self.columns}
        where = f"{type(self).__name__}"
        if not self.key or not set(self.key) <= names:
            raise ImproperlyConfigured(f"{where}: key {self.key!r} must name columns")
        for name in self.key:
            if not self.column(name).required and name not in self.optional_key:
                raise ImproperlyConfigured(f"{where}: key column {name} must be required")
        if not set(self.optional_key) <= set(self.key):
            raise ImproperlyConfigured(f"{where}: optional_key must name key columns")
        for ref in self.refs:
            if ref.column not in names:
                raise ImproperlyConfigured(f"{where}: ref column {ref.column} is not a column")
            try:
                target = self.target(ref)
                for name in (ref.key, *ref.fetch):
                    target._meta.get_field(name)
            except (FieldDoesNotExist, AttributeError):
                raise ImproperlyConfigured(f"{where}: {ref} names a field that does not "
                                           "exist") from None
            if self.is_self(ref) and (len(self.key) != 1 or self.key[0] != ref.key):
                raise ImproperlyConfigured(f"{where}: a ref to the own model must use the key")
            if self.is_self(ref) and ref.column in self.key:
                raise ImproperlyConfigured(f"{where}: a key cannot hold a ref to the own model")
            for column, name in ref.match:
                if column not in names or self.is_self(ref):
                    raise ImproperlyConfigured(f"{where}: {ref} matches an unknown column or "
                                               "the own model")
                try:
                    self.target(ref)._meta.get_field(name)
                except FieldDoesNotExist:
                    raise ImproperlyConfigured(f"{where}: {ref} matches a field that does not "
                                               "exist") from None
        region_ref = self.ref(self.region)
        if region_ref is not None:
            if (self.is_self(region_ref) or not self.column(self.region).required
                    or not _has_field(self.target(region_ref), "region_code")):
                raise ImproperlyConfigured(f"{where}: region from a required ref to another "
                                           "model")
        elif (self.region not in names or self.column(self.region).kind not in REGION_KINDS
              or not self.column(self.region).required):
            raise ImproperlyConfigured(f"{where}: region must be a required region column or "
                                       "a ref")
        for col in self.columns:
            if col.export_only or self.ref(col.name) or col.name in self.export_fields:
                continue
            try:
                self.model._meta.get_field(col.name)
            except FieldDoesNotExist:
                raise ImproperlyConfigured(f"{where}: column {col.name} is not a field of "
                                           f"{self.model.__name__}") from None

    def ref(self, column: str) -> Ref | None:
        for ref in self.refs:
            if ref.column == column:
                return ref
        return None

    def target(self, ref: Ref) -> type[models.Model]:
        return self.model._meta.get_field(ref.field).related_model

    def is_self(self, ref: Ref) -> bool:
        return self.target(ref) is self.model

    def entity_labels(self) -> dict[str, str]:
        return {self.name: str(self.verbose_name)}

    @property
    def keep(self) -> set[str]:
        """Model columns where a blank cell means "not given"."""
        return {self._db_column(c) for c in self.columns if c.blank_keeps and not c.export_only}

    def _db_column(self, col: Column) -> str:
        ref = self.ref(col.name)
        return self.model._meta.get_field(ref.field if ref else col.name).column

    def key_header(self) -> str:
        return "+".join(self.column(n).header for n in self.key)

    # --- hooks ---------------------------------------------------------------------------------
    def check_rows(self, frame: pl.DataFrame, ctx) -> pl.DataFrame:
        """Checks of one chunk beyond the cells (add reasons with `add_reasons`); the refs are
        resolved: `ref_id(column)`, `ref_field(column, name)` for `fetch`, and `__region`."""
        return frame

    def check_across(self, rows: pl.LazyFrame, ctx) -> list:
        """Checks across the file: frames (lazy or not) of (__row, reason)."""
        return []

    # --- per chunk -----------------------------------------------------------------------------
    def check_chunk(self, frame: pl.DataFrame, ctx) -> pl.DataFrame:
        state = ctx.state.setdefault(_STATE, {})
        for ref in self.refs:
            if ref.column in ctx.present:
                frame = self._resolve(frame, ref, ctx, state)
        region_ref = self.ref(self.region)
        frame = frame.with_columns(
            (pl.col(ref_field(region_ref.column, "region_code")) if region_ref
             else pl.col(self.region)).cast(pl.String).alias(REGION))
        frame = frame.with_columns(pl.lit(None, pl.String).alias(n) for n in self.optional_key
                                   if n not in frame.columns)
        frame = frame.with_columns(self._key_expr(frame.columns).alias(KEY))
        frame = self._against_records(frame, ctx, state)
        for col in self._unique(ctx):
            frame = self._unique_against_records(frame, col, ctx, state)
        frame = self.check_rows(frame, ctx)
        keep = [ROW, *[c.name for c in self.columns if c.name in frame.columns
                       and (c.name in ctx.present or c.name in self.derived)], ERRORS, KEY, ID,
                REGION, *[ref_id(r.column) for r in self.refs if r.column in ctx.present]]
        return frame.select(keep)

    def _key_expr(self, columns: list[str]) -> pl.Expr:
        parts = []
        for name in self.key:
            ref = self.ref(name)
            source = ref_id(name) if ref else name
            value = pl.col(source).cast(pl.String) if source in columns else pl.lit(None, pl.String)
            if name in self.optional_key:  # blank: "" (a given but unknown ref stays null)
                value = pl.when(pl.col(name).is_null()).then(pl.lit("")).otherwise(value)
            parts.append(value)
        return parts[0] if len(parts) == 1 else pl.concat_str(parts, separator=SEPARATOR)

    def _resolve(self, frame: pl.DataFrame, ref: Ref, ctx, state: dict) -> pl.DataFrame:
        """Look the ref's keys up (each distinct key once per import) and join what they give."""
        target = self.target(ref)
        has_region = _has_field(target, "region_code")
        fetch = [f for f in ref.fetch if f != "region_code"]
        fetch += [f for _c, f in ref.match if f not in fetch and f != "region_code"]
        names = ["__k", "__id", *(["region_code"] if has_region else []), *fetch]
        seen: set = state.setdefault(f"seen:{ref.column}", set())
        known: list = state.setdefault(f"targets:{ref.column}", [])
        wanted = [k for k in frame.get_column(ref.column).drop_nulls().unique().to_list()
                  if k not in seen]
        seen.update(wanted)
        if wanted and _any(state, target):
            looked_up = db.lookup(ref_lookup(target, ref.key, names[2:]), wanted,
                                  columns=names)
            if not looked_up.is_empty():
                known.append(looked_up.with_columns(pl.col("__k").cast(pl.String),
                                                    pl.col("__id").cast(pl.Int64)))
                if len(known) > 1:
                    known[:] = [pl.concat(known, how="vertical_relaxed")]
        if known:
            table = known[0]
        else:
            table = pl.DataFrame(schema={n: (pl.Int64 if n == "__id" else pl.String)
                                         for n in names})
        table = table.rename({"__k": ref.column, "__id": ref_id(ref.column),
                              **{n: ref_field(ref.column, n) for n in names[2:]}})
        if ref.match:
            # Several records may share the key: the matched columns pick one (compared as
            # text, which is how dates and codes come back from either database).
            on = [f"__match{i}" for i in range(len(ref.match))]
            table = table.with_columns(
                pl.col(ref_field(ref.column, name)).cast(pl.String).alias(m)
                for m, (_c, name) in zip(on, ref.match, strict=True)
            ).sort(ref_id(ref.column)).unique([ref.column, *on], keep="first",
                                               maintain_order=True)
            frame = frame.with_columns(pl.col(column).cast(pl.String).alias(m)
                                       for m, (column, _f) in zip(on, ref.match, strict=True))
            frame = frame.join(table, on=[ref.column, *on], how="left",
                               maintain_order="left").drop(on)
        else:
            frame = frame.join(table, on=ref.column, how="left", maintain_order="left")
        if not has_region:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(
                ref_field(ref.column, "region_code")))
        col = self.column(ref.column)
        given = pl.col(ref.column).is_not_null()
        found = pl.col(ref_id(ref.column)).is_not_null()
        what = {"column": col.header, "model": str(target._meta.verbose_name),
                "field": str(target._meta.get_field(ref.key).verbose_name)}
        reasons = []
        if col.personal:  # an ID number is never repeated in a reason
            unknown = _("%(column)s: no %(model)s has this %(field)s")
            outside = _("%(column)s: this %(model)s is outside your region")
            hidden = _("%(column)s: this %(model)s is not among those you may see")
        else:
            what["value"] = cells.shown(pl.col(ref.column))
            unknown = _("%(column)s: no %(model)s has the %(field)s “%(value)s”")
            outside = _("%(column)s: the %(model)s “%(value)s” is outside your region")
            hidden = _("%(column)s: the %(model)s “%(value)s” is not among those you may see")
        if ref.match:
            what["others"] = "、".join(self.column(c).header for c, _f in ref.match)
            unknown = (_("%(column)s: no %(model)s has this %(field)s and the %(others)s given")
                       if col.personal else
                       _("%(column)s: no %(model)s has the %(field)s “%(value)s” and the "
                         "%(others)s given"))
        if not self.is_self(ref):  # a ref to the own model may point at a row of the file
            reasons.append((given & ~found, cells.message(unknown, **what)))
        inside = pl.lit(True)
        if ref.in_scope and has_region and ctx.scope:
            inside = in_scope(ref_field(ref.column, "region_code"), ctx)
            reasons.append((found & ~inside, cells.message(outside, **what)))
        if ref.in_scope and not self.is_self(ref):
            allowed = _allowed(target, frame.get_column(ref_id(ref.column)), ctx.user, "view")
            if allowed is not None:
                reasons.append((found & inside & ~pl.col(ref_id(ref.column)).is_in(allowed),
                                cells.message(hidden, **what)))
        return add_reasons(frame, reasons)

    def _against_records(self, frame: pl.DataFrame, ctx, state: dict) -> pl.DataFrame:
        """The registered record of each key: its id; errors for one in another region, one
        that would move, one whose fixed ref would change."""
        empty = {ID: pl.Int64, DB_REGION: pl.String}
        fixed = [r for r in self.refs if r.fixed and r.column in ctx.present]
        for ref in fixed:
            empty[f"__db_{ref.column}"] = pl.Int64
            empty[f"__db_{ref.column}__key"] = pl.String
        keys = frame.get_column(KEY).drop_nulls().unique().to_list()
        found = None
        if keys and _any(state, self.model):
            found = db.lookup(record_lookup(
                self.model, self._key_sql(),
                [(ref.field, self.target(ref), ref.key) for ref in fixed]),
                keys, columns=[KEY, *empty])
        if found is None or found.is_empty():
            found = pl.DataFrame(schema={KEY: pl.String, **empty})
        found = found.with_columns(pl.col(KEY).cast(pl.String), *[
            pl.col(n).cast(t) for n, t in empty.items()])
        frame = frame.join(found, on=KEY, how="left", maintain_order="left")
        registered = pl.col(ID).is_not_null()
        inside = in_scope(DB_REGION, ctx)
        header = self.key_header()
        personal = any(self.column(n).personal for n in self.key)
        key_value = pl.lit("") if personal else pl.lit(" ") + cells.shown(pl.concat_str(
            [pl.col(n).cast(pl.String) for n in self.key], separator="+", ignore_nulls=True))
        reasons = [(registered & ~inside, cells.message(
            _("%(column)s%(value)s is registered in another region"), column=header,
            value=key_value))]
        region_ref = self.ref(self.region)
        if not self.movable and not (region_ref and region_ref.fixed):
            moved = registered & inside & pl.col(REGION).is_not_null() & (
                pl.col(REGION) != pl.col(DB_REGION))
            reasons.append((moved, cells.message(
                _("%(column)s%(value)s is registered in region %(region)s; moving it to "
                  "another region is not done by import"), column=header, value=key_value,
                region=pl.col(DB_REGION))))
        for ref in fixed:
            changed = registered & inside & pl.col(ref_id(ref.column)).is_not_null() & (
                pl.col(ref_id(ref.column)) != pl.col(f"__db_{ref.column}"))
            hint = f" ({ref.fixed_hint})" if ref.fixed_hint else ""
            col = self.column(ref.column)
            if col.personal:
                message = cells.message(_("%(column)s: registered with another one, which an "
                                          "import does not change%(hint)s"),
                                        column=col.header, hint=hint)
            else:
                message = cells.message(_("%(column)s: registered with “%(current)s”, which an "
                                          "import does not change%(hint)s"), column=col.header,
                                        current=pl.col(f"__db_{ref.column}__key").fill_null("-"),
                                        hint=hint)
            reasons.append((changed, message))
        allowed = _allowed(self.model, frame.get_column(ID), ctx.user, "change")
        if allowed is not None:
            reasons.append((registered & inside & ~pl.col(ID).is_in(allowed), cells.message(
                _("%(column)s%(value)s is registered, and not among the records you may "
                  "change"), column=header, value=key_value)))
        frame = add_reasons(frame, reasons)
        return frame.drop([n for n in empty if n != ID])

    def _unique(self, ctx) -> list[Column]:
        """The file's columns besides the key whose field is unique (a one-to-one ref too)."""
        out = []
        for col in self.columns:
            if col.name in self.key or col.name not in ctx.present or not self._given(col, ctx):
                continue
            ref = self.ref(col.name)
            field = self.model._meta.get_field(ref.field if ref else col.name)
            if field.unique and not (ref and self.is_self(ref)):
                out.append(col)
        return out

    def _unique_value(self, col: Column) -> str:
        """The frame column holding what a unique column stores."""
        return ref_id(col.name) if self.ref(col.name) else col.name

    def _unique_against_records(self, frame, col: Column, ctx, state: dict) -> pl.DataFrame:
        """A value of a unique column that another registered record holds."""
        value = self._unique_value(col)
        values = [str(v) for v in frame.get_column(value).drop_nulls().unique().to_list()]
        if not values or not _any(state, self.model):
            return frame
        expr = self._sql_value(col.name)
        owners = db.lookup(unique_lookup(self.model, expr, self._key_sql()), values,
                           columns=["__u", "__u_key"])
        if owners.is_empty():
            return frame
        owners = owners.with_columns(pl.col("__u").cast(pl.String), pl.col("__u_key").cast(
            pl.String))
        frame = frame.with_columns(pl.col(value).cast(pl.String).alias("__u")).join(
            owners, on="__u", how="left", maintain_order="left")
        shown = pl.lit("") if col.personal else pl.lit(" ") + cells.shown(pl.col(col.name))
        taken = pl.col("__u_key").is_not_null() & pl.col(KEY).is_not_null() & (
            pl.col("__u_key") != pl.col(KEY))
        frame = add_reasons(frame, [(taken, cells.message(
            _("%(column)s%(value)s belongs to another %(model)s already"), column=col.header,
            value=shown, model=str(self.model._meta.verbose_name)))])
        return frame.drop("__u", "__u_key")

    def _sql_value(self, name: str) -> str:
        """SQL for the stored value of column `name` of `t`, as text."""
        ref = self.ref(name)
        field = self.model._meta.get_field(ref.field if ref else name)
        return stored_text(field, ref=ref is not None)

    def _key_sql(self) -> str:
        """SQL for the natural key of `t` as one text, as `KEY` holds it."""
        return natural_key([(self._sql_value(n), n in self.optional_key) for n in self.key],
                           SEPARATOR)

    # --- across the file -------------------------------------------------------------------------
    def check_file(self, rows: pl.LazyFrame, ctx):
        parts = [duplicates(rows, KEY, self.key_header()).lazy()]
        for col in self._unique(ctx):
            parts.append(duplicates(rows, self._unique_value(col), col.header).lazy())
        for ref in self.refs:
            if ref.column in ctx.present and self.is_self(ref):
                parts.append(self._unknown_in_file(rows, ref).lazy())
                if self.acyclic:
                    parts.append(self._loops(rows, ref, ctx).lazy())
        parts += [p.lazy() for p in self.check_across(rows, ctx)]
        return pl.concat([p.select(pl.col(ROW).cast(pl.UInt32), pl.col(REASON).cast(pl.String))
                          for p in parts])

    def _unknown_in_file(self, rows: pl.LazyFrame, ref: Ref) -> pl.DataFrame:
        """Rows pointing at a key of the own model that is neither registered nor in the file."""
        keys = rows.select(pl.col(KEY).alias(ref.column)).filter(pl.col(ref.column).is_not_null())
        unknown = rows.filter(pl.col(ref.column).is_not_null()
                              & pl.col(ref_id(ref.column)).is_null()).select(ROW, ref.column)
        found = unknown.join(keys, on=ref.column, how="anti").collect(engine="streaming")
        if found.is_empty():
            return no_reasons()
        model = self.model._meta
        col = self.column(ref.column)
        what = {"column": col.header, "model": str(model.verbose_name),
                "field": str(model.get_field(ref.key).verbose_name)}
        if col.personal:
            message = _("%(column)s: no %(model)s has this %(field)s, in the registry or in "
                        "this file")
        else:
            what["value"] = cells.shown(pl.col(ref.column))
            message = _("%(column)s: no %(model)s has the %(field)s “%(value)s”, in the "
                        "registry or in this file")
        return found.select(ROW, cells.message(message, **what).alias(REASON))

    def _loops(self, rows: pl.LazyFrame, ref: Ref, ctx) -> pl.DataFrame:
        """Rows whose record would be its own ancestor through `ref`. The file's rows give the
        new links; the registry gives the links of the records above them not in the file."""
        links = rows.filter(pl.col(KEY).is_not_null()).select(ROW, KEY, ref.column).collect(
            engine="streaming")
        up: dict[str, str | None] = {}
        row_of: dict[str, int] = {}
        for row, key, parent in links.iter_rows():
            if key not in up:
                up[key], row_of[key] = parent, row
        del links
        frontier = {p for p in up.values() if p is not None and p not in up}
        parents = parent_lookup(self.model, ref.key, ref.field)
        while frontier:
            found = db.lookup(parents, sorted(frontier), columns=["k", "p"])
            for key in frontier:
                up[key] = None  # unknown: an error of its own
            for key, parent in found.iter_rows():
                up[str(key)] = None if parent is None else str(parent)
            frontier = {up[k] for k in frontier if up[k] is not None and up[k] not in up}
        looping: list[int] = []
        done: set[str] = set()
        for start in row_of:
            path, seen, node = [], set(), start
            while node is not None and node not in done and node not in seen:
                seen.add(node)
                path.append(node)
                node = up.get(node)
            if node is not None and node in seen:  # a loop: from `node` on, the path loops
                cycle = path[path.index(node):]
                looping += [row_of[k] for k in cycle if k in row_of]
            done.update(path)
        if not looping:
            return no_reasons()
        return pl.DataFrame({ROW: sorted(set(looping))}, schema={ROW: pl.UInt32}).with_columns(
            pl.lit(_("%(column)s: the record would be below itself (a loop)")
                   % {"column": self.column(ref.column).header}).alias(REASON))

    def linked(self, rows: pl.LazyFrame, ctx, ref: Ref, fields: tuple[str, ...]) -> pl.DataFrame:
        """(__row, ref_field(column, f) for f in fields) for the rows whose ref is given and
        known: what the record pointed at will hold after the import (its row in the file,
        for a ref to the own model, else what the registry holds; fields must be fetched).
        Rows pointing at a row of the file that has errors are left out."""
        out = [ROW, ref.column]
        given = rows.filter(pl.col(ref.column).is_not_null()).select(out).collect(
            engine="streaming")
        known = ctx.state.get(_STATE, {}).get(f"targets:{ref.column}") or []
        names = list(fields)
        registered = (known[0].select(pl.col("__k").alias(ref.column), *names) if known else
                      pl.DataFrame(schema={ref.column: pl.String,
                                           **dict.fromkeys(names, pl.String)}))
        if self.is_self(ref):
            # A row of the file with errors of its own is no target to judge others by.
            present = [f for f in names if f in ctx.present]
            in_file = rows.filter(pl.col(KEY).is_not_null()).select(
                pl.col(KEY).alias(ref.column), *present, pl.col(ERRORS).is_null().alias("__ok")
            ).unique(ref.column, keep="first").collect(engine="streaming")
            missing = [f for f in names if f not in present]
            if missing:
                in_file = in_file.join(registered.select(ref.column, *missing), on=ref.column,
                                       how="left")
            registered = pl.concat([
                in_file.filter("__ok").select(ref.column, *names),
                registered.join(in_file.select(ref.column), on=ref.column, how="anti")],
                how="vertical_relaxed")
        return given.join(registered, on=ref.column, how="inner").select(
            ROW, *[pl.col(f).alias(ref_field(ref.column, f)) for f in names])

    # --- writing ---------------------------------------------------------------------------------
    def write(self, spill, ctx) -> dict[str, Counts]:
        rows = spill.scan()
        meta = self.model._meta
        new_keys = rows.filter(pl.col(ID).is_null()).select(KEY).collect(engine="streaming")
        existing = rows.filter(pl.col(ID).is_not_null()).select(pl.len()).collect().item()
        ids = db.allocate_ids(self.model, new_keys.height)
        new_ids = new_keys.with_columns(ids.alias("__new_id"))
        del new_keys
        written = self._written(ctx)
        update_columns = [c for c in written if c not in {self._db_column(self.column(k))
                                                          for k in self.key}]
        keep = self.keep
        stage = db.Staging(self.model, update_columns)
        for chunk in spill.chunks():
            old = chunk.filter(pl.col(ID).is_not_null())
            if old.height:
                stage.load(self._values(old, new_ids, ctx).select(
                    meta.pk.column, *update_columns))
        updated = stage.changed(keep)
        counts = {self.name: Counts(created=new_ids.height, updated=updated,
                                    unchanged=existing - updated)}
        bounds = rows.select(pl.col(REGION).min().alias("lo"),
                             pl.col(REGION).max().alias("hi")).collect().row(0)
        batch = ctx.begin_batch(counts, bounds)
        if batch is None:
            stage.drop()
            return counts
        have = {f.column for f in meta.concrete_fields}
        now = db.timestamp(ctx.now)
        stamp = {k: v for k, v in {"updated_at": now, "updated_by_id": ctx.user_id,
                                   "batch_id": batch}.items() if k in have}
        created = {k: v for k, v in {"created_at": now, "created_by_id": ctx.user_id}.items()
                   if k in have} | stamp

        def new_rows() -> Iterator[pl.DataFrame]:
            done = 0
            for chunk in spill.chunks():
                new = chunk.filter(pl.col(ID).is_null())
                if new.height:
                    yield with_defaults(self.model, self._values(new, new_ids, ctx), created,
                                        keep)
                done += chunk.height
                ctx.report("write", done, spill.rows)

        # Updates first: an update may free a value under a unique constraint (ending a
        # household's current pairing) that a new row of the same file takes.
        if stage.apply(keep, stamp) != updated:
            raise ConcurrentChange
        stage.drop()
        db.copy_frames(meta.db_table, new_rows())
        return counts

    def _given(self, col: Column, ctx) -> bool:
        """Whether an import of this file writes the column."""
        if col.name in self.export_fields:
            return False
        return col.name in self.derived or (not col.export_only and col.name in ctx.present)

    def _written(self, ctx) -> list[str]:
        """The model columns an import of this file writes."""
        out = [self._db_column(col) for col in self.columns if self._given(col, ctx)]
        if "region_code" not in out:
            out.append("region_code")
        return out

    def _values(self, chunk: pl.DataFrame, new_ids: pl.DataFrame, ctx) -> pl.DataFrame:
        """Rows as model columns: the id (registered or allocated), fields, ref ids."""
        meta = self.model._meta
        chunk = chunk.join(new_ids, on=KEY, how="left", maintain_order="left")
        exprs = {meta.pk.column: pl.coalesce(pl.col(ID), pl.col("__new_id"))}
        keep = self.keep
        for col in self.columns:
            if not self._given(col, ctx):
                continue
            ref = self.ref(col.name)
            column = self._db_column(col)
            if ref is not None:
                value = pl.col(ref_id(ref.column))
                if self.is_self(ref):  # the target may be a new record of this file
                    target = f"__new_{ref.column}"
                    chunk = chunk.join(new_ids.rename({KEY: ref.column, "__new_id": target}),
                                       on=ref.column, how="left", maintain_order="left")
                    value = pl.coalesce(value, pl.col(target))
                exprs[column] = value.cast(pl.Int64)
                continue
            value = pl.col(col.name)
            field = meta.get_field(col.name)
            if column not in keep and not field.null:
                # A blank cell clears the field: to "" for text, else to the model default.
                if isinstance(field, (models.CharField, models.TextField)):
                    value = value.fill_null("")
                elif isinstance(field, models.BooleanField):
                    value = value.fill_null(bool(field.get_default()))
                elif field.has_default():
                    value = value.fill_null(pl.lit(field.get_default()))
            exprs[column] = value
        exprs.setdefault("region_code", pl.col(REGION))
        return chunk.select([e.alias(n) for n, e in exprs.items()])

    # --- export ----------------------------------------------------------------------------------
    def export_queryset(self, user, region_code):
        from fupin.core.policy import restrict
        from fupin.regions.scope import within

        queryset = self.model._base_manager.all()
        if user is not None:
            queryset = restrict(queryset, user, "view")
        if region_code:
            scope_q = getattr(self.model, "scope_q", None)
            if scope_q is not None:
                queryset = queryset.filter(
                    pk__in=self.model._base_manager.filter(scope_q(region_code)).values("pk"))
            else:
                queryset = queryset.filter(within(region_code))
        return queryset

    def export_lookup(self, col: Column) -> str:
        if col.name in self.export_fields:
            return self.export_fields[col.name]
        ref = self.ref(col.name)
        return f"{ref.field}__{ref.key}" if ref else col.name

    def export_frames(self, user, region_code):
        lookups = [self.export_lookup(c) for c in self.columns]
        order = [self.export_lookup(self.column(n)) for n in self.key]
        queryset = self.export_queryset(user, region_code).order_by(*order, "pk").values_list(
            *lookups)
        schema = {c.name: _dtype(c) for c in self.columns}
        batch = []
        for row in queryset.iterator(chunk_size=5000):
            batch.append(row)
            if len(batch) >= self.chunk_rows:
                yield pl.DataFrame(batch, schema=schema, orient="row")
                batch = []
        if batch:
            yield pl.DataFrame(batch, schema=schema, orient="row")


def _dtype(col: Column):
    return {INT: pl.Int64, DECIMAL: pl.Decimal(14, 2), DATE: pl.Date,
            BOOL: pl.Boolean}.get(col.kind, pl.String)


def _any(state: dict, model) -> bool:
    """Whether the model's table has rows (asked once per import: a first import of an empty
    table need not look keys up)."""
    label = f"any:{model._meta.label}"
    if label not in state:
        state[label] = db.has_rows(model)
    return state[label]


def _allowed(model, ids: pl.Series, user, action: str) -> pl.Series | None:
    """Which of `ids` the policy lets `user` take `action` on, for a model that the policy
    narrows beyond the region (a helper's own households and visits); None when there is
    nothing more to check than the region (the system, or a model without narrowing)."""
    from fupin.core.policy import FILTERS, model_label, restrict

    if user is None or not (getattr(model, "policy_filter", None)
                            or FILTERS.get(model_label(model))):
        return None
    wanted = ids.drop_nulls().unique().to_list()
    allowed: list[int] = []
    for start in range(0, len(wanted), 5000):
        rows = model._base_manager.filter(pk__in=wanted[start:start + 5000])
        allowed += restrict(rows, user, action).values_list("pk", flat=True)
    return pl.Series(allowed, dtype=pl.Int64)


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def with_defaults(model, frame: pl.DataFrame, stamp: dict, keep: set[str]) -> pl.DataFrame:
    """Complete new rows: bookkeeping columns, then model defaults for what the file lacks
    (and for "not given" cells of `keep` columns)."""
    columns = {f.column for f in model._meta.concrete_fields}
    frame = frame.select([n for n in frame.columns if n in columns])
    frame = frame.with_columns(pl.lit(v).alias(k) for k, v in stamp.items())
    defaults = db.defaults(model, frame.columns)
    fill = db.defaults(model, ())
    exprs = [pl.lit(v).alias(k) for k, v in defaults.items()]
    exprs += [pl.col(n).fill_null(pl.lit(fill[n])) for n in frame.columns
              if n in keep and fill.get(n) is not None]
    return frame.with_columns(exprs)


# --- checks more than one registry needs ---------------------------------------------------------


def identity_checks(frame: pl.DataFrame, ctx, number: str = "id_number", sex: str = "sex",
                    birth: str = "birth_date") -> pl.DataFrame:
    """Sex and birth date read from the ID number where the file leaves them blank (or lacks
    the column), and an error where the file gives one that disagrees with the number."""
    id_number = pl.col(number)
    reasons = []
    if sex in ctx.present:
        given, derived = pl.col(sex), cells.id_sex(id_number)
        differs = given.is_not_null() & derived.is_not_null() & (given != derived)
        reasons.append((differs & (derived == "M"), pl.lit(str(idnumber.SEX_MISMATCH["M"]))))
        reasons.append((differs & (derived == "F"), pl.lit(str(idnumber.SEX_MISMATCH["F"]))))
    if birth in ctx.present:
        given, derived = pl.col(birth), cells.id_birth_date(id_number)
        reasons.append((given.is_not_null() & derived.is_not_null() & (given != derived),
                        pl.lit(str(idnumber.BIRTH_DATE_MISMATCH))))
    frame = add_reasons(frame, reasons)
    return frame.with_columns(
        (pl.coalesce(pl.col(sex), cells.id_sex(id_number)) if sex in ctx.present
         else cells.id_sex(id_number)).alias(sex),
        (pl.coalesce(pl.col(birth), cells.id_birth_date(id_number)) if birth in ctx.present
         else cells.id_birth_date(id_number)).alias(birth))


def dates_in_order(frame: pl.DataFrame, ctx, columns: list[Column]) -> pl.DataFrame:
    """Each given date of `columns` (in their order) is not before an earlier given one, and
    none is in the future."""
    present = [c for c in columns if c.name in ctx.present]
    reasons = []
    for i, col in enumerate(present):
        reasons.append((pl.col(col.name) > pl.lit(ctx.today), cells.message(
            _("%(column)s is in the future"), column=col.header)))
        for earlier in present[:i]:
            reasons.append((pl.col(col.name) < pl.col(earlier.name), cells.message(
                _("%(column)s is before %(earlier)s"), column=col.header,
                earlier=earlier.header)))
    return add_reasons(frame, reasons)
