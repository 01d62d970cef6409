"""The chasing ladder (manage.py send_reminders): a reminder before the due date, a chase (催办) on the
first working day after it, supervision (督办) by the unit's leaders, a notice (通报) to the leaders
above; each rung once, on working days only, as an event on the concern. And the supervised list."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork import ladder as chasing_ladder  # the name `ladder` is this file's helper
from fieldwork import workdays
from fieldwork.models import Concern, ConcernEvent, Membership
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import public as public_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import ConcernFactory, FollowUpActionFactory, MembershipFactory, UnitFactory, UserFactory, category

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)

D = datetime.date
K = ConcernEvent.Kind
DUE = D(2026, 9, 30)  # Wednesday, the eve of National Day (1–7 October; Saturday 10th is worked)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def run(clock, day: datetime.date, *args: str) -> str:
    """send_reminders as cron runs it at 07:30 on `day`."""
    clock.on(day, hour=7, minute=30)
    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), *args, verbosity=2, stdout=out)
    return out.getvalue()


def ladder(concern) -> list[tuple[str, datetime.date]]:
    events = concern.events.filter(kind__in=chasing_ladder.LADDER_KINDS).order_by("created_at", "id")
    return [(event.kind, timezone.localtime(event.created_at).date()) for event in events]


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def owned(unit, owner, due=DUE, **kwargs) -> Concern:
    return ConcernFactory(unit=unit, owner=owner, due_date=due, **kwargs)


# --- the ladder -------------------------------------------------------------------------------------


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


def test_a_new_due_date_starts_the_ladder_again(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    run(clock, D(2026, 10, 8))
    assert ladder(concern) == [(K.CHASED, D(2026, 10, 8))]
    concern.refresh_from_db()
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=concern.version, due_date=D(2026, 10, 20)
    )
    for day in (D(2026, 10, 9), D(2026, 10, 12), D(2026, 10, 16), D(2026, 10, 20), D(2026, 10, 21)):
        run(clock, day)
    assert ladder(concern) == [
        (K.CHASED, D(2026, 10, 8)),
        (K.REMINDED, D(2026, 10, 16)),  # 19 and 20 October left
        (K.CHASED, D(2026, 10, 21)),
    ]


def test_an_extension_starts_the_reminder_again(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    run(clock, D(2026, 9, 28))
    request = extension_services.extension_request(
        concern=concern, by=cadre_a, requested_due_date=D(2026, 10, 15), reason="Holiday week."
    )
    concern.refresh_from_db()
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=concern.version)
    for day in (D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 13), D(2026, 10, 14)):
        run(clock, day)
    assert ladder(concern) == [(K.REMINDED, D(2026, 9, 28)), (K.REMINDED, D(2026, 10, 13))]


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


def test_settings_move_the_rungs(clock, settings, team_a, cadre_a, leader_branch):
    settings.FIELDWORK = {
        **settings.FIELDWORK,
        "REMIND_BEFORE_WORKING_DAYS": 0,
        "SUPERVISE_AFTER_WORKING_DAYS": 1,
        "NOTICE_AFTER_WORKING_DAYS": 1,
    }
    concern = owned(team_a, cadre_a)
    for day in (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)):
        run(clock, day)
    assert ladder(concern) == [
        (K.REMINDED, D(2026, 9, 30)),
        (K.CHASED, D(2026, 10, 8)),
        (K.SUPERVISED, D(2026, 10, 9)),
        (K.NOTICE, D(2026, 10, 10)),
    ]


def test_dry_run_writes_nothing(clock, team_a, cadre_a, leader_branch):
    concern = owned(team_a, cadre_a)
    out = run(clock, D(2026, 10, 8), "--dry-run")
    assert "Would write ladder events for 2026-10-08: 0 reminded, 1 chased, 0 supervised, 0 notice." in out
    assert ladder(concern) == [] and mail.outbox == []
    out = run(clock, D(2026, 10, 8))
    assert "Wrote ladder events for 2026-10-08: 0 reminded, 1 chased, 0 supervised, 0 notice." in out


def test_a_rung_alone_still_reaches_the_owner(clock, team_a, cadre_a):
    # Due Tuesday 20 October: two working days away on Friday 16th, but beyond the digest's 3
    # calendar days; the reminder alone makes the mail.
    concern = owned(team_a, cadre_a, due=D(2026, 10, 20))
    run(clock, D(2026, 10, 16))
    (message,) = mails_to(cadre_a)
    assert message.subject == "Fieldwork: 1 chasing notice for you"
    assert "[Reminded before the due date] " + concern.reference in message.body


def test_candidates_are_read_in_a_fixed_number_of_queries(team_a, cadre_a, django_assert_num_queries):
    for n in range(5):
        owned(team_a, cadre_a, due=D(2026, 9, 20 + n))

    def count() -> int:
        workdays.clear_cache()  # each run of the command reads the calendar once
        with CaptureQueriesContext(connection) as queries:
            list(chasing_ladder.concerns_due_a_rung(today=D(2026, 10, 8)))
        return len(queries)

    small = count()
    for n in range(30):
        owned(team_a, cadre_a, due=D(2026, 8, 1) + datetime.timedelta(days=n))
    assert count() == small <= 4


# --- supervised: the flag in lists, and the list of supervised concerns ----------------------------------

SUPERVISED = reverse("fieldwork:concern-supervised-list")


def supervise(concern, when=datetime.datetime(2026, 10, 12, 7, 30, tzinfo=SHANGHAI)):
    Concern.objects.filter(pk=concern.pk).update(supervised_at=when)
    concern.supervised_at = when
    return concern


@pytest.fixture
def spread(team_a, sub_a, team_b, other_branch, cadre_a, cadre_b_other_team):
    return {
        "a": supervise(owned(team_a, cadre_a, due=D(2026, 9, 1), title="Team A late")),
        "sub": supervise(owned(sub_a, cadre_a, due=D(2026, 9, 2), title="Sub A late")),
        "b": supervise(owned(team_b, cadre_b_other_team, due=D(2026, 9, 3), title="Team B late")),
        "other": supervise(owned(other_branch, None, due=D(2026, 9, 4), title="Dispatch late")),
        "plain": owned(team_a, cadre_a, due=D(2026, 9, 5), title="Late, not supervised"),
        "closed": supervise(
            owned(team_a, cadre_a, due=D(2026, 9, 6), title="Closed", status="closed", resolution="Done.")
        ),
    }


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [concern.title for concern in response.context["rows"]]


def test_supervised_list_is_scoped(
    clock, client_for, spread, leader_branch, leader_other_branch, cadre_a, cadre_b_other_team
):
    clock.set(2026, 10, 13)
    assert listed(client_for(leader_branch).get(SUPERVISED)) == ["Team A late", "Sub A late", "Team B late"]
    assert listed(client_for(leader_other_branch).get(SUPERVISED)) == ["Dispatch late"]
    assert listed(client_for(cadre_a).get(SUPERVISED)) == ["Team A late", "Sub A late"]
    assert listed(client_for(cadre_b_other_team).get(SUPERVISED)) == ["Team B late"]


def test_supervised_list_filters(clock, client_for, spread, leader_branch, team_a, other_branch):
    clock.set(2026, 10, 13)
    client = client_for(leader_branch)
    assert listed(client.get(SUPERVISED, {"unit": team_a.pk})) == ["Team A late", "Sub A late"]
    assert listed(client.get(SUPERVISED, {"unit": team_a.pk, "finished": "on"})) == [
        "Team A late",
        "Sub A late",
        "Closed",
    ]
    # a unit outside the reader's scope is ignored, and the scope still holds
    assert listed(client.get(SUPERVISED, {"unit": other_branch.pk})) == ["Team A late", "Sub A late", "Team B late"]
    html = client.get(SUPERVISED).content.decode()
    # Team A's due 1 September, today Tuesday 13 October: 26 working days (with Sunday 20 September
    # and Saturday 10 October worked, the Mid-Autumn and National Day holidays not counted)
    assert "Under supervision" in html and "26 working days overdue" in html
    assert 'href="/concerns/supervised/"' in html  # in the main navigation


def test_supervised_list_pages(clock, client_for, spread, leader_branch, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    client = client_for(leader_branch)
    first = client.get(SUPERVISED)
    assert listed(first) == ["Team A late", "Sub A late"]
    after = first.context["next_query"]
    assert listed(client.get(SUPERVISED + "?" + after)) == ["Team B late"]


def test_supervised_list_refusals(client, client_for, cadre_a):
    response = client.get(SUPERVISED)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(cadre_a).post(SUPERVISED).status_code == 405
    assert "No concern is under supervision in your units." in client_for(cadre_a).get(SUPERVISED).content.decode()


def test_supervised_list_queries_do_not_grow(client_for, branch, leader_branch, cadre_a, settings):
    client = client_for(leader_branch)
    client.get(SUPERVISED)

    def make(n):
        for index in range(n):
            unit = UnitFactory(parent=branch)
            concern = supervise(owned(unit, UserFactory() if index % 2 else None, due=D(2026, 9, 1)))
            ConcernFactory(unit=unit)  # not supervised
            if index % 3 == 0:
                ConcernEvent.objects.create(concern=concern, kind=K.NOTICE)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SUPERVISED, {"unit": branch.pk}).status_code == 200
        return len(queries)

    make(3)
    small = count()
    make(40)
    assert count() == small
    assert small <= 12


def test_the_flag_shows_wherever_the_concern_is_listed(clock, client_for, team_a, cadre_a, leader_branch):
    clock.set(2026, 10, 13)
    supervised = supervise(owned(team_a, cadre_a, title="督办件"))
    plain = owned(team_a, cadre_a, title="普通件")
    FollowUpActionFactory(concern=supervised, owner=cadre_a, due_date=D(2026, 10, 1), description="督办的措施")
    FollowUpActionFactory(concern=plain, owner=cadre_a, due_date=D(2026, 10, 1), description="普通的措施")
    client = client_for(leader_branch)

    assert "data-supervised" in client.get(supervised.get_absolute_url()).content.decode()
    assert "data-supervised" not in client.get(plain.get_absolute_url()).content.decode()
    concern_list = client.get(reverse("fieldwork:concern-list"), {"supervised": "1"})
    assert [c.title for c in concern_list.context["rows"]] == ["督办件"]
    assert "data-supervised" in concern_list.content.decode()
    not_supervised = client.get(reverse("fieldwork:concern-list"), {"supervised": "0"})
    assert [c.title for c in not_supervised.context["rows"]] == ["普通件"]
    overdue = client.get(reverse("fieldwork:overdue-list"), {"supervised": "1"})
    assert [c.title for c in overdue.context["concerns"]] == ["督办件"]
    assert [a.description for a in overdue.context["actions"]] == ["督办的措施"]
    assert "data-supervised" in overdue.content.decode()
    everything = client.get(reverse("fieldwork:overdue-list"))
    assert len(everything.context["concerns"]) == 2
    my_work = client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    assert my_work.count("data-supervised") == 1


def test_the_public_timeline_shows_supervision_without_names(clock, team_a, cadre_a, leader_branch):
    concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The stairs to the substation are icy."
    )
    Concern.objects.filter(pk=concern.pk).update(owner=cadre_a, due_date=DUE)
    for day in (D(2026, 10, 8), D(2026, 10, 12)):
        run(clock, day)
    client = Client()
    client.post("/s/track/", {"code": code})
    html = client.get("/s/track/").content.decode()
    assert "Supervised by the unit&#x27;s leaders" in html or "Supervised by the unit's leaders" in html
    assert "Chased" not in html  # internal
    for private in ("李芳", "王伟", "Substation workshop:"):
        assert private not in html


def test_raising_still_works_on_a_holiday(clock, team_a, cadre_a):
    clock.set(2026, 10, 3, 9)
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=ConcernInput(title="节日值班没有热水", category=category(), priority="urgent")
    )
    # 7 working days from Saturday 3 October: 8, 9, 10, 12, 13, 14, 15.
    assert concern.due_date == D(2026, 10, 15)
