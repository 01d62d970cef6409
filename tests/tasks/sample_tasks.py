"""Tasks the queue tests enqueue (a task must be a module-level function the worker can import)."""

from django_tasks import task


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fail(message: str) -> None:
    raise ValueError(message)
