"""The channel of supervision in a real browser: a person raises a concern on a phone, keeps the
receipt code, and once it is resolved gives the callback themself."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import PHONE, accessibility_problems, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_person_raises_follows_and_judges_a_concern(page, live_server, team_a, leader_branch, cadre_a, console_errors):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/s/{team_a.code}/")
    assert accessibility_problems(page) == []
    page.get_by_label("What happened?").fill("The changing room at the substation has no heating this winter.")
    page.get_by_label("What is it about?").select_option(label="Working conditions")
    shot(page, "phone-public-raise-filled")
    page.get_by_role("button", name="Send").click()

    code = page.locator("[data-receipt-code]").inner_text().strip()
    assert len(code.replace("-", "")) == 12
    shot(page, "phone-public-receipt")
    concern = Concern.objects.get(source=Concern.Source.PUBLIC)
    assert concern.unit == team_a and concern.anonymous

    # The unit works on it (the cadre's side is covered by the other browser tests).
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=concern.version, owner=cadre_a)
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    concern_services.concern_resolve(
        concern=concern, by=cadre_a, version=concern.version, resolution="Heater installed."
    )

    page.goto(f"{live_server.url}/s/track/")
    page.get_by_label("Your receipt code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Look it up").click()
    expect(page.locator("[data-tracked-concern]")).to_contain_text("Resolved")
    assert "cadre_a" not in page.content()  # no names on the public page
    shot(page, "phone-public-track-resolved")
    page.get_by_role("button", name="Satisfied", exact=True).click()
    expect(page.locator("[data-tracked-concern]")).to_contain_text("Closed")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert concern.feedback.get().recorded_by is None
    assert console_errors == []
