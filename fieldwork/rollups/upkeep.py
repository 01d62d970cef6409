"""When the rollups are kept in step: `@in_step` services refresh once at their end, signal
receivers refresh at once, `suspended()` skips upkeep for a bulk load."""

from __future__ import annotations

import datetime
import functools
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .. import contact_points
from ..models import Category, Concern, ConcernEvent, ExtensionRequest, Feedback, Principle, Unit, Visit
from . import days
from .counting import (
    CALLBACKS,
    CONCERN_PARTS,
    CONCERN_TAGS,
    CONCERNS,
    FINAL,
    NOW,
    RAISED,
    RESOLVED,
    SUPERVISION,
    VISITS,
    local_date,
    month_of,
)
from .store import (
    lock,
    move_subtree,
    refresh,
    stamp_renew,
)

# --- when upkeep runs ---------------------------------------------------------------------------


class _State(threading.local):
    def __init__(self) -> None:
        self.pending: dict[int, tuple[set[datetime.date], set[str]]] | None = None
        # concern id → the events written for it in this service, (kind, time), counted at its end
        self.events: dict[int, set[tuple[str, datetime.datetime]]] = {}
        # concern id → the units it was transferred away from in this service (concern_moved)
        self.moved: dict[int, set[int]] = {}
        self.suspended = 0


_state = _State()

Service = TypeVar("Service", bound=Callable[..., Any])


def in_step(func: Service) -> Service:
    """Run a service in a transaction and refresh the rollups it touched once, at its end."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _state.pending is not None:  # called from another in_step service: it flushes
            return func(*args, **kwargs)
        with transaction.atomic():
            _state.pending, _state.events, _state.moved = {}, {}, {}
            try:
                result = func(*args, **kwargs)
                _touch_events(_state.events, _state.moved)  # the concerns as the service left them
                pending = _state.pending
            finally:
                _state.pending, _state.events, _state.moved = None, {}, {}
            _flush(pending)
        return result

    return wrapper  # type: ignore[return-value]


@contextmanager
def suspended():
    """Skip upkeep (a bulk load): run `rebuild()` afterwards, or the rollups will be wrong."""
    _state.suspended += 1
    try:
        yield
    finally:
        _state.suspended -= 1


def concern_moved(concern_id: int, *, from_unit_id: int) -> None:
    """Say, inside an `@in_step` service, that a concern leaves this unit (a transfer): at the service's
    end the old unit's figures are recounted along with the new one's, over the same months."""
    if _state.pending is None:
        raise RuntimeError("concern_moved is called inside an @in_step service")
    _state.moved.setdefault(concern_id, set()).add(from_unit_id)


def _flush(pending: dict[int, tuple[set[datetime.date], set[str]]]) -> None:
    if not pending:
        return
    lock()
    for unit_id in sorted(pending):
        months, parts = pending[unit_id]
        refresh(unit_id, months, parts)


def touch(unit_id: int | None, months: Iterable[datetime.date | None], parts: Iterable[str]) -> None:
    """Say that a unit's own rows changed in these months; refresh now or at the service's end."""
    months = {month_of(m) for m in months if m is not None}
    parts = set(parts)
    if _state.suspended or unit_id is None or not (months or NOW in parts):
        return
    if _state.pending is not None:
        known_months, known_parts = _state.pending.setdefault(unit_id, (set(), set()))
        known_months.update(months)
        known_parts.update(parts)
        return
    with transaction.atomic():
        _flush({unit_id: (months, parts)})


# --- signal receivers ---------------------------------------------------------------------------


def _month_of_time(moment: datetime.datetime | None) -> datetime.date | None:
    return month_of(local_date(moment)) if moment is not None else None


def _feedback_months(concern_id: int) -> set[datetime.date]:
    return {month_of(day) for day in Feedback.objects.filter(concern_id=concern_id).values_list("date", flat=True)}


def _supervision_months(concern: Concern) -> set[datetime.date]:
    """The months a concern counts in for SUPERVISION: when it came under supervision, and when
    each of its extension requests was approved."""
    moments = ExtensionRequest.objects.filter(
        concern_id=concern.pk, status=ExtensionRequest.Status.APPROVED, decided_at__isnull=False
    ).values_list("decided_at", flat=True)
    return {month_of(local_date(moment)) for moment in moments} | {_month_of_time(concern.supervised_at)}


def _resolved_event_months(concern_id: int) -> set[datetime.date]:
    moments = ConcernEvent.objects.filter(concern_id=concern_id, kind=ConcernEvent.Kind.RESOLVED).values_list(
        "created_at", flat=True
    )
    return {month_of(local_date(moment)) for moment in moments}


def _visit_pre_save(sender, instance: Visit, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = Visit.objects.filter(pk=instance.pk).values_list("unit_id", "date").first()


def _visit_saved(sender, instance: Visit, raw: bool = False, **kwargs) -> None:
    if raw:  # loading a fixture or an import: rebuild afterwards
        return
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    if before and (before[0] != instance.unit_id or month_of(before[1]) != month_of(instance.date)):
        touch(before[0], [before[1]], {VISITS})
    touch(instance.unit_id, [instance.date], {VISITS})


def _visit_deleted(sender, instance: Visit, **kwargs) -> None:
    touch(instance.unit_id, [instance.date], {VISITS})


def _visit_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if _state.suspended:
        return
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            touch(instance.unit_id, [instance.date], {VISITS})
        return
    if action == "pre_clear":
        instance._rollups_cleared = list(Visit.objects.filter(principles=instance).values_list("unit_id", "date"))
    elif action in ("post_add", "post_remove", "post_clear"):
        if action == "post_clear":
            rows = getattr(instance, "_rollups_cleared", [])
        else:
            rows = Visit.objects.filter(pk__in=pk_set or []).values_list("unit_id", "date")
        for unit_id, date in rows:
            touch(unit_id, [date], {VISITS})


def _concern_pre_save(sender, instance: Concern, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = (
        Concern.objects.filter(pk=instance.pk)
        .values_list("unit_id", "raised_at", "resolved_at", "supervised_at", "closed_at")
        .first()
    )


def _concern_saved(sender, instance: Concern, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended:
        return
    months = {
        _month_of_time(instance.raised_at),
        _month_of_time(instance.resolved_at),
        _month_of_time(instance.closed_at),
    }
    parts = CONCERN_PARTS
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    if not created:  # a new concern is neither supervised nor extended yet
        months |= _feedback_months(instance.pk) | _supervision_months(instance)
        parts = CONCERN_PARTS | {SUPERVISION}
    if before:
        old_months = months | {_month_of_time(moment) for moment in before[1:]}
        months = old_months
        if before[0] != instance.unit_id:
            touch(before[0], old_months, parts)
    touch(instance.unit_id, months, parts)


def _concern_deleted(sender, instance: Concern, **kwargs) -> None:
    months = [
        _month_of_time(instance.raised_at),
        _month_of_time(instance.resolved_at),
        _month_of_time(instance.closed_at),
    ]
    touch(instance.unit_id, [*months, _month_of_time(instance.supervised_at)], CONCERN_PARTS | {SUPERVISION})


def _concern_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if _state.suspended or action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            touch(instance.unit_id, [_month_of_time(instance.raised_at)], {CONCERN_TAGS})
        return
    if action == "pre_clear":
        instance._rollups_cleared = list(
            Concern.objects.filter(principles=instance).values_list("unit_id", "raised_at")
        )
        return
    if action == "post_clear":
        rows = getattr(instance, "_rollups_cleared", [])
    else:
        rows = Concern.objects.filter(pk__in=pk_set or []).values_list("unit_id", "raised_at")
    for unit_id, raised_at in rows:
        touch(unit_id, [_month_of_time(raised_at)], {CONCERN_TAGS})


# The events after which a concern's counted figures may differ, and which parts they touch.
_EVENT_PARTS = {
    ConcernEvent.Kind.STARTED: frozenset({RAISED, NOW}),  # taken up: the response counters, no longer waiting
    ConcernEvent.Kind.ASSESSED: frozenset({RAISED}),  # policy-limited or not
    ConcernEvent.Kind.RESOLVED: frozenset({RAISED, RESOLVED, NOW}),
    ConcernEvent.Kind.REOPENED: frozenset({RAISED, RESOLVED, NOW}),  # its callback counts by itself
    ConcernEvent.Kind.CLOSED: frozenset({NOW}),  # a satisfied callback: no longer awaiting one (counts by itself)
    # final states apart from closed: counted by the day closed, out of the callback queue
    ConcernEvent.Kind.UNREACHABLE: frozenset({FINAL, NOW}),
    ConcernEvent.Kind.NO_ANSWER: frozenset({FINAL, NOW}),
    ConcernEvent.Kind.WITHDRAWN: CONCERN_PARTS | {SUPERVISION},  # out of every figure, callbacks included
    ConcernEvent.Kind.EDITED: CONCERN_PARTS | {SUPERVISION},
    ConcernEvent.Kind.TRANSFERRED: CONCERN_PARTS | {SUPERVISION},  # all of it, in the old unit and the new
    ConcernEvent.Kind.DUE_CHANGED: frozenset({NOW}),  # overdue now
    ConcernEvent.Kind.EXTENSION_APPROVED: frozenset({NOW, SUPERVISION}),
    ConcernEvent.Kind.SUPERVISED: frozenset({NOW, SUPERVISION}),
}


def _event_saved(sender, instance: ConcernEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """Status changes are written with UPDATE (no Concern post_save); their events say what changed.

    What an event touches is worked out from the concern as it stands once the writing service is
    done (@in_step: at its end), read afresh from the database: a service may write its event
    before or after the rows it describes (the extension request marked approved, supervised_at
    set) and the figures come out the same.
    """
    if raw or _state.suspended or not created or instance.kind not in _EVENT_PARTS:
        return
    events = {instance.concern_id: {(instance.kind, instance.created_at)}}
    if _state.pending is not None:
        _state.events.setdefault(instance.concern_id, set()).update(events[instance.concern_id])
        return
    with transaction.atomic():
        _touch_events(events, {})


def _touch_events(events: dict[int, set[tuple[str, datetime.datetime]]], moved: dict[int, set[int]]) -> None:
    """Touch the months and parts that these concerns' new events changed, from their rows as they are now;
    for a concern that changed unit, in the units it left too."""
    if not events:
        return
    concerns = Concern.objects.in_bulk(sorted(events))
    for concern_id, written in sorted(events.items()):
        concern = concerns.get(concern_id)
        if concern is None:
            continue
        for kind, created_at in sorted(written):
            parts = _EVENT_PARTS[kind]
            months = set()
            if parts & CONCERNS:
                months |= {
                    _month_of_time(concern.raised_at),
                    _month_of_time(concern.resolved_at),
                    _month_of_time(concern.closed_at),  # unreachable, no answer (FINAL)
                }
            whole = (ConcernEvent.Kind.EDITED, ConcernEvent.Kind.TRANSFERRED)
            if kind in (ConcernEvent.Kind.REOPENED, *whole):
                months |= _resolved_event_months(concern.pk)  # the resolution a reopening cancelled
            if kind in (ConcernEvent.Kind.WITHDRAWN, *whole):
                months |= _feedback_months(concern.pk)  # a withdrawn concern's callbacks count nowhere
                months |= _supervision_months(concern)  # nor its supervision and extensions
            elif SUPERVISION in parts:  # supervised or extended now
                months |= {_month_of_time(concern.supervised_at), _month_of_time(created_at)}
            for unit_id in {concern.unit_id} | moved.get(concern_id, set()):
                touch(unit_id, months, parts)


def _feedback_pre_save(sender, instance: Feedback, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = Feedback.objects.filter(pk=instance.pk).values_list("concern__unit_id", "date").first()


def _feedback_saved(sender, instance: Feedback, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    unit_id = instance.concern.unit_id
    if before and (before[0] != unit_id or month_of(before[1]) != month_of(instance.date)):
        touch(before[0], [before[1]], {CALLBACKS})
    touch(unit_id, [instance.date], {CALLBACKS})


def _feedback_deleted(sender, instance: Feedback, **kwargs) -> None:
    touch(instance.concern.unit_id, [instance.date], {CALLBACKS})


def _unit_pre_save(sender, instance: Unit, raw: bool = False, **kwargs) -> None:
    instance._rollups_path = None
    if raw:
        return
    if instance._state.adding or instance.pk is None:
        instance._rollups_new = True
        return
    if instance.__dict__.pop("_rollups_new", False):  # Unit.save's second write of a new unit
        instance._rollups_added = True
        return
    instance._rollups_path = Unit.objects.filter(pk=instance.pk).values_list("path", flat=True).first()


def _label_saved(sender, **kwargs) -> None:
    """A unit's, principle's or category's name or state shows on the dashboards."""
    stamp_renew()


def _unit_saved(sender, instance: Unit, created: bool, **kwargs) -> None:
    stamp_renew()
    old_path, instance._rollups_path = getattr(instance, "_rollups_path", None), None
    if instance.__dict__.pop("_rollups_added", False) and instance.path and not _state.suspended:
        with transaction.atomic():
            lock()
            days.unit_added(instance)
        return
    if created or not old_path or old_path == instance.path or _state.suspended:
        return
    with transaction.atomic():
        lock()
        move_subtree(instance.pk, old_path, instance.path)
        contact_points.unit_moved(old_path, instance.path)


def connect() -> None:
    """Connect the receivers (FieldworkConfig.ready)."""
    receivers = [
        (pre_save, _visit_pre_save, Visit),
        (post_save, _visit_saved, Visit),
        (post_delete, _visit_deleted, Visit),
        (m2m_changed, _visit_tags_changed, Visit.principles.through),
        (pre_save, _concern_pre_save, Concern),
        (post_save, _concern_saved, Concern),
        (post_delete, _concern_deleted, Concern),
        (m2m_changed, _concern_tags_changed, Concern.principles.through),
        (post_save, _event_saved, ConcernEvent),
        (pre_save, _feedback_pre_save, Feedback),
        (post_save, _feedback_saved, Feedback),
        (post_delete, _feedback_deleted, Feedback),
        (pre_save, _unit_pre_save, Unit),
        (post_save, _unit_saved, Unit),
        (post_save, _label_saved, Principle),
        (post_save, _label_saved, Category),
    ]
    for signal, receiver, sender in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=f"rollups.{receiver.__name__}")
