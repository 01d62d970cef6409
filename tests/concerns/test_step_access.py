"""Who may post a step: anonymous signs in, out of scope is 404, the wrong method 405, the wrong role 403."""

import pytest
from django.urls import reverse

from fieldwork.models import Concern, Feedback
from tests.concerns.helpers import fresh, resolved, start, url
from tests.factories import FollowUpActionFactory


def test_anonymous_is_sent_to_login(client, concern):
    for response in (client.get(concern.get_absolute_url()), start(client, concern)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert fresh(concern).status == Concern.Status.OPEN


@pytest.mark.parametrize("who", ["cadre_b_other_team", "leader_other_branch"])
def test_out_of_scope_is_404(client, concern, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(concern.get_absolute_url()).status_code == 404
    assert start(client, concern).status_code == 404
    assert (
        client.post(url("concern-withdraw", concern), {"withdraw-version": 1, "withdraw-reason": "x"}).status_code
        == 404
    )
    assert fresh(concern).status == Concern.Status.OPEN


@pytest.mark.parametrize(
    "name",
    [
        "concern-start",
        "concern-resolve",
        "concern-assess",
        "concern-callback",
        "concern-withdraw",
        "concern-reassign",
        "concern-set-due",
        "concern-action-create",
    ],
)
def test_get_on_a_post_url_is_405(client_for, cadre_a, concern, name):
    assert client_for(cadre_a).get(url(name, concern)).status_code == 405


def test_get_on_action_done_is_405_and_post_on_detail_is_405(client_for, cadre_a, concern):
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    client = client_for(cadre_a)
    assert client.get(url("concern-action-done", concern, action.pk)).status_code == 405
    assert client.post(concern.get_absolute_url()).status_code == 405


def test_wrong_role_is_403(client, concern, cadre_a, cadre_a2):
    client.force_login(cadre_a)
    response = client.post(url("concern-withdraw", concern), {"withdraw-version": 1, "withdraw-reason": "Mine."})
    assert response.status_code == 403
    client.force_login(cadre_a2)
    assert start(client, concern).status_code == 403
    resolved(concern, cadre_a)
    client.force_login(cadre_a)  # the owner does not grade their own work
    response = client.post(
        url("concern-callback", concern),
        {"callback-version": concern.version, "callback-satisfaction": "satisfied", "callback-channel": "phone"},
    )
    assert response.status_code == 403
    concern = fresh(concern)
    assert concern.status == Concern.Status.RESOLVED and not Feedback.objects.exists()
