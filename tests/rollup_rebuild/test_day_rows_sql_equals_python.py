"""The day rows (UnitDay) the rebuild writes (on PostgreSQL from sql.py's day facts, in the same
transaction as the monthly rows) are what days.recount counts in Python: on demo data, after the
edge cases, for everything and for each kind of subtree (an upper unit, a kept unit that is not
upper, a unit below it), the carry-up to the kept units above included. On SQLite rebuild counts
in Python: the test holds too."""

import datetime
import random

from django.db.models import F

from fieldwork import rollups
from fieldwork.models import Concern, Unit, UnitDay, Visit
from fieldwork.rollups import days
from tests.demo.conftest import TODAY, run_seed

from .test_sql_equals_python import _assert_rebuild_equals_recount, _edge_cases


def _assert_days_equal_recount():
    counted = days.recount()
    assert counted, "no day rows counted: the test would prove nothing"
    assert days.stored() == counted


def _seed():
    run_seed("--visits", "400", "--units", "60", "--today", TODAY.isoformat())  # it ends with rollups.rebuild()


def _upper_units() -> list[Unit]:
    return [u for u in Unit.objects.order_by("pk") if Unit.objects.filter(path__startswith=u.path, depth=u.depth + 2)]


def _bend(unit: Unit) -> None:
    """Change a subtree's rows past save() (no upkeep), so only a rebuild brings the day rows in step."""
    Concern.objects.filter(unit__path__startswith=unit.path).update(solvability=Concern.Solvability.POLICY)
    Visit.objects.filter(unit__path__startswith=unit.path).update(
        date=F("date") - datetime.timedelta(days=1), people_reached=F("people_reached") + 2
    )


def test_the_day_rows_of_the_demo_equal_the_python_recount(db):
    _seed()
    _assert_days_equal_recount()
    kept = {unit_id for unit_id, _day in days.recount()}
    assert {upper.pk for upper in _upper_units()} <= kept


def test_the_day_rows_equal_the_python_recount_at_the_edges(db):
    _seed()
    _edge_cases(random.Random(17))
    UnitDay.objects.update(visits=F("visits") + 7)  # spoilt: the rebuild must not keep anything
    UnitDay.objects.filter(pk__in=list(UnitDay.objects.order_by("pk").values_list("pk", flat=True)[:50])).delete()
    rollups.rebuild()
    _assert_days_equal_recount()
    _assert_rebuild_equals_recount()


def test_a_subtree_rebuild_at_an_upper_unit_carries_its_day_rows_up(db):
    _seed()
    _edge_cases(random.Random(29))
    rollups.rebuild()
    branch = next(u for u in _upper_units() if u.depth >= 1)
    _bend(branch)
    UnitDay.objects.filter(unit__path__startswith=branch.path).exclude(unit=branch).update(visits=F("visits") + 3)
    rollups.rebuild(unit=branch)
    _assert_days_equal_recount()  # the root's rows too: the branch's difference carried up
    _assert_rebuild_equals_recount()


def test_a_subtree_rebuild_at_and_below_a_kept_unit_that_is_not_upper(db):
    _seed()
    rollups.rebuild()
    upper = {u.pk for u in _upper_units()}
    # a kept unit that is not upper (a child of an upper unit without grandchildren), with children
    workshop = next(
        u for u in Unit.objects.filter(parent_id__in=upper).exclude(pk__in=upper).order_by("pk") if u.children.exists()
    )
    team = workshop.children.order_by("pk").first()
    _bend(team)
    rollups.rebuild(unit=team)  # recounted as part of the workshop, in Python
    _assert_days_equal_recount()
    _bend(workshop)
    rollups.rebuild(unit=workshop)
    _assert_days_equal_recount()
    _assert_rebuild_equals_recount()


def test_no_rows_at_all_rebuilds_to_no_day_rows(db, company):
    rollups.rebuild()
    assert not UnitDay.objects.exists()
