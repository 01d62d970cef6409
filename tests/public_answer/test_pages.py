"""The pages say it: the tracking page tells the person until which day they can answer there and what
happens after (a call, or closing as not answered), and explains `no_answer`; the concern page tells staff
until when the person's own window runs and what follows."""

import pytest
from django.test import Client

from fieldwork.models import Concern, ConcernEvent
from tests.factories import ConcernEventFactory

from .helpers import D, public_concern, resolve, run

TRACK_URL = "/s/track/"

pytestmark = pytest.mark.clock(2026, 12, 1)


def tracking_page(code: str, **headers) -> str:
    client = Client(**headers)
    client.post(TRACK_URL, {"code": code})
    return client.get(TRACK_URL).content.decode()


def test_tracking_page_says_until_when_and_then_a_call(clock, team_a, leader_team_a):
    concern, code = public_concern(team_a)
    resolve(concern, leader_team_a)
    page = tracking_page(code)
    assert "You can tell us here until 3 Dec 2026. After that, a cadre will call you to ask." in page
    page = tracking_page(code, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "2026年12月3日" in page  # the date as Chinese writes it
    clock.on(D(2026, 12, 4))  # the window is over: in the queue, the person may still answer
    page = tracking_page(code)
    assert "A cadre will call you to ask. You can also tell us here." in page
    assert "until 3 Dec 2026" not in page


def test_tracking_page_without_contact_says_it_will_close(clock, team_a, leader_team_a):
    concern, code = public_concern(team_a, contact="")
    resolve(concern, leader_team_a)
    page = tracking_page(code)
    assert (
        "You can tell us here until 15 Dec 2026. You left no contact, so after that day your concern will be "
        "closed as not answered." in page
    )
    run(clock, D(2026, 12, 16))
    page = tracking_page(code)
    assert "data-answer-window" not in page  # no form any more
    assert "you did not tell us here whether you were satisfied within the time to answer" in page
    assert "Closed: the person never answered" in page  # the status, and the event on the timeline
    concern.refresh_from_db()
    assert concern.status == Concern.Status.NO_ANSWER


def test_concern_page_tells_staff_the_window(clock, client_for, team_a, leader_team_a, leader_branch):
    with_contact = resolve(public_concern(team_a)[0], leader_team_a)
    without = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    page = client_for(leader_branch).get(with_contact.get_absolute_url()).content.decode()
    assert "The person can answer on the tracking page until 3 Dec 2026; then it joins the callback queue." in page
    assert "data-callback-due" in page
    page = client_for(leader_branch).get(without.get_absolute_url()).content.decode()
    assert (
        "The person can answer on the tracking page until 15 Dec 2026; with no contact left it then closes as "
        "no answer." in page
    )
    assert "data-callback-due" not in page  # nobody will call: no callback deadline to show
    clock.on(D(2026, 12, 4))
    page = client_for(leader_branch).get(with_contact.get_absolute_url()).content.decode()
    assert "data-public-window" not in page


@pytest.mark.parametrize("events", [2, 30])
def test_tracking_page_in_the_window_queries_do_not_grow(team_a, leader_team_a, django_assert_num_queries, events):
    concern, code = public_concern(team_a, contact="")
    resolve(concern, leader_team_a)
    for _ in range(events):
        ConcernEventFactory(concern=concern, kind=ConcernEvent.Kind.DUE_CHANGED)
    client = Client()
    client.post(TRACK_URL, {"code": code})
    client.get(TRACK_URL)  # warm the session
    # session, concern, timeline, the shareable photos, the calendar (the due date's estimate and the
    # window's last day)
    with django_assert_num_queries(5):
        page = client.get(TRACK_URL).content.decode()
    assert "data-answer-window" in page and "15 Dec 2026" in page
