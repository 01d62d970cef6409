"""Deciding twice changes nothing; a stale page is told what changed; nobody else decides, and nobody
on their own request."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import ExtensionRequest
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services.concerns import ConcernInput
from tests.extensions.helpers import DUE, decide, fresh, page, requested, url
from tests.factories import MembershipFactory, UserFactory, category

pytestmark = pytest.mark.clock(2026, 9, 14)


def test_deciding_twice_changes_nothing(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    client = client_for(leader_branch)
    decide(client, concern, request, "approve")
    version = fresh(concern).version

    again = decide(client, concern, request, "approve", follow=True)
    refuse = decide(client, concern, request, "refuse", note="No.", follow=True)

    assert "This request was already decided: Approved." in again.content.decode()
    assert "This request was already decided: Approved." in refuse.content.decode()
    after = fresh(concern)
    assert after.version == version and after.extensions_granted == 1
    assert after.events.filter(kind__startswith="extension_").count() == 2  # requested, approved


def test_a_stale_page_is_told_what_changed(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    seen = fresh(concern).version
    concern_services.concern_set_due(
        concern=fresh(concern), by=leader_branch, version=seen, due_date=DUE.replace(day=29)
    )

    response = decide(client_for(leader_branch), concern, request, "approve", version=seen, follow=True)

    assert "Someone else changed this concern after you loaded it (Due date changed by" in response.content.decode()
    assert ExtensionRequest.objects.get().status == "pending"
    assert fresh(concern).due_date == DUE.replace(day=29)


def test_who_may_decide(client, client_for, cadre_a, leader_branch, leader_other_branch, team_a, concern):
    request = requested(concern, cadre_a)
    colleague = UserFactory(username="cadre_a4")
    MembershipFactory(user=colleague, unit=team_a)
    assert "/accounts/login/" in decide(client, concern, request, "approve", version=1)["Location"]
    assert decide(client_for(cadre_a), concern, request, "approve").status_code == 403  # the owner
    assert decide(client_for(colleague), concern, request, "approve").status_code == 403  # not a leader
    assert decide(client_for(leader_other_branch), concern, request, "approve").status_code == 404
    other = concern_services.concern_create(
        unit=team_a, data=ConcernInput(title="Other", category=category()), by=cadre_a, owner=cadre_a
    )
    assert client_for(leader_branch).post(url("concern-extension-decide", other, request.pk)).status_code == 404
    assert ExtensionRequest.objects.get().status == "pending"
    assert 'data-extension-step="decide"' not in page(client_for(cadre_a), concern)


def test_nobody_decides_on_their_own_request(client_for, leader_branch, team_a):
    concern = concern_services.concern_create(
        unit=team_a, data=ConcernInput(title="Mine", category=category()), by=leader_branch, owner=leader_branch
    )
    request = requested(concern, leader_branch, day=datetime.date(2026, 11, 20))
    assert decide(client_for(leader_branch), concern, request, "approve").status_code == 403
    with pytest.raises(DomainError, match="another leader of the unit decides"):
        extension_services.extension_decide(
            request=request, by=leader_branch, approve=True, version=fresh(concern).version
        )
