"""A withdrawal and a dissatisfied callback ask first, in a real browser: cancelling sends nothing,
confirming does the step and says so."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import DESKTOP, sign_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True)


def posts(page) -> list[str]:
    """The URLs of the forms the page sends, as they go."""
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    return sent


def answer_next_dialog(page, accept: bool) -> list[str]:
    """Answer the next confirmation; returns the list its message is put in."""
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def test_withdrawal_asks_first(page, live_server, leader_branch, cadre_a, team_a, console_errors):
    concern = concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(title="Raised twice", category=category()),
        by=cadre_a,
        owner=cadre_a,
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.locator("summary", has_text="Withdraw").click()
    page.locator("#id_withdraw-reason").fill("The same as FW-2026-000001.")
    withdraw = page.get_by_role("button", name="Withdraw", exact=True)

    sent = posts(page)
    asked = answer_next_dialog(page, accept=False)
    withdraw.click()
    page.wait_for_timeout(300)  # time for a request that should not go
    assert sent == []
    expect(page.locator("#id_withdraw-reason")).to_have_value("The same as FW-2026-000001.")
    assert asked == ["Withdraw this concern? It will not be worked on any more."]
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.OPEN

    answer_next_dialog(page, accept=True)
    withdraw.click()
    expect(page.get_by_text("The concern was withdrawn.")).to_be_visible()
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.WITHDRAWN
    assert console_errors == []


def test_a_dissatisfied_callback_asks_first(page, live_server, leader_branch, cadre_a, team_a, console_errors):
    concern = concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(title="No hot water", category=category()),
        by=cadre_a,
        owner=cadre_a,
    )
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    concern.refresh_from_db()
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=concern.version, resolution="Heater fixed.")
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.locator("summary", has_text="Record the callback").click()
    dissatisfied = page.get_by_role("button", name="Dissatisfied: reopen", exact=True)

    sent = posts(page)
    asked = answer_next_dialog(page, accept=False)
    dissatisfied.click()
    page.wait_for_timeout(300)  # time for a request that should not go
    assert sent == []
    assert asked == ["The person is not satisfied: reopen the concern with a new due date?"]
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.RESOLVED

    answer_next_dialog(page, accept=True)
    dissatisfied.click()
    expect(page.get_by_text("Callback recorded: not satisfied")).to_be_visible()
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.IN_PROGRESS
    assert console_errors == []
