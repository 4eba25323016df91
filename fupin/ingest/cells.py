"""Cells to values, in columns (polars expressions): one parser per column kind.

Every parser takes the trimmed text of a column (blank cells are null) and gives the typed value
and, per row, the reason the cell is wrong (null when it is right). Reasons are built from
translated templates in the active language; they never repeat personal data (ID numbers,
phones, bank accounts), only the column's Chinese header and, for other columns, the value.
"""

from __future__ import annotations

import datetime
import re

import polars as pl
from django.utils.translation import gettext as _

from fupin.core import idnumber
from fupin.ingest.registry import (
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    ENUM,
    ID_NUMBER,
    INT,
    REGION_KINDS,
    TEXT,
    Column,
)

SEPARATOR = "；"  # between reasons in one cell
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 is 1900-03-01
MAX_SERIAL = 2958465  # 9999-12-31
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def message(template: str, **params) -> pl.Expr:
    """A translated `template` with %(name)s placeholders filled per row: each param is a
    constant or a polars expression."""
    pieces: list[pl.Expr] = []
    for i, part in enumerate(_PLACEHOLDER.split(template)):
        if i % 2 == 0:
            if part:
                pieces.append(pl.lit(part))
        else:
            value = params[part]
            pieces.append(value if isinstance(value, pl.Expr) else pl.lit(str(value)))
    return pl.concat_str(pieces) if pieces else pl.lit("")


def shown(expr: pl.Expr, limit: int = 30) -> pl.Expr:
    """A cell as quoted in a reason: at most `limit` characters."""
    return pl.when(expr.str.len_chars() > limit).then(
        expr.str.slice(0, limit) + pl.lit("…")).otherwise(expr)


def trimmed(expr: pl.Expr) -> pl.Expr:
    """Trim (Unicode whitespace, the ideographic space included); blank becomes null; an
    apostrophe that protects a formula-like text (written by `fupin.core.xlsx.neutralise`, so
    by every export) is dropped."""
    text = expr.cast(pl.String).str.strip_chars()
    text = pl.when(text.str.contains(r"^'[=+\-@\t\r]")).then(text.str.slice(1)).otherwise(text)
    return pl.when(text == "").then(None).otherwise(text)


def trim_series(series: pl.Series) -> pl.Series:
    """`trimmed` for a whole column, doing the rare steps only when the column needs them."""
    text = series.cast(pl.String).str.strip_chars()
    frame = text.to_frame("t")
    if text.str.starts_with("'").any():
        frame = frame.select(pl.when(pl.col("t").str.contains(r"^'[=+\-@\t\r]"))
                             .then(pl.col("t").str.slice(1)).otherwise(pl.col("t")).alias("t"))
    return frame.select(pl.when(pl.col("t") == "").then(None).otherwise(pl.col("t"))
                        .alias(series.name)).to_series()


def compact(expr: pl.Expr) -> pl.Expr:
    """NFKC (full-width digits and letters to ASCII) and no whitespace at all."""
    return expr.str.normalize("NFKC").str.replace_all(r"\s+", "")


def folded(expr: pl.Expr) -> pl.Expr:
    return compact(expr).str.to_lowercase()


def _compact_series(series: pl.Series) -> pl.Series:
    """`compact`, skipping NFKC for pure ASCII columns (it is the slow step, and the identity)."""
    if series.str.contains(r"[^\x00-\x7f]").any():
        series = series.str.normalize("NFKC")
    if series.str.contains(r"\s").any():
        series = series.str.replace_all(r"\s+", "")
    return series


def with_reasons(frame: pl.DataFrame, checks: list, name: str) -> pl.DataFrame:
    """Add (or extend) the text column `name` with the reasons of `checks`, each a pair
    (condition, message) or an expression giving a reason or null. A message is built only
    when its condition holds somewhere: on a clean file no reason text is made at all."""
    conditions = [c for c in checks if isinstance(c, tuple)]
    flags = frame.select([cond.fill_null(False).alias(f"__c{i}")
                          for i, (cond, _msg) in enumerate(conditions)]) if conditions else None
    parts = [pl.col(name)] if name in frame.columns else []
    for i, (cond, msg) in enumerate(conditions):
        if flags.get_column(f"__c{i}").any():
            parts.append(pl.when(cond.fill_null(False)).then(msg))
    parts += [c for c in checks if not isinstance(c, tuple)]
    if not parts:
        return frame.with_columns(pl.lit(None, pl.String).alias(name))
    joined = pl.concat_str(parts, separator=SEPARATOR, ignore_nulls=True)
    return frame.with_columns(pl.when(joined == "").then(None).otherwise(joined).alias(name))


def _numeric_text(expr: pl.Expr) -> pl.Expr:
    """Digits as Excel may have typed them: "2014.0" from a number cell becomes "2014"."""
    return expr.str.replace(r"^(-?\d+)\.0+$", "${1}")


def scientific(expr: pl.Expr) -> pl.Expr:
    """True where Excel has shortened a long number (5.20102E+17): the digits are lost."""
    return expr.str.contains(r"^\d(\.\d+)?[eE]\+?\d+$")


# Kinds whose columns hold few distinct values: parsed once per distinct value, then joined.
BY_DISTINCT_VALUE = (ENUM, BOOL, INT, DECIMAL, DATE, *REGION_KINDS)


def parse_column(col: Column, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(value, reason) for `raw`, the trimmed text of column `col` (blank cells null); the
    reason is null where the cell is right, else the reasons joined by SEPARATOR."""
    frame = raw.rename("raw").to_frame()
    if col.kind in BY_DISTINCT_VALUE:
        parsed = _parse_frame(col, frame.unique())
        out = frame.join(parsed, on="raw", how="left", nulls_equal=True, maintain_order="left")
    else:
        out = _parse_frame(col, frame)
    return out.get_column("value").alias(col.name), out.get_column("reason")


def _parse_frame(col: Column, frame: pl.DataFrame) -> pl.DataFrame:
    raw = frame.get_column("raw")
    if col.kind in (CODE, *REGION_KINDS, ID_NUMBER, INT, DECIMAL, DATE):
        text = _compact_series(raw)
    else:
        text = raw
    frame = frame.with_columns(text.alias("text"))
    value, checks = parse(col, pl.col("raw"), pl.col("text"))
    frame = frame.with_columns(value.alias("value"))
    frame = with_reasons(frame, checks(pl.col("value")), "reason")
    frame = frame.select("raw", "value", "reason")
    if col.pattern:  # a value that does not fit is dropped: no follow-on complaints
        frame = frame.with_columns(pl.when(pl.col("reason").is_null()).then(pl.col("value"))
                                   .alias("value"))
    return frame


def parse(col: Column, raw: pl.Expr, text: pl.Expr):
    """(value expression, reasons(value) -> [reason expressions]) for a column: `raw` is the
    trimmed cell, `text` the cell made compact for kinds that are codes or numbers."""
    header = col.header
    checks = []  # functions of the materialised value giving reason expressions
    if col.required:
        checks.append(lambda v: (raw.is_null(),
                                 message(_("%(column)s is required"), column=header)))

    if col.kind == TEXT:
        value = raw
    elif col.kind in (CODE, *REGION_KINDS):
        value = _numeric_text(text.str.strip_chars_start("'"))
        checks.append(lambda v: (scientific(v), message(
            _("%(column)s was stored as a number and Excel has dropped digits; format the "
              "column as text and type it again"), column=header)))
        if col.pattern:
            checks.append(lambda v: (
                v.is_not_null() & ~v.str.contains(col.pattern) & ~scientific(v),
                message(_("%(column)s: “%(value)s” is not %(expected)s"), column=header,
                        value=pl.lit("…") if col.personal else shown(raw),
                        expected=str(col.pattern_hint))))
    elif col.kind in (ENUM, BOOL):
        value = folded(raw).replace_strict(col.value_map(), default=None,
                                           return_dtype=pl.String)
        if col.kind == BOOL:
            value = value == "true"
        labels = [label for _value, label in col.choices]
        allowed = ("、".join(labels) if len(labels) <= 12
                   else _("the list in the sheet of allowed values"))
        checks.append(lambda v: (raw.is_not_null() & v.is_null(), message(
            _("%(column)s: “%(value)s” is not one of %(allowed)s"), column=header,
            value=shown(raw), allowed=allowed)))
    elif col.kind == INT:
        value = _numeric_text(text.str.strip_suffix("年")).cast(pl.Int64, strict=False)
        checks.append(lambda v: (raw.is_not_null() & v.is_null(), message(
            _("%(column)s: “%(value)s” is not a whole number"), column=header,
            value=shown(raw))))
        checks.append(lambda v: _range(col, v))
    elif col.kind == DECIMAL:
        value = text.str.replace_all(r"[,，元¥￥]", "").cast(pl.Decimal(14, 2), strict=False)
        checks.append(lambda v: (raw.is_not_null() & v.is_null(), message(
            _("%(column)s: “%(value)s” is not a number"), column=header, value=shown(raw))))
        checks.append(lambda v: _range(col, v))
    elif col.kind == DATE:
        value = parse_date(raw)
        checks.append(lambda v: (raw.is_not_null() & v.is_null(), message(
            _("%(column)s: “%(value)s” is not a date (write it as 2020-01-31)"),
            column=header, value=shown(raw))))
    elif col.kind == ID_NUMBER:
        value = text.str.strip_chars_start("'").str.to_uppercase()
        # The reason for an invalid number comes from idnumber.parse() on the (rare) failures,
        # in pipeline.check_id_numbers(), so that it is word for word the same.
        checks.append(lambda v: (scientific(v), message(
            _("%(column)s was stored as a number and Excel has dropped digits; format the "
              "column as text and type it again"), column=header)))
    else:  # pragma: no cover - Column checks its kind
        raise ValueError(col.kind)

    if col.max_length and col.kind in (TEXT, CODE):
        checks.append(lambda v: (v.str.len_chars() > col.max_length, message(
            _("%(column)s is longer than %(max)s characters"), column=header,
            max=col.max_length)))

    def reasons(v: pl.Expr) -> list[pl.Expr]:
        out = []
        for check in checks:
            made = check(v)
            if made is None:
                continue
            out.extend(made if isinstance(made, list) else [made])
        return out

    return value, reasons


def _range(col: Column, value: pl.Expr) -> list[tuple[pl.Expr, pl.Expr]]:
    out = []
    if col.min_value is not None and col.max_value is not None:
        out.append(((value < col.min_value) | (value > col.max_value), message(
            _("%(column)s must be between %(min)s and %(max)s"), column=col.header,
            min=col.min_value, max=col.max_value)))
    elif col.min_value is not None:
        out.append((value < col.min_value, message(
            _("%(column)s must be at least %(min)s"), column=col.header, min=col.min_value)))
    return out


def parse_date(raw: pl.Expr) -> pl.Expr:
    """ISO and the forms officials type, a date-time's date part, or an Excel serial number."""
    text = compact(raw.str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", ""))
    candidates = [text.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS]
    serial = text.str.extract(r"^(\d{1,7})(\.\d+)?$", 1).cast(pl.Int64, strict=False)
    # Excel counts a 29 February 1900 that never was: serials before 61 are one day early.
    days = pl.when(serial < 61).then(serial + 1).otherwise(serial)
    from_serial = pl.when((serial >= 1) & (serial <= MAX_SERIAL)).then(
        pl.lit(EXCEL_EPOCH) + pl.duration(days=days))
    return pl.coalesce([*candidates, from_serial.cast(pl.Date)])


# --- resident ID numbers, vectorised ------------------------------------------------------------


def id_number_valid(number: pl.Expr, today: datetime.date) -> pl.Expr:
    """True where `number` (normalised) passes every rule of idnumber.parse(): the fast path.
    The property test in fupin/ingest/tests checks that both agree."""
    shape = number.str.contains(r"^\d{17}[\dX]$")
    province = number.str.slice(0, 2).is_in(sorted(idnumber.PROVINCE_PREFIXES))
    birth = number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    born = birth.is_not_null() & (birth >= idnumber.EARLIEST_BIRTH) & (birth <= today)
    first17 = number.str.slice(0, 17).cast(pl.Int64, strict=False)
    total = pl.sum_horizontal([
        ((first17 // (10 ** (16 - i))) % 10) * weight for i, weight in enumerate(idnumber.WEIGHTS)
    ])
    check = (total % 11).replace_strict(dict(enumerate(idnumber.CHECK_CHARACTERS)),
                                        return_dtype=pl.String)
    return (shape & province & born & (check == number.str.slice(17, 1))).fill_null(False)


def id_birth_date(number: pl.Expr) -> pl.Expr:
    return number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def id_sex(number: pl.Expr) -> pl.Expr:
    digit = number.str.slice(16, 1).cast(pl.Int32, strict=False)
    return pl.when(digit % 2 == 1).then(pl.lit("M")).when(digit.is_not_null()).then(pl.lit("F"))
