"""The demo's fixtures: seed_demo run through its command, at a fixed last day."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

TODAY = datetime.date(2026, 11, 28)  # a Saturday, as the benchmarks' data
TODAY_ARG = TODAY.isoformat()
FRIDAY = datetime.date(2026, 11, 27)  # a working day: the demo's last run of send_reminders is at 07:30


def run_seed(*args: str) -> str:
    """seed_demo's output (sign-ins and the like; no progress bar, no row counts)."""
    out = io.StringIO()
    call_command("seed_demo", "--quiet", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def default_demo(db):
    return run_seed("--today", TODAY.isoformat())


@pytest.fixture
def small_scaled(db):
    return run_seed("--visits", "200", "--units", "60", "--today", TODAY.isoformat())


@pytest.fixture
def friday_demo(db):
    """The default demo (default sizes) whose last day is a working day."""
    return run_seed("--today", FRIDAY.isoformat())


@pytest.fixture
def development(settings):
    """DEBUG on, as on a developer's machine (pytest-django runs tests with DEBUG off)."""
    settings.DEBUG = True
    return settings


REFERENCE_DATA = {"Principle", "Category", "CalendarDay"}  # seeded by migrations, not by seed_demo


def delete_everything_seeded() -> None:
    """Empty every table seed_demo fills or that follows from it (rollups), as `flush` would, but
    keep the data the migrations seeded. Foreign keys are deferred: the order does not matter."""
    tables = [get_user_model()._meta.db_table]
    for model in apps.get_app_config("fieldwork").get_models(include_auto_created=True):
        if model.__name__ not in REFERENCE_DATA:
            tables.append(model._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
