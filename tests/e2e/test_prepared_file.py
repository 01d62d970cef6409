"""A large ledger in a real browser on a phone: the leader asks for the workbook, the file's page shows
the worker's progress and then the download without being reloaded (htmx polling), and the file
downloads."""

import pytest
from playwright.sync_api import expect

from fieldwork.models import Export
from tests.e2e.conftest import PHONE, sign_in
from tests.ledger.conftest import ledger_data  # noqa: F401
from tests.ledger.helpers import ledger_url
from tests.tasks.worker import work_off

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock(2026, 8, 3, hour=6),
    pytest.mark.usefixtures("ledger_data"),
]


def test_the_file_page_follows_the_worker_without_a_reload(
    page, live_server, leader_branch, team_a, settings, tmp_path, console_errors
):
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_IMMEDIATE_ROWS": 2}
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "leader_branch")
    page.goto(live_server.url + ledger_url(team_a))

    page.get_by_role("button", name="Prepare: Monthly ledger, workbook").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    loads = []
    page.on("load", lambda _page: loads.append(1))

    work_off()

    link = page.get_by_role("link", name="Download ledger-team-a-2026-07.xlsx")
    expect(link).to_be_visible(timeout=10_000)
    assert loads == []  # the page was not reloaded: htmx swapped the progress in
    expect(page.get_by_text("Ready: 5 rows.")).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "ledger-team-a-2026-07.xlsx"
    assert Export.objects.get().status == Export.Status.READY
    assert console_errors == []
