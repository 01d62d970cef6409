"""The demo has contact points worth looking at: some visited in time, some not, their stored dates
what the rule recounts, the same rows for the same seed."""

from fieldwork import contact_points
from fieldwork.models import ContactPoint
from tests.demo.conftest import TODAY, delete_everything_seeded, run_seed


def _rows():
    return list(ContactPoint.objects.order_by("pk").values_list("cadre_id", "unit_id", "start", "last_visit_date"))


def test_the_demo_has_visited_and_unvisited_contact_points(db):
    run_seed("--today", TODAY.isoformat())
    points = ContactPoint.objects.all()
    assert points.count() > 10
    unvisited = points.unvisited(TODAY).count()
    assert 0 < unvisited < points.count()
    assert points.exclude(last_visit_date=None).exists()
    assert contact_points.refresh_all() == 0  # stored as the rule counts them


def test_the_same_seed_gives_the_same_contact_points(db):
    run_seed("--today", TODAY.isoformat())
    first = _rows()
    delete_everything_seeded()
    run_seed("--today", TODAY.isoformat())
    assert [row[1:] for row in _rows()] == [row[1:] for row in first]
