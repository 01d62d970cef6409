"""A search's count stops at paging.SEARCH_COUNT_CAP ("1,000+"), sooner than the list's own; past it
the page walks the newest concerns (views.concern_lists._counted), below it the page is taken among
the matches by id: the same rows either way."""

import pytest

from fieldwork import paging
from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory


@pytest.mark.parametrize("query", ["巡线", "巡线照明", "FW-2026"])
@pytest.mark.parametrize("cap", [2, 10])
def test_a_search_counts_to_its_own_cap_and_lists_the_same_rows(
    client_for, leader_branch, team_a, monkeypatch, query, cap
):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", cap)
    monkeypatch.setattr(paging, "COUNT_CAP", 20)
    made = [ConcernFactory(unit=team_a, title=f"夜间巡线照明{index}") for index in range(4)]
    ConcernFactory(unit=team_a, title="食堂开饭时间", reference="XX-1")
    client = client_for(leader_branch)
    searched = client.get(LIST, {"q": query})
    assert (searched.context["total"], searched.context["total_capped"]) == ((2, True) if cap == 2 else (4, False))
    newest_first = sorted(made, key=lambda concern: (concern.raised_at, concern.pk), reverse=True)
    assert references(searched) == [concern.reference for concern in newest_first]


def test_the_plain_list_keeps_its_cap(client_for, leader_branch, team_a, monkeypatch):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    for index in range(4):
        ConcernFactory(unit=team_a, title=f"巡线照明{index}")
    client = client_for(leader_branch)
    listed = client.get(LIST)
    assert (listed.context["total"], listed.context["total_capped"]) == (4, False)
    blank = client.get(LIST, {"q": "  "})
    assert (blank.context["total"], blank.context["total_capped"]) == (4, False)
