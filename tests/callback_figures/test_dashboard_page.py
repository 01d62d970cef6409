"""The callback figures on the page: each card links to the list behind it, and the list holds the
concerns the figure counts; the page runs the same queries at two data sizes; the cached page shows
a resolution, a callback, an unreachable and a no-answer closing at once."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache

from fieldwork import rollups
from fieldwork.models import Concern, Feedback
from fieldwork.services import concerns as concern_services
from tests.callback_figures.helpers import call_back, close_no_answer, close_unreachable, local, resolve
from tests.dashboard.page_helpers import body, raised_concern, url
from tests.dashboard.test_dashboard_queries import QUERIES_DASHBOARD
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 8, 20, 10)


def _params(link: str) -> dict:
    return parse_qs(urlparse(link).query)


def _resolved(leader_company, unit, title, **how):
    concern = raised_concern(leader_company, unit, title)
    concern_services.concern_start(concern=concern, by=leader_company, version=concern.version)
    return resolve(leader_company, concern, **how)


@pytest.fixture
def caller(company):
    user = UserFactory(username="callback_caller")
    MembershipFactory(user=user, unit=company, role="cadre")
    return user


@pytest.fixture
def story(clock, leader_company, caller, branch, team_a, team_b, sub_a, other_branch):
    """In August: resolved concerns in the branch, some called back (in time and late), one closed as
    unreachable, one as no answer; one in another branch."""
    clock.now -= datetime.timedelta(days=10)  # 10 August
    kept = _resolved(leader_company, team_a, "Kept waiting")
    late = _resolved(leader_company, team_b, "Called late")
    early = _resolved(leader_company, sub_a, "Called in time")
    gone = _resolved(leader_company, team_a, "Nobody there")
    silent = _resolved(leader_company, team_b, "Never answered", contact=False)
    _resolved(leader_company, other_branch, "Elsewhere")
    call_back(caller, early, "satisfied")
    clock.now += datetime.timedelta(days=10)  # 20 August: every deadline of the 10th has passed
    call_back(caller, late, "dissatisfied")
    close_unreachable(caller, leader_company, gone)
    close_no_answer(silent)
    fresh = _resolved(leader_company, sub_a, "Resolved today")
    return {"kept": kept, "late": late, "early": early, "gone": gone, "silent": silent, "fresh": fresh}


def test_each_callback_figure_links_to_the_list_behind_it(client_for, leader_branch, branch, story):
    client = client_for(leader_branch)
    response = client.get(url(branch, period="2026-08"))
    d, links = response.context["d"], response.context["urls"]
    assert (d.awaiting_callback_now, d.callbacks_overdue_now) == (2, 1)  # kept (late) and fresh
    assert (d.callbacks_in_time.numerator, d.callbacks_in_time.denominator) == (1, 2)
    assert (d.unreachable, d.no_answer) == (1, 1)

    assert links["callbacks_awaiting"] == f"/callbacks/?unit={branch.pk}"
    assert links["callbacks_overdue"] == f"/callbacks/?unit={branch.pk}&overdue=1"
    queue = {row.pk for row in client.get(links["callbacks_awaiting"]).context["concerns"]}
    assert {story["kept"].pk, story["fresh"].pk} <= queue
    overdue = {row.pk for row in client.get(links["callbacks_overdue"]).context["concerns"]}
    assert overdue == {story["kept"].pk}

    assert _params(links["unreachable"]) == {
        "unit": [str(branch.pk)],
        "status": ["unreachable"],
        "closed_from": ["2026-08-01"],
        "closed_to": ["2026-08-31"],
    }
    assert _params(links["no_answer"])["status"] == ["no_answer"]
    for key, expected in (("unreachable", "gone"), ("no_answer", "silent")):
        rows = {row.pk for row in client.get(links[key]).context["rows"]}
        assert rows == {story[expected].pk}, key
    # the callbacks in the period that answer a resolution: the share's denominator
    answering = {row.pk for row in client.get(links["callbacks_due"]).context["rows"]}
    assert answering == {story["early"].pk, story["late"].pk}
    late = {row.pk for row in client.get(links["callbacks_late"]).context["rows"]}
    assert late == {story["late"].pk}
    # outside the period, nothing
    july = client.get(url(branch, period="2026-07")).context["urls"]
    assert not client.get(july["unreachable"]).context["rows"]

    html = body(response)
    for key in ("callbacks_awaiting", "callbacks_overdue", "callbacks_due", "unreachable", "no_answer"):
        assert links[key].replace("&", "&amp;") in html, key


def test_the_closed_dates_filter_the_concern_list_and_bad_dates_are_refused(client_for, leader_branch, branch, story):
    client = client_for(leader_branch)
    gone = Concern.objects.get(pk=story["gone"].pk)
    day = local(gone.closed_at).isoformat()
    rows = client.get(f"/concerns/?unit={branch.pk}&closed_from={day}&closed_to={day}").context["rows"]
    assert {row.pk for row in rows} == {story["gone"].pk, story["silent"].pk}
    rows = client.get(f"/concerns/?unit={branch.pk}&closed_to=2026-08-19").context["rows"]
    assert {row.pk for row in rows} == {story["early"].pk}  # closed by its satisfied callback on the 10th
    final = "&status=unreachable&status=no_answer"
    assert not client.get(f"/concerns/?unit={branch.pk}{final}&closed_to=2026-08-19").context["rows"]
    response = client.get(f"/concerns/?unit={branch.pk}&closed_from=not-a-day")
    assert response.status_code == 200
    assert "closed_from" in response.context["filter"].form.errors
    response = client.get(f"/concerns/?unit={branch.pk}&callback_limit=sometime")
    assert "callback_limit" in response.context["filter"].form.errors


def _grow(leader_company, caller, units, n):
    for index in range(n):
        concern = _resolved(leader_company, units[index % len(units)], f"Grown {index}", contact=index % 5 != 4)
        if index % 3 == 0:
            call_back(caller, concern, "satisfied" if index % 2 else "dissatisfied")
        elif index % 5 == 4 and index % 2:
            close_no_answer(concern)


def test_the_query_count_is_the_same_at_two_sizes(
    client_for,
    leader_branch,
    leader_company,
    caller,
    branch,
    team_a,
    sub_a,
    team_b,
    story,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client = client_for(leader_branch)
    whole, cut = url(branch, period="2026"), url(branch, **{"from": "2026-07-15", "to": "2026-08-25"})
    client.get(whole)  # the session and the language settle
    cache.clear()  # the figures counted, not the page served from the cache
    with django_assert_num_queries(QUERIES_DASHBOARD):
        small = client.get(whole)
    # the day rows of the months cut (3 more; the working-day calendar is read already this request's day)
    with django_assert_max_num_queries(QUERIES_DASHBOARD + 3) as cut_small:
        client.get(cut)
    extra = [UnitFactory(parent=team_b, code=f"grow-{i}") for i in range(4)]
    _grow(leader_company, caller, [team_a, sub_a, team_b, *extra], 30)
    cache.clear()
    with django_assert_num_queries(QUERIES_DASHBOARD):
        large = client.get(whole)
    with django_assert_num_queries(len(cut_small.captured_queries)):
        client.get(cut)
    assert large.context["d"].awaiting_callback_now > small.context["d"].awaiting_callback_now
    assert large.context["d"].callbacks_in_time.denominator > small.context["d"].callbacks_in_time.denominator
    assert large.context["d"].no_answer > small.context["d"].no_answer


def _fresh(client, address) -> str:
    cache.clear()
    return body(client.get(address))


def _resolution(leader_company, team_a, **_):
    _resolved(leader_company, team_a, "One more")


def _callback(caller, story, **_):
    call_back(caller, story["kept"], "satisfied")


def _unreachable(caller, leader_company, story, **_):
    close_unreachable(caller, leader_company, story["kept"])


def _no_answer(story, **_):
    close_no_answer(story["fresh"])


@pytest.mark.parametrize("change", [_resolution, _callback, _unreachable, _no_answer], ids=lambda c: c.__name__[1:])
def test_the_cached_page_shows_each_callback_change_at_once(
    client_for, leader_branch, leader_company, caller, branch, team_a, story, change
):
    client = client_for(leader_branch)
    address = url(branch, period="2026-08")
    client.get(address)
    before = body(client.get(address))
    stamp = rollups.stamp()
    change(leader_company=leader_company, caller=caller, team_a=team_a, story=story)
    assert rollups.stamp() != stamp
    after = body(client.get(address))
    assert after != before
    assert after == _fresh(client, address)
    assert Feedback.objects.exists()
