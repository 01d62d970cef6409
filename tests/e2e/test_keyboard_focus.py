"""Keyboard focus is visible: tabbing through the first controls of the main pages, each focused
element shows an outline or a ring, and is on screen."""

import pytest
from playwright.sync_api import expect

from fieldwork.services import concerns as concern_services
from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True)

TABS = 25  # the header takes ten on a desktop: go well into the page
MIN_STOPS = 5

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  // Tom Select's typing field shows its focus on the box around it, as the person sees it.
  const style = getComputedStyle(element.closest(".ts-control") || element);
  const box = element.getBoundingClientRect();
  return {
    element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + " " + (element.innerText || element.value || element.getAttribute("aria-label") || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    ring: style.boxShadow !== "none",
    shown: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
  };
}"""


def focus_problems(page) -> list[str]:
    """Tab through the first controls of a freshly loaded page; what was focused without a visible
    indicator, or focused off screen."""
    problems = []
    for step in range(TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last control: a short page
            if step < MIN_STOPS:
                problems.append(f"only {step} controls reached by the keyboard")
            break
        if not (focused["outline"] or focused["ring"]):
            problems.append("no focus indicator on " + focused["element"])
        if not focused["shown"]:
            problems.append("focused but not shown: " + focused["element"])
    return problems


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_keyboard_focus_is_visible_on_the_main_pages(page, live_server, size, cadre_a, team_a, branch, console_errors):
    page.set_viewport_size(size)
    concern = concern_services.concern_create(
        unit=team_a,
        data=concern_services.ConcernInput(title="宿舍热水器坏了", category=category("daily_hardship")),
        by=cadre_a,
        owner=cadre_a,
    )
    sign_in(page, live_server, "cadre_a")
    pages = {
        "my work": "/",
        "visit entry": "/visits/new/",
        "concern detail": f"/concerns/{concern.pk}/",
        "dashboard": f"/units/{team_a.pk}/dashboard/",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_be_visible()
        found = focus_problems(page)
        if found:
            problems[name] = found
    assert problems == {}
    assert console_errors == []
