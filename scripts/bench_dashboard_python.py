"""Where the root dashboard's time goes: SQL against Python, per request (issue 17, item 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench \
        .venv/bin/python scripts/bench_dashboard_python.py [--user leader_jt] [--requests 30]
        [--rounds 3] [--query period=2026] [--profile 25] [--path /concerns/123/]

In one process with the production settings (no DEBUG, the cached template loader, signed-cookie
sessions so that nothing is written): signs in as the user, requests the dashboard of their top
unit 3 times to warm up, then `--requests` times in each of `--rounds` rounds. Each request's wall
time is split into the time spent inside the database driver (every SQL statement, timed by a
connection wrapper) and the rest, which is Python: forms, figures, links and the template; the
CPU time of this process per request is printed too (on a loaded machine it is the steadier figure
of the Python's work: waiting for a core is not in it). Prints
the median of each round and the median of the round medians (`--cold`: the cache emptied before
each request, outside the time taken: the dashboard counted and rendered afresh, as after any change;
without it the rendered body comes from the cache, as between changes); `--profile N` then runs cProfile
over the requests once more and prints its N most expensive functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("FIELDWORK_RECEIPT_KEY", "benchmark-only-not-a-receipt-key")
    os.environ.setdefault("FIELDWORK_NOTE_KEYS", "ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=")  # talks.DEV_NOTE_KEY
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("FIELDWORK_WEB", "1")


class _SqlTimer:
    """A connection execute wrapper adding up the time spent in the driver."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="leader_jt")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--query", default="", help="the query string, e.g. period=2026 (default: none)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--path", default="", help="another page to time instead, e.g. /concerns/123/")
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before each request: the dashboard rendered afresh"
    )
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    _settings()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fieldwork.views.dashboards import _top_units

    setup_test_environment()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no session rows
    settings.ALLOWED_HOSTS = ["testserver"]
    user = get_user_model().objects.get(username=options.user)
    unit = _top_units(user).order_by("path").first()
    client = Client()
    client.force_login(user)
    path = options.path or f"/units/{unit.pk}/dashboard/" + (f"?{options.query}" if options.query else "")
    for _warm in range(3):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    size = len(response.content)
    timer = _SqlTimer()
    round_wall, round_sql, round_python, round_cpu = [], [], [], []
    with connection.execute_wrapper(timer):
        for _round in range(options.rounds):
            walls, sqls, cpus = [], [], []
            for _request in range(options.requests):
                if options.cold:
                    cache.clear()
                timer.seconds = 0.0
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - started_cpu) * 1000)
                sqls.append(timer.seconds * 1000)
            pythons = [wall - sql for wall, sql in zip(walls, sqls, strict=True)]
            round_wall.append(statistics.median(walls))
            round_sql.append(statistics.median(sqls))
            round_python.append(statistics.median(pythons))
            round_cpu.append(statistics.median(cpus))
            print(
                f"round {_round + 1}: wall {round_wall[-1]:.1f} ms, SQL {round_sql[-1]:.1f} ms, "
                f"Python {round_python[-1]:.1f} ms (CPU of this process {round_cpu[-1]:.1f} ms)",
                flush=True,
            )
    state = "cold" if options.cold else "warm"
    print(
        f"{path} as {options.user} ({unit.code}), {state}, {size:,} bytes: median of {options.rounds} round medians "
        f"of {options.requests}: wall {statistics.median(round_wall):.1f} ms, "
        f"SQL {statistics.median(round_sql):.1f} ms, Python {statistics.median(round_python):.1f} ms, "
        f"CPU of this process {statistics.median(round_cpu):.1f} ms; load {os.getloadavg()[0]:.2f}"
    )
    if options.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _request in range(options.requests):
            if options.cold:
                cache.clear()
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(options.profile)
        stats.sort_stats("cumulative").print_stats(options.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
