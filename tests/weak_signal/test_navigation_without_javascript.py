"""Item 4 of issue 19 checked on every signed-in page: on a phone with JavaScript off, the menu opens
from each page and each of its links leads where it says; and no link or control is nested inside
another control (a <summary> or a button) anywhere on the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, sign_in
from tests.nojs_menu.test_no_links_inside_controls import Nesting

pytestmark = pytest.mark.django_db(transaction=True)

NAV_LINKS = ["My work", "Visits", "Concerns", "Overdue", "Callbacks", "Units", "Supervised", "Log a visit"]


def pages(concern, team_a) -> dict[str, str]:
    return {
        "my work": "/",
        "visits": "/visits/",
        "visit entry": "/visits/new/",
        "concerns": "/concerns/",
        "concern": f"/concerns/{concern.pk}/",
        "raise a concern": "/concerns/new/",
        "supervised": "/concerns/supervised/",
        "overdue": "/overdue/",
        "callbacks": "/callbacks/",
        "units": "/units/",
        "dashboard": f"/units/{team_a.pk}/dashboard/",
        "ledger": "/reports/ledger/",
        "exports": "/exports/",
    }


def test_every_signed_in_page_opens_the_menu_without_javascript(browser, live_server, cadre_a, team_a, concern):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    nav = page.locator("#nav")
    for number, (name, path) in enumerate(pages(concern, team_a).items()):
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        expect(nav).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(nav).to_be_visible()
        for label in NAV_LINKS:
            expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
        link = nav.get_by_role("link", name=NAV_LINKS[number % len(NAV_LINKS)], exact=True)
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url(re.compile(re.escape(f"{live_server.url}{href}") + "$"))
    context.close()


def test_no_page_nests_a_control_in_another(client_for, cadre_a, team_a, concern, sub_a):
    client = client_for(cadre_a)
    found = {}
    for name, path in pages(concern, team_a).items():
        response = client.get(path)
        assert response.status_code == 200, name
        parser = Nesting()
        parser.feed(response.content.decode())
        if parser.found:
            found[name] = sorted(set(parser.found))
    assert found == {}, found
