"""What the callback figure tests share: the steps of a concern's callback life made through the real
services (`resolve` then sets the queue day and deadline a concern of another kind would get, so one
internal concern stands for each kind: tests/public_answer holds the services to those days), and
each figure counted independently from the raw tables (Concern, Feedback) by its definition."""

import datetime

from django.utils import timezone

from fieldwork import rollups
from fieldwork.dashboard import dashboard_figures
from fieldwork.models import CallbackAttempt, Concern, Feedback, Unit
from fieldwork.periods import Period
from fieldwork.rollups import days
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services

DONE = {"resolved", "closed", "unreachable", "no_answer"}  # written out: not read from the code under test
SATISFIED = {"satisfied", "basically"}


def local(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


# --- the steps, through the services ---------------------------------------------------------------


@rollups.in_step
def resolve(by, concern: Concern, *, contact: bool = True, joins_in: int = 0) -> Concern:
    """Resolve; the concern joins the callback queue on the day resolved (or `joins_in` days later, as a
    public concern with a contact whose own window closes then), its deadline counted from that day;
    without a contact (public channel) it never joins. One transaction, the upkeep at its end."""
    concern.refresh_from_db()
    concern_services.concern_resolve(concern=concern, by=by, version=concern.version, resolution="Done")
    today = timezone.localdate()
    if contact:
        joins = today + datetime.timedelta(days=joins_in)
        due = concern_services.callback_due_date(resolved_on=joins)
        Concern.objects.filter(pk=concern.pk).update(callback_from=joins, callback_due=due)
    else:
        Concern.objects.filter(pk=concern.pk).update(callback_from=None)
    concern.refresh_from_db()
    return concern


@rollups.in_step
def call_back(by, concern: Concern, satisfaction: str, *, days_ago: int = 0) -> Feedback:
    """Record a callback; it carries the concern's callback deadline as it stood (Feedback.due_date)."""
    concern.refresh_from_db()
    deadline = concern.callback_due
    feedback = callback_services.feedback_record(
        concern=concern,
        by=by,
        version=concern.version,
        satisfaction=satisfaction,
        channel=Feedback.Channel.PHONE,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    Feedback.objects.filter(pk=feedback.pk).update(due_date=deadline)
    concern.refresh_from_db()
    return feedback


def close_unreachable(caller, leader, concern: Concern) -> Concern:
    """Calls that reached nobody on the set number of different days, then a leader closes it."""
    concern.refresh_from_db()
    now = timezone.now()
    for back in range(3):
        CallbackAttempt.objects.create(
            concern=concern, made_by=caller, at=now - datetime.timedelta(days=back), channel=Feedback.Channel.PHONE
        )
    callback_services.concern_close_unreachable(concern=concern, by=leader, version=concern.version, reason="No one")
    concern.refresh_from_db()
    return concern


@rollups.in_step
def close_no_answer(concern: Concern) -> Concern:
    """What the daily run does to a public concern whose person left no contact and never answered: the
    concern is made one (public, no contact, its window over yesterday), then closed by the real service."""
    today = timezone.localdate()
    Concern.objects.filter(pk=concern.pk).update(
        source=Concern.Source.PUBLIC,
        raised_by_contact="",
        callback_from=None,
        callback_due=today - datetime.timedelta(days=1),
    )
    closed = callback_services.concern_close_no_answer(concern=concern, today=today)
    assert closed is not None, concern.reference
    concern.refresh_from_db()
    return concern


def assert_in_step() -> None:
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert rollups.stored_now() == rollups.recount_now()
    assert days.stored() == days.recount()


# --- the figures by their definitions, from the raw tables -----------------------------------------


def reference(unit: Unit, period: Period, today: datetime.date) -> dict:
    """DESIGN's definitions, counted from Concern and Feedback rows over the period's exact days."""
    inside = lambda day: period.first <= day <= period.last  # noqa: E731
    concerns = list(
        Concern.objects.filter(unit__path__startswith=unit.path).values(
            "status",
            "raised_at",
            "resolved_at",
            "closed_at",
            "due_date",
            "solvability",
            "callback_from",
            "callback_due",
        )
    )
    waiting = [c for c in concerns if c["status"] == "resolved" and c["callback_from"] and c["callback_from"] <= today]
    callbacks = list(
        Feedback.objects.filter(concern__unit__path__startswith=unit.path)
        .exclude(concern__status="withdrawn")
        .values_list("date", "due_date", "satisfaction")
    )
    in_p = [(day, due, answer) for day, due, answer in callbacks if inside(day)]
    answering = [(day, due) for day, due, _answer in in_p if due is not None]
    raised = [
        c
        for c in concerns
        if c["status"] != "withdrawn" and c["solvability"] != "policy" and inside(local(c["raised_at"]))
    ]
    resolved = [c for c in concerns if c["status"] in DONE and c["resolved_at"] and inside(local(c["resolved_at"]))]

    def closed_as(status: str) -> int:
        return sum(
            c["status"] == status and c["closed_at"] is not None and inside(local(c["closed_at"])) for c in concerns
        )

    return {
        "awaiting_callback_now": len(waiting),
        "callbacks_overdue_now": sum(c["callback_due"] < today for c in waiting),
        "callbacks_in_time": (sum(day <= due for day, due in answering), len(answering)),
        "unreachable": closed_as("unreachable"),
        "no_answer": closed_as("no_answer"),
        "resolution": (sum(c["status"] in DONE for c in raised), len(raised)),
        "on_time": (sum(local(c["resolved_at"]) <= c["due_date"] for c in resolved), len(resolved)),
        "satisfaction": (sum(answer in SATISFIED for _d, _due, answer in in_p), len(in_p)),
    }


def shown(unit: Unit, period: Period, today: datetime.date) -> dict:
    d = dashboard_figures(unit=unit, period=period, today=today)
    return {
        "awaiting_callback_now": d.awaiting_callback_now,
        "callbacks_overdue_now": d.callbacks_overdue_now,
        "callbacks_in_time": (d.callbacks_in_time.numerator, d.callbacks_in_time.denominator),
        "unreachable": d.unreachable,
        "no_answer": d.no_answer,
        "resolution": (d.resolution.numerator, d.resolution.denominator),
        "on_time": (d.on_time.numerator, d.on_time.denominator),
        "satisfaction": (d.satisfaction.numerator, d.satisfaction.denominator),
    }


PERIODS = [
    Period(datetime.date(2025, 12, 10), datetime.date(2026, 1, 25), "range"),  # cuts two months
    Period(datetime.date(2025, 11, 20), datetime.date(2026, 2, 3), "range"),  # cuts two, holds two
    Period(datetime.date(2026, 1, 5), datetime.date(2026, 1, 21), "range"),  # inside one month
    Period(datetime.date(2026, 1, 21), datetime.date(2026, 3, 31), "range"),  # from today, cuts one
    Period.quarter(2026, 1),  # whole months only
    Period.year(2026),
]


def assert_figures_match(units, today: datetime.date, periods=PERIODS) -> None:
    for unit in units:
        unit.refresh_from_db()
        for period in periods:
            assert shown(unit, period, today) == reference(unit, period, today), (unit.name, period)
