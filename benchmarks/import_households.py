"""Throughput and peak memory of `fupin import households`, against a bare PostgreSQL COPY.

    .venv/bin/python benchmarks/import_households.py [--persons 1000000] [--formats csv,xlsx]
        [--databases sqlite,postgresql] [--pg-admin-url postgresql://postgres@127.0.0.1:5432/postgres]

Generates a deterministic sheet of N persons (4 per household, 500 villages, valid ID numbers,
the template's 18 columns) as CSV and XLSX in a temporary directory, then for each database
and format imports it into a fresh database (SQLite: a temporary file; PostgreSQL: a temporary
database created and dropped here), each run in its own process so that its peak RSS is its
own. On PostgreSQL it also times a bare COPY of the same persons, as stored, into a table of
the same shape as poverty_person (LIKE ... INCLUDING ALL: its columns and indexes), and of the
raw CSV into an unindexed table of text columns. Prints rows per second and peak memory.
Not a test: it takes minutes at 1,000,000 persons.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VILLAGES = 500
PER_HOUSEHOLD = 4
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = ["户编号", "村区划代码", "贫困户属性", "贫困状态", "识别年度", "主要致贫原因",
           "人均纯收入(元)", "联系电话", "银行账号", "姓名", "身份证号", "与户主关系", "性别",
           "出生日期", "民族", "文化程度", "健康状况", "劳动能力"]


def village_codes() -> list[str]:
    # 520102 (county) / 20 townships / 25 villages each
    return [f"520102{t:03d}{v:03d}" for t in range(1, 21) for v in range(1, 26)]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- data --------------------------------------------------------------------------------------


def generate(persons: int, directory: Path, formats: list[str]) -> dict[str, Path]:
    import polars as pl

    started = time.perf_counter()
    i = pl.int_range(0, persons, eager=True, dtype=pl.Int64)
    villages = pl.Series(village_codes())
    frame = pl.DataFrame({"i": i}).with_columns(
        (pl.col("i") // PER_HOUSEHOLD).alias("h"), (pl.col("i") % PER_HOUSEHOLD).alias("m"))
    birth = pl.lit(datetime.date(1930, 1, 1)) + pl.duration(days=(pl.col("i") // 1000) * 7)
    first17 = pl.concat_str(pl.lit("520102"), birth.dt.strftime("%Y%m%d"),
                            (pl.col("i") % 1000).cast(pl.String).str.zfill(3))
    digits = first17.cast(pl.Int64)
    total = pl.sum_horizontal([((digits // (10 ** (16 - k))) % 10) * w
                               for k, w in enumerate(WEIGHTS)])
    check = (total % 11).replace_strict(dict(enumerate("10X98765432")), return_dtype=pl.String)
    relation = pl.col("m").replace_strict({0: "户主", 1: "配偶", 2: "子", 3: "女"},
                                          return_dtype=pl.String)
    frame = frame.with_columns(
        pl.format("B{}", pl.col("h").cast(pl.String).str.zfill(8)).alias("户编号"),
        pl.col("h").mod(VILLAGES).replace_strict(dict(enumerate(villages.to_list())),
                                                  return_dtype=pl.String).alias("村区划代码"),
        pl.lit("一般").alias("贫困户属性"), pl.lit("贫困").alias("贫困状态"),
        (2014 + pl.col("h") % 5).cast(pl.String).alias("识别年度"),
        pl.lit("因病").alias("主要致贫原因"),
        pl.format("{}.50", 1000 + pl.col("h") % 3000).alias("人均纯收入(元)"),
        pl.format("139{}", pl.col("h").cast(pl.String).str.zfill(8)).alias("联系电话"),
        pl.format("62220212{}", pl.col("h").cast(pl.String).str.zfill(11)).alias("银行账号"),
        pl.format("成员{}-{}", pl.col("h"), pl.col("m")).alias("姓名"),
        (first17 + check).alias("身份证号"), relation.alias("与户主关系"),
        pl.when((pl.col("i") % 1000 % 10) % 2 == 1).then(pl.lit("男")).otherwise(pl.lit("女"))
        .alias("性别"),
        birth.dt.strftime("%Y-%m-%d").alias("出生日期"), pl.lit("汉族").alias("民族"),
        pl.lit("初中").alias("文化程度"), pl.lit("健康").alias("健康状况"),
        pl.lit("普通劳动力").alias("劳动能力"),
    ).select(HEADERS)
    files = {}
    if "csv" in formats:
        files["csv"] = directory / "households.csv"
        frame.write_csv(files["csv"])
    if "xlsx" in formats:
        files["xlsx"] = directory / "households.xlsx"
        write_xlsx(frame, files["xlsx"])
    print(f"generated {persons:,} persons ({persons // PER_HOUSEHOLD:,} households) in "
          f"{time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{k} {v.stat().st_size / 2**20:.0f} MiB" for k, v in files.items()))
    return files


def write_xlsx(frame, path: Path) -> None:
    """A minimal XLSX (inline strings) written directly: openpyxl would take minutes."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(k + 1) for k in range(frame.width)]

    def row_xml(n: int, values) -> str:
        cells = "".join(f'<c r="{c}{n}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                        for c, v in zip(letters, values, strict=True) if v is not None)
        return f'<row r="{n}">{cells}</row>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="贫困户家庭成员" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData>")
            sheet.write(row_xml(1, frame.columns).encode())
            for offset in range(0, frame.height, 50000):
                part = frame.slice(offset, 50000)
                sheet.write("".join(row_xml(offset + k + 2, row)
                                    for k, row in enumerate(part.iter_rows())).encode())
            sheet.write(b"</sheetData></worksheet>")


# --- children: one measurement per process -----------------------------------------------------


def setup_django(url: str):
    os.environ["FUPIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_prepare(url: str) -> None:
    """Migrate and create the regions (province, prefecture, county, 20 townships, 500 villages)."""
    setup_django(url)
    from django.core.management import call_command

    from fupin.regions.models import Region

    call_command("migrate", verbosity=0)
    regions = [Region(code="520000000000", name="贵州省", level=1),
               Region(code="520100000000", name="贵阳市", level=2, parent_id="520000000000"),
               Region(code="520102000000", name="南明区", level=3, parent_id="520100000000")]
    regions += [Region(code=f"520102{t:03d}000", name=f"乡镇{t}", level=4,
                       parent_id="520102000000") for t in range(1, 21)]
    regions += [Region(code=code, name=f"村{code[-5:]}", level=5, parent_id=code[:9] + "000")
                for code in village_codes()]
    Region._base_manager.bulk_create(regions)


def child_import(url: str, path: str) -> dict:
    setup_django(url)
    from fupin.core.context import acting_as
    from fupin.ingest import pipeline

    started = time.perf_counter()
    with acting_as(None, label="benchmark"):
        result = pipeline.import_file("households", path)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": result.rows, "peak_mib": peak_mib(),
            "counts": {k: v.as_dict() for k, v in result.counts.items()}}


def child_copy(url: str, csv_path: str, workdir: str) -> dict:
    """Bare COPY baselines on PostgreSQL (the database is already migrated)."""
    setup_django(url)
    import polars as pl
    from django.db import connection

    from fupin.poverty.models import Person

    raw = pl.read_csv(csv_path, infer_schema=False)
    stored = raw.select(
        (pl.int_range(0, raw.height) // PER_HOUSEHOLD + 1).alias("household_id"),
        pl.col("村区划代码").alias("region_code"), pl.col("姓名").alias("name"),
        pl.col("身份证号").alias("id_number"),
        pl.when(pl.col("性别") == "男").then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        pl.col("出生日期").alias("birth_date"),
        pl.col("与户主关系").replace_strict({"户主": "head", "配偶": "spouse", "子": "son",
                                            "女": "daughter"}).alias("relation"),
        pl.lit("01").alias("ethnicity"), pl.lit("junior").alias("education"),
        pl.lit(False).alias("in_school"), pl.lit("healthy").alias("health"),
        pl.lit("ordinary").alias("labour_capacity"), pl.lit("none").alias("migrant_status"),
        pl.lit(False).alias("on_dibao"), pl.lit(False).alias("medical_insurance"),
        pl.lit(False).alias("pension_insurance"), pl.lit(1).alias("batch_id"),
        pl.lit("2026-01-01T00:00:00+00:00").alias("created_at"),
        pl.lit("2026-01-01T00:00:00+00:00").alias("updated_at"))
    stored_path = Path(workdir) / "persons-as-stored.csv"
    stored.write_csv(stored_path, include_header=False)
    del raw, stored
    table = Person._meta.db_table
    household = Person._meta.get_field("household").related_model._meta.db_table
    user = Person._meta.get_field("created_by").related_model._meta.db_table
    columns = ("household_id, region_code, name, id_number, sex, birth_date, relation, "
               "ethnicity, education, in_school, health, labour_capacity, migrant_status, "
               "on_dibao, medical_insurance, pension_insurance, batch_id, created_at, updated_at")
    out = {}
    with connection.cursor() as cursor:
        raw_cursor = cursor.cursor
        # The same shape: poverty_person's columns, defaults, indexes and constraints, and its
        # foreign keys as Django declares them (deferred, checked at commit; autocommit here).
        cursor.execute(f'CREATE TABLE bench_person (LIKE "{table}" INCLUDING ALL)')
        for column, target in (("household_id", household), ("created_by_id", user),
                               ("updated_by_id", user)):
            cursor.execute(f'ALTER TABLE bench_person ADD FOREIGN KEY ({column}) '
                           f'REFERENCES "{target}" (id) DEFERRABLE INITIALLY DEFERRED')
        cursor.execute(f'CREATE TABLE bench_person_nofk (LIKE "{table}" INCLUDING ALL)')
        for label, target in (("copy_same_shape", "bench_person"),
                              ("copy_without_fk", "bench_person_nofk")):
            started = time.perf_counter()
            with raw_cursor.copy(f"COPY {target} ({columns}) FROM STDIN WITH (FORMAT csv)") \
                    as copy, open(stored_path, "rb") as handle:
                while block := handle.read(1 << 20):
                    copy.write(block)
            out[label] = time.perf_counter() - started
        cursor.execute("CREATE TABLE bench_raw (" + ", ".join(
            f"c{k} text" for k in range(len(HEADERS))) + ")")
        started = time.perf_counter()
        with raw_cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                open(csv_path, "rb") as handle:
            while block := handle.read(1 << 20):
                copy.write(block)
        out["copy_raw_text"] = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_person, bench_person_nofk, bench_raw")
    out["peak_mib"] = peak_mib()
    return out


def run_child(*args) -> dict:
    completed = subprocess.run([PYTHON, __file__, "--child", *args], capture_output=True,
                               text=True, cwd=ROOT)
    if completed.returncode:
        sys.stderr.write(completed.stderr[-4000:])
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1]) if completed.stdout.strip() \
        else {}


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-admin-url",
                        default=os.environ.get("FUPIN_BENCH_PG_ADMIN_URL",
                                               "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"prepare": child_prepare, "import": child_import, "copy": child_copy}[kind](*rest)
        print(json.dumps(result or {}))
        return

    formats = [f for f in args.formats.split(",") if f]
    databases = [d for d in args.databases.split(",") if d]
    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as tmp:
        tmp_path = Path(tmp)
        files = generate(args.persons, tmp_path, sorted(set(formats) | {"csv"}))
        lines = []
        for database in databases:
            for fmt in formats:
                url, cleanup = fresh_database(database, tmp_path, args.pg_admin_url)
                try:
                    run_child("prepare", url)
                    r = run_child("import", url, str(files[fmt]))
                    rate = r["rows"] / r["seconds"]
                    lines.append((database, fmt, r["seconds"], rate, r["peak_mib"]))
                    print(f"{database:10} {fmt:4} import {r['rows']:>10,} persons "
                          f"{r['seconds']:7.1f} s  {rate:>9,.0f} rows/s  peak {r['peak_mib']:,.0f} MiB"
                          f"  {r['counts']}", flush=True)
                    if database == "postgresql" and fmt == formats[0]:
                        c = run_child("copy", url, str(files["csv"]), tmp)
                        for label in ("copy_same_shape", "copy_without_fk", "copy_raw_text"):
                            print(f"{database:10} {'':4} {label:15} {args.persons / c[label]:>9,.0f} "
                                  f"rows/s ({c[label]:.1f} s)", flush=True)
                        lines.append(("copy", "", c["copy_same_shape"],
                                      args.persons / c["copy_same_shape"], c["peak_mib"]))
                        lines.append(("copy_nofk", "", c["copy_without_fk"],
                                      args.persons / c["copy_without_fk"], c["peak_mib"]))
                finally:
                    cleanup()
        pg = [line for line in lines if line[0] == "postgresql"]
        if pg and any(line[0] == "copy" for line in lines):
            bare = next(line[3] for line in lines if line[0] == "copy")
            nofk = next(line[3] for line in lines if line[0] == "copy_nofk")
            for _db, fmt, _s, rate, mib in pg:
                print(f"PostgreSQL {fmt}: {rate / bare:.0%} of the bare COPY rate into a table of "
                      f"the same shape with its foreign keys, {rate / nofk:.0%} without them "
                      f"(target >= 40%); peak {mib:,.0f} MiB (target < 1024)")


def fresh_database(kind: str, tmp: Path, admin_url: str):
    if kind == "sqlite":
        path = tmp / f"bench-{time.time_ns()}.sqlite3"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in
                                             tmp.glob(path.name + "*")]
    import psycopg

    name = f"fupin_bench_{os.getpid()}_{time.time_ns() % 10**6}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


if __name__ == "__main__":
    main()
