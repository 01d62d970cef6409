"""The concern detail page and its transitions over HTTP: with htmx (the fragment) and without
JavaScript (redirect and message); scope, roles, stale pages and repeated submits."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern, ConcernEvent, Feedback, FollowUpAction, Membership
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import (
    ConcernFactory,
    FollowUpActionFactory,
    MembershipFactory,
    UserFactory,
    VisitFactory,
    category,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cadre_a2(team_a):
    """A second cadre of team A, who does not own the concern."""
    user = UserFactory(username="cadre_a2", first_name="强", last_name="赵")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def concern(team_a, cadre_a):
    return concern_services.concern_create(
        unit=team_a,
        data=ConcernInput(
            title="Switch room lights flicker",
            category=category(),
            description="Every night since May.",
            raised_by_name="刘师傅",
            raised_by_contact="13900001111",
        ),
        by=cadre_a,
        owner=cadre_a,
    )


def url(name, concern, *args):
    return reverse(f"fieldwork:{name}", args=[concern.pk, *args])


def start(client, concern, **extra):
    return client.post(url("concern-start", concern), {"start-version": concern.version}, **extra)


def to_resolved(concern, by):
    concern_services.concern_start(concern=concern, by=by, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=by, version=concern.version, resolution="New ballast.")


def fresh(concern):
    return Concern.objects.get(pk=concern.pk)


def steps(response) -> set[str]:
    """The transitions offered on the page, by their data-step marker."""
    return set(re.findall(r'data-step="([a-z_]+)"', response.content.decode()))


# --- the page ----------------------------------------------------------------------------------------


def test_detail_shows_the_concern(client_for, cadre_a, concern):
    response = client_for(cadre_a).get(concern.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for text in (concern.reference, "Switch room lights flicker", "Every night since May.", "Team A", "Open"):
        assert text in page
    assert "Not yet assessed" in page
    assert '<div id="concern-body"' in page
    assert [t.name for t in response.templates][:2] == [
        "fieldwork/concerns/detail.html",
        "base.html",
    ]
    assert "fieldwork/concerns/_detail_body.html" in [t.name for t in response.templates]


def test_overdue_is_marked_with_the_days(client_for, cadre_a, team_a, monkeypatch):
    # Monday 15 June 2026, 10:00 in Shanghai; due Wednesday 10th: Thursday, Friday and Monday are late.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 15, 2, 0, tzinfo=datetime.UTC))
    due = datetime.date(2026, 6, 10)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, due_date=due)
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    assert "3 working days overdue" in page and "data-overdue" in page


def test_not_overdue_when_resolved(client_for, cadre_a, team_a):
    concern = ConcernFactory(
        unit=team_a,
        owner=cadre_a,
        status=Concern.Status.RESOLVED,
        resolution="Done.",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    assert "data-overdue" not in page and "days overdue" not in page
    assert "Done." in page


def test_visit_link_and_public_badge(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    from_visit = ConcernFactory(unit=team_a, visit=visit, source=Concern.Source.VISIT)
    public = ConcernFactory(unit=team_a, source=Concern.Source.PUBLIC)
    client = client_for(cadre_a)
    page = client.get(from_visit.get_absolute_url()).content.decode()
    assert visit.get_absolute_url() in page and "data-public-badge" not in page
    assert "data-public-badge" in client.get(public.get_absolute_url()).content.decode()


def test_contact_is_shown_to_the_owner_and_leaders_only(client, cadre_a, cadre_a2, leader_branch, concern):
    for user, shown in ((cadre_a, True), (leader_branch, True), (cadre_a2, False)):
        client.force_login(user)
        page = client.get(concern.get_absolute_url()).content.decode()
        assert "刘师傅" in page
        assert ("13900001111" in page) is shown, user


def test_nothing_about_an_anonymous_person(client, team_a, cadre_a, leader_branch):
    # Even if a name slipped into the row, an anonymous concern shows none of it.
    concern = ConcernFactory(
        unit=team_a, owner=cadre_a, anonymous=True, raised_by_name="刘师傅", raised_by_contact="13900001111"
    )
    for user in (cadre_a, leader_branch):
        client.force_login(user)
        page = client.get(concern.get_absolute_url()).content.decode()
        assert "刘师傅" not in page and "13900001111" not in page
        assert "Anonymous" in page


def test_buttons_only_for_what_the_user_may_do(client, concern, cadre_a, cadre_a2, leader_branch):
    expected = {
        cadre_a: {"start", "assess", "add_action"},
        cadre_a2: {"add_action"},
        leader_branch: {"start", "assess", "withdraw", "reassign", "set_due", "transfer", "add_action"},
    }
    for user, offered in expected.items():
        client.force_login(user)
        assert steps(client.get(concern.get_absolute_url())) == offered, user
    to_resolved(concern, cadre_a)
    for user, offered in {cadre_a: set(), cadre_a2: {"callback"}, leader_branch: {"callback"}}.items():
        client.force_login(user)
        assert steps(client.get(concern.get_absolute_url())) == offered, user


def test_withdrawal_and_dissatisfaction_ask_for_confirmation(client, concern, cadre_a, cadre_a2, leader_branch):
    client.force_login(leader_branch)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert 'data-confirm="Withdraw this concern?' in page
    to_resolved(concern, cadre_a)
    client.force_login(cadre_a2)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert 'value="dissatisfied" class="btn btn-outline-danger" data-confirm=' in page
    assert 'value="satisfied" class="btn btn-success">' in page  # no question for a satisfied answer


def test_timeline_actions_and_callbacks_are_shown(client_for, concern, cadre_a, cadre_a2, leader_branch):
    action_services.action_add(
        concern=concern, by=cadre_a, description="Order a ballast.", owner=cadre_a2, due_date=timezone.localdate()
    )
    to_resolved(concern, cadre_a)
    callback_services.feedback_record(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        comment="Still flickers.",
    )
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    for text in (
        "Order a ballast.",
        "Work started",
        "Callback recorded",
        "Reopened",
        "Still flickers.",
        "recorded by 李芳",
        "Reopened once",
        "Earlier resolution",
        "internal",
    ):
        assert text in page, text


def test_detail_query_count_does_not_grow(client_for, concern, cadre_a, django_assert_max_num_queries):
    client = client_for(cadre_a)
    client.get(concern.get_absolute_url())
    for n in range(10):
        action_services.action_add(
            concern=concern, by=cadre_a, description=f"Step {n}", owner=cadre_a, due_date=timezone.localdate()
        )
    with django_assert_max_num_queries(20):
        assert client.get(concern.get_absolute_url()).status_code == 200


# --- refusals: who may see and post ------------------------------------------------------------------


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
    to_resolved(concern, cadre_a)
    client.force_login(cadre_a)  # the owner does not grade their own work
    response = client.post(
        url("concern-callback", concern),
        {"callback-version": concern.version, "callback-satisfaction": "satisfied", "callback-channel": "phone"},
    )
    assert response.status_code == 403
    concern = fresh(concern)
    assert concern.status == Concern.Status.RESOLVED and not Feedback.objects.exists()


# --- transitions without JavaScript -------------------------------------------------------------------


def test_start_without_javascript(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    response = start(client, concern)
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert fresh(concern).status == Concern.Status.IN_PROGRESS
    page = client.get(response["Location"]).content.decode()
    assert "Work started." in page


def test_repeated_submit_is_refused_by_the_version(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    start(client, concern)
    response = start(client, concern)  # the same form, sent again
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Someone else changed this concern" in page and "Work started by" in page
    concern = fresh(concern)
    assert concern.version == 2
    assert concern.events.filter(kind=ConcernEvent.Kind.STARTED).count() == 1


def test_two_people_on_the_same_version(client, concern, cadre_a, leader_branch):
    client.force_login(leader_branch)
    client.post(url("concern-assess", concern), {"assess-version": 1, "assess-solvability": "now"})
    client.force_login(cadre_a)  # loaded the page before the leader's change
    response = client.post(url("concern-start", concern), {"start-version": 1}, follow=True)
    page = response.content.decode()
    assert "Someone else changed this concern after you loaded it (Assessed by 李芳" in page
    concern = fresh(concern)
    assert concern.status == Concern.Status.OPEN and concern.solvability == "now"


def test_stale_page_gets_the_conflict_not_a_403(client, concern, cadre_a, cadre_a2, leader_branch):
    """The owner's page predates a reassignment: they learn what changed instead of a bare 403."""
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=cadre_a2)
    client.force_login(cadre_a)
    response = client.post(url("concern-start", concern), {"start-version": 1}, follow=True)
    assert response.status_code == 200
    assert "Owner changed by 李芳" in response.content.decode()


def test_resolve_needs_text_and_shows_the_error_beside_the_field(client_for, cadre_a, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    client = client_for(cadre_a)
    response = client.post(url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page and "Please correct the errors below." in page
    assert "<html" in page  # the full page without JavaScript
    assert fresh(concern).status == Concern.Status.IN_PROGRESS
    response = client.post(
        url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": "New ballast."}
    )
    assert response.status_code == 302
    concern = fresh(concern)
    assert concern.status == Concern.Status.RESOLVED and concern.resolution == "New ballast."


def test_domain_refusal_without_javascript_is_a_message(client_for, cadre_a, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    # A hand-made request: start on a concern already in progress, with the current version.
    response = client_for(cadre_a).post(url("concern-start", concern), {"start-version": 2}, follow=True)
    assert "Only an open concern can be started" in response.content.decode()
    assert fresh(concern).version == 2


def test_callback_dissatisfied_reopens_over_http(client_for, cadre_a, cadre_a2, concern):
    to_resolved(concern, cadre_a)
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client_for(cadre_a2).post(
        url("concern-callback", concern),
        {
            "callback-version": concern.version,
            "callback-satisfaction": "dissatisfied",
            "callback-channel": "in_person",
            "callback-comment": "Still dark.",
            "callback-new_due_date": due.isoformat(),
        },
        follow=True,
    )
    assert "back in progress" in response.content.decode()
    concern = fresh(concern)
    assert concern.status == Concern.Status.IN_PROGRESS and concern.reopen_count == 1 and concern.due_date == due
    feedback = Feedback.objects.get()
    assert feedback.recorded_by == cadre_a2 and feedback.comment == "Still dark." and feedback.channel == "in_person"


def test_callback_satisfied_closes_over_http(client_for, cadre_a, leader_branch, concern):
    to_resolved(concern, cadre_a)
    client_for(leader_branch).post(
        url("concern-callback", concern),
        {"callback-version": concern.version, "callback-satisfaction": "satisfied", "callback-channel": "phone"},
    )
    assert fresh(concern).status == Concern.Status.CLOSED


def test_callback_form_refuses_self_service_and_missing_answer(client_for, cadre_a, cadre_a2, concern):
    to_resolved(concern, cadre_a)
    client = client_for(cadre_a2)
    for data in (
        {"callback-satisfaction": "satisfied", "callback-channel": "self_service"},
        {"callback-channel": "phone"},
    ):
        response = client.post(url("concern-callback", concern), {"callback-version": concern.version, **data})
        assert response.status_code == 200 and "Please correct the errors below." in response.content.decode()
    assert fresh(concern).status == Concern.Status.RESOLVED


def test_leader_withdraws_reassigns_and_moves_the_due_date(client_for, leader_branch, cadre_a2, concern):
    client = client_for(leader_branch)
    due = timezone.localdate() + datetime.timedelta(days=45)
    client.post(url("concern-set-due", concern), {"set_due-version": 1, "set_due-due_date": due.isoformat()})
    client.post(url("concern-reassign", concern), {"reassign-version": 2, "reassign-owner": cadre_a2.pk})
    response = client.post(url("concern-withdraw", concern), {"withdraw-version": 3, "withdraw-reason": ""})
    assert "This field is required." in response.content.decode()
    client.post(url("concern-withdraw", concern), {"withdraw-version": 3, "withdraw-reason": "A duplicate."})
    concern = fresh(concern)
    assert (concern.due_date, concern.owner, concern.status) == (due, cadre_a2, Concern.Status.WITHDRAWN)


def test_reassign_form_offers_only_people_of_the_unit(client_for, leader_branch, concern, cadre_b_other_team):
    client = client_for(leader_branch)
    response = client.post(
        url("concern-reassign", concern), {"reassign-version": 1, "reassign-owner": cadre_b_other_team.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert fresh(concern).owner.username == "cadre_a"


def test_set_due_in_the_past_is_refused(client_for, leader_branch, concern):
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(leader_branch).post(
        url("concern-set-due", concern), {"set_due-version": 1, "set_due-due_date": past.isoformat()}
    )
    assert "cannot be in the past" in response.content.decode()
    assert fresh(concern).version == 1


# --- actions over HTTP --------------------------------------------------------------------------------


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


# --- with htmx -----------------------------------------------------------------------------------------


def test_htmx_post_returns_the_fragment(client_for, cadre_a, concern):
    response = start(client_for(cadre_a), concern, **HTMX)
    assert response.status_code == 200
    assert response.templates[0].name == "fieldwork/concerns/_detail_body.html"
    page = response.content.decode()
    assert "<html" not in page and 'id="concern-body"' not in page
    assert "In progress" in page and "Work started." in page
    assert 'name="resolve-version" value="2"' in page  # the next form carries the new version
    assert fresh(concern).status == Concern.Status.IN_PROGRESS


def test_htmx_and_full_page_show_the_same_body(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    fragment = client.get(concern.get_absolute_url(), **HTMX).content.decode()
    full = client.get(concern.get_absolute_url()).content.decode()
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew on each render
    assert unmasked.sub("", fragment).strip() in unmasked.sub("", full)


def test_htmx_refusal_is_shown_in_the_fragment(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    start(client, concern, **HTMX)
    response = start(client, concern, **HTMX)  # repeated, stale
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert-danger" in page and "Someone else changed this concern" in page
    response = client.post(url("concern-resolve", concern), {"resolve-version": 2}, **HTMX)
    assert "This field is required." in response.content.decode() and "<html" not in response.content.decode()
    assert fresh(concern).version == 2


def test_forms_post_to_their_own_urls_with_htmx_and_without(client_for, leader_branch, concern):
    page = client_for(leader_branch).get(concern.get_absolute_url()).content.decode()
    for name in (
        "concern-start",
        "concern-assess",
        "concern-withdraw",
        "concern-reassign",
        "concern-set-due",
        "concern-action-create",
    ):
        target = url(name, concern)
        assert f'action="{target}" hx-post="{target}"' in page, name
    assert 'name="start-version" value="1"' in page
    assert page.count("csrfmiddlewaretoken") >= 6


# --- nothing is deleted -------------------------------------------------------------------------------


def test_admin_refuses_to_delete_a_concern(client, concern):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    delete_url = reverse("admin:fieldwork_concern_delete", args=[concern.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:fieldwork_concern_changelist"),
        {"action": "delete_selected", "_selected_action": [concern.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert not LogEntry.objects.filter(action_flag=3).exists()
    changelist = client.get(reverse("admin:fieldwork_concern_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_invalid_form_on_a_stale_page_gets_the_conflict(client_for, cadre_a, leader_branch, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=2, due_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    response = client_for(cadre_a).post(
        url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": ""}, **HTMX
    )
    page = response.content.decode()
    assert "Someone else changed this concern" in page and "Due date changed by 李芳" in page
    assert "Please correct the errors below." not in page


def test_invalid_action_form_on_a_closed_concern_says_why(client_for, cadre_a, leader_branch, concern):
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="Duplicate.")
    response = client_for(cadre_a).post(url("concern-action-create", concern), {"action-description": ""}, **HTMX)
    assert "Actions are added only to an open or in-progress concern" in response.content.decode()
