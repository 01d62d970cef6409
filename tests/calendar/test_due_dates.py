"""Due dates are counted in working days from the day raised, in the configured time zone."""

import datetime

import pytest

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.calendar.helpers import D
from tests.factories import category

pytestmark = pytest.mark.django_db


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


def test_due_date_comes_from_the_calendar_on_the_day_raised(team_a, cadre_a, clock):
    # Raised at 23:30 in Shanghai on Friday 13 February (15:30 UTC): the day is the 13th there.
    clock.set(2026, 2, 13, hour=23, minute=30)
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=ConcernInput(title="宿舍暖气不热", category=category(), priority="urgent")
    )
    assert concern.due_date == D(2026, 3, 2)
