"""manage.py send_reminders: one digest per owner and per leader a day, idempotent."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from fieldwork import workdays
from fieldwork.display import display_name
from fieldwork.models import Concern, Membership, ReminderLog
from tests.factories import ConcernFactory, FollowUpActionFactory, MembershipFactory

TODAY = datetime.date(2026, 6, 15)
DONE_AT = datetime.datetime(2026, 6, 12, 9, 0, tzinfo=datetime.UTC)


def on(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def run(*args: str, verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def outbox_for(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def work(team_a, sub_a, team_b, cadre_a, cadre_b_other_team, leader_branch, leader_other_branch, settings):
    """cadre_a owns a late, a due-soon and a far-off concern, and a late action; cadre_b one late concern."""
    settings.FIELDWORK = {**settings.FIELDWORK, "PUBLIC_BASE_URL": "https://fw.example.cn/"}
    items = {
        "late": ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(-4), title="食堂夜班饭菜凉"),
        "soon": ConcernFactory(unit=sub_a, owner=cadre_a, due_date=on(2), status=Concern.Status.IN_PROGRESS),
        "far": ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(10)),
        "b_late": ConcernFactory(unit=team_b, owner=cadre_b_other_team, due_date=on(-1)),
        "unowned_late": ConcernFactory(unit=team_a, owner=None, due_date=on(-7)),
        "closed_late": ConcernFactory(
            unit=team_a, owner=cadre_a, due_date=on(-9), status=Concern.Status.CLOSED, resolution="Done."
        ),
    }
    items["action"] = FollowUpActionFactory(
        concern=items["far"], owner=cadre_a, due_date=on(-2), description="更换开关室灯具"
    )
    items["done_action"] = FollowUpActionFactory(
        concern=items["far"], owner=cadre_a, due_date=on(-2), description="Done already", done_at=DONE_AT
    )
    return items


def test_owner_digest_lists_what_is_overdue_or_due_soon(work, cadre_a):
    run()

    (message,) = outbox_for(cadre_a.email)
    assert message.subject == "Fieldwork: 3 items of yours are overdue or due soon"
    body = message.body
    # due Thursday 11 June, today Monday 15 June: 2 working days overdue (Friday, Monday)
    assert work["late"].reference in body and "食堂夜班饭菜凉" in body and "2 working days overdue" in body
    assert work["soon"].reference in body and "due in 2 days" in body
    assert "更换开关室灯具" in body and "1 working day overdue" in body  # due Saturday 13 June
    assert f"https://fw.example.cn{work['late'].get_absolute_url()}" in body
    assert "due 2026-06-11" in body
    assert "Team A" in body and "Sub A" in body
    assert work["far"].title not in body  # due in 10 days: beyond --days 3
    assert "Done already" not in body
    assert work["closed_late"].reference not in body


def test_days_option_widens_the_window(work, cadre_a):
    run("--days", "10")

    (message,) = outbox_for(cadre_a.email)
    assert work["far"].reference in message.body
    assert message.subject.startswith("Fieldwork: 4 items")


def test_leader_digest_lists_what_is_overdue_in_their_units(work, leader_branch):
    run()

    (message,) = outbox_for(leader_branch.email)
    assert message.subject == "Fieldwork: 4 items overdue in your units"
    body = message.body
    for key in ("late", "b_late", "unowned_late"):
        assert work[key].reference in body
    assert "更换开关室灯具" in body
    assert "Unassigned" in body and cadre_a_name(work) in body
    assert work["soon"].reference not in body  # due soon is the owner's business, not overdue
    assert "https://fw.example.cn/overdue/" in body


def cadre_a_name(work) -> str:
    owner = work["late"].owner
    return display_name(owner)


def test_each_person_gets_one_digest_of_each_kind(work, cadre_a, leader_branch, leader_other_branch, team_a):
    # leader_branch leads twice over (branch and team_a) and owns a late concern: one digest of each kind.
    MembershipFactory(user=leader_branch, unit=team_a, role=Membership.Role.LEADER)
    ConcernFactory(unit=team_a, owner=leader_branch, due_date=on(-1))

    out = run()

    assert len(outbox_for(cadre_a.email)) == 1
    assert len(outbox_for(leader_branch.email)) == 2  # owns one late concern, and leads
    assert outbox_for(leader_other_branch.email) == []  # nothing overdue in the other branch
    assert len(mail.outbox) == 4  # cadre_a, cadre_b, leader_branch twice
    assert "Sent 3 owner digest(s) and 1 leader digest(s) for 2026-06-15." in out
    assert set(ReminderLog.objects.values_list("user__username", "kind")) == {
        ("cadre_a", "owner"),
        ("cadre_b", "owner"),
        ("leader_branch", "owner"),
        ("leader_branch", "leader"),
    }


def test_a_second_run_the_same_day_sends_nothing(work):
    run()
    sent = len(mail.outbox)

    out = run(verbosity=2)

    assert len(mail.outbox) == sent
    assert "Sent 0 owner digest(s) and 0 leader digest(s)" in out
    assert "already sent on 2026-06-15" in out
    assert ReminderLog.objects.count() == sent


def test_the_next_day_sends_again(work, cadre_a):
    run()
    out = io.StringIO()
    call_command("send_reminders", "--today", on(1).isoformat(), stdout=out)

    assert len(outbox_for(cadre_a.email)) == 2


def test_dry_run_sends_and_records_nothing(work, cadre_a):
    out = run("--dry-run", verbosity=2)

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert f"{cadre_a.email}: Fieldwork: 3 items of yours are overdue or due soon" in out
    assert work["late"].reference in out  # the body, at verbosity 2
    assert "Would send 2 owner digest(s) and 1 leader digest(s)" in out


def test_dry_run_at_verbosity_1_prints_only_subjects(work, cadre_a):
    out = run("--dry-run")

    assert f"{cadre_a.email}: Fieldwork:" in out
    assert work["late"].reference not in out


def test_silent_at_verbosity_0(work):
    assert run(verbosity=0) == ""
    assert mail.outbox


def test_nothing_due_means_no_mail(team_a, cadre_a, leader_branch):
    ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(20))
    FollowUpActionFactory(concern=ConcernFactory(unit=team_a), owner=cadre_a, due_date=on(-1), done_at=DONE_AT)

    out = run()

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert "Sent 0 owner digest(s) and 0 leader digest(s)" in out


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


def test_a_failed_send_is_not_recorded_and_is_retried(work, cadre_a, monkeypatch):
    from django.core.mail import EmailMessage

    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if self.to == [cadre_a.email]:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(CommandError, match="1 digest"):
        run()
    assert not ReminderLog.objects.filter(user=cadre_a).exists()

    monkeypatch.setattr(EmailMessage, "send", real_send)
    run()
    assert len(outbox_for(cadre_a.email)) == 1


def test_a_digest_claimed_by_another_run_is_not_sent_twice(work, cadre_a, monkeypatch):
    """Two runs at once: the other run inserted its log row after this run read the log."""
    from fieldwork.management.commands import send_reminders

    real = send_reminders.Command._digest

    def claimed_meanwhile(self, user, kind):
        if user == cadre_a and kind == ReminderLog.Kind.OWNER:
            ReminderLog.objects.create(user=user, kind=kind, sent_on=TODAY)
        return real(self, user, kind)

    monkeypatch.setattr(send_reminders.Command, "_digest", claimed_meanwhile)

    out = run(verbosity=2)

    assert outbox_for(cadre_a.email) == []
    assert "owner digest sent by another run" in out


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "15/06/2026")
    with pytest.raises(CommandError):
        call_command("send_reminders", "--days", "-1")


def test_help_has_a_cron_line():
    from fieldwork.management.commands.send_reminders import Command

    # every day: the command itself knows which days are worked (make-up Saturdays are)
    assert "30 7 * * * cd /srv/fieldwork && .venv/bin/python manage.py send_reminders" in Command.help
    assert "--even-on-holidays" in Command.help


# --- non-working days: cron runs it every day, the calendar decides ---------------------------------

NATIONAL_DAY = datetime.date(2026, 10, 2)  # Friday, a public holiday
MAKE_UP_SATURDAY = datetime.date(2026, 10, 10)  # worked instead (调休) after the National Day week
PLAIN_SATURDAY = datetime.date(2026, 10, 17)


def run_as_cron(*args: str, verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("day", [NATIONAL_DAY, PLAIN_SATURDAY])
def test_no_digest_on_a_day_off(work, clock, day):
    clock.on(day, hour=7, minute=30)  # the command runs without --today, as cron runs it

    out = run_as_cron()

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert f"{day} is not a working day: no digests sent (--even-on-holidays sends them on such a day)." in out
    assert f"{day} is not a working day: no reminders, chases or notices." in out


def test_dry_run_on_a_holiday_says_nothing_would_be_sent(work, clock):
    clock.on(NATIONAL_DAY, hour=7, minute=30)

    out = run_as_cron("--dry-run", verbosity=2)

    assert mail.outbox == []
    assert f"{NATIONAL_DAY} is not a working day: no digests would be sent" in out
    assert "Would send" not in out


def test_even_on_holidays_sends_the_digests_but_climbs_no_rung(work, cadre_a, clock):
    clock.on(NATIONAL_DAY, hour=7, minute=30)

    out = run_as_cron("--even-on-holidays")

    (message,) = outbox_for(cadre_a.email)
    assert work["late"].reference in message.body
    assert f"Sent 2 owner digest(s) and 1 leader digest(s) for {NATIONAL_DAY}." in out
    assert f"{NATIONAL_DAY} is not a working day: no reminders, chases or notices." in out
    assert not work["late"].events.filter(kind__in=["reminded", "chased", "supervised", "notice"]).exists()
    assert set(ReminderLog.objects.values_list("sent_on", flat=True)) == {NATIONAL_DAY}


def test_a_make_up_working_day_sends_the_digests(work, cadre_a, leader_branch, clock):
    assert MAKE_UP_SATURDAY.weekday() == 5 and workdays.is_working_day(MAKE_UP_SATURDAY)
    clock.on(MAKE_UP_SATURDAY, hour=7, minute=30)

    out = run_as_cron()

    assert len(outbox_for(cadre_a.email)) == 1 and len(outbox_for(leader_branch.email)) == 1
    assert f"Sent 2 owner digest(s) and 1 leader digest(s) for {MAKE_UP_SATURDAY}." in out
    assert "not a working day" not in out
    assert work["late"].events.filter(kind="chased").exists()  # the ladder climbs that day too


def test_mail_is_rendered_in_the_configured_language(work, cadre_a, settings, monkeypatch):
    # The catalogue is filled in later; mark the subject with the language active when it is made.
    from django.utils import translation

    from fieldwork.management.commands import send_reminders

    settings.LANGUAGE_CODE = "zh-hans"
    monkeypatch.setattr(
        send_reminders, "ngettext", lambda singular, plural, n: f"{translation.get_language()}:{plural}"
    )

    run()

    (message,) = outbox_for(cadre_a.email)
    assert message.subject == "zh-hans:Fieldwork: 3 items of yours are overdue or due soon"
