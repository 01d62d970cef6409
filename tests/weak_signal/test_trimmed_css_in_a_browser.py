"""The trimmed Bootstrap stylesheet styles the pages exactly as the whole one: in Chromium, every
element's computed style (and its ::before and ::after) on the main pages, on a phone with the menu
open, and on a form showing its errors, is the same with either stylesheet."""

import difflib
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FULL = "vendor/bootstrap-5.3.9/bootstrap.min.css"

STYLES = """() => {
  const out = {};
  const all = document.querySelectorAll("body *");
  all.forEach((element, index) => {
    const classes = typeof element.className === "string" ? element.className.trim().split(/\\s+/) : [];
    const key = index + " " + element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (classes.length && classes[0] ? "." + classes.join(".") : "");
    const parts = [];
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      for (let i = 0; i < style.length; i++) {
        const name = style[i];
        if (name.startsWith("transition") || name.startsWith("animation")) continue;
        parts.push((pseudo || "") + name + ":" + style.getPropertyValue(name));
      }
    }
    out[key] = parts.join(";");
  });
  return out;
}"""


def differences(page, live_server, path: str, then=None) -> list[str]:
    """Styles on `path` with the trimmed stylesheet, then with the whole one served in its place."""
    full = (live_server_static_root() / FULL).read_text()
    page.unroute("**/bootstrap.trimmed.min.css*")
    page.goto(live_server.url + path, wait_until="networkidle")  # htmx's and the picker's requests done
    if then:
        then(page)
    trimmed = page.evaluate(STYLES)
    page.route("**/bootstrap.trimmed.min.css*", lambda route: route.fulfill(body=full, content_type="text/css"))
    page.goto(live_server.url + path, wait_until="networkidle")  # htmx's and the picker's requests done
    if then:
        then(page)
    whole = page.evaluate(STYLES)
    page.unroute("**/bootstrap.trimmed.min.css*")
    strip = lambda keys: [k.split(" ", 1)[1] for k in keys]  # noqa: E731
    extra = list(difflib.unified_diff(strip(whole), strip(trimmed), lineterm="", n=1))
    assert len(trimmed) == len(whole) > 20, (path, then, extra)
    found = []
    for key, style in whole.items():
        if trimmed.get(key) != style:
            a = dict(p.split(":", 1) for p in style.split(";") if ":" in p)
            b = dict(p.split(":", 1) for p in (trimmed.get(key) or "").split(";") if ":" in p)
            changed = sorted(k for k in a if a.get(k) != b.get(k))[:6]
            found.append(f"{path} {key}: {', '.join(f'{k} {a[k]!r} != {b.get(k)!r}' for k in changed)}")
    return found


def live_server_static_root():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.BASE_DIR) / "static"


def open_menu(page):
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))


def save_empty(page):
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator(".is-invalid").first).to_be_visible()
    page.wait_for_load_state("networkidle")  # the unit picker's files, fetched once the page is there


def test_the_main_pages_look_the_same_with_the_trimmed_stylesheet(page, live_server, cadre_a, team_a, concern):
    page.emulate_media(reduced_motion="reduce")  # Bootstrap's transitions off: no style caught half-way
    page.set_viewport_size(DESKTOP)
    found = differences(page, live_server, "/accounts/login/")
    found += differences(page, live_server, f"/s/{team_a.code}/")
    sign_in(page, live_server, "cadre_a")
    for path in ["/", "/visits/new/", "/visits/", "/concerns/", f"/concerns/{concern.pk}/", "/overdue/",
                 "/callbacks/", "/units/", f"/units/{team_a.pk}/dashboard/", "/concerns/new/"]:  # fmt: skip
        found += differences(page, live_server, path)
    page.set_viewport_size(PHONE)
    found += differences(page, live_server, "/visits/new/", then=open_menu)
    found += differences(page, live_server, "/visits/new/", then=save_empty)
    found += differences(page, live_server, f"/concerns/{concern.pk}/")
    assert found == [], "\n".join(found)
