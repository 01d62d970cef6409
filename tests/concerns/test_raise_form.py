"""Raising a concern with the form: who may, to whom it may be given, and the refusals beside the fields."""

from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Concern, ConcernEvent, Membership
from tests.concerns.list_helpers import NEW
from tests.factories import MembershipFactory, category, principle


def concern_post(unit, **overrides):
    data = {
        "unit": unit.pk,
        "category": category().pk,
        "title": "夜班没有热饭",
        "description": "The canteen closes at 20:00.",
        "priority": "urgent",
        "raised_by_name": "刘师傅",
        "raised_by_contact": "13900001111",
        "principles": [principle("pragmatism").pk],
    }
    data.update(overrides)
    return data


def test_create_form_shows(client_for, cadre_a, leader_branch):
    page = client_for(cadre_a).get(NEW).content.decode()
    assert 'name="title"' in page and 'name="owner"' not in page  # a cadre owns what they raise
    page = client_for(leader_branch).get(NEW).content.decode()
    assert 'name="owner"' in page


def test_cadre_raises_a_concern(client_for, cadre_a, sub_a):
    response = client_for(cadre_a).post(NEW, concern_post(sub_a))
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert concern.owner == cadre_a and concern.created_by == cadre_a
    assert concern.source == Concern.Source.OTHER and concern.visit is None
    assert concern.unit == sub_a and concern.title == "夜班没有热饭"
    assert concern.due_date == workdays.add_working_days(timezone.localdate(), 7)
    assert concern.raised_by_contact == "13900001111"
    assert [p.code for p in concern.principles.all()] == ["pragmatism"]
    assert concern.events.get().kind == ConcernEvent.Kind.RAISED


def test_anonymous_person_leaves_no_name(client_for, cadre_a, team_a):
    client_for(cadre_a).post(NEW, concern_post(team_a, anonymous="on"))
    concern = Concern.objects.get()
    assert concern.anonymous and concern.raised_by_name == "" and concern.raised_by_contact == ""


def test_leader_gives_the_concern_to_someone_in_the_unit(client_for, leader_branch, cadre_a2, team_a):
    client_for(leader_branch).post(NEW, concern_post(team_a, owner=cadre_a2.pk))
    assert Concern.objects.get().owner == cadre_a2


def test_create_refusals(client_for, cadre_a, team_a, team_b, other_branch, leader_branch, cadre_b_other_team):
    client = client_for(cadre_a)
    for data in (
        concern_post(team_b),  # a unit out of scope
        concern_post(other_branch),
        concern_post(team_a, title=""),
        concern_post(team_a, priority="whenever"),
        concern_post(team_a, category=""),
    ):
        response = client.post(NEW, data)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    page = client.post(NEW, concern_post(team_b)).content.decode()
    assert "Select a valid choice" in page
    # A cadre cannot hand the concern to someone else: the field is not theirs, it is ignored.
    client.post(NEW, concern_post(team_a, owner=leader_branch.pk))
    assert Concern.objects.get().owner == cadre_a
    leader = client_for(leader_branch)
    response = leader.post(NEW, concern_post(team_a, owner=cadre_b_other_team.pk))
    assert "The owner must work in this unit" in response.content.decode()
    assert Concern.objects.count() == 1


def test_a_leader_may_give_it_away_only_where_they_lead(client_for, team_a, team_b, cadre_a, cadre_b_other_team):
    """A leader of team B who is merely a cadre of team A cannot give team A's concern away."""
    MembershipFactory(user=cadre_b_other_team, unit=team_a, role=Membership.Role.CADRE)
    Membership.objects.filter(user=cadre_b_other_team, unit=team_b).update(role=Membership.Role.LEADER)
    response = client_for(cadre_b_other_team).post(NEW, concern_post(team_a, owner=cadre_a.pk))
    assert "Only a leader of the unit can give" in response.content.decode()
    assert not Concern.objects.exists()
