"""The type-ahead in a real browser on a phone: type initials, choose with the keyboard, save."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Visit
from tests.e2e.conftest import (  # noqa: F401  (the browser's launch arguments and console fixture)
    PHONE,
    accessibility_problems,
    browser_type_launch_args,
    console_errors,
    shot,
    sign_in,
)
from tests.people.conftest import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_cadre_finds_two_colleagues_by_initials_on_a_phone(page, live_server, cadre_a, team_a, console_errors):  # noqa: F811
    wang = person(team_a, "王", "卫国")
    zeng = person(team_a, "曾", "国藩")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_label("People reached").fill("3")
    page.get_by_label("Heart-to-heart talk").check()
    page.get_by_label("What was heard").fill("谈了夜班的安排。")  # a visit says what was heard (or raises a concern)

    page.evaluate("window.notReloaded = true")  # gone if anything below sent the form
    box = page.get_by_label("Other cadres present")
    box.fill("wwg")  # typed: htmx asks /people/search/ after a pause
    match = page.get_by_role("checkbox", name="王卫国")
    expect(match).to_be_visible()
    box.press("ArrowDown")  # from the box into the list, then Space chooses
    expect(match).to_be_focused()
    page.keyboard.press("Space")
    expect(match).to_be_checked()

    box.fill("cgf")  # 曾 read ceng: the second person; the first stays chosen
    box.press("Enter")  # Enter searches, it does not send the form
    second = page.get_by_role("checkbox", name="曾国藩")
    expect(second).to_be_visible()
    second.check()
    expect(page.get_by_role("checkbox", name="王卫国")).to_be_checked()
    assert page.evaluate("window.notReloaded === true") and not Visit.objects.exists()
    shot(page, "phone-people-picker")
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved.")).to_be_visible()
    assert set(Visit.objects.get().cadres.all()) >= {wang, zeng}
    assert console_errors == []
