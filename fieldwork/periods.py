"""The period of a dashboard, a ledger or an export: whole days from a first to a last, read from the
query string (?period=2026-07, 2026-Q3, 2026, or ?from=…&to=…) and split into the whole months the
monthly rollups hold and the edge days the day rows (or a live count) serve."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .rollups import Ranges, month_of, next_month

# ASCII digits only (fieldwork.inputs): \d alone would read "２０２６" as a year.
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$", re.ASCII)
YEAR_RE = re.compile(r"^(\d{4})$", re.ASCII)
FIRST_YEAR, LAST_YEAR = 1970, 2999
LONGEST_RANGE_DAYS = 366 * 20


class PeriodError(ValueError):
    """A period that cannot be read; its message is shown to the user."""


@dataclass(frozen=True)
class Period:
    """Whole days from `first` to `last`, both included, in the configured time zone."""

    first: datetime.date
    last: datetime.date
    kind: str  # "month", "quarter", "year" or "range"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = datetime.date(year, month, 1)
        return cls(first, next_month(first) - datetime.timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = datetime.date(year, 3 * quarter - 2, 1)
        after = next_month(next_month(next_month(first)))
        return cls(first, after - datetime.timedelta(days=1), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")

    @classmethod
    def current_quarter(cls, today: datetime.date) -> Period:
        return cls.quarter(today.year, (today.month - 1) // 3 + 1)

    @property
    def param(self) -> dict[str, str]:
        """The query string that selects this period."""
        if self.kind == "month":
            return {"period": f"{self.first:%Y-%m}"}
        if self.kind == "quarter":
            return {"period": f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"}
        if self.kind == "year":
            return {"period": f"{self.first.year}"}
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year} Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier if negative), of the same kind and length."""
        if self.kind == "range":
            delta = datetime.timedelta(days=self.days * steps)
            return Period(self.first + delta, self.last + delta, "range")
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * steps
        index = self.first.year * 12 + self.first.month - 1 + months
        year, month = divmod(index, 12)
        if self.kind == "month":
            return Period.month(year, month + 1)
        if self.kind == "quarter":
            return Period.quarter(year, month // 3 + 1)
        return Period.year(year)

    @property
    def previous(self) -> Period | None:
        shifted = self.shifted(-1)
        return shifted if shifted.first.year >= FIRST_YEAR else None

    @property
    def next(self) -> Period | None:
        shifted = self.shifted(1)
        return shifted if shifted.last.year <= LAST_YEAR else None

    @property
    def full_months(self) -> list[datetime.date]:
        """The months wholly inside the period: read from the rollups."""
        months = []
        month = month_of(self.first)
        if month < self.first:
            month = next_month(month)
        while next_month(month) - datetime.timedelta(days=1) <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def edges(self) -> Ranges:
        """The days of months the period only cuts into, as [first, day after last): counted live."""
        after = self.last + datetime.timedelta(days=1)
        months = self.full_months
        if not months:
            return [(self.first, after)]
        ranges = []
        if self.first < months[0]:
            ranges.append((self.first, months[0]))
        end = next_month(months[-1])
        if end < after:
            ranges.append((end, after))
        return ranges

    @property
    def trend_months(self) -> list[datetime.date]:
        """The 12 months ending with the period's last month."""
        month = month_of(self.last)
        months = [month]
        for _step in range(11):
            month = month_of(month - datetime.timedelta(days=1))
            months.append(month)
        return months[::-1]


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("Choose a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return year


def period_parse(*, period: str = "", date_from: str = "", date_to: str = "") -> Period:
    """?period=2026-07, 2026-Q3 or 2026, or ?from=YYYY-MM-DD&to=YYYY-MM-DD; raises PeriodError."""
    period, date_from, date_to = period.strip(), date_from.strip(), date_to.strip()
    if date_from or date_to:
        try:
            first = datetime.date.fromisoformat(date_from)
            last = datetime.date.fromisoformat(date_to)
        except ValueError:
            raise PeriodError(_("Give both dates of the period as YYYY-MM-DD.")) from None
        for day in (first, last):
            _year(str(day.year))
        if first > last:
            raise PeriodError(_("The period's first day comes after its last day."))
        if (last - first).days > LONGEST_RANGE_DAYS:
            raise PeriodError(_("Choose a period of at most 20 years."))
        return Period(first, last, "range")
    if match := MONTH_RE.match(period):
        year, month = _year(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(_("There is no month %(month)s.") % {"month": match[2]})
        return Period.month(year, month)
    if match := QUARTER_RE.match(period):
        return Period.quarter(_year(match[1]), int(match[2]))
    if match := YEAR_RE.match(period):
        return Period.year(_year(match[1]))
    raise PeriodError(_("Give the period as a month (2026-07), a quarter (2026-Q3), a year (2026) or two dates."))


def period_from_query(query, *, today: datetime.date) -> tuple[Period, str | None]:
    """The period a request asks for, or the current quarter and the reason the request was not read."""
    period, date_from, date_to = query.get("period", ""), query.get("from", ""), query.get("to", "")
    if not (period or date_from or date_to):
        return Period.current_quarter(today), None
    try:
        return period_parse(period=period[:20], date_from=date_from[:20], date_to=date_to[:20]), None
    except PeriodError as error:
        return Period.current_quarter(today), str(error)
