"""Keyset pages and capped counts: how every long list pages through its rows and says how many.

A list is ordered by one field and then the primary key. A page is the rows after the last row
of the page before, named by a cursor in the query string (that row's value and id), never an
OFFSET: a page deep into a million rows costs what the first one does, and a row added while
someone pages is neither shown twice nor skipped. The count beside a list stops at COUNT_CAP.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Final

from django.db.models import Q, QuerySet
from django.utils import timezone

from .inputs import object_id, whole_number

COUNT_CAP: Final = 10_000
# A search's count stops sooner: the token index cannot count alone (each row counted is read from
# the table to check it), and "1,000+" tells a person to narrow the search as well as "10,000+" would.
SEARCH_COUNT_CAP: Final = 1_000


def count_capped(queryset: QuerySet, *, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): never counts more than cap + 1 rows, so a scope of a million stays cheap.

    When `capped` is true the count is the cap, and lists show it as "10,000+".
    """
    cap = COUNT_CAP if cap is None else cap
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


@dataclass(frozen=True)
class Keyset:
    """A list's order for keyset pages: `field`, then the primary key, both one way.

    `field` is a date, a time (aware) or an integer (a column or an annotation such as a rank);
    `kind` says which, so that a cursor is read back as the same type. A cursor reads
    "<value><separator><id>", the value in ISO form (times in UTC).
    """

    field: str
    kind: type = int
    descending: bool = False
    separator: str = "~"

    def order(self, queryset: QuerySet) -> QuerySet:
        if self.descending:
            return queryset.order_by(f"-{self.field}", "-pk")
        return queryset.order_by(self.field, "pk")

    def encode(self, row) -> str:
        """The cursor of the page that follows `row`."""
        value = getattr(row, self.field)
        if isinstance(value, datetime.datetime):
            text = value.astimezone(datetime.UTC).isoformat()
        elif isinstance(value, datetime.date):
            text = value.isoformat()
        else:
            text = str(value)
        return f"{text}{self.separator}{row.pk}"

    def decode(self, raw: str | None) -> tuple[object, int] | None:
        """(value, id) from a cursor, or None when it is missing or malformed."""
        if not raw:
            return None
        text, _sep, raw_pk = raw.rpartition(self.separator)
        pk = object_id(raw_pk)
        try:
            return (self._value(text), pk) if pk else None
        except ValueError:
            return None

    def _value(self, text: str):
        if self.kind is datetime.datetime:
            value = datetime.datetime.fromisoformat(text)
            if timezone.is_naive(value):
                raise ValueError(text)
            return value
        if self.kind is datetime.date:
            return datetime.date.fromisoformat(text)
        number = whole_number(text)
        if number is None:
            raise ValueError(text)
        return number


# The overdue lists and the supervised list: most overdue first. Cursors read "2026-05-01.123".
BY_DUE_DATE: Final = Keyset("due_date", kind=datetime.date, separator=".")
# The callback queue: the oldest deadline first, as the index concern_callback_due serves it.
BY_CALLBACK_DUE: Final = Keyset("callback_due", kind=datetime.date, separator=".")
# The visit list: newest first, as the index visit_date_id serves it. Cursors read "2026-05-01~123".
VISITS_NEWEST_FIRST: Final = Keyset("date", kind=datetime.date, descending=True)


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None  # the `after` of the following page; None on the last page
    later: bool  # the page starts after a cursor: not the first page


def keyset_page(queryset: QuerySet, *, keyset: Keyset, after: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in the keyset's order, starting after the cursor `after`.

    A missing or malformed cursor gives the first page: a link that was cut short or edited is
    not an error. The redundant bound on the field alone lets the database start its index scan
    at the cursor instead of filtering from the top of the list.
    """
    rows = keyset.order(queryset)
    position = keyset.decode(after)
    if position is not None:
        value, pk = position
        op = "lt" if keyset.descending else "gt"
        field = keyset.field
        rows = rows.filter(**{f"{field}__{op}e": value}).filter(
            Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})
        )
    rows = list(rows[: size + 1])
    next_cursor = keyset.encode(rows[size - 1]) if len(rows) > size else None
    return KeysetPage(rows=rows[:size], next_cursor=next_cursor, later=position is not None)
