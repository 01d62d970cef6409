"""The quicker generator's look-ups give what the rules they stand for give (issue 17 item 7)."""

import datetime as dt
import random
import zoneinfo

import pytest

from fieldwork import workdays
from fieldwork.demo.bulk import PostgresSink, tables
from fieldwork.demo.clock import Clock

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_working_weekdays_follow_a_changed_setting_after_being_remembered(settings):
    saturday = dt.date(2026, 3, 7)
    assert not workdays.is_working_day(saturday)
    assert not workdays.is_working_day(saturday)  # asked again: remembered, still the same answer
    settings.FIELDWORK = {**settings.FIELDWORK, "WORKING_WEEKDAYS": (0, 1, 2, 3, 4, 5)}
    assert workdays.is_working_day(saturday)
    settings.FIELDWORK["WORKING_WEEKDAYS"] = [0, 1, 2, 3, 4]  # changed in place, as a list
    assert not workdays.is_working_day(saturday)


def test_clock_dates_years_and_utc_text_by_day_number():
    clock = Clock(today=dt.date(2026, 11, 28), months=12, tz=SHANGHAI, ts_suffix="+00")
    for day in (-1, 0, 1, 33, clock.today_index, clock.ndays + 1199):
        date = clock.start + dt.timedelta(days=day)
        assert clock.date(day) == date.isoformat()
        assert clock.year(day) == date.year
    with pytest.raises(KeyError):
        clock.date(clock.ndays + 1200)
    rng = random.Random(17)
    start = dt.datetime.combine(clock.start, dt.time(0), tzinfo=SHANGHAI)
    moments = [0.0, 8 * 3600 - 0.5, 8 * 3600, 86399.999, clock.now] + [rng.random() * clock.now for _ in range(3000)]
    for local in moments:
        utc = (start + dt.timedelta(seconds=int(local))).astimezone(dt.UTC)
        assert clock.ts(local) == utc.strftime("%Y-%m-%d %H:%M:%S") + "+00"


def test_a_chunk_is_encoded_as_its_lines_one_by_one():
    sink = PostgresSink(tables())
    rows = [
        (n, 40 + n, "started", "\\N", "open", "in_progress", f"巡线（王卫国，{n}）", "t", "2026-03-04 05:06:07+00")
        for n in range(500)
    ]
    expected = "".join(sink.formats["event"] % row for row in rows).encode()
    assert sink.encode("event", rows) == expected
    assert sink.encode("event", rows[:1]) == expected[: expected.index(b"\n") + 1]
