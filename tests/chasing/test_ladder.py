"""The chasing ladder (manage.py send_reminders): a reminder before the due date, a chase (催办) on the
first working day after it, supervision (督办) by the unit's leaders, a notice (通报) to the leaders
above; each rung once, on working days only, as an event on the concern."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import ladder as chasing_ladder  # the name `ladder` is this file's helper
from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.chasing.ladder_helpers import D, K, ladder, mails_to, owned, run
from tests.factories import category

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)


def test_each_rung_once_on_its_working_day(clock, team_a, cadre_a, leader_branch, leader_company):
    concern = owned(team_a, cadre_a, title="配电室屋顶漏雨")
    day = D(2026, 9, 21)
    while day <= D(2026, 10, 23):
        run(clock, day)
        run(clock, day)  # a second run the same day writes and sends nothing more
        day += datetime.timedelta(days=1)

    assert ladder(concern) == [
        (K.REMINDED, D(2026, 9, 28)),  # two working days before: 29 and 30 September (25–27 are off)
        (K.CHASED, D(2026, 10, 8)),  # the first working day after the due date
        (K.SUPERVISED, D(2026, 10, 12)),  # three working days later: 9, 10 (a Saturday worked), 12
        (K.NOTICE, D(2026, 10, 20)),  # six working days after that: 13–16, 19, 20
    ]
    concern.refresh_from_db()
    assert timezone.localtime(concern.supervised_at).date() == D(2026, 10, 12)
    events = {event.kind: event for event in concern.events.filter(kind__in=chasing_ladder.LADDER_KINDS)}
    assert all(event.actor is None for event in events.values())
    assert [kind for kind, event in events.items() if event.public] == [K.SUPERVISED]
    assert events[K.REMINDED].note == "Due 2026-09-30, due in 2 working days. Reminder sent to 王伟."
    assert events[K.CHASED].note == "Due 2026-09-30, 1 working day overdue. Chased: sent to 王伟."
    assert events[K.SUPERVISED].note == (
        "Due 2026-09-30, 4 working days overdue. Supervised by the leaders of Substation workshop: 李芳."
    )
    assert events[K.NOTICE].note == (
        "Due 2026-09-30, 10 working days overdue. Notice sent to the leaders of Huozhou Power Supply: 周强."
    )
    # Each rung heads the digest of the people it goes to, on its day.
    chased = [m for m in mails_to(cadre_a) if "[Chased] " + concern.reference in m.body]
    reminded = [m for m in mails_to(cadre_a) if "[Reminded before the due date] " + concern.reference in m.body]
    supervised = [m for m in mails_to(leader_branch) if "[Supervised by the unit's leaders]" in m.body]
    noticed = [m for m in mails_to(leader_company) if "[Notice to the leaders above]" in m.body]
    assert len(chased) == len(reminded) == len(supervised) == len(noticed) == 1
    assert [m for m in mails_to(leader_branch) if "[Notice to the leaders above]" in m.body] == []
    assert "The chasing ladder today:" in chased[0].body and concern.get_absolute_url() in chased[0].body


def test_non_working_days_do_nothing(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a, due=D(2026, 9, 29))
    for holiday in (D(2026, 10, 1), D(2026, 10, 3), D(2026, 10, 7), D(2026, 10, 11)):
        out = run(clock, holiday)
        assert f"{holiday} is not a working day: no reminders, chases or notices." in out
    assert ladder(concern) == []
    run(clock, D(2026, 10, 10))  # the Saturday worked instead is a working day
    assert ladder(concern) == [(K.CHASED, D(2026, 10, 10))]


def test_no_working_day_past_the_due_date_yet_means_no_chase(clock, team_a, cadre_a):
    concern = owned(team_a, cadre_a, due=D(2026, 10, 9))  # due Friday; Saturday 10th is worked
    run(clock, D(2026, 10, 9))
    assert ladder(concern) == [(K.REMINDED, D(2026, 10, 9))]  # due today
    run(clock, D(2026, 10, 10))
    assert ladder(concern)[-1] == (K.CHASED, D(2026, 10, 10))


def test_one_rung_a_day_when_catching_up(clock, team_a, cadre_a, leader_branch, leader_company):
    concern = owned(team_a, cadre_a, due=D(2026, 6, 1))  # long overdue, never chased
    for day in (D(2026, 10, 12), D(2026, 10, 13), D(2026, 10, 14), D(2026, 10, 15)):
        run(clock, day)
        run(clock, day)
    assert ladder(concern) == [(K.CHASED, D(2026, 10, 12)), (K.SUPERVISED, D(2026, 10, 15))]


def test_the_service_is_idempotent_and_skips_finished_concerns(team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    today = D(2026, 10, 8)
    assert chasing_ladder.concern_ladder_advance(concern=concern, today=today).kind == K.CHASED
    assert chasing_ladder.concern_ladder_advance(concern=concern, today=today) is None
    assert chasing_ladder.concern_ladder_advance(concern=concern, today=D(2026, 10, 3)) is None  # a holiday
    done = owned(team_a, cadre_a, status=Concern.Status.CLOSED, resolution="Fixed.")
    assert chasing_ladder.concern_ladder_advance(concern=done, today=today) is None
    assert not done.events.exists()


def test_raising_still_works_on_a_holiday(clock, team_a, cadre_a):
    clock.set(2026, 10, 3, 9)
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=ConcernInput(title="节日值班没有热水", category=category(), priority="urgent")
    )
    # 7 working days from Saturday 3 October: 8, 9, 10, 12, 13, 14, 15.
    assert concern.due_date == D(2026, 10, 15)
