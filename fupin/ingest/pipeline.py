"""The import pipeline shared by every registry (导入流程).

    read (CSV: polars in blocks; XLSX: python-calamine) -> map headers -> parse and check every
    cell in columns (polars) -> registry checks per chunk (database look-ups) -> spill the
    parsed chunk to a temporary Arrow file -> checks across the whole file (duplicates,
    consistency) -> if any row is bad: the error workbook, nothing stored -> else write every
    row in one transaction with one batch change record.

Memory holds one chunk of rows plus what is kept per distinct key (the household numbers and
ID numbers already seen, those that exist in the database); the parsed rows wait on disk.
Reasons are in the active language (the CLI and the background job run in zh-Hans unless told
otherwise) and never contain ID numbers, phones or bank accounts.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import changelog, idnumber
from fupin.core.models import ChangeRecord
from fupin.core.signals import import_committed
from fupin.ingest import cells, sources
from fupin.ingest.registry import ID_NUMBER, REGION_KINDS, VILLAGE, Counts, Registry, fold
from fupin.ingest.registry import get as get_registry
from fupin.ingest.sources import ROW, FileRejected
from fupin.regions import scope as region_scope

ERRORS = "__errors"
REASON = "reason"
SAMPLE_ERRORS = 20
Progress = Callable[[str, int, "int | None"], None]


class RowsRejected(Exception):
    """Some rows are bad; nothing was stored. The error workbook is at `errors_path`."""

    def __init__(self, *, bad_rows: int, rows: int, errors_path: Path | None,
                 sample: list[tuple[int, str]]):
        self.bad_rows = bad_rows
        self.rows = rows
        self.errors_path = errors_path
        self.sample = sample
        super().__init__(self.message())

    def message(self) -> str:
        return _("%(bad)s of %(rows)s rows have errors; nothing was stored.") % {
            "bad": f"{self.bad_rows:,}", "rows": f"{self.rows:,}"}


class ConcurrentChange(Exception):
    """The database changed under the import between checking and writing: run it again."""


@dataclass
class ImportResult:
    registry: str
    path: Path
    sha256: str
    rows: int
    counts: dict[str, Counts]
    record_id: int | None
    dry_run: bool
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts.values())


@dataclass
class Context:
    """What the registry's hooks get: who imports, what the file has, shared look-ups."""

    registry: Registry
    user: object | None
    scope: str  # the user's scope region ("" for the system: everywhere)
    sha256: str
    filename: str
    present: set[str]  # the registry columns the file has
    today: datetime.date
    now: datetime.datetime
    dry_run: bool = False
    progress: Progress | None = None
    state: dict = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)  # code -> level, 0 = unknown
    record: ChangeRecord | None = None

    @property
    def user_id(self):
        user = self.user
        return user.pk if user is not None and getattr(user, "is_authenticated", False) else None

    def report(self, phase: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def begin_batch(self, counts: dict[str, Counts], region_codes: tuple[str, str]) -> int | None:
        """Append the batch change record once the counts are known; None if nothing changes.
        `region_codes` are the lowest and highest village in the file."""
        if not any(c.changed for c in counts.values()):
            return None
        self.record = changelog.append(
            action=ChangeRecord.Action.BATCH, model=self.registry.model._meta.label_lower,
            object_id=self.sha256, object_repr=self.filename,
            region_code=region_scope.common_ancestor(*region_codes),
            extra={"registry": self.registry.name, "file_sha256": self.sha256,
                   "file": self.filename,
                   **{entity: c.as_dict() for entity, c in counts.items()}},
        )
        return self.record.pk


# --- headers -----------------------------------------------------------------------------------


def header_map(registry: Registry, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Registry column name -> sheet column (c0, c1, ...), and the ignored headers."""
    known = {}
    for col in registry.columns:
        if col.export_only:
            continue
        for h in col.headers:
            known.setdefault(h, col.name)
    ignore = {fold(_("Errors")), fold("错误原因"), fold("errors")}
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    repeated: list[str] = []
    for i, text in enumerate(header):
        key = fold(text)
        if not key or key in ignore:
            continue
        name = known.get(key)
        if name is None:
            ignored.append(text)
        elif name in mapping:
            repeated.append(text)
        else:
            mapping[name] = f"c{i}"
    missing = [c for c in registry.required if c.name not in mapping]
    if missing or repeated:
        problems = []
        if missing:
            problems.append(_("missing %(names)s") % {
                "names": "、".join(f"{c.header} ({c.name})" for c in missing)})
        if repeated:
            problems.append(_("repeated %(names)s") % {"names": "、".join(repeated)})
        raise FileRejected(_("the header row must name the columns %(columns)s (%(problems)s)")
                           % {"columns": "、".join(c.header for c in registry.required),
                              "problems": "; ".join(problems)})
    return mapping, ignored


def header_finder(registry: Registry) -> Callable[[list], bool]:
    required = [set(c.headers) for c in registry.required]

    def is_header(cells: list) -> bool:
        keys = {fold(c) for c in cells if c not in (None, "")}
        return all(keys & names for names in required)

    return is_header


# --- one chunk ---------------------------------------------------------------------------------


def add_reasons(frame: pl.DataFrame, reasons: list) -> pl.DataFrame:
    """Append reasons to each row's `__errors`: pairs (condition, message), built only where
    a condition holds, or expressions giving a text or null per row."""
    if not reasons:
        return frame
    return cells.with_reasons(frame, reasons, ERRORS)


def parse_chunk(raw: pl.DataFrame, mapping: dict[str, str], ctx: Context) -> pl.DataFrame:
    """Typed values of the registry's columns, `__row` and `__errors`; blank rows dropped."""
    registry = ctx.registry
    text = raw.select(ROW, *[cells.trim_series(raw.get_column(sheet_col)).alias(name)
                             for name, sheet_col in mapping.items()])
    if mapping:
        text = text.filter(pl.any_horizontal(pl.col(list(mapping)).is_not_null()))
    values, reasons = [text.get_column(ROW)], []
    for col in registry.columns:
        if col.name not in mapping:
            continue
        value, reason = cells.parse_column(col, text.get_column(col.name))
        values.append(value)
        reasons.append(reason.alias(f"__reason_{col.name}"))
    frame = pl.DataFrame(values + reasons)
    frame = frame.select(
        ROW, *[v.name for v in values[1:]],
        pl.concat_str([r.name for r in reasons], separator=cells.SEPARATOR, ignore_nulls=True)
        .alias(ERRORS) if reasons else pl.lit(None, pl.String).alias(ERRORS))
    frame = frame.with_columns(pl.when(pl.col(ERRORS) == "").then(None)
                               .otherwise(pl.col(ERRORS)).alias(ERRORS))
    for col in registry.columns:
        if col.name in mapping and col.kind == ID_NUMBER:
            frame = check_id_numbers(frame, col, ctx)
        elif col.name in mapping and col.kind in REGION_KINDS:
            frame = check_regions(frame, col, ctx)
    return frame


def check_id_numbers(frame: pl.DataFrame, col, ctx: Context) -> pl.DataFrame:
    """GB 11643 in columns; the reason for each failure from idnumber.parse(). A number that
    fails is set to null, so that later checks (duplicates, the database) skip it."""
    name = col.name
    frame = frame.with_columns(cells.id_number_valid(pl.col(name), ctx.today).alias("__valid"))
    failing = frame.filter(pl.col(name).is_not_null() & ~pl.col("__valid")
                           & ~cells.scientific(pl.col(name)))
    if failing.height:
        reasons = []
        for number in failing.get_column(name).to_list():
            try:
                idnumber.parse(number, ctx.today)
                reasons.append(None)  # pragma: no cover - the fast path is exact
            except idnumber.InvalidIdNumber as exc:
                reasons.append(f"{col.header}: {exc.message}")
        found = failing.select(ROW, pl.Series("__id_reason", reasons, dtype=pl.String))
        frame = frame.join(found, on=ROW, how="left")
        frame = add_reasons(frame, [pl.col("__id_reason")]).drop("__id_reason")
    return frame.with_columns(
        pl.when(pl.col("__valid")).then(pl.col(name)).otherwise(None).alias(name)
    ).drop("__valid")


def region_levels(codes, ctx: Context) -> None:
    """Fill `ctx.regions` (code -> level, 0 for unknown) for the codes not yet looked up."""
    from fupin.regions.models import Region

    unknown = [c for c in codes if c not in ctx.regions and region_scope.is_valid_code(c)]
    for start in range(0, len(unknown), 5000):
        batch = unknown[start:start + 5000]
        found = dict(Region._base_manager.filter(code__in=batch).values_list("code", "level"))
        for code in batch:
            ctx.regions[code] = found.get(code, 0)


def in_scope(column: str, ctx: Context) -> pl.Expr:
    """True where the region code in `column` lies inside the importing user's scope."""
    if not ctx.scope:
        return pl.lit(True)
    low, high = region_scope.bounds(ctx.scope)
    return (pl.col(column) >= low) & (pl.col(column) <= high)


def check_regions(frame: pl.DataFrame, col, ctx: Context) -> pl.DataFrame:
    """The code exists, is a village (level 5) for a VILLAGE column, and lies inside the
    importing user's scope."""
    name = col.name
    region_levels(frame.get_column(name).drop_nulls().unique().to_list(), ctx)
    level = pl.col(name).replace_strict(ctx.regions, default=None, return_dtype=pl.Int64) \
        if ctx.regions else pl.lit(None, pl.Int64)
    value = cells.shown(pl.col(name))
    shaped = pl.col(name).str.contains(r"^\d{12}$")
    reasons = [
        (pl.col(name).is_not_null() & ~shaped & ~cells.scientific(pl.col(name)),
         cells.message(_("%(column)s: “%(value)s” is not a 12-digit region code"),
                       column=col.header, value=value)),
        (shaped & (level == 0),
         cells.message(_("%(column)s: %(value)s is not a known region code"),
                       column=col.header, value=value)),
    ]
    known = shaped & (level > 0)
    if col.kind == VILLAGE:
        reasons.append((known & (level != 5), cells.message(
            _("%(column)s: %(value)s is not a village (level 5) but a region of level "
              "%(level)s"), column=col.header, value=value, level=level.cast(pl.String))))
        known = known & (level == 5)
    if ctx.scope:
        reasons.append((known & ~in_scope(name, ctx),
                        cells.message(_("%(column)s: %(value)s is outside your region"),
                                      column=col.header, value=value)))
    return add_reasons(frame, reasons)


# --- checks across the file ----------------------------------------------------------------------


def duplicates(rows: pl.LazyFrame, key: str, header: str) -> pl.DataFrame:
    """Every row after the first with the same non-null `key`. Only the key column is held
    in memory; messages are made for the duplicated rows alone."""
    keys = rows.select(ROW, key).filter(pl.col(key).is_not_null()).collect(engine="streaming")
    repeated = keys.filter(pl.col(key).is_duplicated())
    del keys
    if repeated.is_empty():
        return no_reasons()
    return repeated.with_columns(pl.col(ROW).min().over(key).alias("__first")).filter(
        pl.col(ROW) != pl.col("__first")).select(
        ROW, cells.message(_("%(column)s is the same as in row %(row)s"), column=header,
                           row=pl.col("__first").cast(pl.String)).alias(REASON))


def disagreements(rows: pl.LazyFrame, group: str, columns: list) -> pl.DataFrame:
    """Rows of one group (e.g. a household) whose value of a group column differs from the
    first value given in the group. Blank cells agree with anything. The groups are counted
    first; rows are looked at only for groups that disagree."""
    if not columns:
        return no_reasons()
    names = [c.name for c in columns]
    counts = rows.filter(pl.col(group).is_not_null()).group_by(group).agg(
        [pl.col(n).drop_nulls().n_unique().alias(n) for n in names]
    ).filter(pl.any_horizontal([pl.col(n) > 1 for n in names])).select(group).collect(
        engine="streaming")
    if counts.is_empty():
        return no_reasons()
    bad = rows.join(counts.lazy(), on=group, how="semi").select(ROW, group, *names).sort(
        ROW).collect(engine="streaming")
    firsts = bad.group_by(group).agg(
        [pl.col(n).drop_nulls().first().alias(f"__first_{n}") for n in names]
        + [pl.col(ROW).filter(pl.col(n).is_not_null()).first().alias(f"__row_{n}")
           for n in names])
    joined = bad.join(firsts, on=group)
    parts = []
    for c in columns:
        differs = pl.col(c.name).is_not_null() & (
            pl.col(c.name).cast(pl.String) != pl.col(f"__first_{c.name}").cast(pl.String))
        parts.append(joined.filter(differs).select(ROW, cells.message(
            _("%(column)s differs from row %(row)s of the same household"),
            column=c.header, row=pl.col(f"__row_{c.name}").cast(pl.String)).alias(REASON)))
    return pl.concat(parts)


def no_reasons() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.UInt32, REASON: pl.String})


# --- the import ----------------------------------------------------------------------------------


class Spill:
    """Parsed chunks on disk, one Arrow IPC file each."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.files: list[Path] = []
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        path = self.directory / f"chunk-{len(self.files):05d}.arrow"
        frame.write_ipc(path)
        self.files.append(path)
        self.rows += frame.height

    def scan(self) -> pl.LazyFrame:
        return pl.scan_ipc(self.files) if self.files else None

    def chunks(self):
        for path in self.files:
            yield pl.read_ipc(path)


def import_file(registry: Registry | str, path: str | Path, *, user=None, dry_run: bool = False,
                errors_path: str | Path | None = None, progress: Progress | None = None,
                filename: str | None = None) -> ImportResult:
    """Import `path` into `registry`, all or nothing. Raises FileRejected (the file as a whole
    is unusable), RowsRejected (bad rows; the error workbook was written) or ConcurrentChange.
    `user` None is the system (the CLI); a user's scope bounds every row."""
    from fupin.core.policy import scope_code

    registry = get_registry(registry) if isinstance(registry, str) else registry
    path = Path(path)
    source = sources.open_source(path, header_finder(registry))
    mapping, ignored = header_map(registry, source.header)
    now = timezone.now()
    ctx = Context(
        registry=registry, user=user, scope=scope_code(user) if user is not None else "",
        sha256=sources.sha256_of(path), filename=filename or path.name, present=set(mapping),
        today=timezone.localdate(), now=now, dry_run=dry_run, progress=progress)
    workdir = Path(tempfile.mkdtemp(prefix="fupin-ingest-"))
    try:
        spill = Spill(workdir)
        for raw in source.chunks():
            frame = parse_chunk(raw, mapping, ctx)
            frame = registry.check_chunk(frame, ctx)
            spill.write(frame)
            ctx.report("check", spill.rows, source.estimate(spill.rows))
        ctx.report("check", spill.rows, spill.rows)
        if not spill.rows:
            raise FileRejected(_("%(file)s has a header row but no data rows")
                               % {"file": ctx.filename})
        rows = spill.scan()
        errors = [rows.filter(pl.col(ERRORS).is_not_null())
                  .select(ROW, pl.col(ERRORS).alias(REASON)).collect(engine="streaming")]
        extra = registry.check_file(rows, ctx)
        if extra is not None:
            errors.append(extra.lazy().select(pl.col(ROW).cast(pl.UInt32), REASON).collect())
        table = (pl.concat(errors).group_by(ROW, maintain_order=True)
                 .agg(pl.col(REASON).str.join(cells.SEPARATOR)).sort(ROW))
        if table.height:
            ctx.report("errors", 0, table.height)
            out = Path(errors_path) if errors_path else default_errors_path(path)
            from fupin.ingest.workbooks import write_error_workbook

            write_error_workbook(source, table, out)
            raise RowsRejected(bad_rows=table.height, rows=spill.rows, errors_path=out,
                               sample=list(table.head(SAMPLE_ERRORS).iter_rows()))
        ctx.report("write", 0, spill.rows)
        try:
            with transaction.atomic():
                counts = registry.write(spill, ctx)
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError:
            # A key checked as new was written by someone else meanwhile: nothing was stored.
            raise ConcurrentChange from None
        if not dry_run and ctx.record is not None:
            _announce(registry, spill, ctx.record)
        ctx.report("write", spill.rows, spill.rows)
        return ImportResult(
            registry=registry.name, path=path, sha256=ctx.sha256, rows=spill.rows,
            counts=counts, record_id=None if dry_run or ctx.record is None else ctx.record.pk,
            dry_run=dry_run, ignored_columns=ignored)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if hasattr(source, "close"):
            source.close()


def _announce(registry: Registry, spill: Spill, record: ChangeRecord) -> None:
    """Bulk writes send no per-row signals: once the import has committed (at once when there
    is no outer transaction) say which regions and model it wrote, so that listeners (the
    rollups) refresh exactly those."""
    codes = (spill.scan().select(pl.col(registry.region_column).unique())
             .collect().get_column(registry.region_column).drop_nulls().to_list())
    labels = {registry.model._meta.label_lower}
    transaction.on_commit(lambda: import_committed.send(
        sender=registry.model, regions=codes, models=labels, batch=record))


def default_errors_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-errors.xlsx")


def counts_line(registry: Registry, counts: dict[str, Counts]) -> str:
    """`households: created 2 / updated 0 / unchanged 0; persons: ...` in the active language."""
    labels = registry.entity_labels()
    return "; ".join(
        _("%(entity)s: created %(created)s / updated %(updated)s / unchanged %(unchanged)s")
        % {"entity": labels.get(entity, entity), "created": f"{c.created:,}",
           "updated": f"{c.updated:,}", "unchanged": f"{c.unchanged:,}"}
        for entity, c in counts.items())
