"""The file's page shows rows done of rows to do, follows the work by itself (htmx polling) while it
lasts, then offers the download; "My files" lists what a person asked for."""

import re

import pytest
from django.urls import reverse

from fieldwork.models import Export, TaskProgress
from tests.exports.background import ask, asked, made
from tests.ledger.helpers import ledger_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 8, 3, hour=6)]


@pytest.fixture
def queued(client_for, leader_branch, team_a, ledger_data, small_limit, storage):
    client = client_for(leader_branch)
    return asked(ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_xlsx", leader_branch))


def page(client, export) -> str:
    response = client.get(reverse("fieldwork:export-detail", args=[export.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_while_it_is_made_the_page_polls_and_shows_rows_done_of_rows_to_do(client_for, leader_branch, queued):
    client = client_for(leader_branch)
    assert 'hx-trigger="every 2s"' in page(client, queued)

    TaskProgress.objects.create(task_id=queued.task_id, done=2, total=5)
    html = page(client, queued)

    assert 'hx-trigger="every 2s"' in html
    assert re.search(r'<progress[^>]*max="5" value="2"', html)
    assert "2 of 5 rows written." in html
    assert "/download/" not in html


def test_when_ready_the_page_stops_polling_and_offers_the_download(client_for, leader_branch, queued):
    client = client_for(leader_branch)

    made(queued)
    html = page(client, queued)

    assert "hx-trigger" not in html
    assert reverse("fieldwork:export-download", args=[queued.pk]) in html
    assert "Ready: 5 rows." in html and "Kept until" in html


def test_my_files_lists_the_askers_files_only(client_for, leader_branch, leader_team_a, queued):
    mine = client_for(leader_branch).get(reverse("fieldwork:export-list")).content.decode()
    theirs = client_for(leader_team_a).get(reverse("fieldwork:export-list")).content.decode()

    assert queued.title in mine and "Waiting to start" in mine
    assert queued.title not in theirs


def test_a_failed_file_says_so(client_for, leader_branch, queued):
    Export.objects.filter(pk=queued.pk).update(status=Export.Status.FAILED)

    assert "could not be prepared" in page(client_for(leader_branch), queued)
