"""The working weekdays come from a setting read from the environment, and must name weekdays."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from fieldwork import workdays
from tests.calendar.helpers import D

pytestmark = pytest.mark.django_db


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
