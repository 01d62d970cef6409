"""One pass of a real worker (manage.py run_worker's loop) over the real queue tables, in this process:
it enqueues the periodic tasks due, runs what is queued, and returns when the queue is empty."""

from fieldwork.management.commands.run_worker import ScheduledWorker


def work_off(worker_id: str = "test-worker") -> int:
    worker = ScheduledWorker(
        schedule_every=60,
        forever=False,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
