"""The concern list with a search runs the same queries with 3 matching concerns as with 30: one more
than without a search (the scope's units listed by id, views.concern_lists._counted)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory


def _queries(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(captured), len(references(response))


@pytest.mark.parametrize("query", ["巡线", "线", "FW-2026"])
def test_search_queries_do_not_grow_with_the_rows(client_for, leader_branch, team_a, team_b, query):
    client = client_for(leader_branch)
    for index in range(3):
        ConcernFactory(unit=team_a, title=f"夜间巡线照明不足{index}")
    ConcernFactory(unit=team_b, title="食堂开饭时间")
    client.get(LIST, {"q": query})  # warm: the session and the categories' first read
    few, listed_few = _queries(client, {"q": query})
    plain, _listed = _queries(client, {})
    for index in range(27):
        ConcernFactory(unit=team_b if index % 2 else team_a, title=f"巡线道路泥泞{index}")
    many, listed_many = _queries(client, {"q": query})
    assert listed_few >= 3 and listed_many == min(listed_few + 27, 25)
    assert few == many == plain + 1
