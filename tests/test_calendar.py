"""The working-day calendar for any year: the notice where there is one, the statutory holidays
estimated where there is none yet, every date that rests on an estimate marked, the keeper warned,
and a notice that arrives later moving no due date without a leader."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from fieldwork import rollups, workdays
from fieldwork.models import CalendarDay, Concern, ConcernEvent, DueDateShift
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import category

D = datetime.date
pytestmark = pytest.mark.django_db

# An arrangement for 2027 as the State Council's notice might read (the real one is not out yet):
# against the estimate it adds 2, 3 January, 11–13 February, 3–4 April, 5 May, 10–11 June,
# 16–17 September and 6–7 October as days off, and 20 February and 25 April as worked weekend days.
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知
休 2027-01-01 2027-01-03 元旦
休 2027-02-05 2027-02-13 春节
班 2027-02-20 春节调休上班
休 2027-04-03 2027-04-05 清明节
休 2027-05-01 2027-05-05 劳动节
班 2027-04-25 劳动节调休上班
休 2027-06-09 2027-06-11 端午节
休 2027-09-15 2027-09-17 中秋节
休 2027-10-01 2027-10-07 国庆节
"""


def raise_concern(unit, by, priority, title="主变室照明不足") -> Concern:
    return concern_services.concern_create(
        unit=unit, data=ConcernInput(title=title, category=category(), priority=priority), by=by, owner=by
    )


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "notice-2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


# --- every year from 2026 to a year ahead --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2027, 1, 1), False),  # New Year's Day 2027, a Friday
        (D(2027, 2, 5), False),  # Spring Festival's eve, a Friday
        (D(2027, 2, 8), False),  # the festival's Monday
        (D(2027, 2, 9), False),
        (D(2027, 2, 10), False),
        (D(2027, 2, 11), True),  # the estimate knows no more than the statutory days
        (D(2027, 10, 4), False),  # National Day week
        (D(2026, 1, 4), True),  # Sunday worked before New Year's Day 2026 (the notice)
        (D(2026, 2, 14), True),  # Saturday worked before the Spring Festival 2026
        (D(2025, 10, 8), False),  # 2025, from the notice the holidays package carries
        (D(2025, 9, 28), True),  # a Sunday worked in 2025
    ],
)
def test_holidays_of_every_year_in_use_are_days_off(day, working):
    assert workdays.is_working_day(day) is working


def test_each_year_says_where_its_days_come_from():
    sources = dict(CalendarDay.objects.filter(date__year__in=[2025, 2026, 2027]).values_list("date__year", "source"))
    assert sources == {2025: "package", 2026: "notice", 2027: "estimated"}
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("is_working_day", flat=True)) == {False}


def test_a_normal_concern_raised_on_1_december_2026_is_due_after_new_years_day(clock, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.NORMAL)
    # 22 working days left in December, then 4–8 January and 11, 12, 13: the 1st is a holiday.
    assert concern.due_date == D(2027, 1, 13)
    assert concern.due_date_estimated()  # 2027's notice is not out: its New Year may move


def test_a_concern_counted_within_a_year_of_the_notice_is_not_estimated(clock, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.URGENT)
    assert concern.due_date == D(2026, 12, 10)
    assert not concern.due_date_estimated()


def test_a_long_term_concern_across_the_spring_festival_is_marked_estimated(clock, client_for, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM, title="宿舍热水器更换")
    # 90 working days: 22 in December, 20 in January, 1–4 and 11–12 February (Spring Festival's eve to
    # the 10th off), 15–26 February, 23 in March, 1–2 April, Qingming on the 5th, then 6–14 April.
    assert concern.due_date == D(2027, 4, 14)
    assert concern.due_date_estimated()
    client = client_for(cadre_a)
    detail = client.get(concern.get_absolute_url()).content.decode()
    assert "data-estimated-note" in detail and "the date may move when the notice is loaded" in detail
    listed = client.get(reverse("fieldwork:concern-list")).content.decode()
    assert listed.count("data-estimated ") == 1
    assert "data-estimated " in client.get(reverse("fieldwork:my-work")).content.decode()


def test_the_mark_reads_in_chinese(clock, client_for, team_a, cadre_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    page = client_for(cadre_a).get(concern.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "预估" in page and "国务院" in page


def test_the_overdue_export_has_a_column_for_estimated_dates(clock, client_for, team_a, cadre_a):
    clock.set(2026, 11, 2)
    in_2026 = raise_concern(team_a, cadre_a, Concern.Priority.URGENT, title="二〇二六年内")
    clock.set(2026, 12, 28)
    into_2027 = raise_concern(team_a, cadre_a, Concern.Priority.URGENT, title="跨入二〇二七年")
    clock.set(2027, 1, 25)
    response = client_for(cadre_a).get(reverse("fieldwork:overdue-export-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    column = header.index("Due date estimated")
    estimated = {row[1]: row[column] for row in rows[1:] if row and row[1].startswith("FW-")}
    assert estimated == {in_2026.reference: "estimated", into_2027.reference: "estimated"}  # days overdue run into 2027
    workdays.calendar_apply(year=2027, days=workdays.notice_read(NOTICE_2027)[1], source="notice")
    response = client_for(cadre_a).get(reverse("fieldwork:overdue-export-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row[column] for row in rows[1:] if row and row[1].startswith("FW-")} == {""}


def test_counting_reads_the_calendar_once_whatever_the_span(django_assert_num_queries):
    with django_assert_num_queries(1):
        near = workdays.add_working_days(D(2026, 12, 1), 5)
        far = workdays.add_working_days(D(2026, 12, 1), 600)
        assert workdays.rests_on_estimate(D(2026, 12, 1), far)
        assert not workdays.rests_on_estimate(D(2026, 12, 1), near)
        assert workdays.working_days_between(D(2025, 1, 1), D(2028, 12, 31)) > 700


@pytest.mark.parametrize("span", [5, 600])
def test_a_page_that_counts_working_days_runs_the_same_queries_whatever_the_span(
    clock, client_for, team_a, cadre_a, span, django_assert_num_queries
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.URGENT)
    Concern.objects.filter(pk=concern.pk).update(due_date=D(2026, 12, 1) - datetime.timedelta(days=span))
    client = client_for(cadre_a)
    client.get(concern.get_absolute_url())
    with django_assert_num_queries(QUERIES_CONCERN_DETAIL):
        page = client.get(concern.get_absolute_url())
    assert "data-overdue" in page.content.decode()


# session, user, memberships, concern, the calendar, and the page's own reads (timeline, actions,
# callbacks, extension requests, history, principles, owners to reassign to …)
QUERIES_CONCERN_DETAIL = 17


# --- the calendar's keeper is told -------------------------------------------------------------------------


def test_leaders_and_administrators_see_a_banner_when_the_next_90_days_lack_a_notice(
    clock, client_for, cadre_a, leader_branch, client
):
    assert "data-calendar-warning" in client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    assert "data-calendar-warning" not in client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    admin = get_user_model().objects.create_superuser("keeper", "keeper@example.com", "pass-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "data-calendar-warning" in page and "2027" in page

    clock.set(2026, 9, 1)  # the next 90 days end in November: nothing to warn of
    assert "data-calendar-warning" not in client.get(reverse("admin:index")).content.decode()


def test_no_banner_once_the_notice_is_loaded_until_the_next_year_comes_near(
    clock, client_for, leader_branch, notice_file
):
    load(str(notice_file))
    assert "data-calendar-warning" not in client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    clock.set(2027, 10, 15)
    page = client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    assert "data-calendar-warning" in page and "2028" in page


def test_calendar_status_prints_what_each_year_rests_on(clock):
    out = io.StringIO()
    call_command("calendar_status", stdout=out)
    text = out.getvalue()
    assert "2026: State Council notice: 33 day(s) off, 6 weekend day(s) worked." in text
    assert "2025: Holiday package (from the notice)" in text
    assert "2027: Estimated (no notice yet): 19 day(s) off, 0 weekend day(s) worked." in text
    assert "WARNING: the next 90 days (to 2027-03-01) reach 2027" in text


def test_send_reminders_says_so_every_run_and_keeps_the_calendar_a_year_ahead(clock):
    clock.set(2027, 6, 1)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2027-06-01", stdout=out)
    assert "WARNING" in out.getvalue() and "2027" in out.getvalue()
    assert set(CalendarDay.objects.filter(date__year=2028).values_list("source", flat=True)) == {"estimated"}
    assert not workdays.is_working_day(D(2028, 1, 26))  # Spring Festival 2028, estimated


# --- when the notice arrives -----------------------------------------------------------------------------


def test_loading_the_notice_replaces_the_estimate_and_lists_the_due_dates_it_would_move(
    clock, team_a, cadre_a, notice_file
):
    long_term = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    urgent = raise_concern(team_a, cadre_a, Concern.Priority.URGENT)
    normal = raise_concern(team_a, cadre_a, Concern.Priority.NORMAL)
    out = load(str(notice_file))

    assert set(CalendarDay.objects.filter(date__year=2027).values_list("source", flat=True)) == {"notice"}
    assert not workdays.is_working_day(D(2027, 2, 11)) and workdays.is_working_day(D(2027, 2, 20))
    assert "2027 from notice-2027.txt (State Council notice)" in out
    # 11 and 12 February are off now and Saturday 20 February is worked: one working day later.
    assert f"{long_term.reference}  2027-04-14 → 2027-04-15" in out
    assert urgent.reference not in out  # within 2026: nothing moves
    assert normal.reference not in out  # 2 and 3 January were a weekend anyway
    long_term.refresh_from_db()
    assert long_term.due_date == D(2027, 4, 14)  # a date told to a person is not moved silently
    assert not long_term.due_date_estimated()
    shift = DueDateShift.objects.get()
    assert (shift.concern, shift.due_date_after, shift.year, shift.applied_at) == (
        long_term,
        D(2027, 4, 15),
        2027,
        None,
    )
    assert "0 day(s) added, 0 updated, 0 removed" in load(str(notice_file))  # again: nothing changes
    assert DueDateShift.objects.count() == 1


def test_an_estimate_never_replaces_the_notice(clock, notice_file):
    load(str(notice_file))
    assert "already loaded from a notice" in load("--year", "2027")
    workdays.calendar_fill([2027])
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("source", flat=True)) == {"notice"}


def test_a_leader_applies_the_shifts_in_one_step(
    clock, client_for, team_a, cadre_a, leader_branch, leader_other_branch, notice_file
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    load(str(notice_file))
    url = reverse("fieldwork:due-shift-list")
    assert client_for(cadre_a).get(url).status_code == 403
    assert "data-shift" not in client_for(leader_other_branch).get(url).content.decode()
    client = client_for(leader_branch)
    assert concern.reference in client.get(url).content.decode()

    response = client.post(url, follow=True)
    assert "1 due date moved to the new calendar." in response.content.decode()
    concern.refresh_from_db()
    assert (concern.due_date, concern.version) == (D(2027, 4, 15), 2)
    event = concern.events.get(kind=ConcernEvent.Kind.DUE_CHANGED)
    assert event.actor == leader_branch and "2027-04-14 → 2027-04-15" in event.note and "2027" in event.note
    assert concern.history.count() == 2  # raised, then moved

    response = client.post(url, follow=True)  # a resend: nothing moves twice
    assert "0 due dates moved" in response.content.decode()
    assert concern.events.filter(kind=ConcernEvent.Kind.DUE_CHANGED).count() == 1


def test_a_shift_whose_concern_changed_meanwhile_is_left_alone(
    clock, client_for, team_a, cadre_a, leader_branch, notice_file
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    load(str(notice_file))
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=concern.version, due_date=D(2027, 5, 20)
    )
    client = client_for(leader_branch)
    assert "data-shift" not in client.get(reverse("fieldwork:due-shift-list")).content.decode()
    client.post(reverse("fieldwork:due-shift-list"))
    concern.refresh_from_db()
    assert concern.due_date == D(2027, 5, 20)


def test_the_response_limit_figures_are_counted_again(clock, team_a, cadre_a, leader_branch):
    clock.set(2026, 12, 30)  # a Wednesday: 2 working days are 31 December and 4 January (estimate)
    concern = raise_concern(team_a, cadre_a, Concern.Priority.NORMAL)
    clock.set(2027, 1, 5)
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    december = D(2026, 12, 1)
    assert rollups.stored()[(team_a.pk, december)]["taken_up_in_time"] == 0
    # The notice gives 4 January off as well: the limit runs to the 5th, and the response was in time.
    workdays.calendar_apply(
        year=2027, days={D(2027, 1, 1): (False, "元旦"), D(2027, 1, 4): (False, "元旦")}, source="notice"
    )
    assert rollups.stored()[(team_a.pk, december)]["taken_up_in_time"] == 1
    assert rollups.stored() == rollups.recount()


# --- the admin -------------------------------------------------------------------------------------------------


@pytest.fixture
def keeper(client):
    admin = get_user_model().objects.create_superuser("keeper", "keeper@example.com", "pass-for-tests-1")
    client.force_login(admin)
    return client


def test_an_administrator_enters_the_notice_in_the_admin(clock, keeper, team_a, cadre_a):
    raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    url = reverse("admin:fieldwork_calendarday_notice")
    assert keeper.get(url).status_code == 200
    response = keeper.post(url, {"notice": NOTICE_2027}, follow=True)
    assert "1 open concerns would change due date" in response.content.decode()
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("source", flat=True)) == {"notice"}
    record = CalendarDay.objects.get(date=D(2027, 2, 10)).history.first()  # the change keeps its trace
    assert (record.history_type, record.source, record.history_user.username) == ("~", "notice", "keeper")


def test_a_notice_that_does_not_read_is_refused_beside_the_field(clock, keeper):
    before = list(CalendarDay.objects.values_list("date", "is_working_day", "source"))
    response = keeper.post(reverse("admin:fieldwork_calendarday_notice"), {"notice": "春节放假七天"})
    assert response.status_code == 200
    assert "is not «休" in response.content.decode()
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "source")) == before


def test_calendar_days_are_read_only_in_the_admin(keeper):
    day = CalendarDay.objects.get(date=D(2026, 2, 17))
    keeper.post(
        reverse("admin:fieldwork_calendarday_change", args=[day.pk]),
        {"date": "2026-02-17", "is_working_day": "on", "note": "改", "source": "notice"},
    )
    day.refresh_from_db()
    assert (day.is_working_day, day.note) == (False, "春节")
    assert keeper.get(reverse("admin:fieldwork_calendarday_add")).status_code == 403
