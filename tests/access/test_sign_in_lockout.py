"""Failed sign-ins lock a user on one address, not colleagues behind it nor the user elsewhere; a forged
header does not dodge the lock; it lifts after the cool-off."""

import pytest

from tests.config.helpers import sign_in
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def axes_on(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.models import AccessAttempt

    yield
    AccessAttempt.objects.all().delete()


def test_lockout_on_user_and_address(client, axes_on, cadre_a):
    assert sign_in(client, "cadre_a", "wrong").status_code == 200
    assert sign_in(client, "cadre_a", "wrong").status_code == 200
    assert sign_in(client, "cadre_a", "wrong").status_code == 429  # the third failure locks
    locked = sign_in(client, "cadre_a", "pass-for-tests-1")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_colleague_behind_the_same_address_still_signs_in(client, axes_on, cadre_a):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague)
    for _ in range(3):
        sign_in(client, "cadre_a", "wrong")
    response = sign_in(client, "colleague", "pass-for-tests-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_same_user_from_another_address_is_not_locked(client, axes_on, cadre_a):
    for _ in range(3):
        sign_in(client, "cadre_a", "wrong", address="10.1.1.1")
    assert sign_in(client, "cadre_a", "pass-for-tests-1", address="10.9.9.9").status_code == 302


def test_a_forged_forwarding_header_does_not_dodge_the_lock(client, axes_on, cadre_a):
    for attempt in range(3):
        sign_in(client, "cadre_a", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert sign_in(client, "cadre_a", "pass-for-tests-1", HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 429


def test_lock_lifts_after_the_cool_off(client, axes_on, cadre_a):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(3):
        sign_in(client, "cadre_a", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert sign_in(client, "cadre_a", "pass-for-tests-1").status_code == 302
