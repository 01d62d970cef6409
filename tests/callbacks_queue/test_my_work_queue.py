"""My work's callback queue: resolved concerns awaiting a callback in the units where the person holds
a membership themself (not the units below), oldest deadline first, bounded, the contact only where
the person may see it, one tap to the callback form."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork import selectors
from fieldwork.models import Membership
from tests.callbacks_queue.helpers import MY_WORK, URL, awaiting
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 12, 10)
TODAY = datetime.date(2026, 12, 10)


def _ids(work) -> list[int]:
    return [concern.pk for concern in work["callbacks"]]


def test_oldest_deadline_first_in_my_own_units_only(cadre_a2, cadre_a, team_a, sub_a, team_b):
    later = awaiting(team_a, due=TODAY, owner=cadre_a)
    older = awaiting(team_a, due=TODAY - datetime.timedelta(days=5), owner=cadre_a)
    awaiting(sub_a, due=TODAY, owner=cadre_a)  # below team A: not cadre_a2's own unit
    awaiting(team_b, due=TODAY)  # another team
    work = selectors.my_work(user=cadre_a2, today=TODAY)
    assert _ids(work) == [older.pk, later.pk]
    assert work["callbacks_count"] == 2


def test_the_owner_does_not_get_their_own_concern(cadre_a, team_a):
    awaiting(team_a, due=TODAY, owner=cadre_a)
    assert _ids(selectors.my_work(user=cadre_a, today=TODAY)) == []


def test_a_root_cadre_does_not_get_the_subtree(company, team_a, branch):
    root_cadre = UserFactory(username="root_cadre")
    MembershipFactory(user=root_cadre, unit=company, role=Membership.Role.CADRE)
    awaiting(team_a, due=TODAY)
    awaiting(branch, due=TODAY)
    on_company = awaiting(company, due=TODAY)
    assert _ids(selectors.my_work(user=root_cadre, today=TODAY)) == [on_company.pk]


def test_bounded_with_a_count_and_a_link_to_the_whole_list(client_for, cadre_a2, team_a):
    for day in range(25):
        awaiting(team_a, due=TODAY - datetime.timedelta(days=day))
    page = client_for(cadre_a2).get(MY_WORK).content.decode()
    assert page.count("data-callback-row=") == 20
    assert "data-callback-count>25<" in page
    assert f'href="{URL}?mine=1"' in page


def test_contact_only_for_whom_may_see_it(client_for, cadre_a, cadre_a2, leader_team_a, team_a):
    concern = awaiting(team_a, due=TODAY, owner=cadre_a, raised_by_name="刘师傅", raised_by_contact="13900001111")
    cadre_page = client_for(cadre_a2).get(MY_WORK).content.decode()
    assert "刘师傅" in cadre_page and "13900001111" not in cadre_page  # a cadre who is not the owner
    leader_page = client_for(leader_team_a).get(MY_WORK).content.decode()
    assert "13900001111" in leader_page
    assert f"{concern.get_absolute_url()}?callback=1#callback" in leader_page  # one tap to the form


def test_anonymous_concerns_show_no_contact(client_for, leader_team_a, team_a):
    awaiting(team_a, due=TODAY, anonymous=True, raised_by_contact="13900002222")
    assert "13900002222" not in client_for(leader_team_a).get(MY_WORK).content.decode()


def test_the_link_opens_the_callback_form(client_for, cadre_a2, resolved_concern):
    page = client_for(cadre_a2).get(resolved_concern.get_absolute_url() + "?callback=1").content.decode()
    assert 'open data-step="callback" id="callback"' in page
    closed = client_for(cadre_a2).get(resolved_concern.get_absolute_url()).content.decode()
    assert 'data-step="callback" id="callback"' in closed and 'open data-step="callback"' not in closed


def test_query_count_does_not_grow(client_for, cadre_a2, team_a):
    client = client_for(cadre_a2)
    client.get(MY_WORK)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_WORK).status_code == 200
        return len(queries)

    for _ in range(2):
        awaiting(team_a, due=TODAY, owner=UserFactory())
    small = count()
    for _ in range(30):
        awaiting(team_a, due=TODAY, owner=UserFactory())
    assert count() == small


def test_another_unit_s_callbacks_404_and_are_not_listed(client_for, cadre_b_other_team, team_a):
    concern = awaiting(team_a, due=TODAY)
    client = client_for(cadre_b_other_team)
    assert client.get(concern.get_absolute_url() + "?callback=1").status_code == 404
    assert f'data-callback-row="{concern.pk}"' not in client.get(MY_WORK).content.decode()
