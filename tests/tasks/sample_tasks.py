"""Tasks the queue tests enqueue (a task must be a module-level function the worker can import)."""

from django_tasks import task


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fail(message: str) -> None:
    raise ValueError(message)


@task(takes_context=True)
def count_rows(context, total: int) -> int:
    """Reports its progress after each row, as a long export does."""
    from fieldwork.tasks import task_progress

    for done in range(1, total + 1):
        task_progress(context, done=done, total=total)
    return total
