"""A cadre on a phone keeps confidential notes of a heart-to-heart talk and names the party secretary as
a reader; the secretary reads them; another cadre of the team opens the same talk and finds no trace of
them, and the phone's storage never held them."""

import re

import pytest
from playwright.sync_api import expect

from fieldwork.models import ConfidentialNote, Visit
from tests.e2e.conftest import PHONE, accessibility_problems, listen_for_errors, shot, sign_in
from tests.talks.conftest import SECRET, secretary  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    listen_for_errors(page, errors)
    return context, page, errors


def test_confidential_notes_of_a_talk_on_a_phone(browser, live_server, cadre_a, cadre_a2, secretary, team_a):  # noqa: F811
    context, page, errors = _phone(browser)
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_label("People reached").fill("1")
    page.get_by_label("Heart-to-heart talk").check()
    page.get_by_label("What was heard").fill("谈了工作安排，情绪稳定。")
    notes = page.get_by_label("Confidential notes")
    assert notes.get_attribute("data-never-offline") is not None
    notes.fill(SECRET)
    page.get_by_label("Also readable by").fill("孙")
    page.locator("#id_note-readers-matches").get_by_label(re.compile("孙敏")).check()
    # app.js moves the person chosen up among the chosen: wait for the page to settle before going on
    expect(page.locator("#confidential-notes [data-picker-chosen]")).to_contain_text("孙敏")
    expect(page.locator("#id_note-readers-matches input")).to_have_count(0)
    assert accessibility_problems(page) == []
    shot(page, "phone-talk-notes-entry")
    save = page.get_by_role("button", name="Save visit")
    # Chromium scrolls the sticky bar by a few pixels when focus moves to its button on mousedown, so
    # the mouseup lands beside it and no click fires (seen with a checkbox of the picker focused):
    # focus the button first, as a finger's tap would leave it.
    save.focus()
    save.click()
    expect(page.get_by_text("Visit saved.")).to_be_visible()
    expect(page.locator("#confidential-notes")).to_contain_text(SECRET)
    shot(page, "phone-talk-notes-author")
    stored = page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
    assert SECRET not in stored
    visit = Visit.objects.get()
    assert list(ConfidentialNote.objects.get(visit=visit).readers.all()) == [secretary]
    assert errors == []
    context.close()

    context, page, errors = _phone(browser)
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    expect(page.locator("#confidential-notes")).to_contain_text(SECRET)
    assert errors == []
    context.close()

    context, page, errors = _phone(browser)
    sign_in(page, live_server, "cadre_a2")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    expect(page.get_by_text("谈了工作安排，情绪稳定。")).to_be_visible()  # the shareable summary
    expect(page.get_by_text("readable only by their author and the people they named")).to_be_visible()
    assert SECRET not in page.content()
    shot(page, "phone-talk-notes-other-cadre")
    assert errors == []
    context.close()
