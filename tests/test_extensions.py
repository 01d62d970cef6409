"""Extension requests (延期申请): the owner asks before the due date, a leader of the unit approves or
refuses; either way an event is written, and a public concern's timeline shows the outcome without
names. Over HTTP (with and without htmx) and through the services."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fieldwork.errors import DomainError
from fieldwork.models import Concern, ConcernEvent, ExtensionRequest
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import public as public_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import MembershipFactory, UserFactory, category

pytestmark = pytest.mark.clock(2026, 9, 14)

# Monday 14 September 2026, 10:00 in Shanghai. National Day week (1–7 October) lies ahead.
NOW = datetime.datetime(2026, 9, 14, 2, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 14)
DUE = datetime.date(2026, 9, 30)
LATER = datetime.date(2026, 10, 15)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def concern(concern):
    """The shared open concern, due on DUE."""
    Concern.objects.filter(pk=concern.pk).update(due_date=DUE)
    concern.due_date = DUE
    return concern


def url(name, concern, *args):
    return reverse(f"fieldwork:{name}", args=[concern.pk, *args])


def ask(client, concern, *, day=LATER, reason="The roofer comes after the holiday.", **extra):
    data = {"extension-requested_due_date": day.isoformat() if day else "", "extension-reason": reason}
    return client.post(url("concern-extension-request", concern), data, **extra)


def decide(client, concern, request, decision, *, note="", version=None, **extra):
    data = {
        "decide-version": version if version is not None else fresh(concern).version,
        "decide-decision": decision,
        "decide-note": note,
    }
    return client.post(url("concern-extension-decide", concern, request.pk), data, **extra)


def fresh(concern):
    return Concern.objects.get(pk=concern.pk)


def requested(concern, by, day=LATER, reason="Parts on order."):
    return extension_services.extension_request(concern=concern, by=by, requested_due_date=day, reason=reason)


def page(client, concern) -> str:
    return client.get(concern.get_absolute_url()).content.decode()


# --- asking ------------------------------------------------------------------------------------------


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
    assert event.note == "2026-09-30 → 2026-10-15: The roofer comes after the holiday."
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

    assert "An extension is asked for before the due date (2026-09-30)" in response.content.decode()
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


# --- deciding ----------------------------------------------------------------------------------------


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


def test_a_timely_request_may_be_approved_after_the_due_date(cadre_a, leader_branch, concern, clock):
    request = requested(concern, cadre_a)
    clock.move(days=17)  # Thursday 1 October: the due date has passed meanwhile
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=fresh(concern).version)
    assert fresh(concern).due_date == LATER


def test_a_date_already_past_is_not_approved(cadre_a, leader_branch, concern, clock):
    request = requested(concern, cadre_a, day=datetime.date(2026, 10, 2))
    clock.move(days=20)
    with pytest.raises(DomainError, match="The requested date has passed"):
        extension_services.extension_decide(
            request=request, by=leader_branch, approve=True, version=fresh(concern).version
        )
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="Too late.", version=fresh(concern).version
    )
    assert ExtensionRequest.objects.get().status == "refused"


# --- where a leader sees them -----------------------------------------------------------------------


def test_my_work_lists_requests_waiting_for_the_leader(
    client_for, cadre_a, leader_branch, leader_other_branch, concern
):
    requested(concern, cadre_a)
    mine = client_for(leader_branch).get(reverse("fieldwork:my-work"))
    assert [item.concern for item in mine.context["extension_requests"]] == [concern]
    assert "Extension requests waiting for my decision" in mine.content.decode()
    assert client_for(leader_other_branch).get(reverse("fieldwork:my-work")).context["extension_requests"] == []
    assert client_for(cadre_a).get(reverse("fieldwork:my-work")).context["extension_requests"] is None


def test_concern_list_marks_extended_concerns(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=fresh(concern).version)
    html = client_for(leader_branch).get(reverse("fieldwork:concern-list")).content.decode()
    assert "data-extended" in html


def test_detail_queries_do_not_grow_with_requests(
    client_for, cadre_a, leader_branch, concern, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(leader_branch)
    client.get(concern.get_absolute_url())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(concern.get_absolute_url()).status_code == 200
        return len(queries)

    request = requested(concern, cadre_a)
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="No.", version=fresh(concern).version
    )
    small = count()
    for day in range(16, 24):
        request = requested(concern, cadre_a, day=datetime.date(2026, 10, day))
        extension_services.extension_decide(
            request=request, by=leader_branch, approve=False, note="No.", version=fresh(concern).version
        )
    requested(concern, cadre_a)
    assert count() == small
    assert small <= 20


# --- the public timeline ----------------------------------------------------------------------------


def public_concern(team_a, cadre_a):
    concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The stairs to the substation are icy.", name="刘师傅"
    )
    Concern.objects.filter(pk=concern.pk).update(owner=cadre_a, due_date=DUE)
    return fresh(concern), code


def track_page(code) -> str:
    client = Client()
    client.post("/s/track/", {"code": code})
    return client.get("/s/track/").content.decode()


def test_public_timeline_shows_the_new_date_without_names(team_a, cadre_a, leader_branch):
    concern, code = public_concern(team_a, cadre_a)
    request = requested(concern, cadre_a, reason="王伟 waits for 李芳's budget.")
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=True, note="李芳 agrees.", version=fresh(concern).version
    )

    html = track_page(code)

    assert "Extension granted" in html and "New due date: 10/15/2026" in html
    assert "Extension requested" not in html  # the asking is internal; the decision is public
    for private in ("王伟", "李芳", "budget", "agrees", "伟", "芳"):
        assert private not in html


def test_public_timeline_shows_a_refusal_without_names_or_note(team_a, cadre_a, leader_branch):
    concern, code = public_concern(team_a, cadre_a)
    request = requested(concern, cadre_a)
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="李芳: finish it first.", version=fresh(concern).version
    )

    html = track_page(code)

    assert "Extension refused" in html and "New due date" not in html
    for private in ("李芳", "finish it first", "Parts on order"):
        assert private not in html
