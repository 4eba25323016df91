"""Applying region changes (区划变更): `fupin regions apply-changes FILE.csv`.

The file has the columns `year,kind,old_code,new_code,new_name,note`; `kind` is one of
rename | merge | split | recode. Each row either renames a region (new_code empty or equal to
old_code) or moves one region (old_code) with its whole subtree to new_code, a code of the
same level:

- recode: the region gets a new code (new_code must not exist; its parent must exist or be
  created by an earlier row of the same file);
- split: like recode, for the children of a region being moved under different new parents
  (the new parent must differ from the old one; create new parents with `regions import` or
  an earlier row);
- merge: new_code already exists; the old region's children move under it, keeping their
  own code suffix, and the old region is removed. Several merge rows may name one new code.

Every row of the file is checked first, in file order (a row sees the effect of the rows
before it), and every bad row is reported with its line number; nothing is stored unless the
whole file is good. Then, in one transaction, each row:

1. re-codes the Region subtree in place with one UPDATE (code and parent move together; the
   parent foreign key is deferred, and the new codes are checked not to exist);
2. re-codes every other row that refers to a region: foreign keys to Region and every
   concrete `region_code` field of every installed model, one UPDATE per model, as
   new_prefix + region_code[len(old_prefix):], except the change log and the personal-data
   access log, which keep the code the region had at the time;
3. for a merge, deletes the old region (its delete is recorded by the change-log signals);
4. writes a RegionChange row (recorded by the signals) and one `recode` change record with
   the counts of re-coded rows per model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from fupin.core import changelog
from fupin.core.models import ChangeRecord
from fupin.regions import scope
from fupin.regions.importer import NAME_MAX_LENGTH, RowError, RowsRejected, read_csv
from fupin.regions.models import Region, RegionChange

CHANGE_COLUMNS = ("year", "kind", "old_code", "new_code", "new_name", "note")
# History keeps the code a region had when the record was written.
NOT_RECODED = frozenset({"core.changerecord", "core.personaldataaccess"})
NOTE_MAX_LENGTH = RegionChange._meta.get_field("note").max_length
MAX_COLLISIONS_LISTED = 5
_YEAR_RE = re.compile(r"^\d{4}$")
Kind = RegionChange.Kind


def region_code_models() -> list[type[models.Model]]:
    """Every installed model with its own concrete `region_code` field, except history."""
    found = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.label_lower in NOT_RECODED:
            continue
        try:
            f = opts.get_field("region_code")
        except FieldDoesNotExist:
            continue
        if f.concrete and not f.is_relation and f.model is model:
            found.append(model)
    return found


def region_foreign_keys() -> list[tuple[type[models.Model], models.Field]]:
    """Foreign keys to Region from other models (Region.parent moves with the codes)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model is Region or model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.local_concrete_fields:
            if f.is_relation and f.related_model is Region:
                found.append((model, f))
    return found


@dataclass
class Change:
    line: int
    year: int
    kind: str
    old_code: str
    new_code: str  # equal to old_code for a rename
    new_name: str  # as given ('' keeps the name, except for a rename)
    note: str


@dataclass
class AppliedChange:
    change: Change
    region_change: RegionChange | None
    old_name: str
    new_name: str
    rows_recoded: dict[str, int] = field(default_factory=dict)


class _State:
    """The regions as they will be after the rows checked so far: the database plus an
    overlay, so that each row is checked against the effect of the rows before it."""

    def __init__(self):
        self.added: dict[str, str] = {}  # code -> name (created, moved here or renamed)
        self.removed: set[str] = set()
        self._names: dict[str, str | None] = {}

    def name(self, code: str) -> str | None:
        """The region's name, or None when it does not exist."""
        if code in self.added:
            return self.added[code]
        if code in self.removed:
            return None
        if code not in self._names:
            self._names[code] = (Region._base_manager.filter(code=code)
                                 .values_list("name", flat=True).first())
        return self._names[code]

    def subtree(self, code: str) -> dict[str, str]:
        lo, hi = scope.bounds(code)
        rows = Region._base_manager.filter(code__gte=lo, code__lte=hi).order_by()
        out = {c: n for c, n in rows.values_list("code", "name") if c not in self.removed}
        out.update({c: n for c, n in self.added.items() if lo <= c <= hi})
        return out

    def move(self, mapping: dict[str, str], names: dict[str, str]) -> None:
        for old in mapping:
            self.added.pop(old, None)
            self.removed.add(old)
        for old, new in mapping.items():
            self.added[new] = names[old]


def _parse(row) -> tuple[Change, list[str]]:
    v = row.values
    reasons = []
    year = int(v["year"]) if _YEAR_RE.match(v["year"]) else 0
    if not year:
        reasons.append(_("year %(year)r is not a 4-digit year") % {"year": v["year"]})
    kind = v["kind"].lower()
    if kind not in Kind.values:
        reasons.append(_("kind %(kind)r is not one of %(kinds)s")
                       % {"kind": v["kind"], "kinds": ", ".join(Kind.values)})
    old_code, new_code, new_name = v["old_code"], v["new_code"], v["new_name"]
    if not scope.is_valid_code(old_code):
        reasons.append(_("malformed old code %(code)r: it must be exactly 12 digits")
                       % {"code": old_code})
    if kind == Kind.RENAME and new_code in ("", old_code):
        new_code = old_code
    elif not new_code:
        if kind in Kind.values:
            reasons.append(_("a %(kind)s needs a new code") % {"kind": kind})
    elif not scope.is_valid_code(new_code):
        reasons.append(_("malformed new code %(code)r: it must be exactly 12 digits")
                       % {"code": new_code})
    if len(new_name) > NAME_MAX_LENGTH:
        reasons.append(_("the new name is longer than %(max)s characters")
                       % {"max": NAME_MAX_LENGTH})
    if len(v["note"]) > NOTE_MAX_LENGTH:
        reasons.append(_("the note is longer than %(max)s characters") % {"max": NOTE_MAX_LENGTH})
    return Change(row.line, year, kind, old_code, new_code, new_name, v["note"]), reasons


def _check(change: Change, state: _State) -> tuple[list[str], dict[str, str]]:
    """Reasons the change cannot be applied after the rows before it, and, when it can,
    the codes it moves (old -> new)."""
    old, new, kind = change.old_code, change.new_code, change.kind
    old_name = state.name(old)
    if old_name is None:
        return [_("old code %(code)s does not exist (or an earlier row moved it)")
                % {"code": old}], {}
    level = scope.level_of(old)
    if kind == Kind.RENAME:
        if new != old:
            return [_("a rename keeps the code: new_code must be empty or %(code)s")
                    % {"code": old}], {}
        if not change.new_name:
            return [_("a rename needs a new name")], {}
        if change.new_name == old_name:
            return [_("%(code)s is already named %(name)s") % {"code": old, "name": old_name}], {}
        return [], {}

    if new == old:
        return [_("the new code is the old code; to change only the name use kind rename")], {}
    if scope.level_of(new) != level or not scope.is_well_nested(new, level):
        return [_("new code %(new)s is not a code of level %(level)s like %(old)s")
                % {"new": new, "level": level, "old": old}], {}
    target_name = state.name(new)
    reasons = []
    if kind == Kind.MERGE:
        if target_name is None:
            reasons.append(_("merge target %(code)s does not exist") % {"code": new})
    else:
        if target_name is not None:
            reasons.append(_("new code %(code)s already exists (%(name)s); to merge into it "
                             "use kind merge") % {"code": new, "name": target_name})
        new_parent = scope.parent_code(new)
        if new_parent is not None and state.name(new_parent) is None:
            reasons.append(_("the new parent %(parent)s does not exist (it must exist already "
                             "or be created by an earlier row of this file)")
                           % {"parent": new_parent})
        if kind == Kind.SPLIT and new_parent == scope.parent_code(old):
            reasons.append(_("a split moves a region under a different parent, but %(new)s "
                             "has the same parent as %(old)s") % {"new": new, "old": old})
    if reasons:
        return reasons, {}

    n = scope.PREFIX_LENGTH[level]
    new_prefix = new[:n]
    moving = state.subtree(old)
    if kind == Kind.MERGE:
        moving.pop(old, None)
    mapping = {code: new_prefix + code[n:] for code in sorted(moving)}
    there = state.subtree(new)
    collisions = [(code, target) for code, target in mapping.items() if target in there]
    if collisions:
        shown = [_("%(old)s would become %(new)s, which already exists (%(name)s)")
                 % {"old": c, "new": t, "name": there[t]}
                 for c, t in collisions[:MAX_COLLISIONS_LISTED]]
        if len(collisions) > MAX_COLLISIONS_LISTED:
            shown.append(_("and %(count)s more") % {"count": len(collisions) - len(shown)})
        return shown, {}
    return [], mapping


def check_changes(path: str | Path) -> tuple[list[Change], str]:
    """Parse and check a change file. Raises FileRejected or RowsRejected."""
    csvfile = read_csv(path, CHANGE_COLUMNS)
    errors = list(csvfile.errors)
    changes: list[Change] = []
    state = _State()
    for row in csvfile.rows:
        change, reasons = _parse(row)
        if not reasons:
            reasons, mapping = _check(change, state)
            if not reasons:
                names = state.subtree(change.old_code) if mapping else {}
                if change.kind != Kind.MERGE and mapping and change.new_name:
                    names[change.old_code] = change.new_name
                state.move(mapping, names)
                if change.kind == Kind.MERGE:  # the old region itself is removed
                    state.added.pop(change.old_code, None)
                    state.removed.add(change.old_code)
                if change.kind == Kind.RENAME:
                    state.added[change.old_code] = change.new_name
                elif change.kind == Kind.MERGE and change.new_name:
                    state.added[change.new_code] = change.new_name
        if reasons:
            errors.append(RowError(row.line, "; ".join(reasons)))
        else:
            changes.append(change)
    if errors:
        raise RowsRejected(csvfile.path, errors)
    return changes, csvfile.sha256


def _moved(field_name: str, old_prefix: str, new_prefix: str):
    """new_prefix + value[len(old_prefix):] as one SQL expression (SQLite and PostgreSQL)."""
    return Concat(Value(new_prefix), Substr(field_name, len(old_prefix) + 1),
                  output_field=models.CharField())


def _apply(change: Change, sha256: str) -> AppliedChange:
    old = Region._base_manager.get(code=change.old_code)
    old_name = old.name
    rows: dict[str, int] = {}
    regions = Region._base_manager.order_by()
    if change.kind == Kind.RENAME:
        regions.filter(code=old.code).update(name=change.new_name)
        new_name = change.new_name
    else:
        n = scope.PREFIX_LENGTH[old.level]
        old_prefix, new_prefix = old.code[:n], change.new_code[:n]
        subtree = regions.filter(scope.within(old.code, "code"))
        if change.kind == Kind.MERGE:
            subtree = subtree.exclude(code=old.code)
        new_parent = scope.parent_code(change.new_code)
        # One UPDATE moves the codes and the parents together (the expressions read the
        # row's old values); the parent foreign key is checked at the end of the transaction.
        rows[Region._meta.label_lower] = subtree.update(
            code=_moved("code", old_prefix, new_prefix),
            parent=Case(When(code=old.code, then=Value(new_parent)),
                        default=_moved("parent_id", old_prefix, new_prefix),
                        output_field=models.CharField()),
        )
        for model, fk in region_foreign_keys():
            count = model._base_manager.filter(scope.within(old.code, fk.attname)).update(
                **{fk.attname: _moved(fk.attname, old_prefix, new_prefix)})
            if count:
                label = model._meta.label_lower
                rows[label] = rows.get(label, 0) + count
        for model in region_code_models():
            count = model._base_manager.filter(scope.within(old.code)).update(
                region_code=_moved("region_code", old_prefix, new_prefix))
            if count:
                label = model._meta.label_lower
                rows[label] = rows.get(label, 0) + count
        if change.kind == Kind.MERGE:
            Region._base_manager.filter(code=old.code).delete()  # recorded by the signals
        if change.new_name:
            regions.filter(code=change.new_code).update(name=change.new_name)
        new_name = regions.filter(code=change.new_code).values_list("name", flat=True).get()
    region_change = RegionChange.objects.create(
        year=change.year, kind=change.kind, old_code=change.old_code, new_code=change.new_code,
        old_name=old_name, new_name=new_name, note=change.note, rows_recoded=rows,
    )
    changelog.append(
        action=ChangeRecord.Action.RECODE, model="regions.region", object_id=change.new_code,
        object_repr=new_name, region_code=change.new_code,
        before={"code": change.old_code, "name": old_name},
        after={"code": change.new_code, "name": new_name},
        extra={"rows_recoded": rows, "kind": change.kind, "year": change.year,
               "region_change": region_change.pk, "file_sha256": sha256, "line": change.line},
    )
    return AppliedChange(change, region_change, old_name, new_name, rows)


def apply_changes(path: str | Path, *, dry_run: bool = False) -> list[AppliedChange]:
    """Check, then apply, a change file in one transaction. Raises FileRejected or
    RowsRejected (nothing stored). With dry_run, only checks."""
    with transaction.atomic():
        changes, sha256 = check_changes(path)
        if dry_run:
            return [AppliedChange(c, None, "", c.new_name) for c in changes]
        applied = []
        for change in changes:
            try:
                with transaction.atomic():
                    applied.append(_apply(change, sha256))
            except IntegrityError as exc:
                # E.g. a unique constraint of another model broken by a merge.
                raise RowsRejected(Path(path), [RowError(change.line, _(
                    "re-coding the records would break a database constraint: %(error)s")
                    % {"error": exc})]) from None
        try:
            connection.check_constraints(table_names=[Region._meta.db_table])
        except IntegrityError as exc:
            raise RowsRejected(Path(path), [RowError(0, _(
                "the changes would break the region tree: %(error)s") % {"error": exc})]) from None
    return applied
