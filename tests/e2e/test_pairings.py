"""Pairings on a phone: the cadre opens a paired worker from My work, records help given, and on the
concern form checks for similar concerns with htmx and links the new concern as a repeat."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork.models import Concern, HelpGiven, Pairing, Person
from fieldwork.services import pairings as pairing_services
from tests.e2e.conftest import PHONE, listen_for_errors, shot, sign_in
from tests.factories import ConcernFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cadre_on_a_phone_follows_a_paired_worker(
    browser, live_server, cadre_a, leader_team_a, team_a, console_errors
):
    worker = Person.objects.create(unit=team_a, name="刘建国")
    pairing_services.pairing_start(
        by=leader_team_a, person=worker, cadre=cadre_a, reason=Pairing.Reason.ILLNESS, starts_on=timezone.localdate()
    )
    ConcernFactory(unit=team_a, category=category(), title="夜班食堂没有热饭", person=worker)  # a contact today
    page = browser.new_context(viewport=PHONE).new_page()
    listen_for_errors(page, console_errors)
    sign_in(page, live_server, "cadre_a")

    page.goto(f"{live_server.url}/my-work/")
    section = page.locator("#section-pairings")
    expect(section).to_contain_text("Last contact 0 days ago")  # the concern from the worker, raised today
    section.get_by_role("link", name="刘建国").click()
    page.locator("#id_what").fill("送去慰问金")
    page.locator("#id_value").fill("500")
    page.get_by_role("button", name="Record help given").click()
    expect(page.locator("#help-given")).to_contain_text("送去慰问金")
    assert HelpGiven.objects.get().value == 500
    shot(page, "phone-pairing")
    assert console_errors == []


def check_similar(page, live_server, team_a, earlier):
    page.goto(f"{live_server.url}/concerns/new/")
    page.locator("#id_unit").select_option(str(team_a.pk), force=True)  # behind Tom Select
    page.locator("#id_category").select_option(str(category().pk))
    page.locator("#id_title").fill("夜班没有热饭")
    page.get_by_role("button", name="Check for similar concerns").click()  # the page comes back with the results
    choice = page.locator(f"#repeat_of_{earlier.pk}")
    expect(choice).to_be_visible()
    choice.check()
    shot(page, "phone-similar-concerns")


@pytest.fixture
def named_concern(team_a):
    worker = Person.objects.create(unit=team_a, name="刘建国")
    return ConcernFactory(unit=team_a, category=category(), title="夜班食堂没有热饭", person=worker)


def test_the_check_lists_the_similar_concern_on_a_phone(
    browser, live_server, cadre_a, team_a, named_concern, console_errors
):
    page = browser.new_context(viewport=PHONE).new_page()
    listen_for_errors(page, console_errors)
    sign_in(page, live_server, "cadre_a")
    check_similar(page, live_server, team_a, named_concern)
    assert Concern.objects.count() == 1  # the check saved nothing
    assert console_errors == []


def test_the_concern_is_raised_as_a_repeat_after_the_check(
    browser, live_server, cadre_a, team_a, named_concern, console_errors
):
    earlier = named_concern
    page = browser.new_context(viewport=PHONE).new_page()
    listen_for_errors(page, console_errors)
    sign_in(page, live_server, "cadre_a")
    check_similar(page, live_server, team_a, earlier)
    page.get_by_role("button", name="Raise concern").click()
    page.wait_for_url(lambda url: "/concerns/new/" not in url, timeout=10000)
    assert Concern.objects.exclude(pk=earlier.pk).get().repeat_of == earlier
    assert console_errors == []
