"""The demo follows the same rules: resolved concerns carry callback_from and callback_due as
services.concerns.callback_window sets them, each callback the deadline of its moment, and a few concerns
end as unreachable (with their calls) and a few public ones as no answer (with their event), so that the
dashboard's new lines have something to show."""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from fieldwork.demo.texts import DEMO_LANGUAGE
from fieldwork.models import CallbackAttempt, Concern, ConcernEvent, Feedback
from fieldwork.services.callbacks import no_answer_note
from fieldwork.services.concerns import callback_window

TODAY = datetime.date(2026, 11, 27)  # a Friday


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def test_the_demo_sets_the_callback_window_and_ends_some_as_unreachable_or_no_answer(db):
    call_command("seed_demo", "--quiet", "--today", TODAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())
    concerns = {concern.pk: concern for concern in Concern.objects.all()}
    resolutions: dict[int, list[datetime.datetime]] = {}
    for concern_id, at in ConcernEvent.objects.filter(kind=ConcernEvent.Kind.RESOLVED).values_list(
        "concern_id", "created_at"
    ):
        resolutions.setdefault(concern_id, []).append(at)

    resolved = [c for c in concerns.values() if c.status == Concern.Status.RESOLVED]
    assert resolved
    for concern in resolved:
        window = callback_window(concern=concern, resolved_on=local_day(concern.resolved_at))
        assert (concern.callback_from, concern.callback_due) == window, concern.reference
    assert any(c.callback_from is None for c in resolved)  # public, no contact, still in the person's window
    for concern in concerns.values():
        if concern.status != Concern.Status.RESOLVED:
            assert (concern.callback_from, concern.callback_due) == (None, None), concern.reference

    feedback = list(Feedback.objects.all())
    assert feedback
    for item in feedback:
        concern = concerns[item.concern_id]
        last = max(at for at in resolutions[concern.pk] if at <= item.created_at)
        start, due = callback_window(concern=concern, resolved_on=local_day(last))
        assert item.due_date == due, concern.reference
        if item.recorded_by_id is not None:  # a call: only once the concern is in the queue
            assert start is not None and item.date >= start, concern.reference

    unreachable = [c for c in concerns.values() if c.status == Concern.Status.UNREACHABLE]
    assert len(unreachable) >= 3
    for concern in unreachable:
        days = {local_day(at) for at in CallbackAttempt.objects.filter(concern=concern).values_list("at", flat=True)}
        assert len(days) >= settings.FIELDWORK["CALLBACK_ATTEMPTS"]

    no_answer = [c for c in concerns.values() if c.status == Concern.Status.NO_ANSWER]
    assert len(no_answer) >= 3
    for concern in no_answer:
        assert concern.source == Concern.Source.PUBLIC and not concern.raised_by_contact
        (event,) = concern.events.filter(kind=ConcernEvent.Kind.NO_ANSWER)
        assert event.actor_id is None and event.public and event.created_at == concern.closed_at
        with translation.override(DEMO_LANGUAGE):  # the demo's notes are in its people's language
            assert event.note == no_answer_note(settings.FIELDWORK["PUBLIC_NO_ANSWER_DAYS"])
        _start, due = callback_window(concern=concern, resolved_on=local_day(concern.resolved_at))
        assert local_day(concern.closed_at) == due + datetime.timedelta(days=1)
        assert not concern.feedback.filter(created_at__gte=concern.resolved_at).exists()
