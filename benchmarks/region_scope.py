"""Query plan and timing of "everything under region R" (scope.within) against LIKE 'prefix%'.

    .venv/bin/python benchmarks/region_scope.py [--runs 50] [--migrate]

Measures SQLite always (the configured database when FUPIN_DATABASE_URL is unset or SQLite,
otherwise the default var/fupin.sqlite3) and PostgreSQL too when FUPIN_DATABASE_URL points at
one. Each database is measured in its own child process (Django has one configured default
database per process). The bundled Guizhou regions are imported when the Region table is
empty; a database without the Region table is skipped unless --migrate is given.

For a county and a township it prints the SQL, the EXPLAIN (QUERY PLAN) output and the median
time over --runs runs of the range query `Region.objects.filter(scope.within(code, "code"))`,
and, as the baseline, of `code__startswith=prefix` (LIKE 'prefix%'), after ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(runs: int, migrate: bool) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fupin.core.context import acting_as
    from fupin.regions import importer, scope
    from fupin.regions.models import Region

    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor,
                                                                   connection.vendor)
    settings = connection.settings_dict
    where = settings["NAME"] if connection.vendor == "sqlite" else (
        f"{settings.get('HOST') or 'local'}:{settings.get('PORT') or ''}/{settings['NAME']}")
    print(f"== {vendor} ({where}) ==")
    table = Region._meta.db_table
    if table not in connection.introspection.table_names():
        if not migrate:
            print(f"   no table {table}: run `fupin migrate` first (or pass --migrate); skipped")
            return 0
        call_command("migrate", verbosity=0)
    if not Region._base_manager.exists():
        started = time.perf_counter()
        with acting_as(None, label="benchmark:region_scope"):
            result = importer.import_regions(importer.BUNDLED_REGIONS)
        print(f"   imported {importer.BUNDLED_REGIONS.name}: {result.total:,} regions "
              f"in {time.perf_counter() - started:.2f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    print(f"   {Region._base_manager.count():,} regions; ANALYZE {table} done; "
          f"median of {runs} runs each")

    county = (Region._base_manager.filter(level=3, children__isnull=False)
              .order_by("code").distinct().first())
    if county is None:
        print("   no county with townships; nothing to measure")
        return 0
    township = Region._base_manager.filter(parent=county).order_by("code").first()

    summary = []
    for kind, region in (("county", county), ("township", township)):
        prefix = scope.prefix(region.code, region.level)
        queries = {
            "range": Region.objects.filter(scope.within(region.code, "code")),
            "LIKE": Region.objects.filter(code__startswith=prefix),
        }
        print(f"\n-- {kind} {region.code} {region.name} (prefix {prefix})")
        timings = {}
        for label, qs in queries.items():
            qs = qs.values_list("code", "name", "level")
            sql, params = qs.query.sql_with_params()
            n = len(list(qs.all()))  # also warms the database's cache
            print(f"   [{label}] {n:,} rows")
            print(f"   SQL:  {sql % tuple(repr(p) for p in params)}")
            print("   plan: " + qs.explain().replace("\n", "\n         "))
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                list(qs.all())  # a fresh clone: a query every run, not the result cache
                samples.append(time.perf_counter() - started)
            timings[label] = statistics.median(samples) * 1000
            print(f"   median {timings[label]:.3f} ms")
        summary.append((kind, region.code, timings["range"], timings["LIKE"]))

    print(f"\n   {vendor} summary (median ms)       range      LIKE")
    for kind, code, range_ms, like_ms in summary:
        print(f"   {kind:<9} {code}     {range_ms:9.3f} {like_ms:9.3f}")
    print()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--migrate", action="store_true",
                        help="migrate a database that has no Region table yet")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.runs, args.migrate)

    url = os.environ.get("FUPIN_DATABASE_URL", "")
    sqlite_env = dict(os.environ)
    if url and not url.startswith("sqlite"):
        sqlite_env.pop("FUPIN_DATABASE_URL")  # the settings' default: var/fupin.sqlite3
    targets = [sqlite_env]
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        targets.append(dict(os.environ))
    status = 0
    for env in targets:
        command = [sys.executable, str(Path(__file__).resolve()), "--child",
                   "--runs", str(args.runs)] + (["--migrate"] if args.migrate else [])
        status |= subprocess.run(command, env=env, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
