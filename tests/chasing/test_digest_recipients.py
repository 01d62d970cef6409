"""No digest for a user without an email address (said so) or an inactive one."""

from django.core import mail

from fieldwork.models import ReminderLog
from tests.chasing.digest_helpers import outbox_for, run


def test_user_without_email_is_skipped_with_a_note(work, cadre_a):
    cadre_a.email = ""
    cadre_a.save()

    out = run(verbosity=2)

    assert all(message.to != [""] for message in mail.outbox)
    assert "cadre_a: has no email address; owner digest skipped." in out
    assert not ReminderLog.objects.filter(user=cadre_a).exists()


def test_inactive_users_get_nothing(work, cadre_a):
    cadre_a.is_active = False
    cadre_a.save()

    run()

    assert outbox_for(cadre_a.email) == []
