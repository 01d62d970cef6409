"""load_calendar: the shipped year again changes nothing, edited days are restored, another year comes
from a file; a dry run writes nothing; a bad or missing file is refused."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from fieldwork import workdays
from fieldwork.models import CalendarDay
from tests.calendar.helpers import D

pytestmark = pytest.mark.django_db


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
