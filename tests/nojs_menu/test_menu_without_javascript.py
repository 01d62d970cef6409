"""The phone's menu opens without JavaScript, and every link of the navigation is reachable from it
(issue 19, item 4); with JavaScript it still opens and closes as before (Bootstrap's collapse)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NAV_LINKS = ["My work", "Visits", "Concerns", "Overdue", "Callbacks", "Units", "Supervised", "Log a visit"]


def test_the_menu_opens_and_every_link_is_reached_without_javascript(browser, live_server, cadre_a, team_a):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    nav = page.locator("#nav")
    for name in NAV_LINKS:
        page.goto(f"{live_server.url}/visits/new/")  # a page with a form, the longest on a phone
        expect(nav).to_be_hidden()  # collapsed on a phone
        page.get_by_role("button", name="Menu").click()
        expect(nav).to_be_visible()
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url(re.compile(re.escape(f"{live_server.url}{href}") + "$"))
        expect(page.locator("main")).to_be_visible()
    # sign out is in the menu too
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    context.close()


def test_with_javascript_the_menu_opens_and_closes_in_place(browser, live_server, cadre_a, team_a):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    url = page.url
    nav = page.locator("#nav")
    toggler = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    toggler.click()
    expect(nav).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav).to_have_class(re.compile(r"\bshow\b"))  # opened (Bootstrap ignores a click while it slides)
    assert page.url == url  # Bootstrap's collapse: the link to #nav is not followed
    toggler.click()
    expect(nav).to_be_hidden()
    expect(nav).not_to_have_class(re.compile(r"\bcollapsing\b"))
    nav_link = nav.get_by_role("link", name="Visits", exact=True)
    toggler.click()
    nav_link.click()
    page.wait_for_url(f"{live_server.url}{reverse('fieldwork:visit-list')}")
    context.close()


def test_on_a_desktop_the_links_show_without_the_toggler(browser, live_server, cadre_a, team_a):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    for name in NAV_LINKS:
        expect(page.locator("#nav").get_by_role("link", name=name, exact=True)).to_be_visible()
    context.close()


def test_a_tap_before_the_scripts_ran_leaves_the_menu_open(browser, live_server, cadre_a, team_a):
    """The toggler followed as a link (#nav) before app.js ran: once it runs, the menu stays open,
    now Bootstrap's, and closes with the next tap."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/#nav")
    nav = page.locator("#nav")
    expect(nav).to_have_class(re.compile(r"\bshow\b"))
    expect(nav.get_by_role("link", name="Concerns", exact=True)).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(nav).to_be_hidden()
    context.close()
