"""Benchmark of the visit list, the concern list and the overdue page on the million-visit data (issue 3, "Speed").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_lists.py [--requests 30]

Needs a database loaded with `seed_demo --visits 1000000 --units 5000` (docs/benchmarks.md, "Demo
data"). Signed in as a leader of the root, of a branch, of a workshop and as a team cadre, it
requests each page's first page and its second (keyset) page through Django's test Client, warm
(3 requests first), and prints the median and 95th percentile of whole-page time and the queries
per page. Sessions are signed cookies, so nothing is written while timing.
"""

import argparse
import os
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

PEOPLE = [
    ("root leader", "leader_jt"),
    ("branch leader", "leader"),
    ("workshop leader", "leader_bdyx"),
    ("team cadre", "cadre"),
]
PAGES = ["/visits/", "/concerns/", "/overdue/"]


def measure(client: Client, path: str, runs: int) -> tuple[float, float, int]:
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    reset_queries()  # with DEBUG on the log is capped at 9,000 entries: once full, a capture would count 0
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def next_page(client: Client, path: str) -> str | None:
    """The keyset link to the second page, as the page prints it."""
    html = client.get(path).content.decode()
    for key in ("after=", "concerns_after="):
        index = html.find(key)
        if index != -1:
            start = html.rfind('href="', 0, index) + len('href="')
            end = html.find('"', index)
            link = html[start:end].replace("&amp;", "&")
            return link if link.startswith("/") else path + link
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    runs = parser.parse_args().requests
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    setup_test_environment()
    User = get_user_model()
    print(f"database {connection.settings_dict['NAME']}, {runs} warm requests each")
    print(f"{'who':16} {'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, username in PEOPLE:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in PAGES:
            targets = [page]
            second = next_page(client, page)
            if second:
                targets.append(second)
            for number, path in enumerate(targets, start=1):
                median, p95, queries = measure(client, path, runs)
                print(
                    f"{label:16} {page + (' page 2' if number == 2 else ''):28} {median:10.1f} {p95:8.1f} {queries:8d}"
                )


if __name__ == "__main__":
    main()
