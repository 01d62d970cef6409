"""Time the contact-point reads (issue 21) on a seeded database: the dashboard figure, the list behind
it and 我的工作's section, and the whole list page, each with its query count; best of 5, wall and CPU.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_contact_points.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from fieldwork import contact_points  # noqa: E402
from fieldwork.models import ContactPoint, Unit, Visit  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


def best(label, work, runs=5):
    walls, cpus, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = len(captured)
    print(f"{label:58s} {min(walls) * 1000:8.1f} ms wall {min(cpus) * 1000:8.1f} ms CPU {queries:3d} queries")


def main():
    today = timezone.localdate()
    root = Unit.objects.get(parent__isnull=True)
    branch = Unit.objects.filter(depth=1).order_by("pk").first()
    point = ContactPoint.objects.order_by("pk").first()
    print(
        f"visits {Visit.objects.count():,}, units {Unit.objects.count():,}, contact points "
        f"{ContactPoint.objects.count():,}, unvisited under the root today "
        f"{contact_points.unvisited_count(unit=root, today=today):,}"
    )
    best("figure: unvisited count, root", lambda: contact_points.unvisited_count(unit=root, today=today))
    best("figure: unvisited count, first branch", lambda: contact_points.unvisited_count(unit=branch, today=today))
    best(
        "list: unvisited, root, first page",
        lambda: contact_points.listing(unit=root, today=today, unvisited=True, after=None, size=25),
    )
    best(
        "list: all current, root, first page",
        lambda: contact_points.listing(unit=root, today=today, unvisited=False, after=None, size=25),
    )
    best("my work rows of a cadre", lambda: contact_points.my_work_rows(user=point.cadre, today=today))
    client = Client()
    client.force_login(point.assigned_by)
    url = reverse("fieldwork:unit-contact-points", args=[point.unit.parent_id]) + "?overdue=1"
    client.get(url)
    best(f"page {url} (as its leader)", lambda: client.get(url))
    best("refresh_all (every contact point)", contact_points.refresh_all, runs=1)


if __name__ == "__main__":
    main()
