"""The dashboard page: scope, the period, the links behind the figures, the markup, the query bound."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import dashboard, ladder, rollups, workdays
from fieldwork.models import Concern, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services
from tests.factories import UnitFactory, category, principle

pytestmark = pytest.mark.clock(2026, 8, 20)

TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 8, 20, 10, 0, tzinfo=TZ)  # the current quarter is 2026-Q3


def _visit(by, unit, day, people=3, principles=()):
    return visit_services.visit_record(
        by=by, unit=unit, date=day, form=Visit.Form.SYMPOSIUM, people_reached=people, principles=list(principles)
    )


def _concern(by, unit, title="Canteen", cat="safety"):
    return concern_services.concern_raise(
        by=by, unit=unit, data=concern_services.ConcernInput(title=title, category=category(cat))
    )


def url(unit, **query):
    base = reverse("fieldwork:unit-dashboard", args=[unit.pk])
    if not query:
        return base
    return base + "?" + "&".join(f"{key}={value}" for key, value in query.items())


# --- access ----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, branch):
    response = client.get(url(branch))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_post_is_not_allowed(client_for, leader_branch, branch):
    assert client_for(leader_branch).post(url(branch)).status_code == 405


def test_a_leader_sees_their_branch(client_for, leader_branch, branch):
    response = client_for(leader_branch).get(url(branch))
    assert response.status_code == 200
    assert response.context["d"].unit == branch


def test_a_leader_of_another_branch_gets_404(client_for, leader_other_branch, branch, team_a):
    client = client_for(leader_other_branch)
    assert client.get(url(branch)).status_code == 404
    assert client.get(url(team_a)).status_code == 404


def test_a_cadre_sees_the_dashboards_of_their_own_units_only(client_for, cadre_a, team_a, sub_a, branch, team_b):
    client = client_for(cadre_a)
    assert client.get(url(team_a)).status_code == 200
    assert client.get(url(sub_a)).status_code == 200
    assert client.get(url(branch)).status_code == 404
    assert client.get(url(team_b)).status_code == 404


def test_an_unknown_unit_is_404(client_for, leader_branch):
    assert client_for(leader_branch).get("/units/999999/dashboard/").status_code == 404


def test_a_repeated_request_shows_the_same(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    first = client.get(url(branch, period="2026-07"))
    second = client.get(url(branch, period="2026-07"))
    assert first.context["d"] == second.context["d"]


# --- the period ------------------------------------------------------------------------------------


def test_default_is_the_current_quarter_with_previous_and_next(client_for, leader_branch, branch):
    response = client_for(leader_branch).get(url(branch))
    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    html = response.content.decode()
    assert 'href="?period=2026-Q2"' in html
    assert 'href="?period=2026-Q4"' in html


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"period": "2026-07"}, "2026-07"),
        ({"period": "2026-Q1"}, "2026 Q1"),
        ({"period": "2025"}, "2025"),
        ({"from": "2026-03-15", "to": "2026-05-10"}, "2026-03-15 – 2026-05-10"),
    ],
)
def test_each_form_of_period(client_for, leader_branch, branch, query, label):
    response = client_for(leader_branch).get(url(branch, **query))
    assert response.status_code == 200
    assert response.context["period"].label == label


@pytest.mark.parametrize(
    "query", [{"period": "2026-13"}, {"period": "nonsense"}, {"from": "2026-05-10", "to": "2026-03-15"}, {"from": "x"}]
)
def test_a_bad_period_shows_a_message_and_the_current_quarter(client_for, leader_branch, branch, query):
    response = client_for(leader_branch).get(url(branch, **query))
    assert response.status_code == 200
    assert response.context["period"].label == "2026 Q3"
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


# --- what the page shows ---------------------------------------------------------------------------


def test_the_page_states_each_definition_in_design_words(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    for text in dashboard.DEFINITIONS.values():
        assert str(text) in html.replace("&#x27;", "'")
    assert str(dashboard.PREAMBLE).replace("“", "").replace("”", "")[:60] in html.replace("“", "").replace("”", "")
    assert "too few to compare" in html


def test_headline_cards_come_first_and_there_is_no_ranking(client_for, leader_branch, branch, team_a, team_b):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    coverage, resolution, satisfaction, visits = (
        html.index('id="fig-coverage"'),
        html.index('id="fig-resolution"'),
        html.index('id="fig-satisfaction"'),
        html.index('id="fig-visits"'),
    )
    assert coverage < resolution < satisfaction < visits
    for word in ("ranking", "medal", "🥇", "leaderboard", "top 10"):
        assert word not in html.lower()


def test_charts_are_accessible_svg_with_a_table_and_no_inline_script_or_style(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(url(branch)).content.decode()
    assert html.count("<svg") >= 2
    assert '<title id="chart-visits-title">' in html and '<desc id="chart-visits-desc">' in html
    assert "The trend as a table" in html
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


def test_child_table_sorts_by_a_clicked_column_and_lists_by_name_otherwise(
    client_for, leader_branch, leader_company, branch, team_a, team_b
):
    _concern(leader_company, team_b, "One")
    _concern(leader_company, team_b, "Two")
    client = client_for(leader_branch)
    rows = client.get(url(branch)).context["children"]
    assert [row.unit.name for row in rows] == ["Team A", "Team B"]
    rows = client.get(url(branch, sort="-open")).context["children"]
    assert [row.unit.name for row in rows] == ["Team B", "Team A"]
    rows = client.get(url(branch, sort="bogus")).context["children"]
    assert [row.unit.name for row in rows] == ["Team A", "Team B"]


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


# --- every figure links to the list behind it ------------------------------------------------------


def _params(link: str) -> dict:
    return parse_qs(urlparse(link).query)


def test_visit_links_select_the_visits_counted(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b
):
    _visit(leader_company, sub_a, datetime.date(2026, 7, 3), principles=[principle("pragmatism")])
    _visit(leader_company, team_b, datetime.date(2026, 8, 1))
    _visit(leader_company, team_b, datetime.date(2026, 6, 30))  # the quarter before
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
    assert listed.context["page"].paginator.count == response.context["d"].visits == 2
    principle_row = next(row for row in response.context["principle_rows"] if row["tag"].visits)
    listed = client.get(principle_row["visits_url"])
    assert listed.context["page"].paginator.count == principle_row["tag"].visits == 1


def test_concern_links_carry_the_concern_list_filters(client_for, leader_branch, leader_company, branch, team_a):
    _concern(leader_company, team_a)
    client = client_for(leader_branch)
    response = client.get(url(branch))
    links = response.context["urls"]
    assert urlparse(links["overdue"]).path == "/overdue/"  # the overdue page, with its exports
    assert _params(links["overdue"]) == {"unit": [str(branch.pk)]}
    assert _params(links["open"]) == {"unit": [str(branch.pk)], "status": ["open", "in_progress"]}
    raised = _params(links["raised"])
    assert raised["raised_from"] == ["2026-07-01"] and raised["raised_to"] == ["2026-09-30"]
    assert raised["status"] == ["open", "in_progress", "resolved", "closed"]  # withdrawn count apart
    assert _params(links["withdrawn"])["status"] == ["withdrawn"]
    assert _params(links["resolved"])["resolved_from"] == ["2026-07-01"]
    assert _params(links["reopened"])["satisfaction"] == ["dissatisfied"]
    for link in links.values():
        assert client.get(link).status_code == 200
    html = response.content.decode()
    assert f'href="/overdue/?unit={branch.pk}"' in html


def test_overdue_figure_lands_on_the_overdue_concerns(client_for, leader_branch, leader_company, branch, team_a):
    late = _concern(leader_company, team_a, "Late")
    _concern(leader_company, team_a, "On time")
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
    late_below = _concern(leader_company, sub_a, "Late below team A")
    late_elsewhere = _concern(leader_company, team_b, "Late in team B")
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


def _supervised(concern, due: datetime.date) -> None:
    """Overdue since `due`, chased the next working day and supervised three working days later."""
    Concern.objects.filter(pk=concern.pk).update(due_date=due)
    chased = workdays.next_working_day(due)
    for day in (chased, workdays.add_working_days(chased, 3)):
        ladder.concern_ladder_advance(concern=concern, today=day)
    concern.refresh_from_db()
    assert concern.supervised_at is not None


def _extension(concern, *, owner, leader, approve: bool) -> None:
    request = extension_services.extension_request(
        concern=concern, by=owner, requested_due_date=concern.due_date + datetime.timedelta(days=15), reason="Parts"
    )
    concern.refresh_from_db()
    extension_services.extension_decide(request=request, by=leader, approve=approve, note="No", version=concern.version)


@pytest.fixture
def chased(leader_company, leader_branch, branch, team_a, sub_a, team_b):
    """In Q3 (today 2026-08-20): one concern of Sub A came under supervision in July, one of Team B in
    June (still open); one of Team B was extended and one of Team A refused an extension in August."""
    rollups.rebuild()
    july = _concern(leader_company, sub_a, "Supervised in July")
    _supervised(july, datetime.date(2026, 6, 30))
    june = _concern(leader_company, team_b, "Supervised in June")
    _supervised(june, datetime.date(2026, 6, 1))
    extended = _concern(leader_company, team_b, "Extended in August")
    _extension(extended, owner=leader_company, leader=leader_branch, approve=True)
    refused = _concern(leader_company, team_a, "Refused in August")
    _extension(refused, owner=leader_company, leader=leader_branch, approve=False)
    _concern(leader_company, team_a, "Neither")
    return {"july": july, "june": june, "extended": extended, "refused": refused}


def _titles(html: str) -> set[str]:
    names = ("Supervised in July", "Supervised in June", "Extended in August", "Refused in August", "Neither")
    return {name for name in names if name in html}


def test_supervision_and_extension_figures_land_on_their_lists(client_for, leader_branch, branch, chased):
    client = client_for(leader_branch)
    response = client.get(url(branch))
    d, links = response.context["d"], response.context["urls"]
    assert (d.supervised_now, d.supervised, d.extensions_granted) == (2, 1, 1)
    assert links["supervised_now"] == f"/concerns/supervised/?unit={branch.pk}"
    assert _titles(client.get(links["supervised_now"]).content.decode()) == {"Supervised in July", "Supervised in June"}
    came = _params(links["supervised"])
    assert (came["supervised_from"], came["supervised_to"]) == (["2026-07-01"], ["2026-09-30"])
    assert came["status"] == ["open", "in_progress", "resolved", "closed"]
    assert _titles(client.get(links["supervised"]).content.decode()) == {"Supervised in July"}
    extended = _params(links["extended"])
    assert (extended["extended_from"], extended["extended_to"]) == (["2026-07-01"], ["2026-09-30"])
    assert _titles(client.get(links["extended"]).content.decode()) == {"Extended in August"}
    html = response.content.decode()
    assert f'href="/concerns/supervised/?unit={branch.pk}"' in html
    assert 'id="fig-supervised"' in html and 'id="fig-extended"' in html
    assert str(dashboard.DEFINITIONS["supervised"]).replace("'", "&#x27;") in html
    before = client.get(url(branch, period="2026-Q2")).context["d"]
    assert (before.supervised_now, before.supervised, before.extensions_granted) == (2, 1, 0)


def test_child_rows_show_supervision_and_extensions_with_their_links(
    client_for, leader_branch, branch, team_a, team_b, chased
):
    client = client_for(leader_branch)
    response = client.get(url(branch))
    rows = {item["row"].unit.name: item for item in response.context["child_rows"]}
    assert (rows["Team A"]["row"].supervised_now, rows["Team A"]["row"].extensions_granted) == (1, 0)
    assert (rows["Team B"]["row"].supervised_now, rows["Team B"]["row"].extensions_granted) == (1, 1)
    assert rows["Team A"]["supervised_url"] == f"/concerns/supervised/?unit={team_a.pk}"
    assert _titles(client.get(rows["Team A"]["supervised_url"]).content.decode()) == {"Supervised in July"}
    assert _titles(client.get(rows["Team B"]["extended_url"]).content.decode()) == {"Extended in August"}
    assert _titles(client.get(rows["Team A"]["extended_url"]).content.decode()) == set()
    labels = [column["label"] for column in response.context["child_columns"]]
    assert labels[-2:] == ["Supervised", "Extended"]
    by_extensions = client.get(url(branch, sort="-extended")).context["children"]
    assert [row.unit.name for row in by_extensions] == ["Team B", "Team A"]


def test_the_unit_tree_shows_each_subtree_under_supervision(client_for, leader_branch, branch, team_a, chased):
    tree = client_for(leader_branch).get(reverse("fieldwork:unit-list")).content.decode()
    assert f'href="/concerns/supervised/?unit={branch.pk}">2 supervised</a>' in tree
    assert f'href="/concerns/supervised/?unit={team_a.pk}">1 supervised</a>' in tree


def test_supervision_figures_are_scoped_like_everything_else(client_for, cadre_b_other_team, team_a, chased):
    client = client_for(cadre_b_other_team)  # a cadre of Team B
    assert client.get(url(team_a)).status_code == 404
    listed = client.get(f"/concerns/supervised/?unit={team_a.pk}")
    assert "Supervised in July" not in listed.content.decode()


# --- the query bound -------------------------------------------------------------------------------

# session, user, memberships, the unit, then dashboard_figures: the units with their visited
# months, the unit's months, the children's sums, open now, principles, categories; and the
# working-day calendar (the response limit is counted in working days).
QUERIES_DASHBOARD = 11


def _grow(leader_company, units, n):
    for index in range(n):
        unit = units[index % len(units)]
        day = datetime.date(2026, 1 + index % 7, 1 + index % 27)
        _visit(leader_company, unit, day, people=1 + index, principles=[principle("integrity")])
        _concern(leader_company, unit, f"Concern {index}", cat="other" if index % 2 else "safety")


def test_query_count_is_the_same_at_two_sizes(
    client_for, leader_branch, leader_company, company, branch, team_a, sub_a, team_b, django_assert_num_queries
):
    units = [team_a, sub_a, team_b, branch]
    client = client_for(leader_branch)
    client.get(url(branch, period="2026"))  # the session and the language settle on the first request
    _grow(leader_company, units, 3)
    with django_assert_num_queries(QUERIES_DASHBOARD):
        small = client.get(url(branch, period="2026"))
    extra = [UnitFactory(parent=team_b, code=f"grow-{i}") for i in range(5)]
    _grow(leader_company, units + extra, 40)
    with django_assert_num_queries(QUERIES_DASHBOARD):
        large = client.get(url(branch, period="2026"))
    assert large.context["d"].visits > small.context["d"].visits
    assert QUERIES_DASHBOARD <= 15


def test_query_count_of_a_period_cutting_months_does_not_grow_either(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b, django_assert_num_queries
):
    client = client_for(leader_branch)
    client.get(url(branch))
    _grow(leader_company, [team_a, sub_a], 2)
    query = {"from": "2026-01-15", "to": "2026-06-10"}
    # the edge days counted live: visits, their principles, concerns raised, their principles,
    # resolved, callbacks, supervised, extensions granted (rollups.count_rows)
    with django_assert_num_queries(QUERIES_DASHBOARD + 8) as captured:
        client.get(url(branch, **query))
    _grow(leader_company, [team_a, sub_a, team_b], 30)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url(branch, **query))
