"""What the contact-point tests share: their day (Tuesday 1 December 2026), a visit logged through the
service, and a contact point assigned through the service."""

import datetime

from fieldwork.models import Visit
from fieldwork.services import contact_points as services
from fieldwork.services import visits as visit_services

TODAY = datetime.date(2026, 12, 1)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def visit(by, unit, *, on: datetime.date, cadres=()) -> Visit:
    """A visit logged through the service on `on` (a late one with its reason confirmed)."""
    return visit_services.visit_record(
        by=by,
        unit=unit,
        date=on,
        form=Visit.Form.ON_SITE_SURVEY,
        people_reached=3,
        summary="Heard about the night shifts.",
        cadres=cadres,
        confirmation_note="Logged after the trip.",
    )


def assign(by, cadre, unit, *, start: datetime.date, interval_days: int = 30, end=None):
    return services.contact_point_assign(
        by=by, cadre=cadre, unit=unit, start=start, end=end, interval_days=interval_days
    )
