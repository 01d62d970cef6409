"""seed_demo's options: --if-empty, --months, and a second load refused."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from fieldwork.models import (
    Visit,
)

from .conftest import TODAY, TODAY_ARG, run_seed

User = get_user_model()


def test_if_empty_loads_an_empty_database(db):
    out = run_seed("--if-empty", "--visits", "30", "--today", TODAY_ARG)
    assert Visit.objects.count() == 30
    assert "leader_bdyx" in out


def test_without_if_empty_a_second_load_is_refused(default_demo):
    with pytest.raises(CommandError, match="empty"):
        run_seed("--visits", "10")


def test_bad_months_are_refused(db):
    with pytest.raises(CommandError, match="months"):
        run_seed("--months", "0")


def test_months_spread_the_visits(db):
    run_seed("--visits", "60", "--months", "2", "--today", TODAY_ARG)
    first = Visit.objects.order_by("date").first().date
    assert first >= TODAY - datetime.timedelta(days=62)
