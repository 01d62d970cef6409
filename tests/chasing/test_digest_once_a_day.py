"""A digest goes once a day: a second run sends nothing, a failed send is retried, one claimed by another
run is not sent twice."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from fieldwork.models import ReminderLog
from tests.chasing.digest_helpers import TODAY, on, outbox_for, run


def test_a_second_run_the_same_day_sends_nothing(work):
    run()
    sent = len(mail.outbox)

    out = run(verbosity=2)

    assert len(mail.outbox) == sent
    assert "Sent 0 owner digest(s) and 0 leader digest(s)" in out
    assert "already sent on 2026-06-15" in out
    assert ReminderLog.objects.count() == sent


def test_the_next_day_sends_again(work, cadre_a):
    run()
    out = io.StringIO()
    call_command("send_reminders", "--today", on(1).isoformat(), stdout=out)

    assert len(outbox_for(cadre_a.email)) == 2


def test_a_failed_send_is_not_recorded_and_is_retried(work, cadre_a, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if self.to == [cadre_a.email]:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(CommandError, match="1 digest"):
        run()
    assert not ReminderLog.objects.filter(user=cadre_a).exists()

    monkeypatch.setattr(EmailMessage, "send", real_send)
    run()
    assert len(outbox_for(cadre_a.email)) == 1


def test_a_digest_claimed_by_another_run_is_not_sent_twice(work, cadre_a, monkeypatch):
    """Two runs at once: the other run inserted its log row after this run read the log."""
    from fieldwork.management.commands import send_reminders

    real = send_reminders.Command._digest

    def claimed_meanwhile(self, user, kind):
        if user == cadre_a and kind == ReminderLog.Kind.OWNER:
            ReminderLog.objects.create(user=user, kind=kind, sent_on=TODAY)
        return real(self, user, kind)

    monkeypatch.setattr(send_reminders.Command, "_digest", claimed_meanwhile)

    out = run(verbosity=2)

    assert outbox_for(cadre_a.email) == []
    assert "owner digest sent by another run" in out
