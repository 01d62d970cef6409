"""What the dashboard page tests share: visits and concerns recorded through the services, supervision and
extensions, the dashboard's address."""

import datetime

from django.urls import reverse

from fieldwork import ladder, workdays
from fieldwork.models import Concern, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services
from tests.factories import category


def recorded_visit(by, unit, day, people=3, principles=()):
    return visit_services.visit_record(
        by=by,
        unit=unit,
        date=day,
        form=Visit.Form.SYMPOSIUM,
        people_reached=people,
        principles=list(principles),
        summary="Canteen",
        confirmation_note="Back-dated on purpose: the test's story",
    )


def raised_concern(by, unit, title="Canteen", cat="safety"):
    return concern_services.concern_raise(
        by=by, unit=unit, data=concern_services.ConcernInput(title=title, category=category(cat))
    )


def url(unit, **query):
    base = reverse("fieldwork:unit-dashboard", args=[unit.pk])
    if not query:
        return base
    return base + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def body(response) -> str:
    """The dashboard itself, without the page's frame (whose CSRF token differs on every request)."""
    html = response.content.decode()
    return html[html.index('<div class="dashboard">') : html.index("</main>")]


def put_under_supervision(concern, due: datetime.date) -> None:
    """Overdue since `due`, chased the next working day and supervised three working days later."""
    Concern.objects.filter(pk=concern.pk).update(due_date=due)
    chased = workdays.next_working_day(due)
    for day in (chased, workdays.add_working_days(chased, 3)):
        ladder.concern_ladder_advance(concern=concern, today=day)
    concern.refresh_from_db()
    assert concern.supervised_at is not None


def extension_decided(concern, *, owner, leader, approve: bool) -> None:
    request = extension_services.extension_request(
        concern=concern, by=owner, requested_due_date=concern.due_date + datetime.timedelta(days=15), reason="Parts"
    )
    concern.refresh_from_db()
    extension_services.extension_decide(request=request, by=leader, approve=approve, note="No", version=concern.version)


def titles(html: str) -> set[str]:
    names = ("Supervised in July", "Supervised in June", "Extended in August", "Refused in August", "Neither")
    return {name for name in names if name in html}
