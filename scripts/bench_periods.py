"""Benchmark of dashboard periods that cut into months (issue 17, item 3), at 10k and at 1M visits.

    .venv/bin/python scripts/bench_periods.py [--small fw_days10k] [--large fw_bench_days]
                                              [--requests 10] [--no-upkeep]

Both databases live on the PostgreSQL of DATABASE_HOST (default postgres@127.0.0.1:5432), seeded
with the same --today (2026-11-28) and migrated (the day rows, UnitDay, need migration 0020 and a
`rebuild_rollups`). Nothing is rebuilt here: the databases are read, never written, while timing
(sessions are signed cookies), except by the upkeep measure, which runs in a transaction rolled back
(`--no-upkeep` leaves it out).

For each database, in a fresh process with production settings, the whole dashboard page is
requested through Django's test Client, signed in as a leader of the root unit: the root, the first
branch, the first workshop under it (a unit with children) and the first team under that, each for
three periods that cut into months and a whole quarter; warm (2 requests first), then --requests
times. It prints the median and the queries per page, and the ratio of the large median to the small.
The upkeep measure: a visit with one concern recorded at the team (visit_record with a concern),
median of 10, with the day rows kept and with their refresh left out, to show what they add to a write.
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
PERIODS = {
    "15 Mar – 20 Aug": "from=2026-03-15&to=2026-08-20",
    "10 Jun – 24 Jun": "from=2026-06-10&to=2026-06-24",
    "20 Dec – 5 Oct": "from=2025-12-20&to=2026-10-05",
    "2026 Q3": "period=2026-Q3",
}


def measure(database: str, requests: int, upkeep: bool) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{HOST}/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret",
        "FIELDWORK_RECEIPT_KEY": "benchmark-only-not-a-receipt-key",
        "FIELDWORK_NOTE_KEYS": "ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=",  # talks.DEV_NOTE_KEY
        "SECURE_SSL_REDIRECT": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    args = [PYTHON, __file__, "--measure", "--requests", str(requests)] + ([] if upkeep else ["--no-upkeep"])
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"measuring {database} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure_here(requests: int, upkeep: bool) -> None:
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
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    root = Unit.objects.get(parent__isnull=True)
    with_children = Unit.objects.filter(active=True, children__isnull=False).order_by("code").distinct()
    branch = with_children.filter(parent=root).first()
    workshop = with_children.filter(parent=branch).first()
    team = Unit.objects.filter(parent=workshop, active=True).order_by("code").first()
    leader = (
        Membership.objects.filter(unit=root, role=Membership.Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    client = Client()
    client.force_login(leader.user)
    out: dict = {"visits": Visit.objects.count(), "pages": {}}
    for name, unit in (("root", root), ("branch", branch), ("workshop", workshop), ("team", team)):
        for label, query in PERIODS.items():
            path = f"/units/{unit.pk}/dashboard/?{query}"
            for _warm in range(2):
                assert client.get(path).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            count = len(queries.captured_queries)
            times = []
            for _request in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            out["pages"][f"{name} · {label}"] = {"median_ms": round(statistics.median(times), 1), "queries": count}
    if upkeep:
        out["upkeep"] = _measure_upkeep(leader.user, team)
    print(json.dumps(out))


class _RollBack(Exception):
    pass


def _measure_upkeep(user, team) -> dict:
    """A visit with a concern recorded at a team, with the day rows kept and without their refresh;
    in one transaction rolled back."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from fieldwork.models import Category, Visit
    from fieldwork.rollups import days
    from fieldwork.services import concerns as concern_services
    from fieldwork.services import visits as visit_services

    category = Category.objects.order_by("pk").first()
    keep = days.refresh
    results = {}
    try:
        with transaction.atomic():
            for label, refresh in (("with day rows", keep), ("without day rows", lambda *args: None)):
                days.refresh = refresh
                times = []
                for index in range(10):
                    started = time.perf_counter()
                    visit_services.visit_record(
                        by=user,
                        unit=team,
                        date=timezone.localdate() - datetime.timedelta(days=index),
                        form=Visit.Form.SYMPOSIUM,
                        people_reached=3,
                        concerns=[concern_services.ConcernInput(title="benchmark", category=category)],
                        confirmation_note="benchmark",  # up to 20 days back: a back-dated visit
                    )
                    times.append((time.perf_counter() - started) * 1000)
                results[label] = round(statistics.median(times), 1)
            raise _RollBack
    except _RollBack:
        pass
    finally:
        days.refresh = keep
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="fw_days10k")
    parser.add_argument("--large", default="fw_bench_days")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--no-upkeep", action="store_true", help="Leave out the upkeep measure (no writes).")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_here(args.requests, not args.no_upkeep)
        return 0
    small = measure(args.small, args.requests, not args.no_upkeep)
    large = measure(args.large, args.requests, not args.no_upkeep)
    print(f"{'page · period':<34} {'10k ms':>9} {'1M ms':>9} {'ratio':>6} {'queries':>9}")
    for name, page in small["pages"].items():
        big = large["pages"][name]
        ratio = big["median_ms"] / page["median_ms"] if page["median_ms"] else float("nan")
        print(
            f"{name:<34} {page['median_ms']:>9.1f} {big['median_ms']:>9.1f} {ratio:>6.1f}"
            f" {page['queries']:>4}/{big['queries']:<4}"
        )
    for label, result in (("10k", small), ("1M", large)):
        if "upkeep" in result:
            print(f"upkeep at {label}: visit with a concern at a team, median ms: {result['upkeep']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
