"""Job 1 in a real browser: a cadre on a phone logs a visit with two concerns and finds them on my work."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Concern, Visit
from tests.e2e.conftest import PHONE, accessibility_problems, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_cadre_logs_a_visit_with_two_concerns_on_a_phone(page, live_server, cadre_a, team_a, console_errors):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "cadre_a")
    assert accessibility_problems(page) == []
    shot(page, "phone-my-work-empty")

    page.get_by_role("link", name="Log a visit").first.click()
    expect(page.get_by_role("heading", name="Log a visit")).to_be_visible()
    # The cadre's only unit is chosen already; the date defaults to today.
    page.get_by_label("People reached").fill("6")
    page.get_by_label("Heart-to-heart talk").check()
    page.get_by_label("Location").fill("变电站值班室")
    page.get_by_label("What was heard").fill("夜班职工反映食堂和劳保用品的问题。")
    page.get_by_label("Pragmatic dedication").check()

    add = page.get_by_role("button", name="Add a concern")
    add.click()
    page.locator("#id_concerns-0-title").fill("夜班食堂没有热饭")
    page.locator("#id_concerns-0-category").select_option(label="Hardship in daily life")
    page.locator("#id_concerns-0-priority").select_option("urgent")
    page.locator("#id_concerns-0-raised_by_name").fill("刘师傅")
    add.click()
    page.locator("#id_concerns-1-title").fill("Work boots wear out in a month")
    page.locator("#id_concerns-1-category").select_option(label="Working conditions")
    page.locator("#id_concerns-1-anonymous").check()
    assert accessibility_problems(page) == []
    shot(page, "phone-visit-entry-filled")

    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved with 2 concerns.")).to_be_visible()
    shot(page, "phone-visit-saved")
    visit = Visit.objects.get()
    assert visit.people_reached == 6 and visit.unit == team_a
    assert set(Concern.objects.values_list("title", flat=True)) == {
        "夜班食堂没有热饭",
        "Work boots wear out in a month",
    }

    page.get_by_role("button", name="Menu").click()  # the phone's collapsed navigation
    page.get_by_role("link", name="My work").first.click()
    expect(page.get_by_text("夜班食堂没有热饭")).to_be_visible()
    expect(page.get_by_text("Work boots wear out in a month")).to_be_visible()
    shot(page, "phone-my-work-after-visit")
    assert console_errors == []


def test_the_form_works_without_javascript(browser, live_server, cadre_a, team_a):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_label("People reached").fill("2")
    page.get_by_label("Symposium").check()
    page.get_by_role("button", name="Add a concern").click()  # a full round trip adds a blank concern form
    page.locator("#id_concerns-0-title").fill("Leaking roof in the dormitory")
    page.locator("#id_concerns-0-category").select_option(label="Hardship in daily life")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved with 1 concern.")).to_be_visible()
    assert Concern.objects.get().title == "Leaking roof in the dormitory"
    context.close()
