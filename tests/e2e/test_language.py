"""Switching between Chinese and English keeps the person on the same page, filters included."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, accessibility_problems, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_switching_language_keeps_the_page(page, live_server, leader_branch, team_a, console_errors):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/visits/?form=symposium")
    expect(page.get_by_role("heading", name="Visits")).to_be_visible()

    page.get_by_label("Language").select_option("zh-hans")  # app.js submits the switcher on change
    page.wait_for_url(f"{live_server.url}/visits/?form=symposium")
    expect(page.get_by_role("heading", name="走访", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert accessibility_problems(page) == []
    shot(page, "desktop-visits-zh")

    page.get_by_label("语言").select_option("en")
    page.wait_for_url(f"{live_server.url}/visits/?form=symposium")
    expect(page.get_by_role("heading", name="Visits")).to_be_visible()
    assert console_errors == []
