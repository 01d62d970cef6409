"""A large callback export: the page offers it as a file, a GET starts no work, and the worker's file
holds exactly the filtered rows."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from fieldwork.models import Export
from tests.callbacks_queue.helpers import PREPARE_URL, URL, XLSX_URL, awaiting
from tests.exports.background import ask, asked, body, made, storage  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 12, 10, hour=6)]
TODAY = datetime.date(2026, 12, 10)


def test_a_large_export_is_prepared_by_the_queue(client_for, settings, leader_branch, team_a, team_b, storage):  # noqa: F811
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_IMMEDIATE_ROWS": 2}
    mine = [awaiting(team_a, due=TODAY - datetime.timedelta(days=day), title=f"Team A {day}") for day in range(3)]
    awaiting(team_b, due=TODAY, title="Team B")
    client = client_for(leader_branch)
    html = client.get(URL, {"unit": team_a.pk}).content.decode()
    assert f'action="{PREPARE_URL}?unit={team_a.pk}"' in html and 'value="callbacks_xlsx"' in html
    assert client.get(XLSX_URL).status_code == 302
    assert not Export.objects.exists()

    export = made(asked(ask(client, f"{PREPARE_URL}?unit={team_a.pk}", "callbacks_xlsx", leader_branch)))

    assert export.status == Export.Status.READY and export.rows == 3
    content = body(client, reverse("fieldwork:export-download", args=[export.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    references = [row[0] for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("FW-")]
    assert references == [concern.reference for concern in reversed(mine)]
    assert list(export.units.all()) == [team_a]
