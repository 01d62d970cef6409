"""Chinese words never break between characters in buttons and table headers: 切换 (the language
switch) and 查找 (the unit list's search) on a phone and a desktop, 责任人 (the concern list's owner
column) at 1366 px: each on one line, measured in Chromium from the text's own line boxes."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LINES = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top))).size;
}"""


def lines_of(page, locator) -> int:
    locator.first.scroll_into_view_if_needed()
    return locator.first.evaluate(LINES)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_buttons_and_headers_keep_their_words_whole(page, live_server, leader_branch, concern, viewport):
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "leader_branch")

    page.goto(f"{live_server.url}/concerns/")
    switch = page.locator("footer button", has_text="切换")
    assert switch.is_visible()
    assert lines_of(page, switch) == 1
    owner = page.locator("th", has_text="责任人")
    if viewport is DESKTOP:
        assert owner.is_visible()
        assert lines_of(page, owner) == 1

    page.goto(f"{live_server.url}/units/")
    find = page.get_by_role("button", name="查找")
    assert find.first.is_visible()
    assert lines_of(page, find) == 1
