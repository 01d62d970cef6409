"""A heart-to-heart talk of team A with confidential notes, written by cadre_a through the visit form,
readable by cadre_a and the branch's party secretary; and those who must never read them: another
cadre of team A, the team's leader, the branch's leader and a superuser."""

import pytest
from django.urls import reverse

from fieldwork.models import ConfidentialNote, Membership, Visit
from tests.factories import MembershipFactory, UserFactory
from tests.visits.helpers import visit_post

# Distinctive enough to be found anywhere it leaks: in a page, a file, a table, a log.
SECRET = "他说家里母亲病重想调回老家 Zqxv-confidential-7781"
SECRET_WORD = "Zqxv"


@pytest.fixture
def secretary(branch):
    """The branch's party secretary (a cadre of the branch, above team A): named as a reader."""
    user = UserFactory(username="secretary", first_name="敏", last_name="孙")
    MembershipFactory(user=user, unit=branch, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="keeper", is_staff=True, is_superuser=True)


@pytest.fixture
def talk(client, cadre_a, team_a, secretary):
    """The talk, logged through the visit form as a cadre does; the client is signed out afterwards."""
    client.force_login(cadre_a)
    response = client.post(
        reverse("fieldwork:visit-create"),
        visit_post(
            team_a,
            form=Visit.Form.HEART_TO_HEART,
            summary="谈了工作安排，情绪稳定。",
            **{"note-text": SECRET, "note-readers": [secretary.pk]},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    visit = Visit.objects.get()
    assert ConfidentialNote.objects.filter(visit=visit).exists()
    return visit
