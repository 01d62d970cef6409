"""What the ladder tests share: the due date on the eve of National Day, running send_reminders as cron
does, the rungs a concern climbed and the mail they sent."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from fieldwork import ladder as chasing_ladder  # the name `ladder` is this file's helper
from fieldwork.models import Concern, ConcernEvent
from tests.factories import ConcernFactory

D = datetime.date
K = ConcernEvent.Kind
DUE = D(2026, 9, 30)  # Wednesday, the eve of National Day (1–7 October; Saturday 10th is worked)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def run(clock, day: datetime.date, *args: str) -> str:
    """send_reminders as cron runs it at 07:30 on `day`."""
    clock.on(day, hour=7, minute=30)
    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), *args, verbosity=2, stdout=out)
    return out.getvalue()


def ladder(concern) -> list[tuple[str, datetime.date]]:
    events = concern.events.filter(kind__in=chasing_ladder.LADDER_KINDS).order_by("created_at", "id")
    return [(event.kind, timezone.localtime(event.created_at).date()) for event in events]


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def owned(unit, owner, due=DUE, **kwargs) -> Concern:
    return ConcernFactory(unit=unit, owner=owner, due_date=due, **kwargs)


def supervise(concern, when=datetime.datetime(2026, 10, 12, 7, 30, tzinfo=SHANGHAI)):
    Concern.objects.filter(pk=concern.pk).update(supervised_at=when)
    concern.supervised_at = when
    return concern
