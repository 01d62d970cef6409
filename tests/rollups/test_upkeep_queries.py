"""Keeping the rollups up runs the same queries whatever the data."""

import datetime

import pytest

from fieldwork.models import Visit
from fieldwork.services import visits as visit_services

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


# A visit with no concern: insert, cadres and principles (several each), its history record with the
# cadres and principles read back and copied (5), then the upkeep (about 8, with the advisory lock
# on PostgreSQL and the dashboard stamp renewed) and its day rows (rollups.days: the kept units
# above, the recount, the rows held, the write: about 6); the contact points it visits (联系点: one
# query when none of its cadres answers for a unit there, contact_points.visit_saved).
QUERIES_VISIT_RECORD = 33


def test_upkeep_query_count_does_not_grow_with_the_data(
    world, clock, team_a, django_assert_num_queries, django_assert_max_num_queries
):
    def record(day):
        return visit_services.visit_record(
            by=world.cadre,
            unit=team_a,
            date=day,
            form=Visit.Form.SYMPOSIUM,
            people_reached=2,
            summary="Canteen",
            confirmation_note="Back-dated on purpose: the test's story",
        )

    record(datetime.date(2026, 1, 2))
    with django_assert_max_num_queries(QUERIES_VISIT_RECORD) as small:
        record(datetime.date(2026, 1, 3))
    for day in range(4, 19):
        record(datetime.date(2026, 1, day))
    with django_assert_num_queries(len(small.captured_queries)):
        record(datetime.date(2026, 1, 19))
