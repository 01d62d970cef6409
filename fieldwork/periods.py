"""The period of a dashboard, a ledger or an export: whole days from a first to a last, read from the
query string (?period=2026-07, 2026-Q3, 2026-H1, 2026, or ?from=…&to=…) and split into the whole months
the monthly rollups hold and the edge days the day rows (or a live count) serve.

`period_parse` also reads a period as people write it — 2026年11月, 2026.11, 2026/11, 2026年第三季度,
2026年三季度, 2026Q3, 2026年上半年, 2026H1, 2026年, full-width digits too — and `Period.param` gives
its one canonical form, which the dashboard redirects to."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .rollups import Ranges, month_of, next_month

# ASCII digits only (fieldwork.inputs): \d alone would read other scripts' digits ("٢٠٢٦", "²") as a
# year. The full-width forms a Chinese keyboard types (２０２６，Ｑ３，／，．，－) are turned into ASCII
# first, one by one, and nothing else is.
FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        **dict(zip("ＱｑＨｈ－／．。", "QqHh-/..", strict=True)),
        "\u3000": "",
    }
)
CHINESE_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}
MONTH_RE = re.compile(r"^(\d{4})(?:年|[-./])(\d{1,2})月?$", re.ASCII)
QUARTER_RE = re.compile(r"^(\d{4})(?:年|-)?(?:第?([1-4一二三四])季度?|[Qq]([1-4]))$", re.ASCII)
HALF_RE = re.compile(r"^(\d{4})(?:年|-)?(?:([上下])半年|[Hh]([12]))$", re.ASCII)
YEAR_RE = re.compile(r"^(\d{4})年?$", re.ASCII)
# The picker's choices of a part of the year (?year=2026&part=…): the whole year, a half, a quarter, a month.
PARTS = ["year", "h1", "h2", "q1", "q2", "q3", "q4", *[f"m{month}" for month in range(1, 13)]]
FIRST_YEAR, LAST_YEAR = 1970, 2999
LONGEST_RANGE_DAYS = 366 * 20


class PeriodError(ValueError):
    """A period that cannot be read; its message is shown to the user."""


@dataclass(frozen=True)
class Period:
    """Whole days from `first` to `last`, both included, in the configured time zone."""

    first: datetime.date
    last: datetime.date
    kind: str  # "month", "quarter", "half" (a half-year), "year" or "range"

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
    def half(cls, year: int, half: int) -> Period:
        """The first (1: January to June) or second (2: July to December) half of a year."""
        if half == 1:
            return cls(datetime.date(year, 1, 1), datetime.date(year, 6, 30), "half")
        return cls(datetime.date(year, 7, 1), datetime.date(year, 12, 31), "half")

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
        if self.kind == "half":
            return {"period": f"{self.first.year}-H{1 if self.first.month == 1 else 2}"}
        if self.kind == "year":
            return {"period": f"{self.first.year}"}
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year} Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{self.first.year} H{1 if self.first.month == 1 else 2}"
        if self.kind == "year":
            return f"{self.first.year}"
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    @property
    def part(self) -> str:
        """The picker's part of the year (PARTS) this period is, or "" for a range."""
        if self.kind == "month":
            return f"m{self.first.month}"
        if self.kind == "quarter":
            return f"q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"h{1 if self.first.month == 1 else 2}"
        return "year" if self.kind == "year" else ""

    @property
    def name(self) -> str:
        """The period in words, in the reader's language: 2026年第三季度, Q3 2026."""
        year = self.first.year
        if self.kind == "month":
            return date_format(self.first, "YEAR_MONTH_FORMAT")
        if self.kind == "quarter":
            return QUARTER_NAMES[(self.first.month - 1) // 3] % {"year": year}
        if self.kind == "half":
            return HALF_NAMES[0 if self.first.month == 1 else 1] % {"year": year}
        if self.kind == "year":
            return YEAR_NAME % {"year": year}
        return RANGE_NAME % {
            "first": date_format(self.first, "DATE_FORMAT"),
            "last": date_format(self.last, "DATE_FORMAT"),
        }

    @property
    def step_names(self) -> tuple[str, str]:
        """What the links to the previous and the next period are called: 上一季度, 下一季度…"""
        if self.kind == "range":
            return (
                ngettext("Previous %(days)d day", "Previous %(days)d days", self.days) % {"days": self.days},
                ngettext("Next %(days)d day", "Next %(days)d days", self.days) % {"days": self.days},
            )
        return STEP_NAMES[self.kind]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier if negative), of the same kind and length."""
        if self.kind == "range":
            delta = datetime.timedelta(days=self.days * steps)
            return Period(self.first + delta, self.last + delta, "range")
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.kind] * steps
        index = self.first.year * 12 + self.first.month - 1 + months
        year, month = divmod(index, 12)
        if self.kind == "month":
            return Period.month(year, month + 1)
        if self.kind == "quarter":
            return Period.quarter(year, month // 3 + 1)
        if self.kind == "half":
            return Period.half(year, month // 6 + 1)
        return Period.year(year)

    @property
    def previous(self) -> Period | None:
        shifted = self.shifted(-1)
        return shifted if shifted.first.year >= FIRST_YEAR else None

    @property
    def next(self) -> Period | None:
        shifted = self.shifted(1)
        return shifted if shifted.last.year <= LAST_YEAR else None

    def next_until(self, today: datetime.date) -> Period | None:
        """The next period if it has begun by `today`: no link runs into the future."""
        shifted = self.next
        return shifted if shifted is not None and shifted.first <= today else None

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
    """?period= as a month, quarter, half-year or year in any of the ways people write it (the module's
    docstring), or ?from=YYYY-MM-DD&to=YYYY-MM-DD; raises PeriodError."""
    period = "".join(period.translate(FULL_WIDTH).split())
    date_from, date_to = date_from.translate(FULL_WIDTH).strip(), date_to.translate(FULL_WIDTH).strip()
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
        quarter = match[2] or match[3]
        return Period.quarter(_year(match[1]), CHINESE_NUMBERS.get(quarter) or int(quarter))
    if match := HALF_RE.match(period):
        half = 1 if (match[2] == "上" or match[3] == "1") else 2
        return Period.half(_year(match[1]), half)
    if match := YEAR_RE.match(period):
        return Period.year(_year(match[1]))
    raise PeriodError(
        _(
            "Write the period as a month (2026年11月, 2026-11), a quarter (2026年第三季度, 2026Q3), a half-year "
            "(2026年上半年, 2026H1) or a year (2026), or choose it above."
        )
    )


def period_of_part(year: str, part: str) -> Period:
    """The period the picker's two selects name: a year and a part of it (PARTS); raises PeriodError."""
    year, part = year.translate(FULL_WIDTH).strip(), part.strip()
    if not re.fullmatch(r"\d{4}", year, re.ASCII) or part not in PARTS:
        raise PeriodError(_("Choose a year and a part of it from the lists."))
    number = _year(year)
    if part == "year":
        return Period.year(number)
    if part[0] == "h":
        return Period.half(number, int(part[1]))
    if part[0] == "q":
        return Period.quarter(number, int(part[1]))
    return Period.month(number, int(part[1:]))


def period_from_query(query, *, today: datetime.date) -> tuple[Period, str | None]:
    """The period a request asks for, or the current quarter and the reason the request was not read.

    The picker sends one form: two dates (the folded range) win, then a period typed, then the
    year and part chosen from the selects."""
    period, date_from, date_to = query.get("period", ""), query.get("from", ""), query.get("to", "")
    year, part = query.get("year", ""), query.get("part", "")
    if not (period.strip() or date_from.strip() or date_to.strip() or year or part):
        return Period.current_quarter(today), None
    try:
        if period.strip() or date_from.strip() or date_to.strip():
            return period_parse(period=period[:20], date_from=date_from[:20], date_to=date_to[:20]), None
        return period_of_part(year[:10], part[:10]), None
    except PeriodError as error:
        return Period.current_quarter(today), str(error)


def is_canonical(query, period: Period) -> bool:
    """Whether the query names `period` in its one canonical form (Period.param) and nothing else of
    the picker: otherwise the dashboard redirects there."""
    names = ("period", "from", "to", "year", "part")
    given = {name: query.get(name) for name in names if query.get(name) not in (None, "")}
    return given == period.param


QUARTER_NAMES = [
    _("Q1 %(year)d"),
    _("Q2 %(year)d"),
    _("Q3 %(year)d"),
    _("Q4 %(year)d"),
]
# The picker's quarter choices (the year is chosen beside them)
QUARTER_PARTS = [_("First quarter"), _("Second quarter"), _("Third quarter"), _("Fourth quarter")]
HALF_NAMES = [_("first half of %(year)d"), _("second half of %(year)d")]
YEAR_NAME = _("the year %(year)d")
RANGE_NAME = _("%(first)s to %(last)s")
STEP_NAMES = {
    "month": (_("Previous month"), _("Next month")),
    "quarter": (_("Previous quarter"), _("Next quarter")),
    # Translators: the half-year before this one (上一个半年), not the first half of a year
    "half": (_("Previous half-year"), _("Next half-year")),
    "year": (_("Previous year"), _("Next year")),
}
