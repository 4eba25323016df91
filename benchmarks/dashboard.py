"""Latency of the dashboard pages through the HTTP server, the time of a full
`fupin analytics refresh`, and of one direct GROUP BY over the person table, on PostgreSQL.

    .venv/bin/python benchmarks/dashboard.py [--database-url postgresql://postgres@127.0.0.1:5432/fupin_bench]
        [--scale 1] [--requests 200] [--server gunicorn|serve] [--workers 2]
        [--pages dashboard,region] [--reload]

The database is created when missing; when it holds no households the demo is loaded into it
(`fupin demo --no-serve --scale S`, minutes at scale 1); --reload drops it first. Then, in one
run:
- a full `fupin analytics refresh` (the command, timed from outside; it also prints its own
  time), then ANALYZE of the rollup table (servers without autovacuum plan the dashboard's
  queries badly on fresh statistics otherwise);
- the baseline: one direct GROUP BY over the person table (poor persons per county, joined to
  their households), what a page would run without the rollups;
- the server (gunicorn fupin.wsgi, or `fupin serve --no-worker`) is started on a free port, and
  the dashboard (`analytics:dashboard`; with --pages region also the region page, which carries
  the same dashboard and the other apps' panels) of the province, a prefecture, a county and a
  township (the heaviest path down, by registered persons) is requested --requests times each,
  one after another, with a logged-in session, after a few warm-up requests.
Prints p50 and p99 per page against the targets (p50 < 50 ms, p99 < 150 ms; refresh < 30 s).
Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/fupin_bench"
TARGET_P50_MS, TARGET_P99_MS, TARGET_REFRESH_S = 50, 150, 30
BENCH_USER = "bench-dashboard"


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the benchmark database's name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def prepare_database(url: str, reload: bool) -> None:
    import psycopg

    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reload:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def has_data(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        table = conn.execute("SELECT to_regclass('poverty_household')").fetchone()[0]
        if table is None:
            return False
        return conn.execute("SELECT EXISTS (SELECT 1 FROM poverty_household)").fetchone()[0]


def fupin(env: dict, *args: str, capture: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run([PYTHON, "-m", "fupin", *args], cwd=ROOT, env=env, check=False,
                               text=True, capture_output=capture)
    seconds = time.perf_counter() - started
    if completed.returncode:
        sys.stderr.write((completed.stderr or "")[-4000:])
        raise SystemExit(f"fupin {' '.join(args)} failed")
    return seconds, completed.stdout or ""


def setup_django(url: str) -> None:
    os.environ["FUPIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def heaviest_path() -> list[tuple[str, str, str]]:
    """(label, code, name) of the province and, level by level, the child with the most
    registered persons (read from the rollups)."""
    from django.db.models import Q

    from fupin.analytics.models import Rollup
    from fupin.regions.models import Region

    province = Region._base_manager.filter(level=1).order_by("code").first()
    path = [("province", province)]
    current = province
    for label in ("prefecture", "county", "township"):
        children = list(Region._base_manager.filter(parent=current).values_list("code",
                                                                                flat=True))
        counts = dict(Rollup._base_manager.filter(
            Q(region_code__in=children), indicator="registered_persons", period=0, key="")
            .values_list("region_code", "value"))
        if not children:
            break
        best = max(children, key=lambda code: (counts.get(code, 0), code))
        current = Region._base_manager.get(code=best)
        path.append((label, current))
    return [(label, r.code, r.name) for label, r in path]


def session_cookie() -> str:
    """A logged-in session of a province-level viewer of the dashboards, made directly (no
    login form: the benchmark measures the pages, not the password hasher)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fupin.accounts.models import User
    from fupin.core.context import acting_as
    from fupin.regions.models import Region

    province = Region._base_manager.filter(level=1).order_by("code").first()
    with acting_as(None, label="benchmark:dashboard"):
        user, _created = User.objects.get_or_create(
            username=BENCH_USER, defaults={"role": "org_dept", "region_code": province.code,
                                           "full_name": "benchmark"})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def group_by_baseline(runs: int = 5) -> tuple[float, float, int]:
    """First and median time (s) of the direct GROUP BY, and its number of groups."""
    from django.db import connection

    from fupin.poverty.models import Household, Person

    sql = (f'SELECT substr(p.region_code, 1, 6) AS county, count(*) '  # noqa: S608 - our tables
           f'FROM "{Person._meta.db_table}" p JOIN "{Household._meta.db_table}" h '
           f"ON h.id = p.household_id WHERE h.status = 'poor' GROUP BY 1")
    samples, groups = [], 0
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql)
            groups = len(cursor.fetchall())
            samples.append(time.perf_counter() - started)
    return samples[0], statistics.median(samples), groups


def counts() -> str:
    from fupin.analytics.models import Rollup
    from fupin.poverty.models import Household, Person

    return (f"{Household._base_manager.count():,} households, "
            f"{Person._base_manager.count():,} persons, "
            f"{Rollup._base_manager.count():,} rollup rows")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(kind: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [str(Path(PYTHON).with_name("gunicorn")), "fupin.wsgi",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                   "--log-level", "warning"]
    else:
        command = [PYTHON, "-m", "fupin", "serve", "--no-worker", "--bind", f"127.0.0.1:{port}"]
    # The server's output (runserver logs every request) goes to a file, shown if it fails.
    log = tempfile.NamedTemporaryFile(prefix="fupin-bench-server-", suffix=".log", delete=False)
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log.name
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.stderr.write(Path(process.log_path).read_text()[-4000:])
            raise SystemExit(f"the server exited ({process.returncode})")
        try:
            status, _body, _s = get(port, "/accounts/login/", "")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(process)
    raise SystemExit("the server did not start within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server we started (its own process group: gunicorn's workers, runserver)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    Path(process.log_path).unlink(missing_ok=True)


def get(port: int, path: str, cookie: str) -> tuple[int, bytes, float]:
    """One GET on a new connection (gunicorn's sync workers close it after each response)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "zh-hans"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, time.perf_counter() - started


def measure(port: int, path: str, cookie: str, requests: int, marker: bytes) -> dict:
    for _ in range(5):  # warm-up: templates compiled, connections open
        status, body, _s = get(port, path, cookie)
        if status != 200 or marker not in body:
            raise SystemExit(f"{path}: HTTP {status}, or not the expected page")
    samples = []
    for _ in range(requests):
        status, body, seconds = get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        samples.append(seconds * 1000)
    samples.sort()
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p99": cuts[98], "max": samples[-1],
            "mean": statistics.fmean(samples), "bytes": len(body)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("FUPIN_BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0,
                        help="demo scale to load when the database has no data (default 1)")
    parser.add_argument("--reload", action="store_true",
                        help="drop the database and load the demo afresh")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--server", choices=("gunicorn", "serve"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--pages", default="dashboard",
                        help="comma-separated: dashboard (analytics:dashboard), region "
                             "(regions:region, the dashboard among the other panels)")
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must point at PostgreSQL")
    env = dict(os.environ, FUPIN_DATABASE_URL=url)
    env.pop("FUPIN_DEBUG", None)

    prepare_database(url, args.reload)
    if not has_data(url):
        print(f"loading the demo at scale {args.scale} (fupin demo --no-serve) ...", flush=True)
        seconds, _out = fupin(env, "demo", "--no-serve", "--scale", str(args.scale))
        print(f"demo loaded in {seconds:.0f} s")
    else:
        fupin(env, "migrate", "--no-input", capture=True)
    setup_django(url)
    print(f"database {admin_url(url)[1]}: {counts()}", flush=True)

    # A full refresh, as the command, timed from outside.
    seconds, out = fupin(env, "analytics", "refresh", capture=True)
    verdict = "ok" if seconds < TARGET_REFRESH_S else "OVER TARGET"
    print(f"fupin analytics refresh: {seconds:.1f} s wall, the command's start-up included "
          f"(it says: {out.strip()}); target < {TARGET_REFRESH_S} s: {verdict}", flush=True)
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analytics_rollup")
    print(f"ANALYZE analytics_rollup: {time.perf_counter() - started:.2f} s")

    first, median, groups = group_by_baseline()
    print(f"direct GROUP BY over the person table (poor persons per county, {groups} groups): "
          f"first {first * 1000:,.1f} ms, median of 5 {median * 1000:,.1f} ms", flush=True)

    path = heaviest_path()
    cookie = session_cookie()
    connection.close()
    port = free_port()
    server = start_server(args.server, port, args.workers, env)
    print(f"server: {args.server} on 127.0.0.1:{port}"
          + (f", {args.workers} workers" if args.server == "gunicorn" else "")
          + f"; {args.requests} sequential requests per page after 5 warm-up", flush=True)
    results = []
    try:
        # The floor: a page with the same base template, middleware and session, no figures.
        floor = measure(port, "/regions/search/", cookie, args.requests, b"<html")
        print(f"  {'floor':9} {'(search page, no figures)':<36} p50 {floor['p50']:6.1f} ms  "
              f"p99 {floor['p99']:6.1f} ms  max {floor['max']:6.1f} ms", flush=True)
        for page in [p for p in args.pages.split(",") if p]:
            prefix = {"dashboard": "/analytics/", "region": "/regions/"}[page]
            for label, code, name in path:
                r = measure(port, f"{prefix}{code}/", cookie, args.requests,
                            b'data-testid="dashboard"')
                ok = r["p50"] < TARGET_P50_MS and r["p99"] < TARGET_P99_MS
                results.append((page, label, ok))
                print(f"  {page:9} {label:10} {code} {name:<12} p50 {r['p50']:6.1f} ms  "
                      f"p99 {r['p99']:6.1f} ms  max {r['max']:6.1f} ms  "
                      f"{r['bytes'] / 1024:5.0f} KiB  {'ok' if ok else 'OVER TARGET'}",
                      flush=True)
    finally:
        stop_server(server)
    print(f"targets: p50 < {TARGET_P50_MS} ms and p99 < {TARGET_P99_MS} ms per page; "
          f"direct GROUP BY median {median * 1000:,.1f} ms for one figure of one level, "
          f"against a whole dashboard page from the rollups")
    missed = [f"{page}/{label}" for page, label, ok in results if not ok]
    print("all pages within target" if not missed else f"over target: {', '.join(missed)}")


if __name__ == "__main__":
    main()
