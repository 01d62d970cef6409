"""Each dashboard figure against values worked out by hand from DESIGN.md's definitions.

The story (conftest tree: company → branch → team_a → sub_a, branch → team_b, company →
other_branch; grassroots units of the company: sub_a, team_b, other_branch), all times 09:00 or
10:00 Asia/Shanghai, told through the services with a clock that moves forward:

  C7 sub_a    raised 2025-12-20, taken up 12-21, resolved 2026-01-30 (late), dissatisfied callback
              02-02 (reopened, due 03-04), resolved again 02-20 (on time), satisfied 02-25
  C1 team_b   raised 01-05 10:00 (safety, pragmatism), taken up 01-06, resolved 01-20 (due 02-04),
              satisfied 01-25
  C2 sub_a    raised 01-10, taken up 01-15 (after its limit), resolved 03-10, dissatisfied callback
              04-02 (after the quarter: reopened, due 05-02)
  C3 team_a   raised 02-01 (pay), never taken up, due 03-03: overdue today
  C4 team_b   raised 02-10, urgent, due 02-17, taken up the same hour, limited by policy, resolved
              02-20 (late)
  C5 team_b   raised 02-15, withdrawn 02-16
  C6 other    raised 03-05 (other), taken up 03-06, resolved 03-08, basically satisfied 03-09
  C9 team_a   raised 04-10, not taken up (its limit has passed by today)
  C8 team_a   raised 04-14, not taken up (still within its limit today)
Visits: sub_a 01-10 (5 people; pragmatism), sub_a 02-03 (3; pragmatism, integrity), team_a 03-01
(2), team_b 2025-12-30 (4), other_branch 03-31 (1). Today is 2026-04-15. The minimum number of
cases is set to 3 here.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from fieldwork import dashboard, ladder, rollups, workdays
from fieldwork.dashboard import Period, PeriodError, Rate, median_of, period_from_query, period_parse
from fieldwork.models import Concern, Feedback, Membership, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services
from tests.factories import MembershipFactory, UserFactory, category, principle

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]

TZ = timezone.get_default_timezone()
TODAY = datetime.date(2026, 4, 15)
Q1 = Period.quarter(2026, 1)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def _min_cases(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 3, "RESPONSE_LIMIT_DAYS": 2}


@pytest.fixture
def story(clock, company, branch, team_a, sub_a, team_b, other_branch):
    cadre = UserFactory(username="story_cadre")
    leader = UserFactory(username="story_leader")
    caller = UserFactory(username="story_caller")
    MembershipFactory(user=cadre, unit=company, role=Membership.Role.CADRE)
    MembershipFactory(user=leader, unit=company, role=Membership.Role.LEADER)
    MembershipFactory(user=caller, unit=company, role=Membership.Role.CADRE)
    safety, pay, other = category("safety"), category("pay_benefits"), category("other")
    pragmatism, integrity = principle("pragmatism"), principle("integrity")
    c = {}

    def raise_(name, unit, when, cat, principles=(), priority=Concern.Priority.NORMAL, due=None):
        clock.now = when
        data = concern_services.ConcernInput(title=name, category=cat, principles=list(principles), priority=priority)
        c[name] = concern_services.concern_raise(by=cadre, unit=unit, data=data)
        if due:
            Concern.objects.filter(pk=c[name].pk).update(due_date=due)  # whatever the calendar says
        c[name].refresh_from_db()

    def do(name, when, service, **kwargs):
        clock.now = when
        concern = c[name]
        concern.refresh_from_db()
        service(concern=concern, version=concern.version, **kwargs)

    def callback(name, when, satisfaction, **kwargs):
        do(
            name,
            when,
            callback_services.feedback_record,
            by=caller,
            satisfaction=satisfaction,
            channel="phone",
            **kwargs,
        )

    raise_("C7", sub_a, at(12, 20, year=2025), safety, due=datetime.date(2026, 1, 19))
    do("C7", at(12, 21, year=2025), concern_services.concern_start, by=cadre)
    raise_("C1", team_b, at(1, 5, 10), safety, [pragmatism], due=datetime.date(2026, 2, 4))
    do("C1", at(1, 6, 10), concern_services.concern_start, by=cadre)
    raise_("C2", sub_a, at(1, 10), safety, due=datetime.date(2026, 2, 9))
    do("C2", at(1, 15), concern_services.concern_start, by=cadre)
    do("C1", at(1, 20, 10), concern_services.concern_resolve, by=cadre, resolution="Fixed")
    callback("C1", at(1, 25, 10), "satisfied")
    do("C7", at(1, 30), concern_services.concern_resolve, by=cadre, resolution="Fixed")
    raise_("C3", team_a, at(2, 1), pay, due=datetime.date(2026, 3, 3))
    callback("C7", at(2, 2), "dissatisfied", new_due_date=datetime.date(2026, 3, 4))
    raise_("C4", team_b, at(2, 10), safety, priority=Concern.Priority.URGENT, due=datetime.date(2026, 2, 17))
    do("C4", at(2, 10), concern_services.concern_start, by=cadre)
    do("C4", at(2, 10), concern_services.concern_assess, by=leader, solvability=Concern.Solvability.POLICY)
    raise_("C5", team_b, at(2, 15), other)
    do("C5", at(2, 16), concern_services.concern_withdraw, by=leader, reason="Raised twice")
    do("C4", at(2, 20), concern_services.concern_resolve, by=cadre, resolution="Explained the policy")
    do("C7", at(2, 20), concern_services.concern_resolve, by=cadre, resolution="Fixed for good")
    callback("C7", at(2, 25), "satisfied")
    raise_("C6", other_branch, at(3, 5), other, due=datetime.date(2026, 4, 4))
    do("C6", at(3, 6), concern_services.concern_start, by=cadre)
    do("C6", at(3, 8), concern_services.concern_resolve, by=cadre, resolution="Done")
    callback("C6", at(3, 9), "basically")
    do("C2", at(3, 10), concern_services.concern_resolve, by=cadre, resolution="Done")
    callback("C2", at(4, 2), "dissatisfied", new_due_date=datetime.date(2026, 5, 2))
    raise_("C9", team_a, at(4, 10), pay)
    raise_("C8", team_a, at(4, 14), pay)
    clock.now = at(4, 15, 12)
    for unit, day, people, tags in [
        (sub_a, datetime.date(2026, 1, 10), 5, [pragmatism]),
        (sub_a, datetime.date(2026, 2, 3), 3, [pragmatism, integrity]),
        (team_a, datetime.date(2026, 3, 1), 2, []),
        (team_b, datetime.date(2025, 12, 30), 4, []),
        (other_branch, datetime.date(2026, 3, 31), 1, []),
    ]:
        visit_services.visit_record(
            by=cadre, unit=unit, date=day, form=Visit.Form.HOME_VISIT, people_reached=people, principles=tags
        )
    assert rollups.stored() == rollups.recount()
    return c


def figures(unit, period=Q1, today=TODAY):
    return dashboard.dashboard_figures(unit=unit, period=period, today=today)


def by_name(lines):
    return {line.name: line for line in lines}


def test_company_quarter(story, company):
    d = figures(company)
    assert (d.visits, d.people_reached) == (4, 11)
    assert (d.coverage.numerator, d.coverage.denominator, d.coverage.percent) == (2, 3, "67%")
    assert [line.name for line in d.unvisited] == ["Team B"]
    assert (d.concerns_raised, d.withdrawn) == (5, 1)  # C1 C2 C3 C4 C6; C5 apart
    # taken up in time: C1, C4, C6; late: C2; never and past the limit: C3
    assert (d.response.numerator, d.response.denominator, d.response.percent) == (3, 5, "60%")
    # C4 is policy-limited: apart. Of C1 C2 C3 C6, C1 and C6 are closed now (C2 was reopened).
    assert (d.resolution.numerator, d.resolution.denominator) == (2, 4)
    assert (d.policy_limited, d.policy.numerator, d.policy.denominator) == (1, 1, 1)
    assert d.policy.percent == "too few to compare"
    # resolved in Q1 as it stands: C1 (on time), C4 (late), C6 (on time), C7 (again 02-20, on time);
    # C7's first resolution (01-30) and C2's (03-10) were cancelled by a reopening.
    assert (d.resolved, d.on_time.numerator, d.on_time.denominator) == (4, 3, 4)
    assert d.median_days == 12.5  # days 3, 10, 15, 62
    # callbacks in Q1: C1 satisfied, C7 dissatisfied, C7 satisfied, C6 basically satisfied
    assert (d.callbacks, d.satisfaction.numerator, d.satisfaction.percent, d.reopened) == (4, 3, "75%", 1)
    # today: C2 in progress (due 05-02), C3 open and overdue, C8 and C9 open (due later)
    assert (d.open_now, d.overdue_now) == (4, 1)
    principles = by_name(d.principles)
    assert (principles["Pragmatic dedication"].visits, principles["Pragmatic dedication"].concerns) == (2, 1)
    assert (principles["Integrity, accepting supervision"].visits, principles["Right positioning"].visits) == (1, 0)
    categories = by_name(d.categories)
    assert (categories["Safety"].concerns, categories["Pay and benefits"].concerns, categories["Other"].concerns) == (
        3,
        1,
        1,
    )


def test_trend_is_the_twelve_months_ending_with_the_period(story, company):
    trend = figures(company).trend
    assert (len(trend), trend[0].month, trend[-1].month) == (12, datetime.date(2025, 4, 1), datetime.date(2026, 3, 1))
    last = {row.month.month: (row.visits, row.raised, row.resolved) for row in trend[-4:]}
    assert last == {12: (1, 1, 0), 1: (1, 2, 1), 2: (1, 2, 2), 3: (2, 1, 1)}


def test_child_table_counts_each_child_over_its_own_subtree(story, company):
    rows = {row.unit.name: row for row in figures(company).children}
    assert list(rows) == ["Dispatch centre", "Substation workshop"]  # by name, not ranked
    branch = rows["Substation workshop"]
    assert (branch.coverage.numerator, branch.coverage.denominator) == (1, 2)
    assert branch.coverage.percent == "too few to compare"
    assert (branch.response.numerator, branch.response.denominator) == (2, 4)
    assert (branch.resolution.numerator, branch.resolution.denominator) == (1, 3)
    assert (branch.satisfaction.numerator, branch.satisfaction.denominator) == (2, 3)
    assert (branch.open, branch.overdue) == (4, 1)
    other = rows["Dispatch centre"]
    assert (other.coverage.numerator, other.coverage.denominator) == (1, 1)
    assert (other.response.percent, other.resolution.percent, other.satisfaction.percent) == ("too few to compare",) * 3
    assert (other.open, other.overdue) == (0, 0)


def test_a_unit_with_no_children_is_its_own_grassroots_unit(story, team_b):
    d = figures(team_b)
    assert d.children == []
    assert (d.coverage.numerator, d.coverage.denominator) == (0, 1)  # its visit was in December
    assert [line.name for line in d.unvisited] == ["Team B"]
    assert (d.concerns_raised, d.withdrawn, d.policy_limited) == (2, 1, 1)  # C1, C4; C5 withdrawn


def test_an_empty_period(story, company):
    d = figures(company, Period.quarter(2025, 1))
    assert (d.visits, d.people_reached, d.concerns_raised, d.withdrawn, d.resolved, d.callbacks) == (0,) * 6
    assert (d.coverage.numerator, d.coverage.denominator, d.coverage.percent) == (0, 3, "0%")
    assert d.median_days is None
    for rate in (d.response, d.resolution, d.on_time, d.satisfaction, d.policy):
        assert rate.percent == "too few to compare"
    assert (d.open_now, d.overdue_now) == (4, 1)  # not bound to the period


def test_a_callback_in_a_later_period_counts_in_that_period(story, company):
    d = figures(company, Period.quarter(2026, 2))
    # C2 (raised in January) was reopened on 04-02; its resolution of 03-10 no longer counts anywhere.
    assert (d.callbacks, d.reopened, d.satisfaction.numerator) == (1, 1, 0)
    assert d.resolved == 0


def test_response_limit_not_yet_passed_is_left_out(story, company):
    d = figures(company, Period.quarter(2026, 2))
    # C8 (04-14) is still within its limit today: neither taken up nor late. C9 (04-10) is past it.
    assert (d.concerns_raised, d.response.numerator, d.response.denominator) == (2, 0, 1)
    later = figures(company, Period.quarter(2026, 2), today=datetime.date(2026, 4, 17))
    assert (later.response.numerator, later.response.denominator) == (0, 2)


def test_a_period_cutting_months_counts_the_edge_days_live(story, company):
    d = figures(company, period_parse(date_from="2026-01-15", date_to="2026-02-10"))
    assert (d.visits, d.people_reached) == (1, 3)  # sub_a 02-03
    assert (d.concerns_raised, d.withdrawn) == (2, 0)  # C3 02-01, C4 02-10
    assert (d.resolved, d.on_time.numerator) == (1, 1)  # C1 01-20; C7's 01-30 was cancelled
    assert (d.callbacks, d.reopened) == (2, 1)  # C1 01-25, C7 02-02 (dissatisfied); C7's 02-25 is out
    assert (d.coverage.numerator, d.coverage.denominator) == (1, 3)


def test_a_range_of_whole_months_equals_the_quarter(story, company, branch, sub_a):
    for unit in (company, branch, sub_a):
        ranged = figures(unit, period_parse(date_from="2026-01-01", date_to="2026-03-31"))
        quarter = figures(unit)
        assert ranged.children == quarter.children
        for name in ("visits", "people_reached", "coverage", "response", "resolution", "on_time", "median_days"):
            assert getattr(ranged, name) == getattr(quarter, name)


def test_live_edges_agree_with_the_rollups_day_by_day(story, company, branch):
    """Cutting Q1 into a range that starts a day late and one that ends it: the two add up."""
    whole = figures(branch)
    late = figures(branch, period_parse(date_from="2026-01-02", date_to="2026-03-31"))
    first = figures(branch, period_parse(date_from="2026-01-01", date_to="2026-01-01"))
    for name in ("visits", "people_reached", "concerns_raised", "resolved", "callbacks", "reopened"):
        assert getattr(late, name) + getattr(first, name) == getattr(whole, name)


# --- supervision (督办) and extensions granted (延期) ------------------------------------------------
#
# Another story, on the same tree, today 2026-04-15:
#   S1 sub_a   due 01-20, chased 01-21, supervised three working days later (January); still open
#   S2 team_b  due 02-02, chased 02-03, supervised in February; resolved 03-02
#   S3 team_a  due 03-31, chased 04-01, supervised in April; still open
#   S4 team_b  due 01-20, supervised in January, withdrawn 02-10: counted nowhere
#   E1 team_a  due 02-27, extended on 02-11 to 03-13 and on 03-06 to 03-31 (two extensions)
#   E2 sub_a   due 03-20, extension refused 03-03
#   E3 team_b  due 02-27, extended on 02-03, withdrawn 03-05: counted nowhere
#   E4 other   due 04-30, extended on 04-09


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


def test_too_few_to_compare():
    assert Rate(2, 2).percent == "too few to compare"
    assert Rate(0, 0).value is None
    assert Rate(3, 4).value == 0.75


def test_median_of_a_histogram():
    assert median_of({}) is None
    assert median_of({"5": 1}) == 5
    assert median_of({"3": 1, "10": 1, "15": 1, "62": 1}) == 12.5
    assert median_of({"1": 3, "9": 1}) == 1
    assert median_of({"2": 2, "4": 2}) == 3


# --- the period ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first", "last", "kind"),
    [
        ("2026-07", datetime.date(2026, 7, 1), datetime.date(2026, 7, 31), "month"),
        ("2026-02", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), "month"),
        ("2026-Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), "quarter"),
        ("2026-q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "quarter"),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year"),
    ],
)
def test_period_forms(value, first, last, kind):
    period = period_parse(period=value)
    assert (period.first, period.last, period.kind) == (first, last, kind)


def test_period_from_two_dates():
    period = period_parse(date_from="2026-03-15", date_to="2026-05-10")
    assert (period.first, period.last, period.kind) == (datetime.date(2026, 3, 15), datetime.date(2026, 5, 10), "range")
    assert period.full_months == [datetime.date(2026, 4, 1)]
    assert period.edges == [
        (datetime.date(2026, 3, 15), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 11)),
    ]
    assert period.shifted(1).first == datetime.date(2026, 5, 11)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2026-13"},
        {"period": "2026-Q5"},
        {"period": "26"},
        {"period": "1066"},
        {"period": "<script>"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "2026-03-01"},
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"from": "1900-01-01", "to": "2026-03-01"},
    ],
)
def test_a_bad_period_gives_a_reason_and_the_current_quarter(query):
    period, error = period_from_query(query, today=datetime.date(2026, 8, 20))
    assert error
    assert (period.first, period.last) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def test_no_period_is_the_current_quarter():
    period, error = period_from_query({}, today=datetime.date(2026, 11, 30))
    assert error is None
    assert (period.label, period.first, period.last) == (
        "2026 Q4",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )


def test_previous_and_next():
    assert Period.quarter(2026, 1).previous == Period.quarter(2025, 4)
    assert Period.quarter(2026, 4).next == Period.quarter(2027, 1)
    assert Period.month(2026, 12).next == Period.month(2027, 1)
    assert Period.year(2026).previous == Period.year(2025)
    assert Period.year(1970).previous is None
    assert Period.year(2999).next is None


def test_period_error_is_a_value_error():
    with pytest.raises(PeriodError):
        period_parse(period="soon")


def test_docs_state_the_definitions_in_the_words_of_the_page():
    """docs/dashboard.md and the page (dashboard.DEFINITIONS) say the same, word for word."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "dashboard.md").read_text(encoding="utf-8")
    for key, text in dashboard.DEFINITIONS.items():
        assert f"| {dashboard.FIGURE_NAMES[key]} | {text} |" in docs
    assert str(dashboard.PREAMBLE) in " ".join(docs.split())
    assert str(dashboard.TOO_FEW_RULE) in docs


def test_the_response_limit_is_reckoned_in_one_place(settings, db):
    settings.FIELDWORK = {**settings.FIELDWORK, "RESPONSE_LIMIT_DAYS": 2}
    assert rollups.response_deadline(datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 4)
    assert rollups.response_window_start(datetime.date(2026, 3, 4)) == datetime.date(2026, 3, 2)
    assert dashboard.response_deadline is rollups.response_deadline
    assert Feedback.Satisfaction.BASICALLY in rollups.SATISFIED
