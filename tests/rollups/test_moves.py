"""Moving a unit or a concern moves its counts; rows written past the hooks are absorbed at the next refresh."""

import datetime

import pytest

from fieldwork import rollups
from fieldwork.models import UnitMonth, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.rollups.helpers import assert_in_step

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def test_moving_a_unit_carries_its_totals(world, clock, sub_a, team_a, team_b, branch):
    visit_services.visit_record(
        by=world.cadre,
        unit=sub_a,
        date=datetime.date(2026, 1, 10),
        form=Visit.Form.SYMPOSIUM,
        people_reached=4,
        summary="Canteen",
        confirmation_note="Back-dated on purpose: the test's story",
    )
    sub_a.parent = team_b
    sub_a.save()
    january = datetime.date(2026, 1, 1)
    assert not UnitMonth.objects.filter(unit=team_a, month=january).exists()
    assert UnitMonth.objects.get(unit=team_b, month=january).visits == 1
    assert UnitMonth.objects.get(unit=branch, month=january).visits == 1
    assert_in_step()


def test_moving_a_concern_in_the_admin_moves_its_counts(world, clock, team_a, other_branch):
    concern = concern_services.concern_raise(
        by=world.cadre, unit=team_a, data=concern_services.ConcernInput(title="Road", category=world.categories[0])
    )
    concern.refresh_from_db()
    concern.unit = other_branch
    concern.save()
    january = datetime.date(2026, 1, 1)
    assert not UnitMonth.objects.filter(unit=team_a, month=january).exists()
    assert UnitMonth.objects.get(unit=other_branch, month=january).concerns_raised == 1
    assert_in_step()


def test_rows_written_past_the_hooks_are_absorbed_by_the_next_refresh(world, clock, team_a):
    with rollups.suspended():
        visit_services.visit_record(
            by=world.cadre,
            unit=team_a,
            date=datetime.date(2026, 1, 5),
            form=Visit.Form.SYMPOSIUM,
            people_reached=2,
            summary="Canteen",
            confirmation_note="Back-dated on purpose: the test's story",
        )
    assert not UnitMonth.objects.exists()
    visit_services.visit_record(
        by=world.cadre,
        unit=team_a,
        date=datetime.date(2026, 1, 6),
        form=Visit.Form.SYMPOSIUM,
        people_reached=3,
        summary="Canteen",
        confirmation_note="Back-dated on purpose: the test's story",
    )
    assert UnitMonth.objects.get(unit=team_a, month=datetime.date(2026, 1, 1)).visits == 2
    assert_in_step()
