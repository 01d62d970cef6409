"""Supervision and extension figures over a quarter, per child and on the edge days."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import ladder, rollups, workdays
from fieldwork.models import Concern, Membership
from fieldwork.periods import Period, period_parse
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from tests.dashboard.figure_helpers import TZ, at, figures
from tests.factories import MembershipFactory, UserFactory, category

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


@pytest.fixture
def chasing(clock, company, branch, team_a, sub_a, team_b, other_branch):
    cadre = UserFactory(username="chasing_cadre")
    leader = UserFactory(username="chasing_leader")
    MembershipFactory(user=cadre, unit=company, role=Membership.Role.CADRE)
    MembershipFactory(user=leader, unit=company, role=Membership.Role.LEADER)
    c = {}

    def raise_(name, unit, due):
        clock.now = at(1, 5)
        data = concern_services.ConcernInput(title=name, category=category("safety"))
        c[name] = concern_services.concern_raise(by=cadre, unit=unit, data=data)
        Concern.objects.filter(pk=c[name].pk).update(due_date=due)  # whatever the calendar says
        c[name].refresh_from_db()

    def supervise(name):
        concern = c[name]
        concern.refresh_from_db()
        chased = workdays.next_working_day(concern.due_date)
        for day in (chased, workdays.add_working_days(chased, 3)):
            clock.now = datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=TZ)
            ladder.concern_ladder_advance(concern=concern, today=day)
        concern.refresh_from_db()
        assert timezone.localtime(concern.supervised_at).date() == workdays.add_working_days(chased, 3)

    def extend(name, asked, decided, to, approve=True):
        concern = c[name]
        clock.now = asked
        concern.refresh_from_db()
        request = extension_services.extension_request(
            concern=concern, by=cadre, requested_due_date=to, reason="Parts late"
        )
        clock.now = decided
        concern.refresh_from_db()
        extension_services.extension_decide(
            request=request, by=leader, approve=approve, note="" if approve else "Can be done", version=concern.version
        )

    def do(name, when, service, **kwargs):
        clock.now = when
        concern = c[name]
        concern.refresh_from_db()
        service(concern=concern, version=concern.version, **kwargs)

    for name, unit, due in [
        ("S1", sub_a, datetime.date(2026, 1, 20)),
        ("S2", team_b, datetime.date(2026, 2, 2)),
        ("S3", team_a, datetime.date(2026, 3, 31)),
        ("S4", team_b, datetime.date(2026, 1, 20)),
        ("E1", team_a, datetime.date(2026, 2, 27)),
        ("E2", sub_a, datetime.date(2026, 3, 20)),
        ("E3", team_b, datetime.date(2026, 2, 27)),
        ("E4", other_branch, datetime.date(2026, 4, 30)),
    ]:
        raise_(name, unit, due)
    for name in ("S1", "S2", "S3", "S4"):
        supervise(name)
    do("S4", at(2, 10), concern_services.concern_withdraw, by=leader, reason="Raised twice")
    do("S2", at(3, 1), concern_services.concern_start, by=cadre)
    do("S2", at(3, 2), concern_services.concern_resolve, by=cadre, resolution="Fixed")
    extend("E1", at(2, 10), at(2, 11), datetime.date(2026, 3, 13))
    extend("E1", at(3, 5), at(3, 6), datetime.date(2026, 3, 31))
    extend("E2", at(3, 2), at(3, 3), datetime.date(2026, 4, 20), approve=False)
    extend("E3", at(2, 2), at(2, 3), datetime.date(2026, 3, 20))
    do("E3", at(3, 5), concern_services.concern_withdraw, by=leader, reason="Raised twice")
    extend("E4", at(4, 8), at(4, 9), datetime.date(2026, 5, 15))
    clock.now = at(4, 15, 12)
    assert rollups.stored() == rollups.recount()
    assert rollups.stored_now() == rollups.recount_now()
    return c


def test_supervision_and_extensions_over_a_quarter(chasing, company):
    d = figures(company)
    assert d.supervised == 2  # S1 (January) and S2 (February); S3 in April, S4 withdrawn
    assert d.supervised_now == 2  # S1 and S3 are open; S2 is resolved, S4 withdrawn
    assert d.extensions_granted == 2  # E1 twice; E2 refused, E3 withdrawn, E4 in April
    later = figures(company, Period.quarter(2026, 2))
    assert (later.supervised, later.supervised_now, later.extensions_granted) == (1, 2, 1)  # S3, E4


def test_supervision_and_extensions_per_child(chasing, company, branch, team_b):
    rows = {row.unit.name: row for row in figures(company).children}
    assert (rows["Substation workshop"].supervised_now, rows["Substation workshop"].extensions_granted) == (2, 2)
    assert (rows["Dispatch centre"].supervised_now, rows["Dispatch centre"].extensions_granted) == (0, 0)
    rows = {row.unit.name: row for row in figures(company, Period.quarter(2026, 2)).children}
    assert rows["Dispatch centre"].extensions_granted == 1
    rows = {row.unit.name: row for row in figures(branch).children}
    assert (rows["Team A"].supervised_now, rows["Team A"].extensions_granted) == (2, 2)  # S1 is below Team A
    assert (rows["Team B"].supervised_now, rows["Team B"].extensions_granted) == (0, 0)
    d = figures(team_b)
    assert (d.supervised, d.supervised_now, d.extensions_granted) == (1, 0, 0)  # S2


def test_supervision_and_extensions_on_the_edge_days(chasing, company):
    d = figures(company, period_parse(date_from="2026-02-04", date_to="2026-03-05"))
    assert (d.supervised, d.extensions_granted) == (1, 1)  # S2 in February; E1 on 02-11, not 03-06
    whole = figures(company)
    late = figures(company, period_parse(date_from="2026-01-27", date_to="2026-03-31"))
    early = figures(company, period_parse(date_from="2026-01-01", date_to="2026-01-26"))
    for name in ("supervised", "extensions_granted"):
        assert getattr(late, name) + getattr(early, name) == getattr(whole, name)
    assert (early.supervised, late.supervised) == (1, 1)  # S1 came under supervision on 01-26
