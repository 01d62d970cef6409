"""The rebuild (in SQL on PostgreSQL, sql.py; in Python elsewhere) writes the callback counters, the
unreachable and no-answer counters and UnitNow's two callback maps exactly as counting.py counts them,
month rows and day rows, for everything and for a subtree; and at a month's edge in local time."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from fieldwork import rollups
from fieldwork.models import Concern, Feedback, UnitDay, UnitMonth, UnitNow
from fieldwork.rollups import days
from tests.callback_figures.helpers import assert_in_step, call_back, close_no_answer, close_unreachable, resolve
from tests.callback_figures.test_figures_by_definition import _raise

pytestmark = pytest.mark.clock(2026, 1, 20, 9)

NEW = ("callbacks_due", "callbacks_in_time", "unreachable", "no_answer")


def _story(world, clock):
    _company, _branch, team_a, sub_a, team_b, other_branch, extra = world.units
    made = {}
    for index, unit in enumerate([team_a, sub_a, team_b, other_branch, extra, team_a, sub_a]):
        made[index] = resolve(world.cadre, _raise(world, unit, f"r{index}"), contact=index != 4, joins_in=index % 2)
    clock.now += datetime.timedelta(days=8)
    call_back(world.caller, made[0], "satisfied")  # late
    call_back(world.caller, made[1], "dissatisfied", days_ago=7)  # in time
    close_unreachable(world.caller, world.leader, made[3])
    close_no_answer(made[4])
    # at a month's edge in local time: closed a moment before midnight on 31 January, called back on
    # its deadline
    zone = timezone.get_default_timezone()
    edge = datetime.datetime(2026, 1, 31, 23, 59, 59, tzinfo=zone)
    Concern.objects.filter(pk=made[3].pk).update(closed_at=edge)
    Concern.objects.filter(pk=made[4].pk).update(closed_at=edge + datetime.timedelta(seconds=1))
    Feedback.objects.filter(concern=made[0]).update(date=F("due_date"))
    return made


def _assert_rebuild_equals_recount():
    assert_in_step()
    monthly = rollups.stored()
    for name in NEW:
        assert any(bucket[name] for bucket in monthly.values()), name
    now = rollups.stored_now()
    assert any(row["callbacks_by_from"] for row in now.values())
    assert any(row["callbacks_by_due"] for row in now.values())


def test_the_rebuild_writes_the_callback_figures_as_counted(world, clock, baseline):
    _story(world, clock)
    UnitMonth.objects.update(callbacks_due=F("callbacks_due") + 3, unreachable=5)  # spoilt
    UnitDay.objects.update(no_answer=2)
    UnitNow.objects.update(callbacks_by_from={"2026-01-01": 9})
    rollups.rebuild()
    _assert_rebuild_equals_recount()
    company = world.units[0]
    january, february = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    top = {row.month: row for row in UnitMonth.objects.filter(unit=company)}
    assert (top[january].unreachable, top[february].no_answer) == (1, 1)  # midnight, local time
    # the story's two (one late, moved to its deadline; one in time) and the baseline's January callbacks
    january_callbacks = Feedback.objects.filter(date__gte=january, date__lt=february).exclude(
        concern__status=Concern.Status.WITHDRAWN
    )
    answering = january_callbacks.filter(due_date__isnull=False)
    assert (top[january].callbacks_due, top[january].callbacks_in_time) == (
        answering.count(),
        answering.filter(date__lte=F("due_date")).count(),
    )
    assert answering.filter(concern__title__in=["r0", "r1"], date__lte=F("due_date")).count() == 2


def test_a_subtree_rebuild_writes_them_too(world, clock, baseline):
    _story(world, clock)
    rollups.rebuild()
    branch = world.units[1]
    Concern.objects.filter(unit__path__startswith=branch.path, status=Concern.Status.RESOLVED).update(
        callback_due=datetime.date(2026, 1, 2)
    )  # past save(): only the rebuild brings the rollups in step
    UnitMonth.objects.filter(unit__path__startswith=branch.path).exclude(unit=branch).update(callbacks_in_time=7)
    rollups.rebuild(unit=branch)
    _assert_rebuild_equals_recount()
    assert days.stored() == days.recount()
