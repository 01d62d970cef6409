"""A leader approves or refuses a request, once; a stale page is told what changed; nobody else decides,
and nobody on their own request."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import ConcernEvent, ExtensionRequest
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services.concerns import ConcernInput
from tests.extensions.helpers import DUE, HTMX, LATER, fresh, page, requested, url
from tests.factories import MembershipFactory, UserFactory, category

pytestmark = pytest.mark.clock(2026, 9, 14)


# Monday 14 September 2026, 10:00 in Shanghai. National Day week (1–7 October) lies ahead.
NOW = datetime.datetime(2026, 9, 14, 2, 0, tzinfo=datetime.UTC)


def decide(client, concern, request, decision, *, note="", version=None, **extra):
    data = {
        "decide-version": version if version is not None else fresh(concern).version,
        "decide-decision": decision,
        "decide-note": note,
    }
    return client.post(url("concern-extension-decide", concern, request.pk), data, **extra)


def test_leader_approves(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    client = client_for(leader_branch)
    html = page(client, concern)
    assert 'data-extension-step="decide"' in html and "Approve: due" in html

    response = decide(client, concern, request, "approve", note="Holiday week: agreed.", follow=True)

    assert "Extension granted: the concern is now due 10/15/2026." in response.content.decode()
    after = fresh(concern)
    assert after.due_date == LATER and after.extensions_granted == 1 and after.version == concern.version + 1
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decided_at, request.decision_note) == (
        "approved",
        leader_branch,
        NOW,
        "Holiday week: agreed.",
    )
    event = after.events.get(kind=ConcernEvent.Kind.EXTENSION_APPROVED)
    assert event.public and event.actor == leader_branch
    assert event.note == "2026-09-30 → 2026-10-15: Parts on order. (Holiday week: agreed.)"
    html = page(client_for(cadre_a), concern)
    assert "Extended once" in html and "data-extended" in html and "Approved" in html
    assert 'data-extension-step="decide"' not in html
    # The new version names the extension when someone else's page was stale.
    message = concern_services.concern_changes_since(concern=after, version=concern.version)
    assert "(Extension granted by 李芳 at 2026-09-14 10:00)" in message


def test_leader_of_the_unit_itself_decides_too(client_for, cadre_a, leader_team_a, concern):
    request = requested(concern, cadre_a)
    assert decide(client_for(leader_team_a), concern, request, "approve").status_code == 302
    assert fresh(concern).due_date == LATER


def test_leader_refuses_saying_why(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    client = client_for(leader_branch)

    without_note = decide(client, concern, request, "refuse")
    assert without_note.status_code == 200 and "Say why the extension is refused." in without_note.content.decode()
    assert ExtensionRequest.objects.get().status == "pending"

    response = decide(client, concern, request, "refuse", note="The roof must be fixed before the rains.", **HTMX)

    assert response.status_code == 200 and "Extension refused." in response.content.decode()
    after = fresh(concern)
    assert after.due_date == DUE and after.version == concern.version and after.extensions_granted == 0
    event = after.events.get(kind=ConcernEvent.Kind.EXTENSION_REFUSED)
    assert event.public and event.note == "2026-10-15: The roof must be fixed before the rains."
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "The roof must be fixed before the rains."
    # The owner may ask again, while the due date is still ahead.
    assert 'data-extension-step="request"' in page(client_for(cadre_a), concern)


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
