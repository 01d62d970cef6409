"""Benchmark of the unit dashboard at 10,000 and at 1,000,000 visits (issue 4, "Speed").

    .venv/bin/python scripts/bench_dashboard.py [--small fw_bench_10k] [--large fw_bench]
                                                [--requests 30] [--no-rebuild]

Both databases live on the PostgreSQL of DATABASE_HOST (default postgres@127.0.0.1:5432). The
small one is created and seeded if it does not exist (`seed_demo --visits 10000 --units 5000`);
the large one must have been seeded already (`seed_demo --visits 1000000 --units 5000`, see the
"Demo data" section of docs/benchmarks.md) with the same --today, so that both hold the same tree.
For each database the script runs `rebuild_rollups` (timed), then, in a fresh process, requests
the whole dashboard page through Django's test Client, signed in as a leader of the root unit:
the root, a branch and a team, each for the year of the data's last day, warm (3 requests
first), 30 times in rounds of 10 taken in turn from each database (so that a busy moment of the
machine falls on both), and prints the median, the 95th percentile, the queries per page and the
ratio of the large median to the small one. Sessions are signed cookies in the measuring process, so
the databases are read, never written, while timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("DATABASE_HOST", "postgres@127.0.0.1:5432")
SMALL_SEED = ["--visits", "10000", "--units", "5000"]
TODAY = "2026-11-28"  # the large database's last day (seed_demo --today)


def url_of(database: str) -> str:
    return f"postgres://{HOST}/{database}"


def manage(database: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url_of(database)}
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def database_exists(database: str) -> bool:
    user, _, address = HOST.partition("@")
    host, _, port = address.partition(":")
    out = subprocess.run(
        ["psql", "-h", host, "-p", port or "5432", "-U", user, "-Atc", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return database in out


def ensure_small(database: str) -> None:
    if database_exists(database):
        return
    user, _, address = HOST.partition("@")
    host, _, port = address.partition(":")
    print(f"creating and seeding {database} ({' '.join(SMALL_SEED)}) ...", flush=True)
    subprocess.run(["createdb", "-h", host, "-p", port or "5432", "-U", user, database], check=True)
    manage(database, "migrate", "--noinput")
    manage(database, "seed_demo", *SMALL_SEED, "--today", TODAY, "--quiet")


def measure(database: str, requests: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url_of(database),
        # production settings (no DEBUG: no query log slowing each request), served over plain HTTP
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret",
        "FIELDWORK_RECEIPT_KEY": "benchmark-only-not-a-receipt-key",
        "FIELDWORK_NOTE_KEYS": "ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=",  # talks.DEV_NOTE_KEY
        "SECURE_SSL_REDIRECT": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    done = subprocess.run(
        [PYTHON, __file__, "--measure", "--requests", str(requests)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"measuring {database} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def combine(runs: list[dict]) -> dict:
    """One result from several rounds: the median and 95th percentile of all their requests."""
    out = {"visits": runs[0]["visits"], "year": runs[0]["year"], "pages": {}}
    for name in runs[0]["pages"]:
        times = sorted(time for run in runs for time in run["pages"][name]["times"])
        out["pages"][name] = {
            "unit": runs[0]["pages"][name]["unit"],
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "queries": max(run["pages"][name]["queries"] for run in runs),
        }
    return out


def _measure_here(requests: int) -> None:
    """In a process whose DATABASE_URL is one of the databases: time the pages, print JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from fieldwork.models import Membership, Unit, Visit

    setup_test_environment()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no session rows
    root = Unit.objects.get(parent__isnull=True)
    # The first branch and the first grassroots unit under it, by code: the same in both databases.
    branch = Unit.objects.filter(parent=root, active=True, kind=Unit.Kind.BRANCH).order_by("code").first()
    team = Unit.objects.filter(path__startswith=branch.path, children__isnull=True).order_by("code").first()
    leader = (
        Membership.objects.filter(unit=root, role=Membership.Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if leader is None:
        raise SystemExit("no leader of the root unit to sign in as")
    year = Visit.objects.order_by("-date").values_list("date", flat=True).first().year
    client = Client()
    client.force_login(leader.user)
    out = {"visits": Visit.objects.count(), "year": year, "pages": {}}
    for name, unit in (("root", root), ("branch", branch), ("team", team)):
        path = f"/units/{unit.pk}/dashboard/?period={year}"
        for _warm in range(3):
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        query_count = len(queries.captured_queries)  # read now: the next request empties the log
        times = []
        for _request in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out["pages"][name] = {"unit": unit.code, "times": times, "queries": query_count}
    out["upkeep"] = _measure_upkeep(leader.user, team)
    print(json.dumps(out))


class _RollBack(Exception):
    pass


def _measure_upkeep(user, team) -> dict:
    """What the rollups add to a write: log a visit with a concern, take a concern up. Everything
    happens in one transaction that is rolled back, so the database keeps its rows."""
    import datetime

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fieldwork import rollups
    from fieldwork.models import Category, Concern, Visit
    from fieldwork.services import concerns as concern_services
    from fieldwork.services import visits as visit_services

    category = Category.objects.order_by("pk").first()
    results: dict[str, dict] = {}
    try:
        with transaction.atomic():
            for label, suspended in (("with rollups", False), ("without", True)):
                visit_times, start_times, queries = [], [], []
                for index in range(20):
                    with rollups.suspended() if suspended else _nothing():
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            visit = visit_services.visit_record(
                                by=user,
                                unit=team,
                                date=timezone.localdate() - datetime.timedelta(days=index % 20),
                                form=Visit.Form.SYMPOSIUM,
                                people_reached=3,
                                concerns=[concern_services.ConcernInput(title="benchmark", category=category)],
                                confirmation_note="benchmark",  # up to 20 days back: a back-dated visit
                            )
                            visit_times.append((time.perf_counter() - started) * 1000)
                        queries.append(len(captured.captured_queries))
                        concern = Concern.objects.filter(visit=visit).get()
                        started = time.perf_counter()
                        concern_services.concern_start(concern=concern, by=user, version=concern.version)
                        start_times.append((time.perf_counter() - started) * 1000)
                results[label] = {
                    "visit_with_concern_ms": round(statistics.median(visit_times), 1),
                    "visit_queries": max(queries),
                    "concern_start_ms": round(statistics.median(start_times), 1),
                }
            raise _RollBack
    except _RollBack:
        pass
    return results


class _nothing:  # a context manager that does nothing
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="fw_bench_10k")
    parser.add_argument("--large", default="fw_bench")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-rebuild", action="store_true", help="Use the rollups as they stand.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        _measure_here(options.requests)
        return 0
    ensure_small(options.small)
    if not database_exists(options.large):
        raise SystemExit(f"{options.large} does not exist: seed it first (docs/benchmarks.md)")
    if not options.no_rebuild:
        for database in (options.small, options.large):
            print(f"{database}: {manage(database, 'rebuild_rollups')}", flush=True)
    # Rounds taken in turn from each database, so that a busy moment of the machine falls on both.
    rounds = max(1, options.requests // 10)
    runs: dict[str, list[dict]] = {options.small: [], options.large: []}
    for _round in range(rounds):
        for database in (options.small, options.large):
            runs[database].append(measure(database, options.requests // rounds))
    small, large = combine(runs[options.small]), combine(runs[options.large])
    print()
    print(f"dashboard for the year {large['year']}, {rounds * (options.requests // rounds)} warm requests each")
    header = f"{'page':8} {'visits':>10} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    print(header)
    ok = True
    for name in ("root", "branch", "team"):
        for result in (small, large):
            page = result["pages"][name]
            visits, median, p95, queries = result["visits"], page["median_ms"], page["p95_ms"], page["queries"]
            print(f"{name:8} {visits:>10,} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        ratio = large["pages"][name]["median_ms"] / small["pages"][name]["median_ms"]
        same = large["pages"][name]["queries"] == small["pages"][name]["queries"]
        print(f"{'':8} ratio of medians {ratio:.2f}; same number of queries: {'yes' if same else 'NO'}")
        ok = ok and ratio <= 2 and same and large["pages"][name]["queries"] <= 15
    ok = ok and large["pages"]["root"]["median_ms"] < 150
    print()
    print("upkeep in the writing transaction (median of 20, rolled back): with rollups / without")
    for database in (options.small, options.large):
        up = runs[database][0]["upkeep"]
        print(
            f"{database:14} visit_record with a concern {up['with rollups']['visit_with_concern_ms']} / "
            f"{up['without']['visit_with_concern_ms']} ms ({up['with rollups']['visit_queries']} / "
            f"{up['without']['visit_queries']} queries); concern_start {up['with rollups']['concern_start_ms']} / "
            f"{up['without']['concern_start_ms']} ms"
        )
    print(
        "targets (≤ 15 queries, the same at both sizes, root median < 150 ms, ratio ≤ 2):", "met" if ok else "NOT met"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
