"""Who sees a visit: a cadre the visits of units below, a leader the whole branch, a sibling team 404;
the detail is GET only and links its concerns."""

from django.urls import reverse

from tests.factories import ConcernFactory, VisitFactory


def test_cadre_of_a_sibling_team_gets_404(client_for, cadre_b_other_team, team_a, cadre_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    client = client_for(cadre_b_other_team)
    assert client.get(reverse("fieldwork:visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 404


def test_cadre_sees_visits_of_units_below(client_for, cadre_a, sub_a, team_b, cadre_b_other_team):
    below = VisitFactory(unit=sub_a, author=cadre_a, summary="below")
    sibling = VisitFactory(unit=team_b, author=cadre_b_other_team, summary="sibling")
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-detail", args=[below.pk])).status_code == 200
    listed = client.get(reverse("fieldwork:visit-list")).context["rows"]
    assert list(listed) == [below]
    assert sibling not in listed


def test_leader_sees_the_whole_branch(client_for, leader_branch, team_a, team_b, cadre_a, cadre_b_other_team):
    VisitFactory(unit=team_a, author=cadre_a)
    VisitFactory(unit=team_b, author=cadre_b_other_team)
    assert len(client_for(leader_branch).get(reverse("fieldwork:visit-list")).context["rows"]) == 2


def test_detail_shows_concerns_with_links(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, visit=visit, title="Leaking roof")
    html = client_for(cadre_a).get(visit.get_absolute_url()).content.decode()
    assert "Leaking roof" in html and concern.get_absolute_url() in html


def test_detail_is_get_only(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    assert client_for(cadre_a).post(visit.get_absolute_url()).status_code == 405
