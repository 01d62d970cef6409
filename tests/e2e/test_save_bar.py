"""On a phone the visit form's save bar sticks to the bottom of the screen; the field the keyboard is
in is never behind it (issue 19: it covered the focused field at 6 of 42 tab stops). Tabbing through
every stop of the form with two concerns added, each focused element is clear of the bar."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Bootstrap scrolls smoothly (scroll-behavior: smooth): read the places once the page has stopped moving.
SETTLED = """() => new Promise((resolve) => {
  let last = window.scrollY, still = 0;
  const check = () => {
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
    if (still >= 6) resolve(last); else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})"""

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const bar = document.querySelector(".sticky-actions");
  const box = element.getBoundingClientRect();
  const barBox = bar.getBoundingClientRect();
  return {
    name: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.name ? "[" + element.name + "]" : "") + " "
      + (element.innerText || element.value || element.getAttribute("aria-label") || "").trim().slice(0, 30),
    inBar: bar.contains(element),
    top: box.top, bottom: box.bottom, left: box.left, right: box.right,
    barTop: barBox.top, barBottom: barBox.bottom,
    overlaps: box.bottom > barBox.top && box.top < barBox.bottom && box.right > barBox.left
      && box.left < barBox.right && box.height > 0,
    inView: box.top >= 0 && box.bottom <= window.innerHeight,
  };
}"""


def test_no_tab_stop_of_the_visit_form_is_behind_the_save_bar(page, live_server, cadre_a, team_a, console_errors):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/visits/new/")
    add = page.get_by_role("button", name="Add a concern")
    add.click()
    expect(page.locator("#id_concerns-0-title")).to_be_visible()
    add.click()
    expect(page.locator("#id_concerns-1-title")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("a.visually-hidden-focusable").focus()  # the first stop of the page: "Skip to content"

    stops, hidden, first = [], [], None
    for _ in range(200):
        page.evaluate(SETTLED)
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["name"] == first:  # past the last stop, or round again
            break
        first = first or focused["name"]
        stops.append(focused["name"])
        if not focused["inView"]:
            hidden.append(f"{focused['name']} off screen ({focused['top']:.0f}-{focused['bottom']:.0f})")
        if not focused["inBar"] and focused["overlaps"]:
            where = f"{focused['top']:.0f}-{focused['bottom']:.0f}, bar at {focused['barTop']:.0f}"
            hidden.append(f"{focused['name']} behind the bar ({where})")
        page.keyboard.press("Tab")
    # the header's, the form's with two concerns, the bar's, the footer's: 40 when this was written
    assert len(stops) >= 36, stops
    assert any("concerns-1-" in stop for stop in stops) and any("Save visit" in stop for stop in stops), stops
    assert hidden == [], "\n".join(hidden)
    assert console_errors == []
