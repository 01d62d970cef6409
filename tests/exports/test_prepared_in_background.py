"""A ledger or export too large for a request is asked for with a POST, made once by the queue's
worker with its progress recorded, kept in the default storage, and downloaded as a file that holds
what the page shows."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fieldwork.models import Export
from fieldwork.tasks import task_state
from tests.exports.background import ask, asked, body, made, token
from tests.ledger.helpers import ledger_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 8, 3, hour=6)]


def download(client, export: Export) -> bytes:
    return body(client, reverse("fieldwork:export-download", args=[export.pk]))


def test_a_large_ledger_shows_its_summary_and_offers_the_files_instead_of_rows(
    client_for, leader_branch, team_a, ledger_data, small_limit
):
    html = client_for(leader_branch).get(ledger_url(team_a)).content.decode()

    assert "Flickering lights" not in html and "Canteen" not in html  # no rows on the page
    assert 'action="/reports/ledger/prepare/?' in html and 'value="ledger_xlsx"' in html
    assert 'value="ledger_page"' in html and 'name="form_token"' in html


def test_a_get_of_a_large_workbook_starts_no_work(client_for, leader_branch, team_a, ledger_data, small_limit):
    client = client_for(leader_branch)

    response = client.get(ledger_url(team_a, name="fieldwork:ledger-xlsx"))
    head = client.head(ledger_url(team_a, name="fieldwork:ledger-xlsx"))

    assert response.status_code == 302 and response["Location"].endswith("#export")
    assert head.status_code == 302
    assert not Export.objects.exists() and not DBTaskResult.objects.exists()


def test_asking_is_a_post(client_for, leader_branch, team_a, ledger_data, small_limit):
    client = client_for(leader_branch)
    url = ledger_url(team_a, name="fieldwork:ledger-prepare")

    assert client.get(url).status_code == 405
    assert client.head(url).status_code == 405
    assert not Export.objects.exists()


def test_the_ledger_workbook_is_made_by_the_worker_and_holds_the_pages_rows(
    client_for, leader_branch, team_a, ledger_data, small_limit, storage
):
    client = client_for(leader_branch)
    export = asked(ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_xlsx", leader_branch))
    assert export.status == Export.Status.QUEUED

    export = made(export)

    assert export.status == Export.Status.READY
    assert export.file.name.startswith("exports/") and (storage / export.file.name).exists()
    state = task_state(export.task_id)
    assert (state.done, state.total) == (export.rows, export.rows) == (5, 5)  # 2 visits, 3 concerns
    book = openpyxl.load_workbook(io.BytesIO(download(client, export)))
    concerns = [row[3] for row in book["Concerns"].iter_rows(min_row=3, values_only=True)]
    assert concerns == ["Carried from May", "Flickering lights", "Secret matter"]
    assert book["Concerns"]["A1"].value.startswith("Monthly ledger")


def test_the_printable_ledger_file_says_what_it_is_and_lists_every_row(
    client_for, leader_branch, team_a, ledger_data, small_limit, storage
):
    client = client_for(leader_branch)
    export = made(asked(ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_page", leader_branch)))

    html = download(client, export).decode()

    assert html.startswith("<!doctype html>") and "size: A4 landscape" in html
    assert f"Ledger (台账) of {team_a.name}" in html and "2026-07" in html
    for text in ("Canteen", "Sub A yard", "Flickering lights", "Replace the ballast", "Much better now"):
        assert text in html
    assert "Team B hall" not in html and "Hidden Person" not in html and "13800001111" not in html


def test_a_resend_or_double_tap_asks_once(client_for, leader_branch, team_a, ledger_data, small_limit):
    client = client_for(leader_branch)
    url = ledger_url(team_a, name="fieldwork:ledger-prepare")
    key = token(leader_branch)

    first = ask(client, url, "ledger_xlsx", leader_branch, key=key)
    second = ask(client, url, "ledger_xlsx", leader_branch, key=key)

    assert asked(first) == asked(second)
    assert Export.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_an_unknown_kind_is_refused_with_a_message(client_for, leader_branch, team_a, ledger_data, small_limit):
    client = client_for(leader_branch)

    response = client.post(ledger_url(team_a, name="fieldwork:ledger-prepare"), {"kind": "pdf"}, follow=True)

    assert response.status_code == 200
    assert "Choose which file to prepare" in response.content.decode()
    assert not Export.objects.exists()


def test_a_unit_outside_the_scope_is_a_404(client_for, cadre_b_other_team, team_a, ledger_data, small_limit):
    client = client_for(cadre_b_other_team)

    response = ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_xlsx", cadre_b_other_team)

    assert response.status_code == 404
    assert not Export.objects.exists()
