"""Loading the notice replaces the estimate and lists the due dates it would move; an estimate never
replaces a notice."""

import pytest

from fieldwork import workdays
from fieldwork.models import CalendarDay, Concern, DueDateShift
from tests.calendar.helpers import D, load, raise_concern

pytestmark = pytest.mark.django_db


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
