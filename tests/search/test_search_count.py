"""A search's count stops at paging.SEARCH_COUNT_CAP ("1,000+"), sooner than the list's own."""

from fieldwork import paging
from tests.concerns.list_helpers import LIST
from tests.factories import ConcernFactory


def test_a_search_counts_to_its_own_cap(client_for, leader_branch, team_a, monkeypatch):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    for index in range(4):
        ConcernFactory(unit=team_a, title=f"巡线照明{index}")
    client = client_for(leader_branch)
    searched = client.get(LIST, {"q": "巡线"})
    assert (searched.context["total"], searched.context["total_capped"]) == (2, True)
    assert len(searched.context["rows"]) == 4
    listed = client.get(LIST)
    assert (listed.context["total"], listed.context["total_capped"]) == (4, False)
    blank = client.get(LIST, {"q": "  "})
    assert (blank.context["total"], blank.context["total_capped"]) == (4, False)
