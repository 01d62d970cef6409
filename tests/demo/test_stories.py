"""Each concern's events tell its story, consistent with its row, its callbacks and its due dates."""

import datetime
import re
import zoneinfo
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from fieldwork import scope, workdays
from fieldwork.demo import texts
from fieldwork.models import (
    Concern,
    ConcernEvent,
    Feedback,
    FollowUpAction,
    Visit,
)
from fieldwork.services.callbacks import reopened_note

from .conftest import TODAY

User = get_user_model()

STATUS_EVENTS = {
    ConcernEvent.Kind.UNREACHABLE,
    ConcernEvent.Kind.NO_ANSWER,
    ConcernEvent.Kind.RAISED,
    ConcernEvent.Kind.STARTED,
    ConcernEvent.Kind.RESOLVED,
    ConcernEvent.Kind.REOPENED,
    ConcernEvent.Kind.CLOSED,
    ConcernEvent.Kind.WITHDRAWN,
}


def _status_events(concern_events):
    return [e for e in concern_events if e.kind in STATUS_EVENTS]


def test_events_tell_each_concerns_story(small_scaled):
    now = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    due_days = settings.FIELDWORK["DUE_DAYS"]
    events: dict[int, list[ConcernEvent]] = {}
    for event in ConcernEvent.objects.order_by("created_at", "id"):
        events.setdefault(event.concern_id, []).append(event)
    feedback: dict[int, list[Feedback]] = {}
    for item in Feedback.objects.order_by("created_at", "id"):
        feedback.setdefault(item.concern_id, []).append(item)

    concerns = list(Concern.objects.select_related("unit"))
    for concern in concerns:
        story = events[concern.pk]
        assert story[0].kind == ConcernEvent.Kind.RAISED and story[0].created_at == concern.raised_at
        assert all(e.created_at <= now for e in story)
        status = Concern.Status.OPEN
        for event in _status_events(story)[1:]:
            assert event.from_status == status, concern.reference
            status = event.to_status
        assert status == concern.status, concern.reference
        starts = [e for e in story if e.kind == ConcernEvent.Kind.STARTED]
        assert concern.taken_up_at == (starts[0].created_at if starts else None)
        resolves = [e for e in story if e.kind == ConcernEvent.Kind.RESOLVED]
        if concern.status in Concern.DONE_STATUSES:
            assert concern.resolution and concern.resolved_at == resolves[-1].created_at
        else:
            assert concern.resolved_at is None
        finals = (ConcernEvent.Kind.CLOSED, ConcernEvent.Kind.UNREACHABLE, ConcernEvent.Kind.NO_ANSWER)
        closes = [e for e in story if e.kind in finals]
        assert concern.closed_at == (closes[0].created_at if closes else None)
        callbacks = feedback.get(concern.pk, [])
        assert len(callbacks) == len([e for e in story if e.kind == ConcernEvent.Kind.CALLBACK])
        dissatisfied = [f for f in callbacks if f.satisfaction == Feedback.Satisfaction.DISSATISFIED]
        assert concern.reopen_count == len(dissatisfied)
        assert concern.reopen_count == len([e for e in story if e.kind == ConcernEvent.Kind.REOPENED])
        if concern.status == Concern.Status.CLOSED:
            assert callbacks[-1].satisfaction in (Feedback.Satisfaction.SATISFIED, Feedback.Satisfaction.BASICALLY)
        for item in callbacks:
            assert item.recorded_by_id != concern.owner_id
            assert (item.recorded_by_id is None) == (item.channel == Feedback.Channel.SELF_SERVICE)
        if concern.status == Concern.Status.WITHDRAWN:
            withdrawn = story[-1] if story[-1].kind == ConcernEvent.Kind.WITHDRAWN else None
            withdrawn = withdrawn or next(e for e in story if e.kind == ConcernEvent.Kind.WITHDRAWN)
            assert withdrawn.note and scope.is_leader_of(withdrawn.actor, concern.unit)
        # Due dates in working days of the calendar, as concern_services.default_due_date counts them: on
        # raising, and on reopening from the day of the callback; an approved extension moves it.
        due = workdays.add_working_days(timezone.localtime(concern.raised_at).date(), due_days[concern.priority])
        for event in story:
            if event.kind == ConcernEvent.Kind.CALLBACK:
                called_on = timezone.localtime(event.created_at).date()
            elif event.kind == ConcernEvent.Kind.REOPENED:
                due = workdays.add_working_days(called_on, due_days[concern.priority])
                with translation.override(texts.DEMO_LANGUAGE):
                    assert event.note == reopened_note(due)
            elif event.kind == ConcernEvent.Kind.EXTENSION_APPROVED:
                old, new = re.match(r"(\S+) → (\S+): ", event.note).groups()
                assert old == due.isoformat(), concern.reference
                due = datetime.date.fromisoformat(new)
        assert concern.due_date == due, concern.reference
        if concern.status in (Concern.Status.IN_PROGRESS, Concern.Status.RESOLVED, Concern.Status.CLOSED):
            assert concern.owner_id is not None
    statuses = Counter(c.status for c in concerns)
    assert statuses[Concern.Status.CLOSED] > statuses[Concern.Status.OPEN]


def test_visits_and_actions_are_consistent(small_scaled):
    for visit in Visit.objects.prefetch_related("cadres"):
        assert visit.date <= TODAY and visit.people_reached >= 1
        cadres = {u.pk for u in visit.cadres.all()}
        assert visit.author_id in cadres
        assert scope.is_member_of(visit.author, visit.unit)
    for action in FollowUpAction.objects.select_related("concern"):
        assert action.created_at >= action.concern.raised_at
        assert bool(action.outcome) == (action.done_at is not None)
        if action.concern.resolved_at and action.done_at:
            assert action.done_at <= action.concern.resolved_at
