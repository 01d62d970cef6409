"""The table of child units: sorted by a clicked column, too few cases last, supervision and extensions."""

import pytest

from tests.dashboard.page_helpers import body, raised_concern, titles, url

pytestmark = pytest.mark.clock(2026, 8, 20)


def test_child_table_sorts_by_a_clicked_column_and_lists_by_name_otherwise(
    client_for, leader_branch, leader_company, branch, team_a, team_b
):
    raised_concern(leader_company, team_b, "One")
    raised_concern(leader_company, team_b, "Two")
    client = client_for(leader_branch)
    by_name = client.get(url(branch))
    assert [row.unit.name for row in by_name.context["children"]] == ["Team A", "Team B"]
    rows = client.get(url(branch, sort="-open")).context["children"]
    assert [row.unit.name for row in rows] == ["Team B", "Team A"]
    # an unknown order is the order by name: the very page (served from the cache)
    assert body(client.get(url(branch, sort="bogus"))) == body(by_name)


def test_rates_with_too_few_cases_sort_last_both_ways():
    from fieldwork.dashboard import ChildRow, Rate, UnitLine
    from fieldwork.views.dashboards import _sorted_children

    def row(name, done, total):
        rate = Rate(done, total)
        return ChildRow(UnitLine(len(name), name, "/"), rate, rate, rate, rate, open=0, overdue=0)

    rows = [row("A", 1, 2), row("B", 9, 10), row("C", 5, 10)]  # A has too few cases
    assert [r.unit.name for r in _sorted_children(rows, "resolution", False)] == ["C", "B", "A"]
    assert [r.unit.name for r in _sorted_children(rows, "resolution", True)] == ["B", "C", "A"]
    assert [r.unit.name for r in _sorted_children(rows, "name", True)] == ["C", "B", "A"]


def test_child_rows_show_supervision_and_extensions_with_their_links(
    client_for, leader_branch, branch, team_a, team_b, chased
):
    client = client_for(leader_branch)
    response = client.get(url(branch))
    rows = {item["row"].unit.name: item for item in response.context["child_rows"]}
    assert (rows["Team A"]["row"].supervised_now, rows["Team A"]["row"].extensions_granted) == (1, 0)
    assert (rows["Team B"]["row"].supervised_now, rows["Team B"]["row"].extensions_granted) == (1, 1)
    assert rows["Team A"]["supervised_url"] == f"/concerns/supervised/?unit={team_a.pk}"
    assert titles(client.get(rows["Team A"]["supervised_url"]).content.decode()) == {"Supervised in July"}
    assert titles(client.get(rows["Team B"]["extended_url"]).content.decode()) == {"Extended in August"}
    assert titles(client.get(rows["Team A"]["extended_url"]).content.decode()) == set()
    labels = [column["label"] for column in response.context["child_columns"]]
    assert labels[-2:] == ["Supervised", "Extended"]
    by_extensions = client.get(url(branch, sort="-extended")).context["children"]
    assert [row.unit.name for row in by_extensions] == ["Team B", "Team A"]
