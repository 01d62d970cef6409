"""Each figure links to the list of what it counted."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from fieldwork import dashboard, rollups
from fieldwork.models import Concern
from tests.dashboard.page_helpers import raised_concern, recorded_visit, titles, url
from tests.factories import principle

pytestmark = pytest.mark.clock(2026, 8, 20)


def _params(link: str) -> dict:
    return parse_qs(urlparse(link).query)


def test_visit_links_select_the_visits_counted(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b
):
    recorded_visit(leader_company, sub_a, datetime.date(2026, 7, 3), principles=[principle("pragmatism")])
    recorded_visit(leader_company, team_b, datetime.date(2026, 8, 1))
    recorded_visit(leader_company, team_b, datetime.date(2026, 6, 30))  # the quarter before
    client = client_for(leader_branch)
    response = client.get(url(branch))
    links = response.context["urls"]
    assert _params(links["visits"]) == {
        "unit": [str(branch.pk)],
        "date_from": ["2026-07-01"],
        "date_to": ["2026-09-30"],
    }
    listed = client.get(links["visits"])
    assert listed.status_code == 200
    assert listed.context["total"] == response.context["d"].visits == 2
    principle_row = next(row for row in response.context["principle_rows"] if row["tag"].visits)
    listed = client.get(principle_row["visits_url"])
    assert listed.context["total"] == principle_row["tag"].visits == 1


def test_concern_links_carry_the_concern_list_filters(client_for, leader_branch, leader_company, branch, team_a):
    raised_concern(leader_company, team_a)
    client = client_for(leader_branch)
    response = client.get(url(branch))
    links = response.context["urls"]
    assert urlparse(links["overdue"]).path == "/overdue/"  # the overdue page, with its exports
    assert _params(links["overdue"]) == {"unit": [str(branch.pk)]}
    assert _params(links["open"]) == {"unit": [str(branch.pk)], "status": ["open", "in_progress"]}
    raised = _params(links["raised"])
    assert raised["raised_from"] == ["2026-07-01"] and raised["raised_to"] == ["2026-09-30"]
    assert raised["status"] == [
        "open",
        "in_progress",
        "resolved",
        "closed",
        "unreachable",
        "no_answer",
    ]  # withdrawn apart
    assert _params(links["withdrawn"])["status"] == ["withdrawn"]
    assert _params(links["resolved"])["resolved_from"] == ["2026-07-01"]
    assert _params(links["reopened"])["satisfaction"] == ["dissatisfied"]
    for link in links.values():
        assert client.get(link).status_code == 200
    html = response.content.decode()
    assert f'href="/overdue/?unit={branch.pk}"' in html


def test_overdue_figure_lands_on_the_overdue_concerns(client_for, leader_branch, leader_company, branch, team_a):
    late = raised_concern(leader_company, team_a, "Late")
    raised_concern(leader_company, team_a, "On time")
    Concern.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 8, 1))  # past the hooks:
    rollups.rebuild()  # as after any bulk change
    client = client_for(leader_branch)
    response = client.get(url(branch))
    assert (response.context["d"].open_now, response.context["d"].overdue_now) == (2, 1)
    listed = client.get(response.context["urls"]["overdue"])
    assert listed.status_code == 200
    assert "Late" in listed.content.decode()
    assert "On time" not in listed.content.decode()


def test_child_and_tree_overdue_counts_land_on_the_overdue_page_of_that_subtree(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b
):
    late_below = raised_concern(leader_company, sub_a, "Late below team A")
    late_elsewhere = raised_concern(leader_company, team_b, "Late in team B")
    Concern.objects.filter(pk__in=[late_below.pk, late_elsewhere.pk]).update(due_date=datetime.date(2026, 8, 1))
    rollups.rebuild()
    client = client_for(leader_branch)
    rows = {item["row"].unit.name: item for item in client.get(url(branch)).context["child_rows"]}
    link = rows["Team A"]["overdue_url"]
    assert link == f"/overdue/?unit={team_a.pk}"
    listed = client.get(link).content.decode()
    assert "Late below team A" in listed
    assert "Late in team B" not in listed
    tree = client.get(reverse("fieldwork:unit-list")).content.decode()
    assert f'href="/overdue/?unit={team_a.pk}"' in tree
    assert f'href="/overdue/?unit={branch.pk}"' in tree


def test_supervision_and_extension_figures_land_on_their_lists(client_for, leader_branch, branch, chased):
    client = client_for(leader_branch)
    response = client.get(url(branch))
    d, links = response.context["d"], response.context["urls"]
    assert (d.supervised_now, d.supervised, d.extensions_granted) == (2, 1, 1)
    assert links["supervised_now"] == f"/concerns/supervised/?unit={branch.pk}"
    assert titles(client.get(links["supervised_now"]).content.decode()) == {"Supervised in July", "Supervised in June"}
    came = _params(links["supervised"])
    assert (came["supervised_from"], came["supervised_to"]) == (["2026-07-01"], ["2026-09-30"])
    assert came["status"] == ["open", "in_progress", "resolved", "closed", "unreachable", "no_answer"]
    assert titles(client.get(links["supervised"]).content.decode()) == {"Supervised in July"}
    extended = _params(links["extended"])
    assert (extended["extended_from"], extended["extended_to"]) == (["2026-07-01"], ["2026-09-30"])
    assert titles(client.get(links["extended"]).content.decode()) == {"Extended in August"}
    html = response.content.decode()
    assert f'href="/concerns/supervised/?unit={branch.pk}"' in html
    assert 'id="fig-supervised"' in html and 'id="fig-extended"' in html
    assert str(dashboard.DEFINITIONS["supervised"]).replace("'", "&#x27;") in html
    before = client.get(url(branch, period="2026-Q2")).context["d"]
    assert (before.supervised_now, before.supervised, before.extensions_granted) == (2, 1, 0)
