"""Benchmark of the concern list's search and multiple-choice filters (issue 17, items 4 and 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_search.py [--requests 15]

Needs a database loaded with `seed_demo` (docs/benchmarks.md, "Demo data"). Signed in as a leader of
the root, of a branch and of a workshop, it requests each address through Django's test Client, warm
(3 requests first), and prints the median and 95th percentile of whole-page time, the median time
its SQL took (the machine is shared: SQL time moves less with the load) and the queries per page.
The queries: a common two-character word, one character, four characters, Latin and digits that
every reference holds, digits that few hold, text that no concern holds (the capped count then
reads everything it may), and two multiple-choice filters.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import statistics
import time

import bench_lists  # noqa: F401  (sets Django up)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

PEOPLE = [("root leader", "leader_jt"), ("branch leader", "leader"), ("workshop leader", "leader_bdyx")]
SEARCHES = ["巡线", "线", "绝缘手套", "FW-2026", "000123", "无此内容"]
PAGES = [f"/concerns/?q={quote(q)}" for q in SEARCHES] + [
    "/concerns/?status=in_progress&priority=urgent",
    "/concerns/?status=open&status=in_progress",
]


def measure(client: Client, path: str, runs: int) -> tuple[float, float, float, int]:
    """(median ms, p95 ms, median ms in SQL, queries) of warm requests of `path`."""
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times, sql, count = [], [], 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        count = len(queries)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], statistics.median(sql), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--who", default="", help="only the people whose label holds this (e.g. root)")
    options = parser.parse_args()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    setup_test_environment()
    User = get_user_model()
    print(f"database {connection.settings_dict['NAME']}, {options.requests} warm requests each")
    print(f"{'who':16} {'page':52} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} {'queries':>8}")
    for label, username in PEOPLE:
        if options.who not in label:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in PAGES:
            median, p95, sql, queries = measure(client, page, options.requests)
            shown = page.replace(page.partition("q=")[2], SEARCHES[PAGES.index(page)]) if "q=" in page else page
            print(f"{label:16} {shown:52} {median:10.1f} {p95:8.1f} {sql:8.1f} {queries:8d}", flush=True)


if __name__ == "__main__":
    main()
