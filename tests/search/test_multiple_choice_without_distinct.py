"""Several statuses at once (the dashboard's links choose two) select the concerns of either status
without a DISTINCT over every column: a concern has one status, so no row can come twice."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork.models import Concern
from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory


def test_several_statuses_and_a_priority_read_without_distinct(client_for, leader_branch, team_a, team_b):
    urgent_open = ConcernFactory(unit=team_a, priority=Concern.Priority.URGENT)
    urgent_started = ConcernFactory(unit=team_b, priority=Concern.Priority.URGENT, status=Concern.Status.IN_PROGRESS)
    ConcernFactory(unit=team_a, priority=Concern.Priority.NORMAL, status=Concern.Status.IN_PROGRESS)
    ConcernFactory(unit=team_a, priority=Concern.Priority.URGENT, status=Concern.Status.WITHDRAWN)
    client = client_for(leader_branch)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"status": ["open", "in_progress"], "priority": "urgent"})
    assert response.status_code == 200
    assert sorted(references(response)) == sorted([urgent_open.reference, urgent_started.reference])
    assert response.context["total"] == 2
    concern_queries = [query["sql"] for query in captured.captured_queries if '"fieldwork_concern"' in query["sql"]]
    assert concern_queries
    assert not [sql for sql in concern_queries if "DISTINCT" in sql.upper()]


def test_one_status_still_filters(client_for, leader_branch, team_a):
    started = ConcernFactory(unit=team_a, status=Concern.Status.IN_PROGRESS)
    ConcernFactory(unit=team_a)
    response = client_for(leader_branch).get(LIST, {"status": "in_progress"})
    assert references(response) == [started.reference]
