"""The owner asks for a later due date before the current one passes; bad input, a repeat, a late ask, an
inactive concern, anyone else and GET are refused."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.errors import DomainError
from fieldwork.models import ConcernEvent, ExtensionRequest
from fieldwork.services import concerns as concern_services
from tests.extensions.helpers import DUE, HTMX, LATER, fresh, page, requested, url
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 9, 14)
TODAY = datetime.date(2026, 9, 14)


def ask(client, concern, *, day=LATER, reason="The roofer comes after the holiday.", **extra):
    data = {"extension-requested_due_date": day.isoformat() if day else "", "extension-reason": reason}
    return client.post(url("concern-extension-request", concern), data, **extra)


def test_owner_asks_before_the_due_date(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    assert 'data-extension-step="request"' in page(client, concern)

    response = ask(client, concern)

    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    request = ExtensionRequest.objects.get()
    assert (request.status, request.requested_by, request.due_date_before, request.requested_due_date) == (
        "pending",
        cadre_a,
        DUE,
        LATER,
    )
    after = fresh(concern)
    assert after.due_date == DUE and after.version == concern.version  # nothing moves until a leader decides
    event = after.events.get(kind=ConcernEvent.Kind.EXTENSION_REQUESTED)
    assert not event.public and event.actor == cadre_a
    assert event.note == "The roofer comes after the holiday."
    assert event.data == {"old_due": "2026-09-30", "new_due": "2026-10-15"}
    html = page(client, concern)
    assert "Waiting for a decision" in html and "The roofer comes after the holiday." in html
    assert 'data-extension-step="request"' not in html  # one request at a time
    assert "Extension requested: a leader of the unit will decide." in html


def test_with_htmx_the_fragment_comes_back(client_for, cadre_a, concern):
    response = ask(client_for(cadre_a), concern, **HTMX)
    assert response.status_code == 200
    assert "fieldwork/concerns/_detail_body.html" in [t.name for t in response.templates]
    assert "base.html" not in [t.name for t in response.templates]
    assert 'data-extension="pending"' in response.content.decode()


def test_a_repeated_submit_changes_nothing(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    ask(client, concern)
    response = ask(client, concern, day=LATER + datetime.timedelta(days=3), follow=True)
    assert "already waiting for a leader" in response.content.decode()
    assert ExtensionRequest.objects.count() == 1
    assert fresh(concern).events.filter(kind=ConcernEvent.Kind.EXTENSION_REQUESTED).count() == 1


@pytest.mark.parametrize(
    ("day", "reason", "error"),
    [
        (DUE, "Because.", "Ask for a date after the current due date (2026-09-30)."),
        (TODAY, "Because.", "Ask for a date after the current due date"),
        (None, "Because.", "This field is required."),
        (LATER, "", "This field is required."),
    ],
)
def test_bad_input_is_shown_beside_the_fields(client_for, cadre_a, concern, day, reason, error):
    response = ask(client_for(cadre_a), concern, day=day, reason=reason)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html and "Please correct the errors below." in html
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("today", [DUE, DUE + datetime.timedelta(days=1), datetime.date(2026, 10, 9)])
def test_refused_on_or_after_the_due_date(client_for, cadre_a, concern, clock, today):
    clock.now = datetime.datetime.combine(today, datetime.time(10), tzinfo=timezone.get_current_timezone())
    client = client_for(cadre_a)
    html = page(client, concern)
    assert 'data-extension-step="request"' not in html
    assert "it is chased, not extended" in html  # the owner is told why there is no form

    response = ask(client, concern, follow=True)

    assert "An extension is asked for before the due date (30 Sep 2026)" in response.content.decode()
    assert not ExtensionRequest.objects.exists()
    with pytest.raises(DomainError, match="due or overdue"):
        requested(concern, cadre_a)


def test_only_an_active_concern_is_extended(cadre_a, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    concern_services.concern_resolve(
        concern=concern, by=cadre_a, version=concern.version, resolution="Patched the roof."
    )
    with pytest.raises(DomainError, match="Only an open or in-progress concern can be extended"):
        requested(concern, cadre_a)


def test_who_may_ask(client, client_for, concern, leader_branch, cadre_b_other_team, leader_other_branch, team_a):
    someone = UserFactory(username="cadre_a3")
    MembershipFactory(user=someone, unit=team_a)
    assert ask(client, concern).status_code == 302 and "/accounts/login/" in ask(client, concern)["Location"]
    assert ask(client_for(someone), concern).status_code == 403  # in scope, not the owner
    assert ask(client_for(leader_branch), concern).status_code == 403  # a leader changes the date directly
    assert ask(client_for(cadre_b_other_team), concern).status_code == 404
    assert ask(client_for(leader_other_branch), concern).status_code == 404
    assert not ExtensionRequest.objects.exists()
    assert 'data-extension-step="request"' not in page(client_for(someone), concern)


def test_get_is_not_allowed(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    assert client_for(cadre_a).get(url("concern-extension-request", concern)).status_code == 405
    assert client_for(leader_branch).get(url("concern-extension-decide", concern, request.pk)).status_code == 405
