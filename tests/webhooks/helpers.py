"""What the group robot tests share: a late concern with the raiser's name and contact, a day's run of
send_reminders as the worker runs it, and sending what it made."""

import datetime
import io

from django.core.management import call_command

from fieldwork import webhooks
from fieldwork.models import Concern, ConcernEvent, WebhookDelivery
from fieldwork.services import concerns as concern_services
from tests.factories import category

D = datetime.date
TODAY = D(2026, 12, 1)  # a Tuesday
RAISER = "刘师傅"
CONTACT = "13900001111"
DUE = D(2026, 11, 27)  # a Friday: past due, so the day's run writes its 催办
TITLE = "Switch room lights flicker"


def late_concern(unit, owner, *, due=DUE, chased_on=None) -> Concern:
    """A concern raised with the raiser's name and contact, due `due`; chased on `chased_on` if given
    (so that today's rung is 督办)."""
    concern = concern_services.concern_create(
        unit=unit,
        data=concern_services.ConcernInput(
            title=TITLE, category=category(), raised_by_name=RAISER, raised_by_contact=CONTACT
        ),
        by=owner,
        owner=owner,
    )
    Concern.objects.filter(pk=concern.pk).update(due_date=due)
    if chased_on:
        event = ConcernEvent.objects.create(concern=concern, kind=ConcernEvent.Kind.CHASED)
        moment = datetime.datetime.combine(chased_on, datetime.time(7, 30), tzinfo=datetime.UTC)
        ConcernEvent.objects.filter(pk=event.pk).update(created_at=moment)
    concern.refresh_from_db()
    return concern


def run_day(clock, day=TODAY) -> str:
    clock.on(day, hour=7, minute=30)
    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), verbosity=2, stdout=out)
    return out.getvalue()


def send_due() -> list[str]:
    """What the worker would do now: each message waiting and due, sent once."""
    return [
        webhooks.delivery_send(delivery_id=pk)
        for pk in WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)
    ]
