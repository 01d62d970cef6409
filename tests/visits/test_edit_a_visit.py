"""The author or a leader edits a visit; another cadre in scope may not."""

from django.urls import reverse

from tests.factories import VisitFactory
from tests.visits.helpers import visit_post


def test_author_edits_a_visit(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a, people_reached=2)
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 200
    response = client.post(
        reverse("fieldwork:visit-edit", args=[visit.pk]),
        visit_post(team_a, people_reached="9", concerns=[{"title": "Added later"}], version=visit.version),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.people_reached == 9
    assert visit.concerns.get().title == "Added later"


def test_leader_may_edit_another_cadres_visit(client_for, leader_branch, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    response = client_for(leader_branch).post(
        reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a, people_reached="7", version=1)
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.people_reached == 7 and visit.author == cadre_a


def test_other_cadre_in_scope_may_not_edit(client_for, cadre_a, team_a):
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, unit=team_a)
    visit = VisitFactory(unit=team_a, author=cadre_a, people_reached=2)
    client = client_for(colleague)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 403
    assert client.post(reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a)).status_code == 403
    visit.refresh_from_db()
    assert visit.people_reached == 2
