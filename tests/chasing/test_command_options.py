"""send_reminders' options: a dry run, verbosity, bad arguments refused, a cron line in its help."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from fieldwork.models import ReminderLog
from tests.chasing.digest_helpers import run


def test_dry_run_sends_and_records_nothing(work, cadre_a):
    out = run("--dry-run", verbosity=2)

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert f"{cadre_a.email}: Fieldwork: 3 items of yours are overdue or due soon" in out
    assert work["late"].reference in out  # the body, at verbosity 2
    assert "Would send 2 owner digest(s) and 1 leader digest(s)" in out


def test_dry_run_at_verbosity_1_prints_only_subjects(work, cadre_a):
    out = run("--dry-run")

    assert f"{cadre_a.email}: Fieldwork:" in out
    assert work["late"].reference not in out


def test_silent_at_verbosity_0(work):
    assert run(verbosity=0) == ""
    assert mail.outbox


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "15/06/2026")
    with pytest.raises(CommandError):
        call_command("send_reminders", "--days", "-1")


def test_help_has_a_cron_line():
    from fieldwork.management.commands.send_reminders import Command

    # every day: the command itself knows which days are worked (make-up Saturdays are)
    assert "30 7 * * * cd /srv/fieldwork && .venv/bin/python manage.py send_reminders" in Command.help
    assert "--even-on-holidays" in Command.help
