"""A task reports rows done of rows to do; anyone reading its state sees them."""

import pytest
from django_tasks import TaskResultStatus

from fieldwork.tasks import task_state
from tests.tasks import sample_tasks
from tests.tasks.worker import work_off

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 12, 1, hour=6)]


def test_a_queued_task_has_no_progress_yet():
    state = task_state(sample_tasks.count_rows.enqueue(40).id)

    assert (state.done, state.total) == (0, None)


def test_the_progress_a_task_reports_is_read_back():
    result = sample_tasks.count_rows.enqueue(40)

    work_off()

    state = task_state(result.id)
    assert state.status == TaskResultStatus.SUCCESSFUL
    assert (state.done, state.total) == (40, 40)
    assert state.return_value == 40


def test_progress_is_kept_apart_for_each_task():
    first, second = sample_tasks.count_rows.enqueue(3), sample_tasks.count_rows.enqueue(7)

    work_off()

    assert (task_state(first.id).done, task_state(second.id).done) == (3, 7)
