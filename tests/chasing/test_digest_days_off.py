"""Cron runs send_reminders every day, the calendar decides: no digest on a day off, digests on a
make-up working day."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from fieldwork import workdays
from fieldwork.models import ReminderLog
from tests.chasing.digest_helpers import outbox_for

NATIONAL_DAY = datetime.date(2026, 10, 2)  # Friday, a public holiday
MAKE_UP_SATURDAY = datetime.date(2026, 10, 10)  # worked instead (调休) after the National Day week
PLAIN_SATURDAY = datetime.date(2026, 10, 17)


def run_as_cron(*args: str, verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("day", [NATIONAL_DAY, PLAIN_SATURDAY])
def test_no_digest_on_a_day_off(work, clock, day):
    clock.on(day, hour=7, minute=30)  # the command runs without --today, as cron runs it

    out = run_as_cron()

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert f"{day} is not a working day: no digests sent (--even-on-holidays sends them on such a day)." in out
    assert f"{day} is not a working day: no reminders, chases or notices." in out


def test_dry_run_on_a_holiday_says_nothing_would_be_sent(work, clock):
    clock.on(NATIONAL_DAY, hour=7, minute=30)

    out = run_as_cron("--dry-run", verbosity=2)

    assert mail.outbox == []
    assert f"{NATIONAL_DAY} is not a working day: no digests would be sent" in out
    assert "Would send" not in out


def test_even_on_holidays_sends_the_digests_but_climbs_no_rung(work, cadre_a, clock):
    clock.on(NATIONAL_DAY, hour=7, minute=30)

    out = run_as_cron("--even-on-holidays")

    (message,) = outbox_for(cadre_a.email)
    assert work["late"].reference in message.body
    assert f"Sent 2 owner digest(s) and 1 leader digest(s) for {NATIONAL_DAY}." in out
    assert f"{NATIONAL_DAY} is not a working day: no reminders, chases or notices." in out
    assert not work["late"].events.filter(kind__in=["reminded", "chased", "supervised", "notice"]).exists()
    assert set(ReminderLog.objects.values_list("sent_on", flat=True)) == {NATIONAL_DAY}


def test_a_make_up_working_day_sends_the_digests(work, cadre_a, leader_branch, clock):
    assert MAKE_UP_SATURDAY.weekday() == 5 and workdays.is_working_day(MAKE_UP_SATURDAY)
    clock.on(MAKE_UP_SATURDAY, hour=7, minute=30)

    out = run_as_cron()

    assert len(outbox_for(cadre_a.email)) == 1 and len(outbox_for(leader_branch.email)) == 1
    assert f"Sent 2 owner digest(s) and 1 leader digest(s) for {MAKE_UP_SATURDAY}." in out
    assert "not a working day" not in out
    assert work["late"].events.filter(kind="chased").exists()  # the ladder climbs that day too
