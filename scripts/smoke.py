"""Smoke test of a fresh install: migrate an empty database, load the demo, open the main pages.

Run as `python scripts/smoke.py` with DATABASE_URL pointing at an EMPTY database (CI uses a temporary
SQLite file). Exits non-zero on the first page that does not answer as expected.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from fieldwork.models import Concern, Unit, Visit  # noqa: E402


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    print(
        f"demo data: {Unit.objects.count()} units, {Visit.objects.count()} visits, {Concern.objects.count()} concerns"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    failures = 0
    for path, expected in [("/healthz", 200), ("/accounts/login/", 200), ("/", 302)]:
        failures += check(client, path, expected)
    users = get_user_model().objects.filter(memberships__isnull=False).distinct().order_by("username")[:3]
    visit = Visit.objects.order_by("-id").first()
    concern = Concern.objects.order_by("-id").first()
    for user in users:
        client.force_login(user)
        for path in ["/", "/visits/", "/visits/new/", "/units/search/?q=a"]:
            failures += check(client, path, 200)
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    for path in ["/", "/visits/", "/admin/", visit.get_absolute_url(), concern.get_absolute_url()]:
        failures += check(client, path, 200)
    print("smoke: " + ("FAILED" if failures else "all pages answered"))
    return 1 if failures else 0


def check(client: Client, path: str, expected: int) -> int:
    status = client.get(path).status_code
    print(f"  {status} {path}")
    return 0 if status == expected else 1


if __name__ == "__main__":
    sys.exit(main())
