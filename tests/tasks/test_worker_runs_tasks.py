"""A task enqueued is run by a worker and its result stored; a failing task is recorded as failed."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fieldwork.tasks import task_state
from tests.tasks import sample_tasks
from tests.tasks.worker import work_off

# Before the day's reminders are due (07:30), so that the worker runs only what the test enqueues.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 12, 1, hour=6)]


def test_a_queued_task_waits_for_a_worker_then_its_result_is_stored():
    result = sample_tasks.add.enqueue(2, 3)

    assert task_state(result.id).status == TaskResultStatus.READY
    assert work_off() == 1

    state = task_state(result.id)
    assert state.status == TaskResultStatus.SUCCESSFUL
    assert state.finished
    assert state.return_value == 5
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.worker_ids == ["test-worker"]
    assert row.finished_at is not None


def test_a_failing_task_is_recorded_as_failed_and_the_worker_goes_on():
    failing = sample_tasks.fail.enqueue("no such unit")
    after = sample_tasks.add.enqueue(1, 1)

    assert work_off() == 2

    state = task_state(failing.id)
    assert state.status == TaskResultStatus.FAILED
    assert state.finished
    assert state.error == "builtins.ValueError"
    assert "no such unit" in DBTaskResult.objects.get(pk=failing.id).traceback
    assert task_state(after.id).return_value == 2


def test_an_unknown_task_has_no_state():
    assert task_state("00000000-0000-0000-0000-000000000000") is None
    assert task_state("not-a-task-id") is None
