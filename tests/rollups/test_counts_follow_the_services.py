"""Each service keeps the rollups in step: a visit counts in every ancestor, the lifecycle moves counts
between months, a withdrawal or a new due date takes them out again."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.models import Concern, Feedback, UnitMonth, UnitNow, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.rollups.helpers import assert_in_step

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def test_a_visit_with_concerns_counts_in_every_ancestor(world, clock, team_a, branch, company, sub_a):
    visit_services.visit_record(
        by=world.cadre,
        unit=sub_a,
        date=datetime.date(2026, 1, 19),
        form=Visit.Form.HOME_VISIT,
        people_reached=7,
        principles=world.principles,
        confirmation_note="Back-dated on purpose: the test's story",
        concerns=[
            concern_services.ConcernInput(
                title="Canteen", category=world.categories[0], principles=world.principles[:1]
            )
        ],
    )
    january = datetime.date(2026, 1, 1)
    for unit in (sub_a, team_a, branch, company):
        row = UnitMonth.objects.get(unit=unit, month=january)
        assert (row.visits, row.people_reached, row.concerns_raised, row.not_taken_up) == (1, 7, 1, 1)
        assert row.visits_by_principle == {str(p.pk): 1 for p in world.principles}
        assert row.concerns_by_principle == {str(world.principles[0].pk): 1}
        assert row.concerns_by_category == {str(world.categories[0].pk): 1}
    assert_in_step()


def test_the_lifecycle_moves_counts_between_months(world, clock, team_a):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Lights", category=world.categories[0])
    )
    clock.now += datetime.timedelta(days=1)
    concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    clock.now += datetime.timedelta(days=20)  # February
    concern_services.concern_resolve(concern=concern, by=world.cadre, version=concern.version, resolution="Fixed")
    february = datetime.date(2026, 2, 1)
    row = UnitMonth.objects.get(unit=team_a, month=february)
    assert (row.resolved, row.resolved_on_time, row.days_to_resolve) == (1, 1, {"21": 1})
    clock.now += datetime.timedelta(days=30)  # March: dissatisfied, reopened
    callback_services.feedback_record(
        concern=concern,
        by=world.caller,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    assert not UnitMonth.objects.filter(unit=team_a, month=february).exists()
    march = UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 3, 1))
    assert (march.callbacks, march.dissatisfied, march.resolved) == (1, 1, 0)
    january = UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1))
    assert (january.concerns_raised, january.resolved_now, january.taken_up, january.taken_up_in_time) == (1, 0, 1, 1)
    assert_in_step()


def test_withdrawing_a_reopened_concern_takes_its_callback_out_of_a_later_month(world, clock, team_a, baseline):
    reopened = baseline[0][1]  # raised in December, dissatisfied callback on 5 January
    reopened.refresh_from_db()
    january = datetime.date(2026, 1, 1)
    before = UnitMonth.objects.get(unit=reopened.unit, month=january)  # with a satisfied one below it
    assert (before.callbacks, before.dissatisfied) == (2, 1)
    concern_services.concern_withdraw(concern=reopened, by=world.leader, version=reopened.version, reason="Duplicate")
    after = UnitMonth.objects.get(unit=reopened.unit, month=january)
    assert (after.callbacks, after.dissatisfied) == (1, 0)
    december = UnitMonth.objects.get(unit=reopened.unit, month=datetime.date(2025, 12, 1))
    assert (december.concerns_raised, december.concerns_withdrawn) == (1, 1)  # the other one is below
    assert_in_step()


def test_a_new_due_date_moves_a_concern_out_of_overdue_now(world, clock, team_a, company, baseline):
    waiting = baseline[0][4]  # open since 1 December, never taken up
    waiting.refresh_from_db()
    Concern.objects.filter(pk=waiting.pk).update(due_date=datetime.date(2026, 1, 2))
    concern_services.concern_set_due(
        concern=waiting, by=world.leader, version=waiting.version, due_date=timezone.localdate()
    )
    root = UnitNow.objects.get(unit=company)
    assert root.open_by_due.get(timezone.localdate().isoformat()) == 1
    assert root.waiting_by_raised == {"2025-12-01": 1}
    assert_in_step()
