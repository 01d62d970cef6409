"""The rollup rebuild (in SQL on PostgreSQL: fieldwork/rollups/sql.py) writes what the Python rules of
counting.py count (store.recount, recount_now, years_of): on demo data, and after edge cases made on
purpose, for everything and for a subtree. On SQLite rebuild counts in Python: the test holds too."""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from fieldwork import rollups, workdays
from fieldwork.models import CalendarDay, Concern, ExtensionRequest, Feedback, Unit, UnitMonth, UnitNow, UnitYear
from fieldwork.rollups.counting import DONE
from tests.demo.conftest import TODAY, run_seed

ZONE = timezone.get_default_timezone()


def _assert_rebuild_equals_recount():
    monthly = rollups.recount()
    assert monthly, "nothing counted: the test would prove nothing"
    assert rollups.stored() == monthly
    assert rollups.stored_years() == rollups.years_of(monthly)
    assert rollups.stored_now() == rollups.recount_now()


def _at(day: datetime.date, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=ZONE)


def _edge_cases(rng: random.Random) -> None:
    """Bend demo rows (past save(), as a bulk load does) into the cases the rules treat apart."""
    concerns = list(Concern.objects.order_by("pk").values_list("pk", flat=True))
    done = list(Concern.objects.filter(status__in=DONE).order_by("pk").values_list("pk", flat=True))
    picked = rng.sample(concerns, 120)
    resolved = iter(rng.sample(done, 40))
    last_day = datetime.date(2026, 10, 31)  # a month's last day: a second before midnight, local time
    first_day = datetime.date(2026, 11, 1)
    for index, pk in enumerate(picked):
        kind = index % 12
        if kind in (2, 3, 9):  # a resolved concern (it has a resolution), its times bent
            pk = next(resolved)
        query = Concern.objects.filter(pk=pk)
        if kind == 0:  # raised a moment before midnight at a month's end, taken up just after it
            query.update(raised_at=_at(last_day, 23, 59, 59, 999_999), taken_up_at=_at(first_day, 0, 0, 0))
        elif kind == 1:  # raised at midnight sharp on a month's first day (UTC: the day before)
            query.update(raised_at=_at(first_day), taken_up_at=None, status=Concern.Status.OPEN)
        elif kind == 2:  # resolved a moment before a month's end, due that day
            query.update(
                raised_at=_at(datetime.date(2026, 10, 2), 8),
                resolved_at=_at(last_day, 23, 59, 59),
                due_date=last_day,
            )
        elif kind == 3:  # resolved at midnight, the day after it was due; whole days cut at the second
            query.update(
                raised_at=_at(datetime.date(2026, 10, 2), 8, 0, 1),
                resolved_at=_at(first_day),
                due_date=last_day,
            )
        elif kind == 4:  # withdrawn: counted only as withdrawn, its callbacks and extensions not at all
            query.update(status=Concern.Status.WITHDRAWN, supervised_at=_at(first_day, 0, 0, 1))
        elif kind == 5:  # policy-limited, resolved and not
            query.update(solvability=Concern.Solvability.POLICY)
        elif kind == 6:  # reopened by a dissatisfied callback: in progress, its resolution cleared
            query.update(status=Concern.Status.IN_PROGRESS, resolved_at=None, reopen_count=F("reopen_count") + 1)
        elif kind == 7:  # resolved in the records with a stale resolved_at but reopened: not counted resolved
            query.update(status=Concern.Status.IN_PROGRESS, resolved_at=_at(last_day, 12))
        elif kind == 8:  # supervised at a month's edge, open now
            query.update(status=Concern.Status.OPEN, taken_up_at=None, supervised_at=_at(first_day))
        elif kind == 9:  # resolved before it was raised (a clock out of step): zero days, never negative
            query.update(
                raised_at=_at(last_day, 10),
                resolved_at=_at(last_day, 9),
                due_date=last_day,
            )
        elif kind == 10:  # taken up on the last day of its limit, over a holiday (see below)
            query.update(raised_at=_at(datetime.date(2026, 9, 10), 16), taken_up_at=_at(datetime.date(2026, 9, 15), 9))
        else:  # taken up the working day after the last day of its limit
            query.update(raised_at=_at(datetime.date(2026, 9, 10), 16), taken_up_at=_at(datetime.date(2026, 9, 16), 9))
    # A holiday inside the response limit of the concerns raised on Thursday 10 September: the limit
    # (two working days) runs to Tuesday the 15th instead of Monday the 14th.
    CalendarDay.objects.update_or_create(
        date=datetime.date(2026, 9, 11), defaults={"is_working_day": False, "note": "test holiday"}
    )
    workdays.clear_cache()
    assert rollups.response_deadline(datetime.date(2026, 9, 10)) == datetime.date(2026, 9, 15)
    # Extensions approved at a month's edge, one of a withdrawn concern; callbacks at a month's edge.
    requests = list(ExtensionRequest.objects.order_by("pk")[:6])
    assert requests, "the demo made no extension requests"
    for index, request in enumerate(requests):
        ExtensionRequest.objects.filter(pk=request.pk).update(
            status=ExtensionRequest.Status.APPROVED, decided_at=_at(first_day) - datetime.timedelta(microseconds=index)
        )
    Concern.objects.filter(pk=requests[0].concern_id).update(status=Concern.Status.WITHDRAWN)
    Feedback.objects.filter(pk__in=list(Feedback.objects.order_by("pk").values_list("pk", flat=True)[:5])).update(
        date=last_day
    )
    # Issue 18: resolved concerns in the callback queue (from the day resolved, later, or never: no
    # contact), with deadlines before and after today; callbacks with a deadline, in time and late,
    # and without one (before deadlines existed); concerns closed as unreachable or no answer at a
    # month's edge in local time.
    closed = list(Concern.objects.filter(status=Concern.Status.CLOSED).order_by("pk").values_list("pk", flat=True))
    assert len(closed) >= 24, "the demo has too few closed concerns"
    Concern.objects.filter(pk__in=closed[12:24]).update(status=Concern.Status.RESOLVED)  # awaiting again
    queued = list(Concern.objects.filter(status=Concern.Status.RESOLVED).order_by("pk").values_list("pk", flat=True))
    for index, pk in enumerate(queued):
        if index % 5 == 4:
            Concern.objects.filter(pk=pk).update(callback_from=None)
        else:
            joins = TODAY - datetime.timedelta(days=index % 9) + datetime.timedelta(days=2 * (index % 4 == 3))
            Concern.objects.filter(pk=pk).update(callback_from=joins, callback_due=joins + datetime.timedelta(days=4))
    answered = list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    for index, pk in enumerate(answered):
        if index % 3 == 0:
            Feedback.objects.filter(pk=pk).update(due_date=F("date"))  # on the deadline: in time
        elif index % 3 == 1:
            Feedback.objects.filter(pk=pk).update(due_date=F("date") - datetime.timedelta(days=1))  # late
    for index, pk in enumerate(rng.sample(closed[:12], 12)):
        status = Concern.Status.UNREACHABLE if index % 2 else Concern.Status.NO_ANSWER
        moment = _at(last_day, 23, 59, 59, 999_999) if index % 3 == 0 else _at(first_day) if index % 3 == 1 else None
        values = {"status": status}
        if moment is not None:  # else closed when the demo closed it
            values["closed_at"] = moment
        Concern.objects.filter(pk=pk).update(**values)


def test_the_rebuild_of_the_demo_equals_the_python_recount(db):
    run_seed("--visits", "400", "--units", "60", "--today", TODAY.isoformat())  # it ends with rollups.rebuild()
    _assert_rebuild_equals_recount()
    assert UnitMonth.objects.exists() and UnitYear.objects.exists() and UnitNow.objects.exists()


def test_the_rebuild_equals_the_python_recount_at_the_edges(db):
    run_seed("--visits", "400", "--units", "60", "--today", TODAY.isoformat())
    _edge_cases(random.Random(17))
    UnitMonth.objects.update(visits=F("visits") + 7)  # spoilt: the rebuild must not keep anything
    UnitNow.objects.all().delete()
    rollups.rebuild()
    _assert_rebuild_equals_recount()
    monthly = rollups.stored()
    for name in ("callbacks_due", "callbacks_in_time", "unreachable", "no_answer"):  # issue 18's counters
        assert any(bucket[name] for bucket in monthly.values()), name
    assert any(now["callbacks_by_from"] and now["callbacks_by_due"] for now in rollups.stored_now().values())


def test_a_subtree_rebuild_equals_the_python_recount(db):
    run_seed("--visits", "400", "--units", "60", "--today", TODAY.isoformat())
    _edge_cases(random.Random(29))
    rollups.rebuild()
    # A branch with units below it: spoil its subtree and its ancestors' rows, rebuild the subtree.
    branch = next(u for u in Unit.objects.filter(depth=1).order_by("pk") if Unit.objects.filter(parent=u).exists())
    Concern.objects.filter(unit__path__startswith=branch.path).update(solvability=Concern.Solvability.POLICY)
    below = UnitMonth.objects.filter(unit__path__startswith=branch.path).exclude(unit=branch)
    assert below.exists()
    below.update(visits=F("visits") + 3)
    rollups.rebuild(unit=branch)
    _assert_rebuild_equals_recount()


def test_no_rows_at_all_rebuilds_to_nothing(db, company):
    rollups.rebuild()
    assert not UnitMonth.objects.exists() and not UnitNow.objects.exists() and not UnitYear.objects.exists()
