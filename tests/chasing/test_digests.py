"""The daily digests of send_reminders: to each owner what is overdue or due soon, to each leader what is
overdue in their units; one of each kind per person, in the configured language."""

from django.core import mail

from fieldwork.display import display_name
from fieldwork.models import Membership, ReminderLog
from tests.chasing.digest_helpers import DONE_AT, on, outbox_for, run
from tests.factories import ConcernFactory, FollowUpActionFactory, MembershipFactory


def cadre_a_name(work) -> str:
    owner = work["late"].owner
    return display_name(owner)


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


def test_nothing_due_means_no_mail(team_a, cadre_a, leader_branch):
    ConcernFactory(unit=team_a, owner=cadre_a, due_date=on(20))
    FollowUpActionFactory(concern=ConcernFactory(unit=team_a), owner=cadre_a, due_date=on(-1), done_at=DONE_AT)

    out = run()

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert "Sent 0 owner digest(s) and 0 leader digest(s)" in out


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
