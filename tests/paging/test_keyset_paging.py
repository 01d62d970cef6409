"""fieldwork.paging: keyset pages, their cursors and the capped count, as every long list uses them."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import paging
from fieldwork.models import Concern
from tests.factories import ConcernFactory

BY_RAISED = paging.Keyset("raised_at", kind=datetime.datetime, descending=True)


def test_cursors_keep_the_formats_of_the_addresses():
    concern = Concern(pk=123, due_date=datetime.date(2026, 5, 1))
    concern.raised_at = datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    concern.status_rank = 2
    assert paging.BY_DUE_DATE.encode(concern) == "2026-05-01.123"
    assert BY_RAISED.encode(concern) == "2026-05-01T02:00:00+00:00~123"
    assert paging.Keyset("due_date", kind=datetime.date).encode(concern) == "2026-05-01~123"
    assert paging.Keyset("status_rank").encode(concern) == "2~123"


def test_a_cursor_reads_back_as_it_was_written():
    raised = datetime.datetime(2026, 5, 1, 2, 0, 0, 123456, tzinfo=datetime.UTC)
    assert paging.BY_DUE_DATE.decode("2026-05-01.123") == (datetime.date(2026, 5, 1), 123)
    assert BY_RAISED.decode("2026-05-01T02:00:00.123456+00:00~7") == (raised, 7)
    assert paging.Keyset("status_rank").decode("2~123") == (2, 123)


@pytest.mark.parametrize(
    ("keyset", "raw"),
    [
        (paging.BY_DUE_DATE, None),
        (paging.BY_DUE_DATE, ""),
        (paging.BY_DUE_DATE, "yesterday.x"),
        (paging.BY_DUE_DATE, "9"),
        (paging.BY_DUE_DATE, "2026-05-01~123"),
        (paging.BY_DUE_DATE, "2026.05.01.1"),
        (BY_RAISED, "2026-01-01T00:00:00~1"),  # a naive time is not one we wrote
        (BY_RAISED, "2026-13-45T00:00:00+00:00~1"),
        (BY_RAISED, "~"),
        (paging.Keyset("status_rank"), "2026-01-01~x"),
    ],
)
def test_a_missing_or_malformed_cursor_is_the_first_page(keyset, raw):
    assert keyset.decode(raw) is None


def test_pages_walk_every_row_once_in_order(clock, team_a, django_assert_num_queries):
    today = clock.today
    expected = [ConcernFactory(unit=team_a, due_date=today + datetime.timedelta(days=d)).pk for d in (1, 3, 3, 3, 5)]
    seen, after, pages = [], None, []
    while True:
        with django_assert_num_queries(1):
            page = paging.keyset_page(Concern.objects.all(), keyset=paging.BY_DUE_DATE, after=after, size=2)
        pages.append(page.later)
        seen += [concern.pk for concern in page.rows]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == expected
    assert pages == [False, True, True]


def test_a_descending_order_pages_newest_first(team_a):
    now = timezone.now()
    made = [ConcernFactory(unit=team_a, raised_at=now - datetime.timedelta(hours=h // 2)) for h in range(5)]
    first = paging.keyset_page(Concern.objects.all(), keyset=BY_RAISED, after=None, size=3)
    rest = paging.keyset_page(Concern.objects.all(), keyset=BY_RAISED, after=first.next_cursor, size=3)
    newest_first = sorted(made, key=lambda c: (c.raised_at, c.pk), reverse=True)
    assert first.rows + rest.rows == newest_first
    assert rest.next_cursor is None


def test_the_count_stops_at_the_cap(team_a, monkeypatch, django_assert_num_queries):
    for _ in range(4):
        ConcernFactory(unit=team_a)
    with django_assert_num_queries(1):
        assert paging.count_capped(Concern.objects.all()) == (4, False)
    assert paging.count_capped(Concern.objects.all(), cap=3) == (3, True)
    assert paging.count_capped(Concern.objects.all(), cap=4) == (4, False)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    assert paging.count_capped(Concern.objects.all()) == (2, True)
