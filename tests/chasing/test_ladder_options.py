"""The ladder's settings and its dry run; candidates read in a fixed number of queries."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork import ladder as chasing_ladder  # the name `ladder` is this file's helper
from fieldwork import workdays
from tests.chasing.ladder_helpers import D, K, ladder, owned, run

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)


def test_settings_move_the_rungs(clock, settings, team_a, cadre_a, leader_branch):
    settings.FIELDWORK = {
        **settings.FIELDWORK,
        "REMIND_BEFORE_WORKING_DAYS": 0,
        "SUPERVISE_AFTER_WORKING_DAYS": 1,
        "NOTICE_AFTER_WORKING_DAYS": 1,
    }
    concern = owned(team_a, cadre_a)
    for day in (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)):
        run(clock, day)
    assert ladder(concern) == [
        (K.REMINDED, D(2026, 9, 30)),
        (K.CHASED, D(2026, 10, 8)),
        (K.SUPERVISED, D(2026, 10, 9)),
        (K.NOTICE, D(2026, 10, 10)),
    ]


def test_dry_run_writes_nothing(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    out = run(clock, D(2026, 10, 8), "--dry-run")
    assert "Would write ladder events for 2026-10-08: 0 reminded, 1 chased, 0 supervised, 0 notice." in out
    assert ladder(concern) == [] and mail.outbox == []
    out = run(clock, D(2026, 10, 8))
    assert "Wrote ladder events for 2026-10-08: 0 reminded, 1 chased, 0 supervised, 0 notice." in out


def test_candidates_are_read_in_a_fixed_number_of_queries(team_a, cadre_a, django_assert_num_queries):
    for n in range(5):
        owned(team_a, cadre_a, due=D(2026, 9, 20 + n))

    def count() -> int:
        workdays.clear_cache()  # each run of the command reads the calendar once
        with CaptureQueriesContext(connection) as queries:
            list(chasing_ladder.concerns_due_a_rung(today=D(2026, 10, 8)))
        return len(queries)

    small = count()
    for n in range(30):
        owned(team_a, cadre_a, due=D(2026, 8, 1) + datetime.timedelta(days=n))
    assert count() == small <= 4
