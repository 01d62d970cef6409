"""Supervision and extensions count in their months, whichever the service writes first; a finished
concern leaves the supervised now but stays counted."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import rollups, workdays
from fieldwork.models import Concern, ConcernEvent, UnitMonth, UnitNow
from fieldwork.services import concerns as concern_services
from tests.rollups.helpers import START, assert_in_step, climb, extend_due

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def test_supervision_and_extensions_count_in_their_months(world, clock, sub_a, team_a, branch, company):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=sub_a, data=concern_services.ConcernInput(title="Pump", category=world.categories[0])
    )
    concern.refresh_from_db()
    due = concern.due_date  # 30 working days after 20 January: in March
    extend_due(world, concern, to=due + datetime.timedelta(days=10), approve=False)  # refused: counts nowhere
    extend_due(world, concern, to=due + datetime.timedelta(days=20))  # granted in January
    # granted again the day before the new due date (in March or April)
    clock.now = datetime.datetime.combine(concern.due_date, datetime.time(9), tzinfo=START.tzinfo)
    clock.now -= datetime.timedelta(days=1)
    extend_due(world, concern, to=concern.due_date + datetime.timedelta(days=3))
    granted_in = rollups.month_of(timezone.localdate())
    chase = workdays.next_working_day(concern.due_date)
    climb(concern, first=chase, runs=4)  # chased, then supervised three working days later
    assert concern.supervised_at is not None
    supervised_in = rollups.month_of(timezone.localtime(concern.supervised_at).date())
    january = datetime.date(2026, 1, 1)
    for unit in (sub_a, team_a, branch, company):
        rows = {row.month: row for row in UnitMonth.objects.filter(unit=unit)}
        assert rows[january].extensions_granted == 1 + (granted_in == january)
        assert rows[granted_in].extensions_granted == 1 + (granted_in == january)
        assert rows[supervised_in].supervised == 1
        assert sum(row.supervised for row in rows.values()) == 1
        assert UnitNow.objects.get(unit=unit).supervised_by_due == {concern.due_date.isoformat(): 1}
    assert_in_step()
    concern.refresh_from_db()
    concern_services.concern_withdraw(concern=concern, by=world.leader, version=concern.version, reason="Twice")
    assert not UnitMonth.objects.filter(unit=company).exclude(supervised=0, extensions_granted=0).exists()
    assert not UnitNow.objects.filter(supervised_by_due__has_key=concern.due_date.isoformat()).exists()
    assert_in_step()


@pytest.mark.parametrize("event_first", [True, False])
def test_a_service_may_write_its_event_before_or_after_the_rows_it_describes(world, clock, team_a, event_first):
    """The upkeep reads what an event touched from the concern as the service left it, not as it stood
    when the event was written: the order of statements inside a service does not matter."""
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Cable", category=world.categories[0])
    )
    clock.now += datetime.timedelta(days=45)  # in March; the concern comes under supervision from February
    february = clock.now - datetime.timedelta(days=30)

    @rollups.in_step
    def supervise() -> None:
        def event():
            ConcernEvent.objects.create(concern=concern, kind=ConcernEvent.Kind.SUPERVISED, created_at=clock.now)

        if event_first:
            event()
        Concern.objects.filter(pk=concern.pk).update(supervised_at=february)
        if not event_first:
            event()

    supervise()
    supervised_in = rollups.month_of(timezone.localtime(february).date())
    assert UnitMonth.objects.get(unit=team_a, month=supervised_in).supervised == 1
    assert_in_step()


def test_a_finished_concern_leaves_supervised_now_but_stays_counted(world, clock, team_a, company, baseline):
    waiting = baseline[0][4]  # open since 1 December, due in January: overdue on 20 January
    climb(waiting, first=timezone.localdate(), runs=4)
    assert waiting.supervised_at is not None
    assert sum(UnitNow.objects.get(unit=company).supervised_by_due.values()) == 1
    clock.now += datetime.timedelta(days=7)
    concern_services.concern_start(concern=waiting, by=world.cadre, version=waiting.version)
    waiting.refresh_from_db()
    concern_services.concern_resolve(concern=waiting, by=world.cadre, version=waiting.version, resolution="Done")
    assert UnitNow.objects.get(unit=company).supervised_by_due == {}
    month = rollups.month_of(timezone.localtime(waiting.supervised_at).date())
    assert UnitMonth.objects.get(unit=company, month=month).supervised == 1
    assert_in_step()
