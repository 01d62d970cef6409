"""A leader of the unit or above approves a request, moving the due date, or refuses it saying why."""

import datetime

import pytest

from fieldwork.models import ConcernEvent, ExtensionRequest
from fieldwork.services import concerns as concern_services
from tests.extensions.helpers import DUE, HTMX, LATER, decide, fresh, page, requested

pytestmark = pytest.mark.clock(2026, 9, 14)


# Monday 14 September 2026, 10:00 in Shanghai. National Day week (1–7 October) lies ahead.
NOW = datetime.datetime(2026, 9, 14, 2, 0, tzinfo=datetime.UTC)


def test_leader_approves(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    client = client_for(leader_branch)
    html = page(client, concern)
    assert 'data-extension-step="decide"' in html and "Approve: due" in html

    response = decide(client, concern, request, "approve", note="Holiday week: agreed.", follow=True)

    assert "Extension granted: the concern is now due 15 Oct 2026." in response.content.decode()
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
    assert event.note == "Parts on order. (Holiday week: agreed.)"  # the dates are data, said by the timeline
    assert event.data == {"old_due": "2026-09-30", "new_due": "2026-10-15"}
    assert event.text == "From 30 Sep 2026 to 15 Oct 2026: Parts on order. (Holiday week: agreed.)"
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
    assert event.public and event.note == "The roof must be fixed before the rains."
    assert event.data == {"new_due": "2026-10-15"}
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "The roof must be fixed before the rains."
    # The owner may ask again, while the due date is still ahead.
    assert 'data-extension-step="request"' in page(client_for(cadre_a), concern)
