"""Filtering the overdue page by unit (its subtree) and owner; a unit out of scope leaks nothing."""

import pytest

from tests.factories import FollowUpActionFactory, UserFactory
from tests.overdue.helpers import CSV_URL, URL, XLSX_URL, ago, concern, csv_rows, xlsx_book

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_filter_by_unit_takes_the_subtree(client_for, team_a, sub_a, team_b, leader_branch):
    in_team = concern(team_a, days_ago=2)
    below = concern(sub_a, days_ago=3)
    concern(team_b, days_ago=4)
    other_action = FollowUpActionFactory(concern=concern(team_b, days_ago=-9), due_date=ago(1))
    mine = FollowUpActionFactory(concern=in_team, due_date=ago(1))

    response = client_for(leader_branch).get(URL, {"unit": team_a.pk})

    assert [c.pk for c in response.context["concerns"]] == [below.pk, in_team.pk]
    assert [a.pk for a in response.context["actions"]] == [mine.pk]
    assert other_action.pk not in [a.pk for a in response.context["actions"]]


def test_filter_by_owner_and_unassigned(client_for, team_a, leader_branch, cadre_a):
    owned = concern(team_a, days_ago=2, owner=cadre_a)
    nobody = concern(team_a, days_ago=3)
    someone = UserFactory()
    action = FollowUpActionFactory(concern=owned, owner=cadre_a, due_date=ago(1))
    FollowUpActionFactory(concern=owned, owner=someone, due_date=ago(1))

    by_owner = client_for(leader_branch).get(URL, {"owner": cadre_a.pk})
    unassigned = client_for(leader_branch).get(URL, {"owner": "null"})

    assert [c.pk for c in by_owner.context["concerns"]] == [owned.pk]
    assert [a.pk for a in by_owner.context["actions"]] == [action.pk]
    assert [c.pk for c in unassigned.context["concerns"]] == [nobody.pk]
    assert unassigned.context["actions"] == []


def test_unit_outside_scope_is_refused_in_the_form_and_leaks_nothing(client_for, team_a, team_b, cadre_b_other_team):
    concern(team_a, days_ago=2)
    visible = concern(team_b, days_ago=2)

    response = client_for(cadre_b_other_team).get(URL, {"unit": team_a.pk})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["unit"]
    assert [c.pk for c in response.context["concerns"]] == [visible.pk]


def test_cadre_of_another_team_never_sees_team_a_rows(client_for, team_a, team_b, cadre_b_other_team):
    hidden = concern(team_a, days_ago=2, title="Team A secret")
    FollowUpActionFactory(concern=hidden, due_date=ago(1), description="Team A action")
    own = concern(team_b, days_ago=2, title="Team B own")
    client = client_for(cadre_b_other_team)

    page = client.get(URL)
    csv_text = "\n".join(",".join(row) for row in csv_rows(client.get(CSV_URL)))
    book = xlsx_book(client.get(XLSX_URL))
    xlsx_text = " ".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)

    assert [c.pk for c in page.context["concerns"]] == [own.pk]
    assert page.context["actions"] == []
    for text in (page.content.decode(), csv_text, xlsx_text):
        assert "Team B own" in text
        assert "Team A secret" not in text and hidden.reference not in text
        assert "Team A action" not in text
