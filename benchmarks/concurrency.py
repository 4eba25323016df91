"""Concurrent users on a real server while an import and a rollup refresh run: errors and
latency per page kind.

    .venv/bin/python benchmarks/concurrency.py --database-url sqlite:////tmp/fupin-bench.sqlite3
        [--duration 120] [--sessions 20] [--workers 3] [--threads 4] [--persons 20000]
        [--no-import] [--no-refresh]
    .venv/bin/python benchmarks/concurrency.py --database-url postgresql://postgres@127.0.0.1:5432/fupin_bench

The database must hold the demo (`fupin demo --no-serve`); a PostgreSQL database is created and
loaded when missing. The run changes the data (the import adds households), so point it at a
scratch copy. In one run:
- the menu URLs of each role are read from `fupin.web.navigation.menu_for` (plus the home
  page): a province org_dept (`bench-org-province`, scope 520000000000, made when missing), and
  the demo's county poverty office, township, village and helper users. Sessions are made
  directly in the session store (the pages are measured, not the password hasher);
- `gunicorn fupin.wsgi` with --workers gthread workers is started on a free loopback port;
- --sessions threads, each one user's session (the roles taken in turn), request that user's
  pages in a shuffled loop, one after another, for --duration seconds;
- a few seconds in, `fupin import households FILE` (a generated sheet of --persons persons in
  500 of the demo's villages, see benchmarks/import_households.py) and `fupin analytics
  refresh` start side by side and run to their end (their times and exit codes are printed).
Prints the errors (count by status; "timeout" and "connection" for requests with no answer),
p50/p99 per page kind (a list, the home page, or the page's URL name) and the slowest pages.
Exits 1 when there were errors. Not a test.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PROVINCE_USER = "bench-org-province"
ROLE_USERS = [PROVINCE_USER, "demo-poverty", "demo-township", "demo-village", "demo-helper"]
TIMEOUT = 60


def setup_django(url: str) -> None:
    os.environ["FUPIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_env(url: str) -> dict:
    # PYTHONPATH: the checkout this script is in, not whichever one the virtualenv points to.
    return {**os.environ, "FUPIN_DATABASE_URL": url, "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "fupin.settings"}


def prepare_postgres(url: str, env: dict) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('poverty_household')").fetchone()[0] is not None:
            return
    print(f"loading the demo into {name} (minutes)", flush=True)
    subprocess.run([PYTHON, "-m", "fupin", "demo", "--no-serve"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


# --- users and pages ----------------------------------------------------------------------------
def users_and_pages() -> list[tuple[str, str, list[str]]]:
    """(username, session cookie, URLs) per role user."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fupin.accounts.models import User

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from menu_pages import menu_urls, province_user

    out = []
    for username in ROLE_USERS:
        user = province_user() if username == PROVINCE_USER else \
            User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no user {username}: load the demo first (fupin demo --no-serve)")
        urls = ["/"] + [url for _label, url in menu_urls(user) if url != "/"]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        out.append((username, f"{settings.SESSION_COOKIE_NAME}={session.session_key}", urls))
    return out


def page_kind(url: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        name = resolve(urlsplit(url).path).url_name or url
    except Resolver404:
        return url
    if url == "/":
        return "home"
    return "list" if name.endswith("_list") else name


def import_file(persons: int, directory: Path) -> Path:
    """A households sheet in 500 villages of the demo (so the codes exist)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import import_households as gen

    from fupin.regions.models import Region

    villages = list(Region._base_manager.filter(level=5).order_by("code")
                    .values_list("code", flat=True)[:gen.VILLAGES])
    gen.village_codes = lambda: villages
    return gen.generate(persons, directory, ["csv"])["csv"]


# --- the server -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile(prefix="fupin-concurrency-", suffix=".log", delete=False)
    command = [PYTHON, "-m", "gunicorn", "fupin.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
               "--timeout", "120", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log.name
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.stderr.write(Path(log.name).read_text()[-4000:])
            raise SystemExit(f"gunicorn exited ({process.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- load -----------------------------------------------------------------------------------------
Sample = tuple[str, str, object, float]  # user, url, status (int or "timeout"/"connection"), s


def session_loop(port: int, username: str, cookie: str, urls: list[str], deadline: float,
                 samples: list[Sample], seed: int) -> None:
    rng = random.Random(seed)
    conn = None
    while time.monotonic() < deadline:
        order = urls[:]
        rng.shuffle(order)
        for url in order:
            if time.monotonic() >= deadline:
                return
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                status: object = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except TimeoutError:
                status, conn = "timeout", None
            except (OSError, http.client.HTTPException):
                status, conn = "connection", None
            samples.append((username, url, status, time.perf_counter() - started))


class Job(threading.Thread):
    """A `fupin` command run to its end beside the load, timed."""

    def __init__(self, name: str, args: list[str], env: dict, delay: float):
        super().__init__(daemon=True)
        self.label, self.args, self.env, self.delay = name, args, env, delay
        self.seconds, self.code, self.tail = 0.0, None, ""

    def run(self):
        time.sleep(self.delay)
        started = time.perf_counter()
        done = subprocess.run([PYTHON, "-m", "fupin", *self.args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=False)
        self.seconds, self.code = time.perf_counter() - started, done.returncode
        self.tail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--no-refresh", action="store_true")
    args = parser.parse_args(argv)

    env = child_env(args.database_url)
    if args.database_url.startswith("postgres"):
        prepare_postgres(args.database_url, env)
    setup_django(args.database_url)
    roles = users_and_pages()
    workdir = Path(tempfile.mkdtemp(prefix="fupin-concurrency-"))
    jobs = []
    if not args.no_import:
        path = import_file(args.persons, workdir)
        jobs.append(Job("import", ["import", "households", str(path)], env, 5))
    if not args.no_refresh:
        jobs.append(Job("refresh", ["analytics", "refresh"], env, 5))
    from django.db import connections

    connections.close_all()  # the server and the jobs, not this process, use the database now

    port = free_port()
    server = start_server(port, args.workers, args.threads, env)
    samples: list[Sample] = []
    try:
        deadline = time.monotonic() + args.duration
        threads = [threading.Thread(target=session_loop, daemon=True, args=(
            port, *roles[i % len(roles)], deadline, samples, i)) for i in range(args.sessions)]
        for thread in threads + jobs:
            thread.start()
        print(f"{args.sessions} sessions of {', '.join(r[0] for r in roles)} for "
              f"{args.duration:.0f} s against gunicorn ({args.workers} gthread workers x "
              f"{args.threads} threads) on {urlsplit(args.database_url).scheme}", flush=True)
        for thread in threads:
            thread.join()
        for job in jobs:
            job.join()
    finally:
        stop(server)

    print(f"\n{len(samples):,} requests in {args.duration:.0f} s "
          f"({len(samples) / args.duration:.1f}/s)")
    for job in jobs:
        print(f"  {job.label}: exit {job.code} in {job.seconds:.1f} s"
              + (f"  ({' / '.join(job.tail)})" if job.code else ""))
    statuses = collections.Counter(s[2] for s in samples)
    errors = {k: n for k, n in statuses.items() if not (isinstance(k, int) and k < 400)}
    print("statuses: " + ", ".join(f"{k}: {n:,}" for k, n in sorted(statuses.items(),
                                                                   key=lambda kv: str(kv[0]))))
    print(f"errors: {sum(errors.values())}" + (f" ({errors})" if errors else ""))

    kinds: dict[str, list[float]] = collections.defaultdict(list)
    pages: dict[str, list[float]] = collections.defaultdict(list)
    for _user, url, _status, seconds in samples:
        kinds[page_kind(url)].append(seconds)
        pages[url].append(seconds)
    print(f"\n{'kind':<28} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in sorted(kinds.items(), key=lambda kv: -pct(kv[1], 0.99)):
        print(f"{kind:<28} {len(values):>6} {pct(values, 0.5):>8.0f} {pct(values, 0.99):>8.0f} "
              f"{max(values) * 1000:>8.0f}")
    print("\nslowest pages (p99):")
    for url, values in sorted(pages.items(), key=lambda kv: -pct(kv[1], 0.99))[:12]:
        print(f"  {pct(values, 0.99):8.0f} ms p99 {statistics.median(values) * 1000:8.0f} ms p50 "
              f"n={len(values):<4} {url}")
    by_page_errors = collections.Counter((s[1], s[2]) for s in samples
                                         if not (isinstance(s[2], int) and s[2] < 400))
    if by_page_errors:
        print("\nerrors by page:")
        for (url, status), n in by_page_errors.most_common(12):
            print(f"  {n:5}  {status}  {url}")
    print(f"\nserver log: {server.log_path}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
