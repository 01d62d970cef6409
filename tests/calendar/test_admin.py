"""The calendar in the admin: an administrator enters the notice, a notice that does not read is refused
beside the field, the days themselves are read only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fieldwork.models import CalendarDay, Concern
from tests.calendar.helpers import NOTICE_2027, D, raise_concern

pytestmark = pytest.mark.django_db


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


def test_calendar_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pass-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:fieldwork_calendarday_changelist"), {"date__year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "春节调休上班" in html and "Saturday" in html
    changed = client.get(reverse("admin:fieldwork_calendarday_change", args=[CalendarDay.objects.first().pk]))
    assert changed.status_code == 200
