"""Follow-up actions over HTTP: adding one, a repeated submit, marking it done, and the refusals."""

from django.utils import timezone

from fieldwork.models import FollowUpAction
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import HTMX, url
from tests.factories import ConcernFactory, FollowUpActionFactory


def action_post(owner, **overrides):
    data = {
        "action-description": "Order a ballast.",
        "action-owner": owner.pk,
        "action-due_date": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_add_an_action_and_a_repeated_submit(client_for, cadre_a2, cadre_a, concern):
    client = client_for(cadre_a2)
    response = client.post(url("concern-action-create", concern), action_post(cadre_a))
    assert response.status_code == 302
    response = client.post(url("concern-action-create", concern), action_post(cadre_a), follow=True)
    assert "already on the list" in response.content.decode()
    action = FollowUpAction.objects.get()
    assert action.owner == cadre_a and action.created_by == cadre_a2


def test_add_action_refusals(client_for, cadre_a, concern, cadre_b_other_team, leader_branch):
    client = client_for(cadre_a)
    response = client.post(url("concern-action-create", concern), action_post(cadre_b_other_team))
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url("concern-action-create", concern), action_post(cadre_a, **{"action-description": ""}))
    assert "This field is required." in response.content.decode()
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="Duplicate.")
    response = client.post(url("concern-action-create", concern), action_post(cadre_a), follow=True)
    assert "Actions are added only to an open or in-progress concern" in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_mark_an_action_done(client, cadre_a, cadre_a2, concern):
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    done = url("concern-action-done", concern, action.pk)
    client.force_login(cadre_a2)
    assert client.post(done, {f"done-{action.pk}-outcome": "x"}).status_code == 403
    client.force_login(cadre_a)
    response = client.post(done, {f"done-{action.pk}-outcome": ""})
    assert "This field is required." in response.content.decode()
    assert client.post(done, {f"done-{action.pk}-outcome": "Ordered."}).status_code == 302
    response = client.post(done, {f"done-{action.pk}-outcome": "Again."}, follow=True)
    assert "already marked done" in response.content.decode()
    action.refresh_from_db()
    assert action.outcome == "Ordered." and action.done_at is not None


def test_action_of_another_concern_is_404(client_for, cadre_a, concern, team_a):
    other = FollowUpActionFactory(concern=ConcernFactory(unit=team_a), owner=cadre_a)
    response = client_for(cadre_a).post(url("concern-action-done", concern, other.pk), {})
    assert response.status_code == 404


def test_invalid_action_form_on_a_closed_concern_says_why(client_for, cadre_a, leader_branch, concern):
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="Duplicate.")
    response = client_for(cadre_a).post(url("concern-action-create", concern), {"action-description": ""}, **HTMX)
    assert "Actions are added only to an open or in-progress concern" in response.content.decode()
