"""A rendered dashboard is cached under the dashboard stamp and never served stale: every change the
page counts — a visit, a concern, a resolution, a unit's or a label's name or state, the calendar,
the next day — shows at once, exactly as a page rendered afresh."""

import datetime

import pytest
from django.core.cache import cache

from fieldwork import rollups, workdays
from fieldwork.models import Concern, RollupStamp
from fieldwork.services import concerns as concern_services
from tests.dashboard.page_helpers import body, raised_concern, recorded_visit, url
from tests.factories import principle

pytestmark = pytest.mark.clock(2026, 8, 20)

# session, user, memberships, the unit, the dashboard stamp and the working-day calendar (read
# once a request, for the page frame's calendar warning): the figures are not counted again
QUERIES_WARM = 6


def fresh(client, address) -> str:
    cache.clear()
    return body(client.get(address))


@pytest.fixture
def page(client_for, leader_branch, leader_company, branch, team_a, team_b):
    recorded_visit(leader_company, team_a, datetime.date(2026, 8, 3))
    raised_concern(leader_company, team_b, "Leaking roof")
    client = client_for(leader_branch)
    address = url(branch, period="2026-Q3")
    client.get(address)  # the session and the language settle
    return client, address


def test_a_second_request_is_served_from_the_cache_with_six_queries(page, django_assert_num_queries):
    client, address = page
    cold = body(client.get(address))
    with django_assert_num_queries(QUERIES_WARM):
        warm = body(client.get(address))
    assert warm == cold


def test_the_cache_is_kept_apart_by_unit_period_order_and_language(page, team_a, branch):
    client, address = page
    pages = {
        body(client.get(address)),
        body(client.get(url(branch, period="2026-07"))),
        body(client.get(url(branch, period="2026-Q3", sort="-open"))),
        body(client.get(url(team_a, period="2026-Q3"))),
        body(client.get(address, headers={"accept-language": "zh-hans"})),
    }
    assert len(pages) == 5


def _visit(leader_company, team_a, **_):
    recorded_visit(leader_company, team_a, datetime.date(2026, 8, 10), people=7)


def _concern(leader_company, team_a, **_):
    raised_concern(leader_company, team_a, "Broken lamp")


def _resolution(leader_company, **_):
    concern = Concern.objects.get(title="Leaking roof")
    concern_services.concern_start(concern=concern, by=leader_company, version=concern.version)
    concern.refresh_from_db()
    concern_services.concern_resolve(concern=concern, by=leader_company, version=concern.version, resolution="Fixed")


def _unit_renamed(team_a, **_):
    team_a.name = "Team A (renamed)"
    team_a.save()


def _unit_deactivated(team_b, **_):
    team_b.active = False
    team_b.save()


def _principle_renamed(**_):
    tag = principle("integrity")
    tag.name_en = "Integrity (renamed)"
    tag.save()


def _holiday(**_):
    workdays.calendar_apply(year=2026, days={datetime.date(2026, 8, 21): (False, "a holiday")}, source="notice")


CHANGES = [_visit, _concern, _resolution, _unit_renamed, _unit_deactivated, _principle_renamed, _holiday]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_change_the_page_counts_shows_at_once(page, change, leader_company, team_a, team_b):
    client, address = page
    before = body(client.get(address))
    stamp = rollups.stamp()
    change(leader_company=leader_company, team_a=team_a, team_b=team_b)
    assert rollups.stamp() != stamp
    after = body(client.get(address))
    assert after == fresh(client, address)
    if change is not _holiday:  # a holiday after the limits at stake changes no figure
        assert after != before


def test_the_next_day_is_a_page_of_its_own(page, clock, leader_company, leader_branch):
    client, address = page
    concern = Concern.objects.get(title="Leaking roof")
    concern_services.concern_set_due(concern=concern, by=leader_company, version=concern.version, due_date=clock.today)
    before = body(client.get(address))
    clock.move(days=1)  # the concern is overdue from today: no change was written, only the day
    client.force_login(leader_branch)  # yesterday's session has expired
    after = body(client.get(address))
    assert after != before
    assert after == fresh(client, address)


def test_without_the_stamp_row_nothing_is_cached(page, django_assert_max_num_queries):
    client, address = page
    RollupStamp.objects.all().delete()
    first = body(client.get(address))
    with django_assert_max_num_queries(20) as captured:
        second = body(client.get(address))
    assert second == first
    assert len(captured.captured_queries) > QUERIES_WARM
