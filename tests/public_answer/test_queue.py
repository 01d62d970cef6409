"""A public concern is in nobody's callback queue and chased by nobody while its person can still answer on
the tracking page; it joins every queue on callback_from and climbs the callback ladder after callback_due.
Without a contact it never joins."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import callback_ladder, ladder, selectors
from fieldwork.exports import callbacks as callback_exports

from .helpers import D, public_concern, resolve, run

LIST = reverse("fieldwork:callback-list")


def in_queues(concern, *, leader, caller, today) -> list[bool]:
    """Is the concern in the leader's /callbacks/ (and its export's rows), and in the caller's my work queue?"""
    listed = selectors.callbacks_awaiting(user=leader, today=today).filter(pk=concern.pk).exists()
    rows = callback_exports.callback_rows(user=leader, today=today, chosen={})
    exported = any(row[0] == concern.reference for row in rows)
    mine = concern.pk in [row.pk for row in selectors.my_work(user=caller, today=today)["callbacks"]]
    return [listed, exported, mine]


def rungs(concern) -> list[tuple[str, datetime.date]]:
    events = concern.events.filter(kind__in=callback_ladder.CALLBACK_KINDS).order_by("created_at", "id")
    return [(event.kind, timezone.localtime(event.created_at).date()) for event in events]


@pytest.mark.clock(2026, 12, 1)
def test_with_a_contact_in_no_queue_during_the_window_then_in_all(
    clock, client_for, team_a, cadre_a2, leader_team_a, leader_branch
):
    concern = resolve(public_concern(team_a)[0], leader_team_a)
    for day in (D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 3)):
        clock.on(day)
        assert in_queues(concern, leader=leader_branch, caller=cadre_a2, today=day) == [False, False, False]
        assert concern.reference not in client_for(leader_branch).get(LIST).content.decode()
    clock.on(D(2026, 12, 4))  # callback_from: the person's window is over
    assert in_queues(concern, leader=leader_branch, caller=cadre_a2, today=D(2026, 12, 4)) == [True, True, True]
    assert concern.reference in client_for(leader_branch).get(LIST).content.decode()


@pytest.mark.clock(2026, 12, 1)
def test_without_a_contact_in_no_queue_ever(clock, team_a, cadre_a2, leader_team_a, leader_branch):
    concern = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    for day in (D(2026, 12, 1), D(2026, 12, 4), D(2026, 12, 15)):
        clock.on(day)
        assert in_queues(concern, leader=leader_branch, caller=cadre_a2, today=day) == [False, False, False]


@pytest.mark.clock(2026, 12, 1)
def test_chased_only_after_its_callback_due(clock, team_a, cadre_a2, leader_team_a, leader_branch):
    concern = resolve(public_concern(team_a)[0], leader_team_a)
    silent = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    day = D(2026, 12, 1)
    while day <= D(2026, 12, 14):
        run(clock, day)
        if day < D(2026, 12, 9):
            assert rungs(concern) == []
        day += datetime.timedelta(days=1)
    assert rungs(concern) == [
        (callback_ladder.K.CALLBACK_REMINDER, D(2026, 12, 9)),  # its callback_due
        (callback_ladder.K.CALLBACK_CHASE, D(2026, 12, 10)),
        (callback_ladder.K.CALLBACK_ESCALATE, D(2026, 12, 14)),
    ]
    assert rungs(silent) == []  # nobody can call: nobody is chased


@pytest.mark.clock(2026, 12, 1)
def test_the_ladder_refuses_under_the_lock_inside_the_window(clock, team_a, leader_team_a):
    concern = resolve(public_concern(team_a)[0], leader_team_a)
    # Pretend its deadline came early: still the person's own window, so no rung, even asked directly.
    type(concern).objects.filter(pk=concern.pk).update(callback_due=D(2026, 12, 2))
    clock.on(D(2026, 12, 3))
    event = callback_ladder.callback_ladder_advance(
        concern=concern, today=D(2026, 12, 3), leaders=ladder.LeaderMap.load()
    )
    assert event is None
    assert list(callback_ladder.concerns_due_a_callback_rung(today=D(2026, 12, 3))) == []
