"""Run one worker of the task queue (django-tasks-db's db_worker) that also enqueues the periodic
tasks: django-tasks has none of its own, so each worker, between tasks and at least every
--schedule-every seconds, enqueues those due today (fieldwork.tasks.enqueue_due, once a day however
many workers run)."""

from __future__ import annotations

import logging
import os
import time

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from fieldwork import tasks

logger = logging.getLogger("django_tasks_db")


class ScheduledWorker(db_worker.Worker):
    """db_worker's loop in batch mode (run what is queued, then return), wrapped in a loop that
    enqueues the periodic tasks due before each batch and sleeps the interval after it."""

    def __init__(self, *, schedule_every: float, forever: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.schedule_every = schedule_every
        self.forever = forever
        self.batch = True
        self._scheduled_at = None

    def schedule(self) -> None:
        now = time.monotonic()
        if self._scheduled_at is not None and now - self._scheduled_at < self.schedule_every:
            return
        self._scheduled_at = now
        for name in tasks.enqueue_due():
            logger.info("Enqueued today's %s.", name)

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        level = logger.level
        while self.running:
            self.schedule()
            logger.setLevel(max(level, logging.WARNING))  # db_worker says "exiting" after each batch
            try:
                super().run()
            finally:
                logger.setLevel(level)
            self.startup_delay = False
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if not self.forever:
                return
            time.sleep(self.interval)


class Command(db_worker.Command):
    help = (
        "Run a worker of the task queue (django-tasks-db's db_worker, same options) that also enqueues "
        "the periodic tasks due: the day's reminders and chasing ladder from FIELDWORK REMINDERS_AT "
        "(07:30) on, once a day however many workers run. --batch runs what is queued, then exits."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-every",
            type=db_worker.valid_interval,
            default=60,
            help="Seconds between two looks for periodic tasks due (default 60).",
        )

    def handle(self, *, schedule_every: float, **options) -> None:
        self.configure_logging(options["verbosity"])
        worker = ScheduledWorker(
            schedule_every=schedule_every,
            forever=not options["batch"],
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=True,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=options["exclude_queues"].split(",") if options["exclude_queues"] else [],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
