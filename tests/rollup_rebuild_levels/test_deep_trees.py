"""The rebuild in SQL carries the totals up the tree one level at a time (sql._carry_up): the months
up every unit's parents, the day rows up the kept units. The demo's tree has four levels; here a
workshop with its teams is moved under a team of another workshop (six levels, the kept units five
deep, of uneven depth), and the rebuild, whole and of a subtree, still writes what the Python rules
of counting.py count. On SQLite rebuild counts in Python: the test holds too."""

import random

from fieldwork import rollups
from fieldwork.models import Unit
from fieldwork.rollups import days
from tests.rollup_rebuild.test_day_rows_sql_equals_python import _assert_days_equal_recount, _bend, _seed
from tests.rollup_rebuild.test_sql_equals_python import _assert_rebuild_equals_recount, _edge_cases


def _deepen() -> tuple[Unit, Unit]:
    """Move a workshop with teams under a team of another workshop; return (the branch above both, the workshop)."""
    workshops = [u for u in Unit.objects.filter(depth=2).order_by("pk") if u.children.exists()]
    workshop = workshops[0]
    others = Unit.objects.filter(depth=3).exclude(path__startswith=workshop.path).order_by("pk")
    team = others.first()
    workshop.parent = team
    workshop.save()
    workshop.refresh_from_db()
    assert workshop.depth == 4 and Unit.objects.filter(path__startswith=workshop.path, depth=5).exists()
    return Unit.objects.get(pk=team.parent.parent_id), workshop


def test_a_deeper_tree_rebuilds_as_python_counts(db):
    _seed()
    _edge_cases(random.Random(41))
    _branch, workshop = _deepen()
    rollups.rebuild()
    lines = days._owners()
    assert max(len(line) for line in lines.values()) == 5, "the kept units are not five deep"
    assert len(lines[workshop.pk]) == 5
    _assert_days_equal_recount()
    _assert_rebuild_equals_recount()


def test_a_subtree_rebuild_of_a_deeper_tree_carries_it_up(db):
    _seed()
    branch, workshop = _deepen()
    rollups.rebuild()
    _bend(branch)
    rollups.rebuild(unit=branch)
    _assert_days_equal_recount()
    _assert_rebuild_equals_recount()
    _bend(workshop)
    rollups.rebuild(unit=workshop)
    _assert_days_equal_recount()
    _assert_rebuild_equals_recount()
