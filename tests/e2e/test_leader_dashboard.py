"""Job 3 in a real browser: a leader at a desk opens their unit's dashboard, changes the period, follows
the "overdue now" figure to the overdue page and downloads its XLSX export, whose rows are exactly the
overdue concerns of the unit's subtree."""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork import rollups
from fieldwork.models import Concern
from tests.e2e.conftest import DESKTOP, accessibility_problems, shot, sign_in
from tests.factories import ConcernFactory, FollowUpActionFactory, category

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "Preparing the file…"


def days(count: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def overdue_world(team_a, sub_a, team_b, other_branch, cadre_a, cadre_b_other_team, leader_other_branch):
    """Overdue concerns and actions across the branch's subtree, and things that must stay out of its
    export: concerns not yet due, finished ones past their date, and the other branch's overdue work."""

    def concern(unit, title, due, status=Concern.Status.OPEN, owner=None):
        return ConcernFactory(
            unit=unit,
            title=title,
            due_date=due,
            status=status,
            owner=owner,
            category=category("working_conditions"),
            resolution="Fixed." if status == Concern.Status.RESOLVED else "",
        )

    in_scope = [
        concern(team_a, "更衣室冬季没有暖气", days(-20), owner=cadre_a),
        concern(sub_a, "Switch room lights flicker", days(-6), Concern.Status.IN_PROGRESS, owner=cadre_a),
        concern(team_b, "班组工具柜锁坏了", days(-2), owner=cadre_b_other_team),
    ]
    concern(team_a, "Not due yet", days(10), owner=cadre_a)
    concern(team_b, "Resolved after its date", days(-9), Concern.Status.RESOLVED, owner=cadre_b_other_team)
    concern(team_a, "Withdrawn long ago", days(-30), Concern.Status.WITHDRAWN)
    outside = concern(other_branch, "Dispatch centre's overdue concern", days(-15), owner=leader_other_branch)
    action = FollowUpActionFactory(
        concern=in_scope[0], owner=cadre_a, description="Order two heaters", due_date=days(-4)
    )
    FollowUpActionFactory(concern=outside, owner=leader_other_branch, description="Outside", due_date=days(-4))
    rollups.rebuild()  # the dashboard reads its figures from the rollups
    return {"in_scope": in_scope, "outside": outside, "action": action}


def open_branch_dashboard(page, live_server):
    sign_in(page, live_server, "leader_branch")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Units").click()
    page.get_by_role("link", name="Substation workshop").click()
    expect(page.get_by_role("heading", name="Substation workshop", level=1)).to_be_visible()


def test_leader_follows_the_overdue_figure_to_its_export(
    page, live_server, leader_branch, branch, overdue_world, console_errors, tmp_path
):
    page.set_viewport_size(DESKTOP)
    open_branch_dashboard(page, live_server)
    assert accessibility_problems(page) == []

    # The period, with the dashboard's own controls: a whole year, then the one before it.
    year = timezone.localdate().year
    page.get_by_label("Or write the period").fill(str(year))
    page.get_by_role("button", name="Show", exact=True).click()
    period = page.get_by_role("navigation", name="Period")
    expect(period.get_by_text(f"the year {year}", exact=True)).to_be_visible()
    assert f"period={year}" in page.url
    period.get_by_role("link", name="Previous year").click()
    expect(period.get_by_text(f"the year {year - 1}", exact=True)).to_be_visible()
    shot(page, "desktop-dashboard-previous-year")

    # "Overdue now" is not bound to the period: the three overdue concerns of the branch's subtree.
    overdue_now = page.get_by_role("link", name="3 overdue now")
    expect(overdue_now).to_be_visible()
    overdue_now.click()
    page.wait_for_url(f"{live_server.url}/overdue/?unit={branch.pk}")
    expect(page.get_by_role("heading", name="Overdue", level=1)).to_be_visible()
    expect(page.locator("#overdue-counts")).to_contain_text("3 overdue concerns, 1 overdue action")
    listed = page.locator("#overdue-concerns-h + .table-responsive")
    for concern in overdue_world["in_scope"]:
        expect(listed.get_by_role("link", name=concern.reference)).to_be_visible()
    expect(page.get_by_text(overdue_world["outside"].reference)).to_have_count(0)
    assert accessibility_problems(page) == []
    shot(page, "desktop-overdue-of-a-unit")

    # The export shows that it is being prepared, and clears once the file is saved.
    held = []
    page.route(re.compile(r"/overdue/export\.xlsx"), lambda route: held.append(route))  # held until checked
    export = page.get_by_role("link", name="Export Excel")
    with page.expect_download() as downloading:
        export.click()
        busy = page.locator("a[data-fw-download][aria-busy=true]")
        expect(busy).to_contain_text(BUSY)
        expect(busy.locator(".spinner-border")).to_be_visible()
        expect(busy).to_have_class(re.compile(r"\bdisabled\b"))
        shot(page, "desktop-overdue-export-busy")
        while not held:
            page.wait_for_timeout(20)
        held[0].continue_()
    download = downloading.value
    expect(page.locator("a[data-fw-download][aria-busy]")).to_have_count(0)
    expect(export).to_have_text("Export Excel")
    assert download.suggested_filename == f"overdue-{timezone.localdate():%Y-%m-%d}.xlsx"

    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    concern_sheet, action_sheet = workbook["Overdue concerns"], workbook["Overdue actions"]
    _title, header, *rows = list(concern_sheet.values)
    assert header[0] == "Reference"
    references = [row[0] for row in rows]
    assert sorted(references) == sorted(concern.reference for concern in overdue_world["in_scope"])
    assert references[0] == overdue_world["in_scope"][0].reference  # most overdue first
    assert [row[1] for row in list(action_sheet.values)[2:]] == ["Order two heaters"]
    assert console_errors == []  # no CSP violation from saving through a blob: URL


def test_a_failed_export_is_said_in_the_page(page, live_server, leader_branch, branch, overdue_world, console_errors):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/overdue/?unit={branch.pk}")
    page.route(re.compile(r"/overdue/export\.csv"), lambda route: route.fulfill(status=503, body="Timed out"))
    export = page.get_by_role("link", name="Export CSV")
    export.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The file could not be prepared.")
    expect(alert).to_contain_text("503")
    expect(export).to_have_text("Export CSV")
    expect(export).not_to_have_attribute("aria-busy", "true")
    shot(page, "desktop-overdue-export-failed")
    # The failure reached the console as a failed request, which Chromium logs; nothing else did.
    assert all("503" in error for error in console_errors)


def test_without_javascript_the_export_is_a_plain_download(browser, live_server, leader_branch, overdue_world):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, "leader_branch")
    page.goto(f"{live_server.url}/reports/ledger/")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download XLSX").click()
    assert downloading.value.suggested_filename.endswith(".xlsx")
    context.close()
