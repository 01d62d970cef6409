"""Benchmark of the people picker (issue 17 item 2): /people/search/ and the pages with people fields.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench_picker .venv/bin/python scripts/bench_people_search.py
    ... --pages-only   (the pages alone: runs read-only on fw_bench, and on code without the picker, for
                        the "before" figures; the searches need the keys: a database migrated by this code)

Needs a database loaded with seed_demo (the 1M demo: `--visits 1000000 --units 5000`, about 5,000
people) and migrated to the picker's keys. Signed in as a leader of the root, of a branch and as a team
cadre, it times each search through Django's test Client, warm (3 requests first), and prints the
median and 95th percentile of the whole request, the median time in SQL (as Django's debug log
times it), the queries per request and the matches; then the same and the size and <option> count of
the pages that carry a people field. Sessions are signed cookies, so nothing is written while timing.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PEOPLE = [("root leader", "leader_jt"), ("branch leader", "leader"), ("team cadre", "cadre")]
QUERIES = ["王", "w", "wjg", "zh", "cjg", "建国", "qqqq"]
PAGES = ["/visits/new/", "/concerns/new/", "/overdue/"]


def measure(client: Client, path: str, runs: int):
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    times, sql = [], []
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as timed:
            client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(query["time"]) for query in timed.captured_queries) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(sql), len(queries), response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pages-only", action="store_true")
    options = parser.parse_args()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    setup_test_environment()
    User = get_user_model()
    print(
        f"database {connection.settings_dict['NAME']}, {User.objects.count()} people, "
        f"{options.requests} warm requests each"
    )
    clients = {}
    for label, username in PEOPLE:
        clients[label] = Client()
        clients[label].force_login(User.objects.get(username=username))
    if not options.pages_only:
        print(f"{'who':14} {'search':24} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'matches':>8}")
        for label, client in clients.items():
            for query in QUERIES:
                for answer in ("json", "html"):
                    path = f"/people/search/?q={query}" + ("&format=json" if answer == "json" else "&field=owner")
                    median, p95, sql, queries, response = measure(client, path, options.requests)
                    matches = response.content.decode().count('"value"' if answer == "json" else 'type="radio"')
                    print(
                        f"{label:14} {query + ' (' + answer + ')':24} "
                        f"{median:10.1f} {p95:8.1f} {sql:7.1f} {queries:8d} {matches:8d}"
                    )
    print(
        f"{'who':14} {'page':24} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>7} {'queries':>8} {'KB':>8} {'options':>8}"
    )
    for label, client in clients.items():
        for page in PAGES:
            median, p95, sql, queries, response = measure(client, page, max(5, options.requests // 3))
            size = len(response.content) / 1024
            options_count = len(re.findall(r"<option\b", response.content.decode()))
            print(
                f"{label:14} {page:24} {median:10.1f} {p95:8.1f} {sql:7.1f} {queries:8d} {size:8.0f} {options_count:8d}"
            )


if __name__ == "__main__":
    main()
