"""Files made from the data: the overdue list and the monthly ledger, as workbooks, CSV and a
printable page.

- overdue.py, ledger.py: the rows and sheets of each file, read in chunks and written as they come,
  so a file of any size keeps a flat heap; each takes a Progress to say how far it has gone.
- printable.py: the ledger as a stand-alone page to print, written piece by piece to a file.
- jobs.py: the large ones made in the background by the task queue (fieldwork/tasks.py), kept in
  Django's default storage for a set number of days and downloaded after a fresh check of access.

Small files are still made at once, as the download of a GET (fieldwork/views/overdue.py,
fieldwork/views/reports.py); EXPORT_IMMEDIATE_ROWS says where small ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.conf import settings

Row = TypeVar("Row")


def immediate_limit() -> int:
    """Rows a request may write at once (EXPORT_IMMEDIATE_ROWS); a larger file is prepared by the queue."""
    return settings.FIELDWORK["EXPORT_IMMEDIATE_ROWS"]


def too_large(count: Callable[[int], int]) -> bool:
    """Whether a file is too large to make at once; `count(cap)` counts its rows no further than `cap`."""
    limit = immediate_limit()
    return count(limit + 1) > limit


class Progress:
    """Rows done of rows to do, handed to `report(done, total)` every `every` rows and at the end.

    A file's writer passes each of its row streams through `counted`; without a report it only counts.
    """

    def __init__(self, report: Callable[[int, int | None], None] | None = None, *, every: int = 2000) -> None:
        self.report = report
        self.every = every
        self.done = 0
        self.total: int | None = None

    def expect(self, total: int) -> None:
        self.total = total
        self._report()

    def counted(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            yield row
            self.done += 1
            if self.done % self.every == 0:
                self._report()

    def finish(self) -> None:
        if self.total is None or self.total < self.done:
            self.total = self.done
        self._report()

    def _report(self) -> None:
        if self.report is not None:
            self.report(self.done, self.total)


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    """Rows in lists of `size` (the last one shorter)."""
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
