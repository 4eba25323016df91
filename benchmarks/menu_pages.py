"""Every page the menu offers, timed in-process at province level: is each under 1 s?

    .venv/bin/python benchmarks/menu_pages.py --database-url sqlite:////path/demo.sqlite3
        [--users bench-org-province,demo-admin] [--repeat 3] [--limit-ms 1000]

Against a database holding the demo (`fupin demo --no-serve`, scale 0.01). A province-level
org_dept user (`bench-org-province`, scope 520000000000, made when missing) and `demo-admin`
are logged in (a session made directly: the pages are measured, not the password hasher);
the URLs are the ones `fupin.web.navigation.menu_for` gives each user. Each URL is requested
--repeat times with Django's test Client (the first request is counted: a page people open
once a day is opened cold). Prints p50 and max per page and user, the pages over the limit,
and exits 1 when there are any. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCE_USER = "bench-org-province"


def setup_django(url: str) -> None:
    if url:
        os.environ["FUPIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def province_user():
    from fupin.accounts.models import User
    from fupin.core.context import acting_as
    from fupin.regions.models import Region

    province = Region._base_manager.filter(level=1).order_by("code").first()
    with acting_as(None, label="benchmark:menu_pages"):
        user, _created = User.objects.get_or_create(
            username=PROVINCE_USER, defaults={"role": "org_dept", "region_code": province.code,
                                              "full_name": "benchmark"})
    return user


def menu_urls(user) -> list[tuple[str, str]]:
    """(label, url) of every entry the menu gives `user`, however the menu nests them."""
    from django.test import RequestFactory

    from fupin.web import navigation

    request = RequestFactory().get("/")
    request.user = user
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("url"), str) and "label" in node:
                found.setdefault(node["url"], str(node["label"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(navigation.menu_for(request))
    return [(label, url) for url, label in found.items()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("FUPIN_DATABASE_URL", ""))
    parser.add_argument("--users", default=f"{PROVINCE_USER},demo-admin")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit-ms", type=float, default=1000)
    args = parser.parse_args(argv)
    setup_django(args.database_url)

    from django.test import Client

    from fupin.accounts.models import User

    slow, rows = [], []
    for username in args.users.split(","):
        user = province_user() if username == PROVINCE_USER else \
            User.objects.filter(username=username).first()
        if user is None:
            print(f"no user {username}: load the demo first")
            return 2
        client = Client()
        client.force_login(user)
        print(f"\n{username} ({user.role}, {user.region_code})")
        print(f"{'p50 ms':>8} {'max ms':>8}  status  page")
        for label, url in menu_urls(user):
            samples, statuses = [], set()
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url, follow=True)  # /regions/ leads to the own region
                samples.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
            p50, worst = statistics.median(samples), max(samples)
            rows.append((username, url, p50, worst))
            flag = " *" if worst > args.limit_ms else ""
            print(f"{p50:8.0f} {worst:8.0f}  {','.join(map(str, sorted(statuses))):6}  "
                  f"{url} ({label}){flag}")
            if worst > args.limit_ms:
                slow.append((username, url, label, p50, worst))
    print(f"\n{len(rows)} page requests sets; over {args.limit_ms:.0f} ms: {len(slow)}")
    for username, url, label, p50, worst in sorted(slow, key=lambda r: -r[4]):
        print(f"  {worst:8.0f} ms max, {p50:8.0f} ms p50  {username}  {url} ({label})")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
