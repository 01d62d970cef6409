"""Optimistic locking: the second of two saves on the same version is refused and told what it missed."""

import pytest

from fieldwork.errors import ConcernConflict
from fieldwork.models import Concern
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import kinds, started

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_the_second_of_two_saves_on_the_same_version_is_refused(concern, cadre_a, leader_branch):
    first = Concern.objects.get(pk=concern.pk)
    second = Concern.objects.get(pk=concern.pk)
    assert first.version == second.version == 1
    concern_services.concern_start(concern=first, by=cadre_a, version=first.version)
    with pytest.raises(ConcernConflict) as refused:
        concern_services.concern_assess(concern=second, by=leader_branch, version=1, solvability="policy")
    message = str(refused.value)
    assert "Someone else changed this concern after you loaded it" in message
    assert "Work started by 王伟 at 2026-11-10 10:00" in message
    assert "It is now “In progress”" in message
    assert "Nothing you entered was saved" in message
    concern.refresh_from_db()
    assert concern.solvability == "" and concern.version == 2
    assert kinds(concern) == ["raised", "started"]


def test_conflict_lists_every_change_missed(concern, cadre_a, cadre_a2, leader_branch):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="Fixed.")
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=3, satisfaction="satisfied", channel="phone"
    )
    with pytest.raises(ConcernConflict) as refused:
        concern_services.concern_withdraw(concern=concern, by=leader_branch, version=2, reason="Stale page.")
    message = str(refused.value)
    assert "Work started" not in message  # that was before version 2
    assert "Resolved by 王伟" in message
    assert "Callback recorded by 赵强" in message and "Closed by 赵强" in message
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_repeated_submit_of_the_same_transition_changes_nothing(concern, cadre_a):
    started(concern, cadre_a)
    stale = Concern.objects.get(pk=concern.pk)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="First.")
    with pytest.raises(ConcernConflict):
        concern_services.concern_resolve(concern=stale, by=cadre_a, version=2, resolution="Second.")
    concern.refresh_from_db()
    assert concern.resolution == "First." and concern.version == 3
    assert kinds(concern).count("resolved") == 1


def test_the_update_itself_checks_the_version(concern, cadre_a, monkeypatch):
    """Even if the row lock were missing (as on SQLite), UPDATE ... WHERE version refuses a lost update."""
    real_lock = concern_services._lock

    def lock_then_someone_writes(concern_, *, version):
        real_lock(concern_, version=version)
        Concern.objects.filter(pk=concern_.pk).update(version=version + 1)

    monkeypatch.setattr(concern_services, "_lock", lock_then_someone_writes)
    with pytest.raises(ConcernConflict):
        started(concern, cadre_a)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN
    assert kinds(concern) == ["raised"]


def test_services_update_the_object_passed_in(concern, cadre_a):
    returned = started(concern, cadre_a)
    assert returned is concern
    assert concern.status == Concern.Status.IN_PROGRESS and concern.version == 2
