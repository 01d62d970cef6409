"""Each callback figure of the dashboard equals its definition (DESIGN.md, "Dashboard figures:
definitions") counted from the raw tables, over several units and periods (periods cutting into
months read the day rows, or below an upper unit count live), before and after changes made through
the services: resolution, satisfied and dissatisfied callbacks, attempts and unreachable, no answer,
withdrawal, transfer, a move in the admin."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import rollups
from fieldwork.dashboard import dashboard_figures
from fieldwork.models import Concern, Feedback
from fieldwork.periods import Period
from fieldwork.services import concerns as concern_services
from fieldwork.services import transfers as transfer_services
from tests.callback_figures.helpers import (
    assert_figures_match,
    assert_in_step,
    call_back,
    close_no_answer,
    close_unreachable,
    reference,
    resolve,
    shown,
)
from tests.rollups.helpers import START

pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def _raise(world, unit, title="A concern"):
    concern = concern_services.concern_raise(
        by=world.cadre,
        unit=unit,
        data=concern_services.ConcernInput(title=title, category=world.categories[0]),
    )
    concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    concern.refresh_from_db()
    return concern


def _units(world):
    company, branch, team_a, _sub_a, _team_b, other_branch, _extra = world.units
    return [company, branch, team_a, other_branch]


JANUARY = Period.month(2026, 1)


def test_the_callback_figures_follow_their_definitions_through_the_services(world, clock, baseline):
    company, branch, team_a, sub_a, team_b, other_branch, _extra = world.units
    clock.now = START
    today = timezone.localdate()
    assert_figures_match(_units(world), today)
    # the baseline's concern still resolved joined the queue in December: counted apart below
    base = {unit: shown(unit, JANUARY, today) for unit in (company, branch, other_branch)}
    assert base[company]["awaiting_callback_now"] == reference(company, JANUARY, today)["awaiting_callback_now"]

    def plus(unit, awaiting, overdue):
        return (base[unit]["awaiting_callback_now"] + awaiting, base[unit]["callbacks_overdue_now"] + overdue)

    c1 = resolve(world.cadre, _raise(world, team_a, "c1"))
    c2 = resolve(world.cadre, _raise(world, sub_a, "c2"), joins_in=3)  # public, with a contact: later
    c3 = resolve(world.cadre, _raise(world, team_b, "c3"), contact=False)  # public, no contact: never
    c4 = resolve(world.cadre, _raise(world, other_branch, "c4"))
    c5 = resolve(world.cadre, _raise(world, team_a, "c5"))
    c6 = resolve(world.cadre, _raise(world, sub_a, "c6"))
    assert_in_step()
    now = shown(company, JANUARY, today)
    assert (now["awaiting_callback_now"], now["callbacks_overdue_now"]) == plus(company, 4, 0)
    assert shown(branch, JANUARY, today)["awaiting_callback_now"] == plus(branch, 3, 0)[0]  # c1, c5, c6; c2 not yet
    assert shown(other_branch, JANUARY, today)["awaiting_callback_now"] == plus(other_branch, 1, 0)[0]
    assert_figures_match(_units(world), today)

    clock.now = START + datetime.timedelta(days=10)  # 30 January: every deadline has passed
    today = timezone.localdate()
    now = shown(company, JANUARY, today)
    assert (now["awaiting_callback_now"], now["callbacks_overdue_now"]) == plus(company, 5, 5)  # c2 joined on the 23rd
    assert_figures_match(_units(world), today)

    in_time_before = shown(company, JANUARY, today)["callbacks_in_time"]
    call_back(world.caller, c1, "satisfied")  # today: late
    c5.refresh_from_db()
    call_back(world.caller, c5, "basically", days_ago=(today - c5.callback_due).days)  # on the deadline
    c6.refresh_from_db()
    call_back(world.caller, c6, "dissatisfied", days_ago=(today - c6.callback_due).days + 1)  # before it: reopens
    assert_in_step()
    now = shown(company, JANUARY, today)
    assert now["callbacks_in_time"] == (in_time_before[0] + 2, in_time_before[1] + 3)
    assert (now["awaiting_callback_now"], now["callbacks_overdue_now"]) == plus(company, 2, 2)  # c2 and c4
    assert_figures_match(_units(world), today)

    # Unreachable and no answer: counted in their own lines, still resolved for the resolution and
    # on-time rates, never in the satisfaction rate or the within-limit share.
    steady = {key: now[key] for key in ("resolution", "on_time", "satisfaction", "callbacks_in_time")}
    close_unreachable(world.caller, world.leader, c4)
    close_no_answer(c3)
    assert_in_step()
    after = shown(company, JANUARY, today)
    assert (after["unreachable"], after["no_answer"]) == (1, 1)
    assert {key: after[key] for key in steady} == steady
    assert (after["awaiting_callback_now"], after["callbacks_overdue_now"]) == plus(company, 1, 1)  # c2
    assert shown(other_branch, JANUARY, today)["unreachable"] == 1
    assert shown(branch, JANUARY, today)["no_answer"] == 1
    assert shown(company, Period.month(2025, 12), today)["unreachable"] == 0
    assert_figures_match(_units(world), today)

    # Withdrawn: counts nowhere. Transferred before its resolution: in the new unit only.
    c7 = _raise(world, team_a, "c7")
    concern_services.concern_withdraw(concern=c7, by=world.leader, version=c7.version, reason="Twice")
    c8 = _raise(world, team_a, "c8")
    transfer_services.concern_transfer(
        concern=c8, by=world.leader, version=c8.version, unit=other_branch, reason="Theirs"
    )
    resolve(world.cadre, c8)
    assert shown(other_branch, JANUARY, today)["awaiting_callback_now"] == 1
    assert_in_step()
    assert_figures_match(_units(world), today)

    # Moved in the admin while awaiting its callback (c2) and after closing as unreachable (c4).
    for concern, unit in ((c2, other_branch), (c4, team_a)):
        concern.refresh_from_db()
        concern.unit = unit
        concern.save()
    assert_in_step()
    assert shown(other_branch, JANUARY, today)["awaiting_callback_now"] == 2
    assert shown(branch, JANUARY, today)["unreachable"] == 1
    assert_figures_match(_units(world), today)


def test_the_within_limit_share_reads_too_few_below_the_minimum(world, clock, baseline, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 3}
    _company, _branch, team_a, *_rest = world.units
    concerns = [resolve(world.cadre, _raise(world, team_a, f"r{i}")) for i in range(3)]
    for concern in concerns[:2]:
        call_back(world.caller, concern, "satisfied")
    today = timezone.localdate()
    assert dashboard_figures(unit=team_a, period=JANUARY, today=today).callbacks_in_time.percent == "too few to compare"
    call_back(world.caller, concerns[2], "satisfied")
    rate = dashboard_figures(unit=team_a, period=JANUARY, today=today).callbacks_in_time
    assert (rate.numerator, rate.denominator, rate.percent) == (3, 3, "100%")


def test_callbacks_recorded_before_deadlines_existed_count_in_the_satisfaction_rate_only(world, clock, baseline):
    _company, _branch, team_a, *_rest = world.units
    concern = resolve(world.cadre, _raise(world, team_a, "old"))
    today = timezone.localdate()
    before = dashboard_figures(unit=team_a, period=JANUARY, today=today)
    concern.refresh_from_db()
    from fieldwork.services import callbacks as callback_services  # no deadline carried: as before issue 18

    feedback = callback_services.feedback_record(
        concern=concern, by=world.caller, version=concern.version, satisfaction="satisfied", channel="phone"
    )
    Feedback.objects.filter(pk=feedback.pk).update(due_date=None)  # as recorded before issue 18
    rollups.rebuild()
    after = dashboard_figures(unit=team_a, period=JANUARY, today=today)
    assert after.satisfaction.denominator == before.satisfaction.denominator + 1
    assert after.satisfaction.numerator == before.satisfaction.numerator + 1
    assert after.callbacks_in_time == before.callbacks_in_time
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.CLOSED
