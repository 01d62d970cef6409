"""Who each rung reaches: the owner, the nearest leaders, the leaders above; never oneself."""

import pytest

from fieldwork.models import Membership
from tests.chasing.ladder_helpers import D, K, mails_to, owned, run
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)


def test_an_unowned_concern_is_chased_through_the_leaders(clock, team_a, leader_branch):
    concern = owned(team_a, None, title="无人认领的问题")
    run(clock, D(2026, 10, 8))
    assert concern.events.get(kind=K.CHASED).note.endswith("Chased: sent to 李芳.")
    (digest,) = mails_to(leader_branch)
    assert "[Chased] " + concern.reference in digest.body


def test_nobody_supervises_themself(clock, team_a, leader_branch, leader_company):
    concern = owned(team_a, leader_branch)  # owned by the branch's only leader
    for day in (D(2026, 10, 8), D(2026, 10, 12)):
        run(clock, day)
    assert concern.events.get(kind=K.SUPERVISED).note.endswith(
        "Supervised by the leaders of Huozhou Power Supply: 周强."
    )


def test_the_nearest_leaders_supervise_and_the_next_ones_get_the_notice(clock, team_a, sub_a, cadre_a, leader_branch):
    leader_a = UserFactory(username="leader_a", first_name="军", last_name="陈")
    MembershipFactory(user=leader_a, unit=team_a, role=Membership.Role.LEADER)
    concern = owned(sub_a, cadre_a)
    for day in (D(2026, 10, 8), D(2026, 10, 12), D(2026, 10, 20)):
        run(clock, day)
    assert concern.events.get(kind=K.SUPERVISED).note.endswith("Supervised by the leaders of Team A: 陈军.")
    assert concern.events.get(kind=K.NOTICE).note.endswith("Notice sent to the leaders of Substation workshop: 李芳.")


def test_a_rung_alone_still_reaches_the_owner(clock, team_a, cadre_a):
    # Due Tuesday 20 October: two working days away on Friday 16th, but beyond the digest's 3
    # calendar days; the reminder alone makes the mail.
    concern = owned(team_a, cadre_a, due=D(2026, 10, 20))
    run(clock, D(2026, 10, 16))
    (message,) = mails_to(cadre_a)
    assert message.subject == "Fieldwork: 1 chasing notice for you"
    assert "[Reminded before the due date] " + concern.reference in message.body
