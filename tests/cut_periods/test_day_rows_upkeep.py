"""The day rows kept by the upkeep equal a rebuild, and stay right when the tree or the calendar changes."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import rollups, workdays
from fieldwork.models import Concern, UnitDay, Visit
from fieldwork.rollups import days
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.cut_periods.helpers import assert_days_in_step, assert_figures_equal_the_rows
from tests.factories import UnitFactory

pytestmark = pytest.mark.clock(2026, 1, 20, 9)
D = datetime.date


def _visit(world, unit, day):
    return visit_services.visit_record(
        by=world.cadre,
        unit=unit,
        date=day,
        form=Visit.Form.HOME_VISIT,
        people_reached=3,
        principles=[],
        summary="Canteen",
        confirmation_note="Back-dated on purpose: the test's story",
    )


def test_day_rows_are_kept_for_units_with_grandchildren_and_their_children(world, baseline):
    company, branch, team_a, sub_a, team_b, other_branch, extra = world.units
    kept = set(UnitDay.objects.values_list("unit_id", flat=True))
    # company and branch have grandchildren; their children are kept for the child table
    assert kept <= {company.pk, branch.pk, team_a.pk, team_b.pk, other_branch.pk}
    assert {company.pk, branch.pk, team_a.pk} <= kept
    assert sub_a.pk not in kept and extra.pk not in kept


def test_a_rebuild_leaves_the_rows_the_upkeep_kept(world, clock, baseline):
    _company, branch, _team_a, sub_a, _team_b, _other_branch, extra = world.units
    _visit(world, sub_a, D(2026, 1, 7))
    _visit(world, extra, D(2025, 12, 28))
    kept = days.stored()
    assert kept == days.recount()
    rollups.rebuild()
    assert days.stored() == kept
    rollups.rebuild(unit=branch)
    assert days.stored() == kept
    rollups.rebuild(unit=sub_a)  # not kept: its nearest kept unit above it is recounted
    assert days.stored() == kept


def test_a_unit_that_gains_its_first_grandchild_gets_day_rows_below_it(world, clock, baseline):
    company, _branch, _team_a, _sub_a, _team_b, other_branch, extra = world.units
    _visit(world, extra, D(2026, 1, 8))
    assert not UnitDay.objects.filter(unit=extra).exists()  # other_branch has no grandchild yet
    UnitFactory(name="Crew C1", code="crew-c1", parent=extra)
    assert UnitDay.objects.filter(unit=extra, day=D(2026, 1, 8)).exists()
    assert_days_in_step()
    assert_figures_equal_the_rows([company, other_branch], timezone.localdate())


def test_a_moved_unit_takes_its_days_along(world, clock, baseline):
    company, branch, team_a, _sub_a, _team_b, other_branch, _extra = world.units
    _visit(world, team_a, D(2026, 1, 9))
    team_a.refresh_from_db()
    team_a.parent = other_branch
    team_a.save()
    assert_days_in_step()
    assert_figures_equal_the_rows([company, branch, other_branch], timezone.localdate())


def test_a_calendar_change_counts_the_days_response_limits_again(world, clock, baseline):
    company, branch, team_a, *_rest = world.units
    clock.now = datetime.datetime(2026, 1, 15, 9, tzinfo=timezone.get_default_timezone())  # a Thursday
    data = concern_services.ConcernInput(title="Late pay", category=world.categories[0], principles=[])
    concern = concern_services.concern_raise(by=world.cadre, unit=team_a, data=data)
    clock.now = datetime.datetime(2026, 1, 20, 9, tzinfo=timezone.get_default_timezone())  # Tuesday
    concern = Concern.objects.get(pk=concern.pk)
    concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    before = days.stored()[(company.pk, D(2026, 1, 15))]["taken_up_in_time"]
    # 16 and 19 January become holidays: the limit runs later, and the start is within it.
    workdays.calendar_apply(
        year=2026,
        days={D(2026, 1, 1): (False, "元旦"), D(2026, 1, 16): (False, "x"), D(2026, 1, 19): (False, "x")},
        source="notice",
        today=D(2026, 1, 20),
    )
    assert days.stored()[(company.pk, D(2026, 1, 15))]["taken_up_in_time"] == before + 1
    assert_days_in_step()
    assert_figures_equal_the_rows([company, branch, team_a], timezone.localdate())
