"""Reading an uploaded sheet in chunks: CSV with polars, XLSX with python-calamine.

A source finds the header row (the first of the first rows that names the registry's required
columns, so title rows above it are allowed), then yields chunks of data rows as polars frames
of text, one column per sheet column (c0, c1, ...) plus `__row`, the row number as a
spreadsheet shows it (the first row of the file is 1). Memory is bounded by the chunk size for
CSV; an XLSX sheet is bounded by Excel's 1,048,576 rows.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
from django.utils.translation import gettext as _

ROW = "__row"
HEADER_SEARCH_ROWS = 20
CSV_BLOCK_BYTES = 16 * 1024 * 1024
XLSX_CHUNK_ROWS = 65536
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# calamine holds a whole sheet in memory (about 1.8 GiB for a million rows of 18 columns): a
# sheet whose XML is larger than this is read by StreamingXlsxSource instead.
STREAM_XLSX_BYTES = 48 * 1024 * 1024
XML_BLOCK_BYTES = 16 * 1024 * 1024  # about 15,000 rows of 18 columns
XLSX_STREAM_CHUNK_ROWS = 45000


class FileRejected(Exception):
    """The file cannot be used at all (missing, unreadable, wrong header): one line."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


class Source(ABC):
    path: Path
    header_row: int  # 1-based row number of the header
    header: list[str]
    preamble: list[list]  # rows above the header, as read

    @abstractmethod
    def chunks(self) -> Iterator[pl.DataFrame]:
        """The data rows, parsed, in bounded chunks."""

    @abstractmethod
    def raw_rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells as read) for every row from the first, for the error workbook."""

    def estimate(self, rows_done: int) -> int | None:
        return None


def open_source(path: str | Path, find_header) -> Source:
    """`find_header(cells) -> bool` tells the header row."""
    path = Path(path)
    if not path.exists():
        raise FileRejected(_("%(file)s: no such file") % {"file": path})
    if path.is_dir():
        raise FileRejected(_("%(file)s is a directory, not a file") % {"file": path})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvSource(path, find_header)
    if suffix in (".xlsx", ".xlsm") and _sheet_xml_size(path) > STREAM_XLSX_BYTES:
        return StreamingXlsxSource(path, find_header)
    if suffix in XLSX_SUFFIXES:
        return ExcelSource(path, find_header)
    raise FileRejected(_("%(file)s: unknown format; use .xlsx or .csv") % {"file": path.name})


def _pick_header(rows: list[list], find_header, path: Path) -> int:
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if find_header(cells):
            return i
    for i, cells in enumerate(rows):
        if any(str(c).strip() for c in cells if c is not None):
            return i  # the first non-blank row; the header check will say what is missing
    raise FileRejected(_("%(file)s is empty") % {"file": path.name})


# --- CSV --------------------------------------------------------------------------------------


class CsvSource(Source):
    """UTF-8 (with or without BOM) or GB18030 (what Excel on Chinese Windows saves as CSV).

    The file is cut into blocks at line ends outside quotes (an even number of quote bytes
    before the cut; neither the quote nor the newline byte occurs inside a GB18030 character),
    and polars parses each block.
    """

    def __init__(self, path: Path, find_header):
        self.path = path
        self.size = path.stat().st_size
        try:
            with open(path, "rb") as handle:
                head = handle.read(1024 * 1024)
        except OSError as exc:
            raise FileRejected(_("%(file)s cannot be read: %(reason)s")
                               % {"file": path, "reason": exc.strerror or exc}) from None
        self.bom = 3 if head.startswith(codecs.BOM_UTF8) else 0
        self.encoding = self._encoding(head[self.bom:])
        records = list(self._records(head[self.bom:], final=len(head) < 1024 * 1024))
        rows = [self._cells(r) for r, _end in records[:HEADER_SEARCH_ROWS + 5]]
        index = _pick_header(rows, find_header, path)
        self.header_row = index + 1
        self.header = [c.strip() for c in rows[index]]
        self.preamble = rows[:index]
        self.data_start = self.bom + records[index][1]
        self.width = len(self.header)
        self.bytes_done = 0

    def _encoding(self, head: bytes) -> str:
        try:
            head.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:
                return "utf-8"  # a character cut at the end of the sample
        try:
            head.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            raise FileRejected(_("%(file)s is neither UTF-8 nor GB18030 text; save it as "
                                 "“CSV UTF-8”") % {"file": self.path.name}) from None

    @staticmethod
    def _records(data: bytes, final: bool) -> Iterator[tuple[bytes, int]]:
        """(record bytes, end offset) for the complete records at the start of `data`."""
        start = pos = quotes = 0
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                if final and start < len(data):
                    yield data[start:], len(data)
                return
            quotes += data.count(b'"', pos, nl)
            pos = nl + 1
            if quotes % 2 == 0:  # else the newline is inside a quoted cell
                yield data[start:pos], pos
                start, quotes = pos, 0

    def _cells(self, record: bytes) -> list[str]:
        text = record.decode(self.encoding, errors="replace")
        return next(csv.reader(io.StringIO(text)), [])

    def _blocks(self) -> Iterator[bytes]:
        with open(self.path, "rb") as handle:
            handle.seek(self.data_start)
            carry = b""
            while True:
                block = handle.read(CSV_BLOCK_BYTES)
                self.bytes_done = handle.tell()
                if not block:
                    if carry.strip():
                        yield carry
                    return
                data = carry + block
                cut = self._safe_cut(data)
                if cut <= 0:
                    carry = data  # one record longer than a block: read on
                    continue
                yield data[:cut]
                carry = data[cut:]

    @staticmethod
    def _safe_cut(data: bytes) -> int:
        """Offset just after the last newline that lies outside quotes."""
        quotes_before = data.count(b'"')
        pos = len(data)
        while True:
            nl = data.rfind(b"\n", 0, pos)
            if nl < 0:
                return 0
            quotes_before -= data.count(b'"', nl, pos)
            if quotes_before % 2 == 0:
                return nl + 1
            pos = nl

    def chunks(self) -> Iterator[pl.DataFrame]:
        names = column_names(self.width)
        row = self.header_row
        for block in self._blocks():
            if self.encoding != "utf-8":
                block = block.decode(self.encoding, errors="replace").encode("utf-8")
            try:
                frame = pl.read_csv(
                    io.BytesIO(block), has_header=False, infer_schema=False,
                    schema=dict.fromkeys(names, pl.String), missing_columns="insert",
                    truncate_ragged_lines=True, encoding="utf8-lossy", raise_if_empty=False)
            except pl.exceptions.PolarsError as exc:
                raise FileRejected(_("%(file)s, after row %(row)s: not valid CSV (%(reason)s)")
                                   % {"file": self.path.name, "row": row,
                                      "reason": str(exc).splitlines()[0]}) from None
            frame = frame.select(names).with_row_index(ROW, offset=row + 1)
            row += frame.height
            yield frame

    def estimate(self, rows_done: int) -> int | None:
        done = self.bytes_done - self.data_start
        if done <= 0 or rows_done <= 0:
            return None
        return max(rows_done, round(rows_done * (self.size - self.data_start) / done))

    def raw_rows(self) -> Iterator[tuple[int, list]]:
        with open(self.path, encoding=self.encoding if self.encoding != "utf-8" else "utf-8-sig",
                  errors="replace", newline="") as handle:
            yield from enumerate(csv.reader(handle), start=1)


# --- XLSX ---------------------------------------------------------------------------------------


class ExcelSource(Source):
    """The first visible worksheet. Numbers that are whole come out as "2014", not "2014.0";
    date cells as 2020-01-31."""

    def __init__(self, path: Path, find_header):
        from python_calamine import (
            CalamineError,
            CalamineWorkbook,
            SheetTypeEnum,
            SheetVisibleEnum,
        )

        self.path = path
        try:
            self.book = CalamineWorkbook.from_path(str(path))
            visible = [m.name for m in self.book.sheets_metadata
                       if m.visible == SheetVisibleEnum.Visible
                       and m.typ == SheetTypeEnum.WorkSheet]
            if not visible:
                raise FileRejected(_("%(file)s has no visible worksheet") % {"file": path.name})
            self.sheet = self.book.get_sheet_by_name(visible[0])
        except (CalamineError, OSError, ValueError) as exc:
            raise FileRejected(_("%(file)s is not a readable workbook (%(reason)s)")
                               % {"file": path.name, "reason": str(exc).splitlines()[0][:200]}
                               ) from None
        start = self.sheet.start or (0, 0)
        self.first_row = start[0] + 1
        self.first_col = start[1]
        head = []
        for cells in self.sheet.iter_rows():
            head.append(cells)
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        index = _pick_header([[_text(c) for c in cells] for cells in head], find_header, path)
        self.header_index = index
        self.header_row = self.first_row + index
        self.header = [_text(c).strip() for c in head[index]]
        self.preamble = head[:index]
        self.width = len(self.header)
        self.total = max(self.sheet.height - index - 1, 0)

    def chunks(self) -> Iterator[pl.DataFrame]:
        names = column_names(self.width)
        rows = iter(self.sheet.iter_rows())
        for _skip in range(self.header_index + 1):
            next(rows, None)
        number = self.header_row + 1
        while True:
            batch = []
            for cells in rows:
                batch.append(cells)
                if len(batch) >= XLSX_CHUNK_ROWS:
                    break
            if not batch:
                return
            columns = {}
            for i, name in enumerate(names):
                values = [cells[i] if i < len(cells) else None for cells in batch]
                columns[name] = pl.Series(name, values, dtype=pl.String, strict=False)
            frame = pl.DataFrame(columns).with_columns(
                pl.col(names).str.replace(r"^(-?\d+)\.0$", "${1}")
                .str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}")
            ) if names else pl.DataFrame({})
            frame = frame.with_row_index(ROW, offset=number)
            number += len(batch)
            yield frame

    def estimate(self, rows_done: int) -> int | None:
        return self.total

    def raw_rows(self) -> Iterator[tuple[int, list]]:
        for offset, cells in enumerate(self.sheet.iter_rows()):
            yield self.first_row + offset, [None] * self.first_col + list(cells)

    def close(self):
        self.book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def file_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# --- large XLSX, streamed -------------------------------------------------------------------------

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_ENTITIES = (["&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#13;", "&#9;", "&amp;"],
             ["<", ">", '"', "'", "\n", "\r", "\t", "&"])


def _first_sheet(z: zipfile.ZipFile) -> str:
    """The path in the archive of the first visible worksheet."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        if sheet.get("state", "visible") != "visible":
            continue
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError("no visible sheet")


def _sheet_xml_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as z:
            return z.getinfo(_first_sheet(z)).file_size
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return 0  # calamine will say what is wrong


class StreamingXlsxSource(Source):
    """An XLSX sheet read in blocks of its XML, cells taken apart with polars regular
    expressions: memory holds one block and the shared strings, whatever the row count.
    Numbers come as written in the file ("2014", "2300.5"); a date cell comes as its Excel
    serial, which date columns understand."""

    def __init__(self, path: Path, find_header):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheet_name = _first_sheet(self.zip)
            self.shared = self._shared_strings()
            head = next(self._frames(max_rows=HEADER_SEARCH_ROWS + 5), None)
        except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError) as exc:
            raise FileRejected(_("%(file)s is not a readable workbook (%(reason)s)")
                               % {"file": path.name, "reason": str(exc)[:200]}) from None
        if head is None or head.is_empty():
            raise FileRejected(_("%(file)s is empty") % {"file": path.name})
        width = max(int(c[1:]) for c in head.columns if c != ROW) + 1
        rows = [[r.get(f"c{i}") or "" for i in range(width)] for r in head.iter_rows(named=True)]
        index = _pick_header(rows, find_header, path)
        self.header_row = head.get_column(ROW)[index]
        self.header = [c.strip() for c in rows[index]]
        while self.header and not self.header[-1]:
            self.header.pop()
        self.preamble = rows[:index]
        self.width = len(self.header)
        self.total = None
        self.bytes_done = 0
        self.size = self.zip.getinfo(self.sheet_name).file_size

    def _shared_strings(self) -> pl.Series:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return pl.Series("s", [], dtype=pl.String)
        parts, batch = [], []
        tag_si, tag_t, tag_rph = (f"{{{_NS['m']}}}si", f"{{{_NS['m']}}}t", f"{{{_NS['m']}}}rPh")
        with self.zip.open("xl/sharedStrings.xml") as handle:
            for _event, element in ElementTree.iterparse(handle):
                if element.tag == tag_si:
                    phonetic = {id(t) for r in element.iter(tag_rph) for t in r.iter(tag_t)}
                    batch.append("".join(t.text or "" for t in element.iter(tag_t)
                                         if id(t) not in phonetic))
                    element.clear()
                    if len(batch) >= 100000:
                        parts.append(pl.Series("s", batch, dtype=pl.String))
                        batch = []
        parts.append(pl.Series("s", batch, dtype=pl.String))
        return pl.concat(parts)

    def _blocks(self):
        with self.zip.open(self.sheet_name) as handle:
            carry = b""
            while b"<sheetData" not in carry:  # skip what precedes the rows
                block = handle.read(65536)
                if not block:
                    return
                carry += block
            start = carry.find(b"<sheetData")
            carry = carry[carry.find(b">", start) + 1:]
            while True:
                block = handle.read(XML_BLOCK_BYTES)
                data = carry + block
                if not block:
                    if data:
                        yield data
                    return
                cut = data.rfind(b"</row>")
                if cut < 0:
                    carry = data
                    continue
                yield data[:cut + 6]
                carry = data[cut + 6:]

    def _frames(self, max_rows: int | None = None):
        """Polars frames with `__row` and c0, c1, ... (text), one per block of the XML."""
        last = 0
        for block in self._blocks():
            # One piece per row: "...<row r="7" ...><c ...>...</c>...<c ...>...</c>"
            # bytes to text inside polars: no Python string of the whole block (4 bytes a
            # character for Chinese text)
            pieces = pl.Series("p", [block], dtype=pl.Binary).cast(pl.String).str.split(
                "</row>").explode().to_frame()
            del block
            start = r"^\s*(?:<row\b[^>]*/>\s*)*<row\b"  # empty rows may come first
            rows = pieces.filter(pl.col("p").str.contains(start)).select(
                pl.col("p").str.extract(start + r"([^>]*)>", 1)
                .str.extract(r'\br="(\d+)"', 1).cast(pl.UInt32).alias(ROW),
                pl.col("p").str.replace(start + r"[^>]*>", "").alias("body"))
            if rows.is_empty():
                continue
            if rows.get_column(ROW).null_count():  # rows without r="": count on
                rows = rows.with_columns(pl.coalesce(
                    ROW, (pl.int_range(1, pl.len() + 1) + last).cast(pl.UInt32)).alias(ROW))
            last = rows.get_column(ROW).max()
            if max_rows:
                yield self._cells(rows.head(max_rows))
                return
            yield self._cells(rows)

    def _cells(self, rows: pl.DataFrame) -> pl.DataFrame:
        # One piece per cell: "...<c r="B7" t="s"><v>12</v>" (an empty "<c .../>" may precede)
        cells = rows.select(ROW, pl.col("body").str.split("</c>").alias("c")).explode("c")
        cells = cells.filter(pl.col("c").str.contains("<c"))
        if cells.is_empty():
            return rows.select(ROW)
        opening = pl.col("c").str.extract(r"^\s*(?:<c\b[^>]*/>\s*)*<c\b([^>]*)>", 1)
        rich = cells.get_column("c").str.contains("<r>").any()
        text = (pl.col("c").str.extract_all(r"<t\b[^>]*>[^<]*</t>").list.eval(
            pl.element().str.replace(r"^<t\b[^>]*>", "").str.replace(r"</t>$", "")
        ).list.join("") if rich else pl.col("c").str.extract(r"<t\b[^>]*>([^<]*)</t>", 1))
        cells = cells.with_columns(
            opening.alias("open"), text.alias("t"),
            pl.col("c").str.extract(r"<v>([^<]*)</v>", 1).alias("v"),
            pl.int_range(pl.len()).over(ROW).alias("position"),
        ).with_columns(
            pl.col("open").str.extract(r'\br="([A-Z]+)\d*"', 1).alias("ref"),
            pl.col("open").str.extract(r'\bt="(\w+)"', 1).alias("type"),
        )
        refs = cells.get_column("ref").drop_nulls().unique().to_list()
        index = {ref: _column_index(ref) for ref in refs}
        shared = self.shared
        is_shared = pl.col("type") == "s"
        cells = cells.with_columns(pl.coalesce(
            pl.col("ref").replace_strict(index, default=None, return_dtype=pl.Int64),
            pl.col("position").cast(pl.Int64)).alias("col"))
        if len(shared):
            ids = cells.select(pl.when(is_shared).then(pl.col("v").cast(pl.Int64, strict=False))
                               .alias("i")).to_series()
            looked = shared.gather(ids.fill_null(0).clip(0, len(shared) - 1))
            cells = cells.with_columns(pl.when(ids.is_not_null()).then(looked).alias("s"))
        else:
            cells = cells.with_columns(pl.lit(None, pl.String).alias("s"))
        value = (pl.when(is_shared).then(pl.col("s"))
                 .when(pl.col("type") == "inlineStr").then(pl.col("t").str.replace_many(*_ENTITIES))
                 .otherwise(pl.col("v").str.replace_many(*_ENTITIES)))
        cells = cells.select(ROW, pl.format("c{}", pl.col("col")).alias("col"), value.alias("v"))
        wide = cells.pivot(on="col", index=ROW, values="v", aggregate_function="first")
        return rows.select(ROW).join(wide, on=ROW, how="left")

    def chunks(self):
        names = column_names(self.width)
        pending, rows = [], 0
        for frame in self._frames():
            frame = frame.filter(pl.col(ROW) > self.header_row)
            if frame.is_empty():
                continue
            missing = [n for n in names if n not in frame.columns]
            if missing:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(n) for n in missing)
            pending.append(frame.select(ROW, *names))
            rows += frame.height
            if rows >= XLSX_STREAM_CHUNK_ROWS:  # blocks are small; chunks need not be
                yield pl.concat(pending)
                pending, rows = [], 0
        if pending:
            yield pl.concat(pending)

    def estimate(self, rows_done: int) -> int | None:
        return None

    def raw_rows(self):
        for frame in self._frames():
            width = max((int(c[1:]) for c in frame.columns if c != ROW), default=-1) + 1
            names = column_names(width)
            for row in frame.iter_rows(named=True):
                yield row[ROW], [row.get(n) for n in names]

    def close(self):
        self.zip.close()


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        index = index * 26 + (ord(ch) - 64)
    return index - 1
