"""Prepared files are deleted from storage after EXPORT_KEEP_DAYS by a daily task the workers enqueue
themselves; the row stays as the trace of who took which data out, and the download is then a 404."""

import pytest
from django.urls import reverse

from fieldwork import tasks
from fieldwork.models import DailyRun, Export
from tests.exports.background import ask, asked, made, status
from tests.ledger.helpers import ledger_url
from tests.tasks.worker import work_off

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 8, 3, hour=2)]


@pytest.fixture
def ready(client_for, leader_branch, team_a, ledger_data, small_limit, storage, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_KEEP_DAYS": 7, "EXPORTS_EXPIRE_AT": "03:00"}
    client = client_for(leader_branch)
    return made(asked(ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_xlsx", leader_branch)))


def test_a_ready_file_is_kept_for_the_days_set(ready):
    assert str(ready.expires_on) == "2026-08-10"


def test_the_daily_clean_up_deletes_it_after_its_day_and_keeps_the_row(
    client_for, leader_branch, ready, clock, storage
):
    path = storage / ready.file.name
    download = reverse("fieldwork:export-download", args=[ready.pk])

    clock.set(2026, 8, 10, hour=3)  # its last day: kept
    work_off()
    assert path.exists()
    assert status(client_for(leader_branch), download) == 200

    clock.set(2026, 8, 11, hour=3)
    work_off()

    ready.refresh_from_db()
    assert not path.exists()
    assert ready.status == Export.Status.EXPIRED and ready.deleted_at is not None and not ready.file
    assert status(client_for(leader_branch), download) == 404
    detail = client_for(leader_branch).get(reverse("fieldwork:export-detail", args=[ready.pk]))
    assert "deleted after its time" in detail.content.decode()


def test_the_clean_up_is_enqueued_once_a_day_from_its_hour(ready, clock):
    clock.set(2026, 8, 4, hour=2, minute=59)
    assert tasks.EXPORTS_EXPIRE not in tasks.enqueue_due()

    clock.set(2026, 8, 4, hour=3)
    assert tasks.EXPORTS_EXPIRE in tasks.enqueue_due()
    assert tasks.EXPORTS_EXPIRE not in tasks.enqueue_due()
    assert DailyRun.objects.filter(name=tasks.EXPORTS_EXPIRE).count() == 1
