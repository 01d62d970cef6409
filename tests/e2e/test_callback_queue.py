"""The callback loop on a phone: the owner resolves a concern, it is in a colleague's queue on 我的工作
at once, one tap opens the callback form, and a satisfied callback closes it saying so."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import PHONE, listen_for_errors, shot, sign_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True)


def test_resolution_to_queue_to_satisfied_callback(browser, live_server, cadre_a, cadre_a2, team_a, console_errors):
    concern = concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(
            title="食堂夜班没有热饭", category=category("daily_hardship"), raised_by_name="刘师傅"
        ),
        by=cadre_a,
        owner=cadre_a,
    )
    owner = browser.new_context(viewport=PHONE).new_page()
    caller = browser.new_context(viewport=PHONE).new_page()
    for person in (owner, caller):
        listen_for_errors(person, console_errors)
    sign_in(owner, live_server, "cadre_a")
    sign_in(caller, live_server, "cadre_a2")

    owner.goto(f"{live_server.url}/concerns/{concern.pk}/")
    owner.get_by_role("button", name="Start work").click()
    expect(owner.locator(".badge", has_text="In progress").first).to_be_visible()
    owner.locator("summary", has_text="Mark resolved").click()
    owner.locator("#id_resolve-resolution").fill("夜班加了一顿热饭。")
    owner.get_by_role("button", name="Mark resolved").click()
    expect(owner.locator("[data-callback-waiting]")).to_contain_text("赵强 will ask the person")

    caller.goto(f"{live_server.url}/")
    row = caller.locator(f"[data-callback-row='{concern.pk}']")
    expect(row).to_contain_text("食堂夜班没有热饭")
    expect(caller.locator("[data-callback-count]")).to_have_text("1")
    shot(caller, "phone-my-work-callback-queue")
    row.locator("[data-callback-link]").click()
    form = caller.locator("details[data-step=callback]")
    expect(form).to_have_attribute("open", "")
    caller.locator("#id_callback-comment").fill("热饭很好")
    caller.get_by_role("button", name="Satisfied", exact=True).click()
    expect(caller.locator("[data-status=closed]")).to_have_text("Closed: the person is satisfied")
    shot(caller, "phone-callback-closed-satisfied")

    caller.goto(f"{live_server.url}/")
    expect(caller.locator("[data-callback-row]")).to_have_count(0)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.callback_due is None
    assert console_errors == []
