"""Every page figure of issue 17 at one data size, and the 10k and 1M figures side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench \
        .venv/bin/python scripts/bench_pages.py --out /tmp/1m.json [--requests 15]
    .venv/bin/python scripts/bench_pages.py --compare /tmp/10k.json /tmp/1m.json

Production settings (no DEBUG, the cached template loader), signed-cookie sessions (nothing is
written), Django's test Client in one process. Each page is requested 3 times to warm up, once to
count its queries, then `--requests` times; the median and 95th percentile of the whole request are
kept. "cold" dashboards empty the cache before each request (outside the time taken): counted and
rendered afresh, as the first request after any change; "warm" ones are served from the cache, as
between changes. The users are the demo's: the root leader (leader_jt), a branch leader (leader),
a team cadre (cadre). Seed the 10k database like the 1M one, with the same 5,000 units:
`VISITS=10000 DB=fw_bench_10k TODAY=2026-11-28 scripts/bench_seed.sh`. `--compare` prints a
Markdown table: 10k, 1M and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CUT = "from=2026-03-15&to=2026-08-20"
URGENT = "status=in_progress&priority=urgent"


def _pages(concern_path: str) -> list[tuple[str, str, str, bool]]:
    """(label, user, path, cold): {root}, {branch} and {team} are the users' dashboards."""
    return [
        ("/visits/, root", "leader_jt", "/visits/", False),
        ("/visits/, branch", "leader", "/visits/", False),
        ("/concerns/, root", "leader_jt", "/concerns/", False),
        ("/concerns/?q=巡线, root", "leader_jt", "/concerns/?q=巡线", False),
        ("/concerns/?q=巡线, branch", "leader", "/concerns/?q=巡线", False),
        ("/concerns/?q=10kV, root", "leader_jt", "/concerns/?q=10kV", False),
        (
            "/concerns/?status=in_progress&priority=urgent, root",
            "leader_jt",
            "/concerns/?status=in_progress&priority=urgent",
            False,
        ),
        ("/overdue/, root", "leader_jt", "/overdue/", False),
        ("dashboard quarter, root, cold", "leader_jt", "{root}?period=2026-Q3", True),
        ("dashboard quarter, root, warm", "leader_jt", "{root}?period=2026-Q3", False),
        ("dashboard year, root, cold", "leader_jt", "{root}?period=2026", True),
        ("dashboard quarter, branch, cold", "leader", "{branch}?period=2026-Q3", True),
        (f"dashboard {CUT}, root, cold", "leader_jt", "{root}?" + CUT, True),
        (f"dashboard {CUT}, branch, cold", "leader", "{branch}?" + CUT, True),
        (f"dashboard {CUT}, team, cold", "cadre", "{team}?" + CUT, True),
        ("concern detail, root leader", "leader_jt", concern_path, False),
        ("people picker ?q=wang, root", "leader_jt", "/people/search/?q=wang", False),
        ("people picker ?q=王, root", "leader_jt", "/people/search/?q=王", False),
    ]


def _settings() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("FIELDWORK_RECEIPT_KEY", "benchmark-only-not-a-receipt-key")
    os.environ.setdefault("FIELDWORK_NOTE_KEYS", "ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=")  # talks.DEV_NOTE_KEY
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("FIELDWORK_WEB", "1")


def measure(requests: int, out: str) -> None:
    sys.path.insert(0, str(ROOT))
    _settings()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from fieldwork.models import Concern, Membership, Visit
    from fieldwork.views.dashboards import _top_units

    setup_test_environment()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.ALLOWED_HOSTS = ["testserver"]
    users = {name: get_user_model().objects.get(username=name) for name in ("leader_jt", "leader", "cadre")}
    homes = {
        "root": _top_units(users["leader_jt"]).order_by("path").first().pk,
        "branch": _top_units(users["leader"]).order_by("path").first().pk,
        "team": Membership.objects.filter(user=users["cadre"]).order_by("unit__path").first().unit_id,
    }
    concern = Concern.objects.order_by("-pk").values_list("pk", flat=True).first()
    clients = {}
    results = []
    for label, username, path, cold in _pages(f"/concerns/{concern}/"):
        path = path.format(**{key: f"/units/{pk}/dashboard/" for key, pk in homes.items()})
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(users[username])
        client = clients[username]
        for _warm in range(3):
            if cold:
                cache.clear()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured)  # now: the log is emptied when the next request starts
        times = []
        for _request in range(requests):
            if cold:
                cache.clear()
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        row = {
            "page": label,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "queries": queries,
            "bytes": len(response.content),
        }
        results.append(row)
        print(
            f"{label:60} {row['median_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f}  {row['queries']:3d} queries", flush=True
        )
    data = {
        "database": connection.settings_dict["NAME"],
        "visits": Visit.objects.count(),
        "load": os.getloadavg()[0],
        "requests": requests,
        "pages": results,
    }
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1))


def compare(small_path: str, large_path: str) -> None:
    small, large = (json.loads(Path(p).read_text()) for p in (small_path, large_path))
    print(f"| page | {small['visits']:,} visits: ms | queries | {large['visits']:,} visits: ms | queries | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    by_page = {row["page"]: row for row in small["pages"]}
    for row in large["pages"]:
        other = by_page.get(row["page"])
        if other is None:
            continue
        ratio = row["median_ms"] / other["median_ms"] if other["median_ms"] else float("nan")
        print(
            f"| {row['page']} | {other['median_ms']:.1f} | {other['queries']} | {row['median_ms']:.1f} "
            f"| {row['queries']} | {ratio:.1f}× |"
        )
    print(f"\nload average at the end: {small['load']:.2f} (small), {large['load']:.2f} (large)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--out", default="")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    options = parser.parse_args()
    if options.compare:
        compare(*options.compare)
    else:
        measure(options.requests, options.out or "/dev/null")
    return 0


if __name__ == "__main__":
    sys.exit(main())
