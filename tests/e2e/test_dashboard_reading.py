"""A branch leader reads the dashboard in Chinese (issue 20 items 1, 2, 3, 10): opened from the
navigation, captions in plain words (no P, U, S or 子树 outside the folded 统计口径, no 上一页/下一页),
the step to the previous period named by its kind and none into the future, 上月 and a quarter picked
without typing, a period typed as people write it accepted and redirected to its canonical address.
Leaves docs' screenshots: desktop-dashboard.png and phone-dashboard.png (copied to docs/screenshots)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork.periods import Period
from tests.e2e.conftest import DESKTOP, PHONE, accessibility_problems, shot, sign_in
from tests.e2e.test_pages import unit_at_work  # noqa: F401 (the fixture: a branch at work this quarter)

pytestmark = pytest.mark.django_db(transaction=True)

# The page's own text, without the folded definitions (统计口径), which may use U, S and P.
OWN_TEXT = """() => {
  const main = document.querySelector("main").cloneNode(true);
  for (const fold of main.querySelectorAll(".dash-definitions")) fold.remove();
  return main.innerText;
}"""
SYMBOLS = re.compile(r"(^|[^A-Za-z])[PUS]([^A-Za-z]|$)|子树|上一页|下一页")


def _in_chinese(page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])


def _own_text_has_no_symbols(page) -> None:
    text = page.evaluate(OWN_TEXT)
    found = [match.group(0) for match in SYMBOLS.finditer(text)]
    assert found == [], f"symbol captions on the page: {found}"


def test_a_leader_reads_the_dashboard_in_chinese(page, live_server, unit_at_work, branch, console_errors):  # noqa: F811
    today = timezone.localdate()
    this_quarter = Period.current_quarter(today)
    last_month = Period.month(today.year, today.month).shifted(-1)
    page.set_viewport_size(DESKTOP)
    _in_chinese(page, live_server)
    sign_in(page, live_server, "leader_branch")

    # from the navigation, straight to the dashboard of the branch they lead
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作看板", exact=True).click()
    page.wait_for_url(f"{live_server.url}/units/{branch.pk}/dashboard/")
    expect(page.locator("h1")).to_contain_text("工作看板")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _own_text_has_no_symbols(page)
    head = page.locator(".dash-head")
    expect(head.locator("a[rel=prev]")).to_have_text("上一季度")
    expect(head.locator("a[rel=prev]")).to_have_attribute("href", f"?{_query(this_quarter.previous)}")
    assert head.locator("a[rel=next]").count() == 0  # the current quarter: no step into the future
    expect(page.locator("#dash-period-line")).to_contain_text(f"{today.year}年第")
    # each card says in a line what it counts; the resolution rate says why its base differs
    expect(page.locator("#fig-resolution").locator("xpath=..")).to_contain_text("不含已撤销和政策受限的诉求")
    expect(page.locator("#fig-visits").locator("xpath=..")).to_contain_text("补录")
    shot(page, "desktop-dashboard")

    # 上月 without typing
    page.locator(".dash-quick").get_by_role("link", name="上月").click()
    page.wait_for_url(f"{live_server.url}/units/{branch.pk}/dashboard/?{_query(last_month)}")
    expect(page.locator(".dash-head a[rel=next]")).to_have_text("下月")  # last month: this month has begun
    expect(page.locator(".dash-head a[rel=prev]")).to_have_text("上月")
    _own_text_has_no_symbols(page)

    # a quarter from the selects, one 显示
    page.get_by_label("年份").select_option(str(today.year))
    page.get_by_label("时段").select_option(label="第一季度")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(f"{live_server.url}/units/{branch.pk}/dashboard/?period={today.year}-Q1")
    expect(page.locator(".dash-head .fw-semibold")).to_have_text(f"{today.year}年第一季度")
    _own_text_has_no_symbols(page)

    # typed as a leader writes it, redirected to the canonical address
    page.get_by_label("或直接填写").fill("2026年11月")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(f"{live_server.url}/units/{branch.pk}/dashboard/?period=2026-11")
    expect(page.locator(".dash-head .fw-semibold")).to_have_text("2026年11月")

    # bad input: said beside the field, the current quarter shown, no error page
    page.get_by_label("或直接填写").fill("2026年13月")
    page.get_by_role("button", name="显示").click()
    expect(page.locator("#period-error")).to_contain_text("现改为显示本季度")
    expect(page.get_by_label("或直接填写")).to_have_attribute("aria-invalid", "true")
    assert accessibility_problems(page) == []
    assert console_errors == []


def test_the_dashboard_on_a_phone_in_chinese(page, live_server, unit_at_work, branch, console_errors):  # noqa: F811
    page.set_viewport_size(PHONE)
    _in_chinese(page, live_server)
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/units/{branch.pk}/dashboard/")
    expect(page.locator("h1")).to_contain_text("工作看板")
    _own_text_has_no_symbols(page)
    sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0
    assert accessibility_problems(page) == []
    page.evaluate("() => document.activeElement.blur()")
    shot(page, "phone-dashboard")
    assert console_errors == []


def _query(period: Period) -> str:
    return "&".join(f"{key}={value}" for key, value in period.param.items())
