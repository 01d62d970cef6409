"""Accessibility as a test: axe-core (vendored, tests/e2e/vendor/axe) runs in Chromium on every main
page, on a phone and a desktop, and finds no critical or serious violation. No rule is disabled and no
element excluded: axe.run(document) with its defaults.

axe is evaluated through the DevTools protocol (page.evaluate), which the pages' CSP does not govern,
so the CSP stays as strict as it is for users."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.e2e.test_pages import unit_at_work  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe" / "axe.min.js").read_text()
RUN = """async () => {
  const results = await axe.run(document);
  return results.violations
    .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
    .map((violation) => violation.impact + " " + violation.id + ": " + violation.help + " | "
      + violation.nodes.slice(0, 4).map((node) => node.target.join(" ") + " ("
        + node.failureSummary.replace(/\\s+/g, " ").slice(0, 160) + ")").join("; "));
}"""


def violations(page) -> list[str]:
    page.evaluate(AXE)
    assert page.evaluate("() => axe.version") == "4.14.1"
    return page.evaluate(RUN)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_nothing_critical_or_serious_on_any_main_page(page, live_server, size, unit_at_work, team_a, branch):  # noqa: F811
    page.set_viewport_size(size)
    # the settled page: a button's colour transition caught half-way (after a click, on a busy machine)
    # is not what anyone reads; Bootstrap drops its transitions for reduced motion
    page.emulate_media(reduced_motion="reduce")
    found: dict[str, list[str]] = {}

    def check(name: str, path: str | None = None) -> None:
        if path is not None:
            response = page.goto(live_server.url + path)
            assert response.ok, f"{name}: {response.status}"
        expect(page.locator("h1").first).to_be_visible()
        problems = violations(page)
        if problems:
            found[name] = problems

    check("sign-in", "/accounts/login/")
    sign_in(page, live_server, "cadre_a")
    check("my-work")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_role("button", name="Add a concern").click()
    expect(page.locator("#id_concerns-0-title")).to_be_visible()
    check("visit-form")
    check("visit-list", "/visits/")
    check("visit-detail", f"/visits/{unit_at_work['visit'].pk}/")
    check("concern-list", "/concerns/?status=open")
    check("concern-list-filters", "/concerns/?raised_from=2026-01-01")
    check("concern-detail", f"/concerns/{unit_at_work['concern'].pk}/")
    check("overdue", "/overdue/")
    check("callbacks", "/callbacks/")

    page.context.clear_cookies()
    sign_in(page, live_server, "leader_branch")
    check("unit-list", "/units/")
    check("dashboard", f"/units/{branch.pk}/dashboard/")
    check("ledger", f"/reports/ledger/?unit={branch.pk}&period={unit_at_work['quarter']}")
    check("exports", "/exports/")

    page.context.clear_cookies()
    check("public-raise", f"/s/{team_a.code}/")
    page.goto(f"{live_server.url}/s/track/")
    check("public-track-form")
    page.get_by_label("Your receipt code").fill(unit_at_work["code"])
    page.get_by_role("button", name="Look it up").click()
    expect(page.get_by_role("heading", name="Are you satisfied with what was done?")).to_be_visible()
    check("public-track")

    assert found == {}, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _colours(text: str) -> list[tuple[int, int, int]]:
    import re

    return [tuple(int(part) for part in match[:3]) for match in re.findall(r"rgba?\((\d+), (\d+), (\d+)", text)]


def test_the_focus_ring_shows_at_3_to_1_on_white_and_on_the_red_bar(page, live_server, cadre_a):
    """axe does not measure focus rings: the ring's two bands are read from Chromium's computed style
    after a Tab, and one of them is at 3:1 or more against each background it is drawn on."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "cadre_a")
    page.goto(f"{live_server.url}/concerns/")
    for selector, background in (("main a", (255, 255, 255)), (".navbar-nav .nav-link", (0x9B, 0x1C, 0x1C))):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # a keyboard focus: :focus-visible
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineColor, s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        assert style[1] == "solid" and float(style[2].removesuffix("px")) >= 2
        bands = _colours(style[0]) + _colours(style[3])
        assert max(contrast(band, background) for band in bands) >= 3, (selector, style)
