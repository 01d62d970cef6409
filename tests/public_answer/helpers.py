"""What the public answer tests share: a concern raised through the public channel (with or without a
contact) or not, resolved by a leader of its unit; a day's run of send_reminders as the worker runs it."""

import datetime
import io

from django.core.management import call_command

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services import public as public_services
from tests.factories import category

D = datetime.date
CONTACT = "13900001111"


def public_concern(unit, *, contact: str = CONTACT) -> tuple[Concern, str]:
    """A concern raised on the public form, with its receipt code; named with a contact, or anonymous."""
    if contact:
        return public_services.public_concern_raise(
            unit=unit,
            category=category(),
            description="The stairs are icy.",
            anonymous=False,
            name="刘师傅",
            contact=contact,
        )
    return public_services.public_concern_raise(unit=unit, category=category(), description="The stairs are icy.")


def staff_concern(unit, owner) -> Concern:
    return concern_services.concern_create(
        unit=unit,
        data=concern_services.ConcernInput(title="Fence broken", category=category(), raised_by_contact=CONTACT),
        by=owner,
        owner=owner,
    )


def resolve(concern: Concern, by) -> Concern:
    """Take the concern up (if open) and resolve it, as `by` (its owner, or a leader who becomes it)."""
    concern.refresh_from_db()
    if concern.status != Concern.Status.IN_PROGRESS:
        concern_services.concern_start(concern=concern, by=by, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=by, version=concern.version, resolution="Salt spread.")
    concern.refresh_from_db()
    return concern


def run(clock, day: datetime.date) -> str:
    """send_reminders as the worker runs it at 07:30 on `day`."""
    clock.on(day, hour=7, minute=30)
    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), verbosity=2, stdout=out)
    return out.getvalue()
