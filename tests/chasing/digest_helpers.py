"""What the digest tests share: their day (Monday 15 June 2026), running send_reminders, the outbox."""

import datetime
import io

from django.core import mail
from django.core.management import call_command

TODAY = datetime.date(2026, 6, 15)
DONE_AT = datetime.datetime(2026, 6, 12, 9, 0, tzinfo=datetime.UTC)


def on(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def run(*args: str, verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def outbox_for(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]
