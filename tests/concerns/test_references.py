"""Reference numbers count up per year, uniquely even under concurrent saves."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from fieldwork.models import Concern, ReferenceCounter
from fieldwork.services import concerns as concern_services
from tests.factories import category


def test_references_count_up_per_year(team_a, cadre_a):
    data = concern_services.ConcernInput(title="Canteen closes too early", category=category())
    first = concern_services.concern_create(unit=team_a, data=data, by=cadre_a)
    second = concern_services.concern_create(unit=team_a, data=data, by=cadre_a)
    year = timezone.localdate().year
    assert first.reference == f"FW-{year}-000001"
    assert second.reference == f"FW-{year}-000002"
    old = concern_services.concern_create(
        unit=team_a, data=data, by=cadre_a, raised_at=timezone.now() - datetime.timedelta(days=800)
    )
    old_year = timezone.localtime(timezone.now() - datetime.timedelta(days=800)).year
    assert old.reference == f"FW-{old_year}-000001"


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_under_concurrent_saves(team_a, cadre_a):
    """Eight threads raise concerns at once; every reference is handed out exactly once."""
    if connection.vendor == "sqlite":
        # The in-memory SQLite test database locks whole tables across threads; the race this guards
        # against is a PostgreSQL one, and CI runs this test there with eight threads.
        threads_count, per_thread = 1, 5
    else:
        threads_count, per_thread = 8, 5
    errors = []
    barrier = threading.Barrier(threads_count)

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    concern_services.concern_create(
                        unit=team_a,
                        data=concern_services.ConcernInput(title="Parallel", category=category()),
                        by=cadre_a,
                    )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(Concern.objects.values_list("reference", flat=True))
    assert len(references) == threads_count * per_thread == len(set(references))
    counter = ReferenceCounter.objects.get(year=timezone.localdate().year)
    assert counter.last == threads_count * per_thread
