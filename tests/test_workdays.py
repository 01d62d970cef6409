"""Working days (fieldwork.workdays): the weekday rule, the 2026 holidays and make-up days (调休), the
calendar's loading and caching, and the due dates and days overdue counted with them."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from fieldwork import workdays
from fieldwork.models import CalendarDay, Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import ConcernFactory, category

D = datetime.date
pytestmark = pytest.mark.django_db


def naive_count(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end], one day at a time: what working_days_between must equal."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += workdays.is_working_day(day)
    return count


# --- the 2026 calendar, loaded by the migration -----------------------------------------------------


def test_the_2026_arrangement_is_in_every_database():
    days = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_working_day"))
    # 33 days off (3 + 9 + 3 + 5 + 3 + 3 + 7) and 6 weekend days worked
    assert sum(1 for working in days.values() if not working) == 33
    assert sorted(day for day, working in days.items() if working) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).note == "春节"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # New Year's Day, a Thursday
        (D(2026, 1, 4), True),  # Sunday worked instead
        (D(2026, 2, 13), True),  # Friday before the Spring Festival
        (D(2026, 2, 14), True),  # Saturday worked instead
        (D(2026, 2, 16), False),  # Monday in the Spring Festival
        (D(2026, 2, 23), False),  # its last day, a Monday
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday worked instead
        (D(2026, 3, 7), False),  # an ordinary Saturday
        (D(2026, 4, 6), False),  # Qingming, a Monday
        (D(2026, 5, 5), False),  # Labour Day holiday, a Tuesday
        (D(2026, 5, 9), True),  # Saturday worked instead
        (D(2026, 6, 19), False),  # Dragon Boat, a Friday
        (D(2026, 9, 20), True),  # Sunday worked before National Day
        (D(2026, 9, 25), False),  # Mid-Autumn, a Friday
        (D(2026, 10, 5), False),  # National Day week, a Monday
        (D(2026, 10, 8), True),  # Thursday after it
        (D(2026, 10, 10), True),  # Saturday worked instead
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2027, 3, 1), True),  # a year with no rows yet: the weekday rule alone
    ],
)
def test_is_working_day(day, working):
    assert workdays.is_working_day(day) is working


# --- adding working days ------------------------------------------------------------------------------


def test_spring_festival_week_with_its_make_up_saturdays():
    friday = D(2026, 2, 13)
    # Saturday 14th counts, the festival (15th–23rd) does not, Saturday 28th counts again.
    assert [workdays.add_working_days(friday, n) for n in range(1, 8)] == [
        D(2026, 2, 14),
        D(2026, 2, 24),
        D(2026, 2, 25),
        D(2026, 2, 26),
        D(2026, 2, 27),
        D(2026, 2, 28),
        D(2026, 3, 2),
    ]


def test_national_day_week_with_its_make_up_sunday_and_saturday():
    friday = D(2026, 9, 18)
    assert workdays.add_working_days(friday, 1) == D(2026, 9, 20)  # the Sunday worked instead
    assert workdays.add_working_days(friday, 2) == D(2026, 9, 21)
    # Wednesday 30 September: the holiday runs 1–7 October; Saturday 10th is worked.
    wednesday = D(2026, 9, 30)
    assert [workdays.add_working_days(wednesday, n) for n in range(1, 5)] == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
    ]


def test_zero_and_negative_steps():
    assert workdays.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert workdays.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert workdays.add_working_days(D(2026, 3, 2), -7) == D(2026, 2, 13)


def test_a_due_date_set_just_before_a_holiday_lands_on_the_right_working_day(team_a, cadre_a):
    # Raised on Wednesday 30 September 2026, the eve of National Day, at 16:00 in Shanghai.
    raised_at = datetime.datetime(2026, 9, 30, 8, 0, tzinfo=datetime.UTC)
    urgent = concern_services.concern_create(
        unit=team_a,
        data=ConcernInput(title="配电室漏雨", category=category(), priority=Concern.Priority.URGENT),
        by=cadre_a,
        owner=cadre_a,
        raised_at=raised_at,
    )
    # 7 working days: 8, 9, 10 (the Saturday worked), 12, 13, 14, 15 October.
    assert urgent.due_date == D(2026, 10, 15)
    # 30 working days from the Friday before the Spring Festival: 14 and 24–28 February (6), then
    # four full weeks of March (26), then 30, 31 March and 1, 2 April, just before Qingming.
    assert concern_services.default_due_date(priority="normal", raised_on=D(2026, 2, 13)) == D(2026, 4, 2)


def test_due_days_and_the_response_limit_use_the_same_count(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "DUE_DAYS": {"urgent": 1, "normal": 2, "long_term": 3}}
    assert concern_services.default_due_date(priority="urgent", raised_on=D(2026, 9, 30)) == D(2026, 10, 8)
    assert concern_services.default_due_date(priority="long_term", raised_on=D(2026, 9, 30)) == D(2026, 10, 10)


# --- counting the days between --------------------------------------------------------------------


def test_days_overdue_across_a_holiday():
    # Due on the eve of National Day, looked at on Friday 9 October: Thursday 8th and Friday 9th.
    assert workdays.days_overdue(D(2026, 9, 30), D(2026, 10, 9)) == 2
    # Due on the Friday before the Spring Festival, looked at on Tuesday 24 February.
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 1)) == 0


def test_concern_days_overdue_counts_working_days(team_a):
    concern = ConcernFactory(unit=team_a, due_date=D(2026, 9, 30))
    assert concern.days_overdue(D(2026, 10, 7)) == 0  # the whole holiday: not a working day late yet
    assert concern.days_overdue(D(2026, 10, 12)) == 4  # 8, 9, 10 and 12 October
    concern.status = Concern.Status.RESOLVED
    assert concern.days_overdue(D(2026, 10, 12)) == 0


def test_working_days_between_matches_counting_one_day_at_a_time():
    starts = [D(2025, 12, 20) + datetime.timedelta(days=n) for n in range(0, 400, 3)]
    for start in starts:
        for length in (0, 1, 2, 5, 6, 7, 8, 13, 30, 61):
            end = start + datetime.timedelta(days=length)
            assert workdays.working_days_between(start, end) == naive_count(start, end), (start, end)
            assert workdays.working_days_between(end, start) == -naive_count(start, end)
            if workdays.is_working_day(end) and length:
                assert workdays.add_working_days(start, workdays.working_days_between(start, end)) == end


# --- the weekday setting ------------------------------------------------------------------------------


def test_working_weekdays_setting(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "WORKING_WEEKDAYS": (0, 1, 2, 3, 4, 5)}  # Monday to Saturday
    assert workdays.is_working_day(D(2026, 3, 7))  # an ordinary Saturday now counts
    assert not workdays.is_working_day(D(2026, 3, 8))
    assert not workdays.is_working_day(D(2026, 2, 21))  # the calendar still wins: a festival Saturday
    assert workdays.add_working_days(D(2026, 3, 5), 2) == D(2026, 3, 7)
    assert workdays.working_days_between(D(2026, 3, 1), D(2026, 3, 8)) == 6


def test_working_weekdays_must_name_a_weekday(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "WORKING_WEEKDAYS": ()}
    with pytest.raises(ImproperlyConfigured):
        workdays.is_working_day(D(2026, 3, 2))
    settings.FIELDWORK = {**settings.FIELDWORK, "WORKING_WEEKDAYS": (0, 7)}
    with pytest.raises(ImproperlyConfigured):
        workdays.add_working_days(D(2026, 3, 2), 1)


def test_the_setting_reads_the_environment(monkeypatch):
    import importlib

    from config import settings as project_settings

    monkeypatch.setenv("FIELDWORK_WORKING_WEEKDAYS", "0,1,2,3,4,5")
    try:
        assert importlib.reload(project_settings).FIELDWORK["WORKING_WEEKDAYS"] == (0, 1, 2, 3, 4, 5)
    finally:
        monkeypatch.delenv("FIELDWORK_WORKING_WEEKDAYS")
        assert importlib.reload(project_settings).FIELDWORK["WORKING_WEEKDAYS"] == (0, 1, 2, 3, 4)


# --- the cache: read once, forgotten when the calendar changes ------------------------------------------


def test_the_calendar_is_read_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        for n in range(60):
            workdays.add_working_days(D(2026, 1, 1), n)
        workdays.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(0):
        assert workdays.days_overdue(D(2026, 5, 1), D(2026, 4, 1)) == 0


def test_not_overdue_needs_no_calendar(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert workdays.days_overdue(D(2026, 5, 1), D(2026, 5, 1)) == 0


def test_an_edit_is_seen_at_once():
    monday = D(2026, 3, 9)
    assert workdays.is_working_day(monday)
    day = CalendarDay.objects.create(date=monday, is_working_day=False, note="停电检修")
    assert not workdays.is_working_day(monday)
    day.is_working_day = True
    day.save()
    assert workdays.is_working_day(D(2026, 3, 9))
    CalendarDay.objects.filter(date=D(2026, 10, 10)).delete()
    assert not workdays.is_working_day(D(2026, 10, 10))  # back to an ordinary Saturday


def test_each_request_reads_the_calendar_as_it_stands(client):
    assert workdays.is_working_day(D(2026, 3, 10))
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 3, 10), is_working_day=False)])  # no signal
    assert workdays.is_working_day(D(2026, 3, 10))  # what this process read earlier
    # A request starts (the way another server's change is seen): the calendar is read afresh.
    assert client.get("/healthz").status_code == 200
    assert not workdays.is_working_day(D(2026, 3, 10))


# --- load_holidays ----------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue()


def test_loading_the_shipped_year_again_changes_nothing():
    before = list(CalendarDay.objects.values_list("date", "is_working_day", "note"))
    assert "0 day(s) added, 0 updated, 0 removed, 39 already in the calendar" in run("--year", "2026")
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "note")) == before


def test_loading_restores_edited_days():
    CalendarDay.objects.filter(date=D(2026, 2, 14)).delete()
    CalendarDay.objects.filter(date=D(2026, 10, 5)).update(is_working_day=True, note="typo")
    assert "1 day(s) added, 1 updated, 0 removed, 37 already" in run("--year", "2026")
    assert workdays.is_working_day(D(2026, 2, 14))
    assert CalendarDay.objects.get(date=D(2026, 10, 5)).note == "国庆节"
    assert not workdays.is_working_day(D(2026, 10, 5))


def test_loading_another_year_from_a_file(tmp_path):
    path = tmp_path / "holidays-2030.json"
    path.write_text(
        json.dumps(
            {
                "year": 2030,
                "holidays": [{"name": "元旦", "from": "2030-01-01", "to": "2030-01-03"}],
                "working_days": [{"date": "2030-01-05", "note": "调休上班"}],
            }
        ),
        encoding="utf-8",
    )
    out = run(str(path), "--verbosity", "2")
    assert "4 day(s) added" in out and "2030-01-05 Sat working day 调休上班" in out
    assert not workdays.is_working_day(D(2030, 1, 1))
    assert workdays.is_working_day(D(2030, 1, 5))
    assert "0 day(s) added, 0 updated, 0 removed, 4 already" in run(str(path))


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"holidays": [{"name": "x", "from": "2030-05-01", "to": "2030-05-02"}]}))
    out = run(str(path), "--dry-run")
    assert "2030-05-01 Wed day off x" in out and "nothing written" in out
    assert not CalendarDay.objects.filter(date__year=2030).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"holidays": [{"name": "x", "from": "2030-05-02", "to": "2030-05-01"}]}, "is before"),
        (
            {
                "holidays": [{"name": "x", "from": "2030-05-01"}],
                "working_days": [{"date": "2030-05-01"}],
            },
            "both a holiday and a working day",
        ),
        ({"holidays": [{"name": "x", "from": "1 May"}]}, "Invalid isoformat"),
    ],
)
def test_a_bad_file_is_refused_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not CalendarDay.objects.filter(date__year=2030).exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "holidays-2031.json"))


# --- the admin ----------------------------------------------------------------------------------------


def test_calendar_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pass-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:fieldwork_calendarday_changelist"), {"date__year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "春节调休上班" in html and "Saturday" in html
    changed = client.get(reverse("admin:fieldwork_calendarday_change", args=[CalendarDay.objects.first().pk]))
    assert changed.status_code == 200


def test_due_date_comes_from_the_calendar_on_the_day_raised(team_a, cadre_a, clock):
    # Raised at 23:30 in Shanghai on Friday 13 February (15:30 UTC): the day is the 13th there.
    clock.set(2026, 2, 13, hour=23, minute=30)
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=ConcernInput(title="宿舍暖气不热", category=category(), priority="urgent")
    )
    assert concern.due_date == D(2026, 3, 2)
