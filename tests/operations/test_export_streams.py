"""export_unit streams: its memory does not grow with the rows exported, and it writes the first rows
of a kind before it has read the last ones."""

import io
import re
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fieldwork.backup import subtree_export
from fieldwork.models import Concern, ConcernEvent, Visit
from tests.factories import UnitFactory, UserFactory, category


def grow(units, *, visits_per_unit: int) -> None:
    """Visits, each with a concern and two events, written in bulk (fast, and the export reads rows)."""
    author = UserFactory(username="author")
    today = timezone.localdate()
    for unit in units:
        visits = Visit.objects.bulk_create(
            Visit(unit=unit, date=today, form=Visit.Form.HOME_VISIT, people_reached=2, summary="x" * 200, author=author)
            for _ in range(visits_per_unit)
        )
        concerns = Concern.objects.bulk_create(
            Concern(
                reference=f"FW-2026-{unit.pk:03d}{n:03d}",
                unit=unit,
                visit=visit,
                category=category(),
                title="t" * 100,
                description="d" * 300,
                due_date=today,
                created_by=author,
            )
            for n, visit in enumerate(visits)
        )
        ConcernEvent.objects.bulk_create(
            ConcernEvent(concern=concern, kind=kind, actor=author, note="n" * 100)
            for concern in concerns
            for kind in (ConcernEvent.Kind.RAISED, ConcernEvent.Kind.STARTED)
        )


class Sink(io.TextIOBase):
    """A stream that keeps nothing but its size."""

    size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def peak_memory(unit) -> tuple[int, int]:
    sink = Sink()
    tracemalloc.start()
    try:
        subtree_export(unit=unit, stream=sink, chunk_size=50)
        return tracemalloc.get_traced_memory()[1], sink.size
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_stays_flat_as_the_export_grows(company):
    small_root = UnitFactory(code="small", parent=company)
    big_root = UnitFactory(code="big", parent=company)
    grow([UnitFactory(parent=small_root) for _ in range(2)], visits_per_unit=100)
    grow([UnitFactory(parent=big_root) for _ in range(2)], visits_per_unit=500)

    small, small_size = peak_memory(small_root)
    big, big_size = peak_memory(big_root)

    assert big_size > 4.5 * small_size  # five times the rows ...
    assert big < 1.5 * small, (small, big)  # ... in about the same memory


@pytest.mark.django_db
def test_the_first_visits_are_written_before_the_last_are_read(company):
    root = UnitFactory(code="root", parent=company)
    grow([UnitFactory(parent=root) for _ in range(4)], visits_per_unit=30)
    visit_rows_read = re.compile(r'SELECT .*"fieldwork_visit"\."summary"')
    first_visit_line_after = None

    class Watch(io.StringIO):
        def write(self, text: str) -> int:
            nonlocal first_visit_line_after
            if first_visit_line_after is None and '"fieldwork.visit"' in text:
                first_visit_line_after = len(queries.captured_queries)
            return super().write(text)

    with CaptureQueriesContext(connection) as queries:
        subtree_export(unit=root, stream=Watch(), chunk_size=2)

    visit_reads = [n for n, query in enumerate(queries.captured_queries) if visit_rows_read.search(query["sql"])]
    assert first_visit_line_after is not None
    assert len(visit_reads) > 1
    assert first_visit_line_after <= visit_reads[-1]
