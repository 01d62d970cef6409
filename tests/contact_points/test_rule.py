"""When a contact point counts as visited: a visit at its unit or below that lists its cadre, within
its term; the stored dates follow every visit saved or edited, and the command recounts them."""

import pytest
from django.core.management import call_command

from fieldwork import contact_points
from fieldwork.models import ContactPoint, Visit
from fieldwork.services import visits as visit_services

from .helpers import TODAY, assign, days_ago, visit

pytestmark = pytest.mark.clock(2026, 12, 1)


def _point(leader_branch, cadre_a, team_a, **kwargs):
    return assign(leader_branch, cadre_a, team_a, start=days_ago(100), **kwargs)


def test_a_new_contact_point_is_due_one_interval_after_its_start(leader_branch, cadre_a, team_a):
    point = _point(leader_branch, cadre_a, team_a)
    assert point.last_visit_date is None
    assert point.due_date == days_ago(70)
    assert point.is_overdue(TODAY)
    assert point.days_since_visit(TODAY) == 100


def test_a_visit_at_the_unit_listing_the_cadre_visits_it(leader_branch, cadre_a, team_a):
    point = _point(leader_branch, cadre_a, team_a)
    visit(cadre_a, team_a, on=days_ago(5))
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(5)
    assert point.due_date == days_ago(5) + (TODAY - days_ago(30))
    assert not point.is_overdue(TODAY)


def test_a_visit_below_the_unit_counts_and_one_beside_or_above_it_does_not(
    leader_branch, cadre_a, team_a, sub_a, team_b, branch
):
    point = _point(leader_branch, cadre_a, team_a)
    visit(leader_branch, team_b, on=days_ago(3), cadres=[cadre_a])  # a sibling team
    visit(leader_branch, branch, on=days_ago(2), cadres=[cadre_a])  # the unit above
    point.refresh_from_db()
    assert point.last_visit_date is None
    visit(cadre_a, sub_a, on=days_ago(9))  # below the contact point's unit
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(9)


def test_a_visit_that_does_not_list_the_cadre_does_not_count(leader_branch, cadre_a, cadre_a2, team_a):
    point = _point(leader_branch, cadre_a, team_a)
    visit(cadre_a2, team_a, on=days_ago(1))
    point.refresh_from_db()
    assert point.last_visit_date is None
    visit(cadre_a2, team_a, on=days_ago(4), cadres=[cadre_a])  # listed among its cadres, not the author
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(4)


def test_visits_before_the_term_do_not_count(leader_branch, cadre_a, team_a):
    visit(cadre_a, team_a, on=days_ago(200))
    point = _point(leader_branch, cadre_a, team_a)
    assert point.last_visit_date is None
    visit(cadre_a, team_a, on=days_ago(50))
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(50)
    assert point.is_overdue(TODAY)  # 50 days without a visit, interval 30


def test_an_edit_moving_the_visit_or_dropping_the_cadre_takes_the_visit_back(
    leader_branch, cadre_a, cadre_a2, team_a, team_b
):
    point = assign(leader_branch, cadre_a2, team_a, start=days_ago(100))
    made = visit(cadre_a, team_a, on=days_ago(6), cadres=[cadre_a2])
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(6)
    edit = dict(
        visit=made,
        by=cadre_a,
        date=made.date,
        form=made.form,
        people_reached=3,
        summary=made.summary,
        confirmation_note="Logged after the trip.",
    )
    visit_services.visit_update(unit=team_a, cadres=[], version=made.version, **edit)
    point.refresh_from_db()
    assert point.last_visit_date is None
    made.refresh_from_db()
    visit_services.visit_update(unit=team_a, cadres=[cadre_a2], version=made.version, **edit)
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(6)
    made.refresh_from_db()
    visit_services.visit_update(unit=team_b, cadres=[cadre_a2], version=made.version, **{**edit, "by": leader_branch})
    point.refresh_from_db()
    assert point.last_visit_date is None


def test_ending_the_term_stops_later_visits_counting(leader_branch, cadre_a, team_a, clock):
    point = _point(leader_branch, cadre_a, team_a, end=days_ago(20))
    visit(cadre_a, team_a, on=days_ago(10))
    point.refresh_from_db()
    assert point.last_visit_date is None
    assert not ContactPoint.objects.current(TODAY).filter(pk=point.pk).exists()


def test_the_command_recounts_what_was_loaded_past_the_services(leader_branch, cadre_a, team_a):
    point = _point(leader_branch, cadre_a, team_a)
    made = visit(cadre_a, team_a, on=days_ago(8))
    ContactPoint.objects.filter(pk=point.pk).update(last_visit_date=None, due_date=days_ago(500))
    Visit.objects.filter(pk=made.pk).update(date=days_ago(12))  # a bulk change the hooks never saw
    call_command("refresh_contact_points", verbosity=0)
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(12)
    assert point.due_date == contact_points.due_date_of(start=point.start, last_visit=days_ago(12), interval_days=30)


def test_the_rollup_rebuild_recounts_them_too(leader_branch, cadre_a, team_a):
    from fieldwork import rollups

    point = _point(leader_branch, cadre_a, team_a)
    visit(cadre_a, team_a, on=days_ago(8))
    ContactPoint.objects.filter(pk=point.pk).update(last_visit_date=None)
    rollups.rebuild()
    point.refresh_from_db()
    assert point.last_visit_date == days_ago(8)


def test_a_unit_moved_in_the_tree_takes_its_visits_from_one_contact_point_to_another(
    leader_branch, cadre_a, team_a, sub_a, team_b
):
    """A sub-unit moved from team A to team B: its visits stop counting for team A's contact point and
    start counting for team B's, without a recount by hand."""
    at_a = _point(leader_branch, cadre_a, team_a)
    at_b = _point(leader_branch, cadre_a, team_b)
    visit(cadre_a, sub_a, on=days_ago(9))
    at_a.refresh_from_db(), at_b.refresh_from_db()
    assert (at_a.last_visit_date, at_b.last_visit_date) == (days_ago(9), None)

    sub_a.parent = team_b
    sub_a.save()

    at_a.refresh_from_db(), at_b.refresh_from_db()
    assert (at_a.last_visit_date, at_b.last_visit_date) == (None, days_ago(9))
    assert at_a.is_overdue(TODAY) and not at_b.is_overdue(TODAY)
