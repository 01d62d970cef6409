"""Job 2 in a real browser: the owner follows a concern to its end, and the person's dissatisfaction
reopens it (有过必改) until a satisfied callback closes it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork.models import Concern, ConcernEvent
from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import DESKTOP, PHONE, listen_for_errors, shot, sign_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True)


def resolve(page, text):
    page.locator("summary", has_text="Mark resolved").click()
    page.locator("#id_resolve-resolution").fill(text)
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".badge", has_text="Resolved").first).to_be_visible()


def callback(page, answer, comment):
    page.locator("summary", has_text="Record the callback").click()
    page.locator("#id_callback-comment").fill(comment)
    page.once("dialog", lambda dialog: dialog.accept())  # a dissatisfied callback asks for confirmation
    page.get_by_role("button", name=answer, exact=True).click()


def test_owner_and_leader_follow_a_concern_to_the_persons_satisfaction(
    browser, live_server, cadre_a, leader_branch, team_a, console_errors
):
    concern = concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(title="宿舍热水器坏了", category=category("daily_hardship")),
        by=cadre_a,
        owner=cadre_a,
    )
    url = f"{live_server.url}/concerns/{concern.pk}/"
    owner = browser.new_context(viewport=PHONE).new_page()
    leader = browser.new_context(viewport=DESKTOP).new_page()
    for person in (owner, leader):
        listen_for_errors(person, console_errors)
    sign_in(owner, live_server, "cadre_a")
    sign_in(leader, live_server, "leader_branch")

    owner.goto(url)
    owner.get_by_role("button", name="Start work").click()
    expect(owner.locator(".badge", has_text="In progress").first).to_be_visible()
    owner.locator("summary", has_text="Add an action").click()
    owner.locator("#id_action-description").fill("Ask the maintenance team to replace the heater")
    owner.locator("#id_action-due_date").fill((timezone.localdate() + timezone.timedelta(days=3)).isoformat())
    owner.get_by_role("button", name="Add action").click()
    expect(owner.get_by_text("Ask the maintenance team to replace the heater", exact=True)).to_be_visible()
    resolve(owner, "A new heater was fitted.")
    shot(owner, "phone-concern-resolved")

    leader.goto(url)
    callback(leader, "Dissatisfied: reopen", "水温还是不够")
    expect(leader.locator(".badge", has_text="In progress").first).to_be_visible()
    assert Concern.objects.get(pk=concern.pk).reopen_count == 1

    owner.goto(url)
    resolve(owner, "The heater's thermostat was set right and checked with the residents.")
    leader.goto(url)
    callback(leader, "Satisfied", "现在好了")
    expect(leader.locator(".badge", has_text="Closed").first).to_be_visible()
    shot(leader, "desktop-concern-closed")

    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    kinds = list(concern.events.values_list("kind", flat=True))
    assert kinds == [
        ConcernEvent.Kind.RAISED,
        ConcernEvent.Kind.STARTED,
        ConcernEvent.Kind.ACTION_ADDED,
        ConcernEvent.Kind.RESOLVED,
        ConcernEvent.Kind.CALLBACK,
        ConcernEvent.Kind.REOPENED,
        ConcernEvent.Kind.RESOLVED,
        ConcernEvent.Kind.CALLBACK,
        ConcernEvent.Kind.CLOSED,
    ]
    owner.goto(url)  # the whole timeline, read by the owner
    for text in ["水温还是不够", "现在好了"]:
        expect(owner.get_by_text(text).first).to_be_attached()
    assert console_errors == []
