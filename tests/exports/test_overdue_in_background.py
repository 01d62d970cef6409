"""The overdue export of a large scope: the page offers it as a file, a GET starts no work, and the
worker's file holds exactly the rows the immediate export holds for the same filter."""

import csv
import io

import pytest
from django.urls import reverse

from fieldwork.models import Export
from tests.exports.background import ask, asked, body, made
from tests.overdue.helpers import CSV_URL, URL, concern, csv_rows

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 6, 15, hour=6)]


@pytest.fixture
def overdue_rows(team_a, cadre_a):
    return [concern(team_a, days_ago=days, owner=cadre_a, title=f"Late {days}") for days in (3, 5, 8)]


def test_a_large_overdue_export_is_prepared_in_the_background(
    client_for, leader_branch, overdue_rows, settings, storage
):
    client = client_for(leader_branch)
    immediate = csv_rows(client.get(CSV_URL))  # while the limit allows it at once
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_IMMEDIATE_ROWS": 2}

    html = client.get(URL).content.decode()
    assert 'action="/overdue/prepare/' in html and 'value="overdue_csv"' in html
    assert client.get(CSV_URL).status_code == 302
    assert not Export.objects.exists()

    export = made(asked(ask(client, reverse("fieldwork:overdue-prepare"), "overdue_csv", leader_branch)))

    assert export.status == Export.Status.READY and export.rows == 3
    content = body(client, reverse("fieldwork:export-download", args=[export.pk]))
    assert content.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == immediate


def test_the_filter_goes_with_the_request(client_for, leader_branch, team_a, team_b, cadre_a, settings, storage):
    concern(team_a, days_ago=4, owner=cadre_a, title="In team A")
    concern(team_b, days_ago=4, owner=cadre_a, title="In team B")
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_IMMEDIATE_ROWS": 0}
    client = client_for(leader_branch)

    export = made(
        asked(ask(client, f"{reverse('fieldwork:overdue-prepare')}?unit={team_a.pk}", "overdue_csv", leader_branch))
    )

    content = body(client, reverse("fieldwork:export-download", args=[export.pk])).decode()
    assert "In team A" in content and "In team B" not in content
    assert list(export.units.all()) == [team_a]
