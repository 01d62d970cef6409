"""The monthly ledger (台账) of a unit's subtree as a workbook: summary, visits, concerns, actions
and callbacks, one sheet each.

A ledger is a record that is filed and printed: it holds every row of the period, never a page of
them, and never the contacts of the people who raised concerns. The figures are the dashboard's
own (dashboard.dashboard_figures), not counted again here.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import dashboard, selectors
from ..dashboard import Rate
from ..display import display_name, name_of
from ..models import Concern, Feedback, FollowUpAction, Principle, Unit, Visit
from ..periods import Period
from ..spreadsheets import Column, Formats, sheet_write, title_line
from . import Progress, chunked

CHUNK = 2000
OWNER = ("owner__first_name", "owner__last_name", "owner__username")
CADRE_FIELDS = ("user__first_name", "user__last_name", "user__username")
# Tuples of only the columns the workbook shows: building model instances was most of its time.
VISIT_FIELDS = ("pk", "date", "unit__name", "form", "location", "people_reached", "summary")
CONCERN_FIELDS = (
    *(
        "reference",
        "unit__name",
        "category__name_zh",
        "category__name_en",
        "title",
        "raised_at",
        "raised_by_name",
        "anonymous",
    ),
    *("due_date", "status", "solvability", "resolution", *OWNER),
)
ACTION_FIELDS = ("concern__reference", "description", "due_date", "done_at", "outcome", *OWNER)  # in this order
CALLBACK_FIELDS = ("concern__reference", "date", "channel", "satisfaction", "comment")


# --- the summary figures: the dashboard's, as label and value ---------------------------------------


@dataclass
class SummaryLine:
    label: str
    value: int | float | Rate | None

    @property
    def is_rate(self) -> bool:
        return isinstance(self.value, Rate)


def summary_lines(figures: dashboard.Dashboard) -> list[SummaryLine]:
    names = dashboard.FIGURE_NAMES
    return [
        SummaryLine(_cap(names["visits"]), figures.visits),
        SummaryLine(_cap(names["people_reached"]), figures.people_reached),
        SummaryLine(_cap(names["coverage"]), figures.coverage),
        SummaryLine(_cap(names["concerns_raised"]), figures.concerns_raised),
        SummaryLine(_cap(names["response_rate"]), figures.response),
        SummaryLine(_cap(names["resolution_rate"]), figures.resolution),
        SummaryLine(_("Limited by policy: resolution rate"), figures.policy),
        SummaryLine(_cap(names["satisfaction_rate"]), figures.satisfaction),
        SummaryLine(_cap(names["on_time_rate"]), figures.on_time),
        SummaryLine(_cap(names["median_days"]), figures.median_days),
        SummaryLine(_cap(names["reopened"]), figures.reopened),
        SummaryLine(_("Open now"), figures.open_now),
        SummaryLine(_("Overdue now"), figures.overdue_now),
    ]


def _cap(text) -> str:
    """A (lazy) label as plain text in the active language: the workbook writer takes no lazy strings."""
    return str(capfirst(str(text)))


def _label(model, field: str) -> str:
    return _cap(model._meta.get_field(field).verbose_name)


def raiser_name(concern: Concern) -> str:
    """The raiser's name for a filed record: never for an anonymous concern, never a contact."""
    return raiser_shown(anonymous=concern.anonymous, name=concern.raised_by_name)


def raiser_shown(*, anonymous: bool, name: str) -> str:
    """raiser_name from the fields alone, for rows read as tuples."""
    return _("Anonymous") if anonymous else name


def name_or_blank(first: str | None, last: str | None, username: str | None) -> str:
    """display_name from the fields alone: blank for nobody (an unassigned owner)."""
    return "" if username is None else name_of(first, last, username)


def ledger_title(*, unit: Unit, period: Period, user) -> str:
    return title_line(
        _("Monthly ledger"),
        unit.name,
        period.label,
        _("exported by %(name)s") % {"name": display_name(user)},
    )


def ledger_count(*, unit: Unit, period: Period, cap: int | None = None) -> int:
    """The visits and concerns a ledger lists (its actions and callbacks come with its concerns),
    counted no further than `cap` when one is given: enough to choose between a page and a file."""
    visits = selectors.ledger_visits(unit=unit, first=period.first, last=period.last).order_by().values("pk")
    concerns = selectors.ledger_concerns(unit=unit, first=period.first, last=period.last).order_by().values("pk")
    if cap is None:
        return visits.count() + concerns.count()
    counted = visits[:cap].count()
    return counted if counted >= cap else counted + concerns[: cap - counted].count()


def ledger_concerns_shown(*, unit: Unit, period: Period):
    """The ledger's concerns with their follow-up actions and callbacks, as the page and the printable
    file show them (prefetched a chunk at a time when iterated in chunks)."""
    return selectors.ledger_concerns(unit=unit, first=period.first, last=period.last).prefetch_related(
        Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner").order_by("due_date", "id")),
        Prefetch("feedback", queryset=Feedback.objects.order_by("created_at", "id")),
    )


def _summary_rows(lines: list[SummaryLine]) -> Iterator[list]:
    for line in lines:
        value = line.value
        if isinstance(value, Rate):
            shown = str(dashboard.TOO_FEW) if value.value is None else value.value  # a share, shown as a percentage
            yield [line.label, shown, value.numerator, value.denominator]
        else:
            yield [line.label, "" if value is None else value, None, None]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def ledger_workbook(
    workbook,
    formats: Formats,
    *,
    unit: Unit,
    period: Period,
    user,
    today: datetime.date,
    progress: Progress | None = None,
) -> None:
    """The ledger's sheets, each row read in chunks and written as it comes."""
    progress = progress or Progress()
    # Labels translated once, not once a row (each str() of a lazy label is a catalogue look-up).
    forms = _labels(Visit.Form)
    statuses = _labels(Concern.Status)
    solvabilities = _labels(Concern.Solvability)
    estimated = _("estimated")
    channels = _labels(Feedback.Channel)
    satisfactions = _labels(Feedback.Satisfaction)
    reference = _label(Concern, "reference")
    # Read once for the three sheets of concerns, actions and callbacks, then a chunk of ids at a time.
    ids = selectors.ledger_concern_ids(unit=unit, first=period.first, last=period.last)
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]

    default_zone, zone = timezone.get_default_timezone(), timezone.get_current_timezone()
    in_chinese = (get_language() or "zh-hans").startswith("zh")  # as BilingualName.name decides
    # The principles in their order (a visit lists its own in that order), named in the active language.
    principle_fields = ("pk", "name_zh" if in_chinese else "name_en")
    names = dict(Principle.objects.order_by("ordering", "code").values_list(*principle_fields))
    order = {pk: rank for rank, pk in enumerate(names)}
    owner = functools.cache(name_or_blank)
    now = timezone.localdate()  # what concern.due_date_estimated() compares with

    @functools.cache
    def estimate(raised_on: datetime.date, due: datetime.date, active: bool) -> str:
        return estimated if Concern.dates_estimated(raised_on=raised_on, due_date=due, active=active, today=now) else ""

    def day(moment: datetime.datetime | None) -> datetime.date | None:
        return moment.astimezone(default_zone).date() if moment else None  # rollups.local_date

    def visit_rows() -> Iterator[list]:
        # Tuples of the shown columns; each chunk's cadres and principles read by two queries, as a
        # prefetch would, without building a model for each.
        visits = selectors.ledger_visits(unit=unit, first=period.first, last=period.last).values_list(*VISIT_FIELDS)
        for chunk in chunked(visits.iterator(chunk_size=CHUNK), CHUNK):
            pks = [row[0] for row in chunk]
            cadres: dict[int, list[str]] = {}
            for visit, first, last, username in (
                Visit.cadres.through.objects.filter(visit_id__in=pks)
                .order_by("id")
                .values_list("visit_id", *CADRE_FIELDS)
            ):
                cadres.setdefault(visit, []).append(owner(first, last, username))
            principles: dict[int, list[int]] = {}
            for visit, principle in Visit.principles.through.objects.filter(visit_id__in=pks).values_list(
                "visit_id", "principle_id"
            ):
                principles.setdefault(visit, []).append(principle)
            for pk, date, unit_name, form, location, people, summary in chunk:
                yield [
                    date,
                    unit_name,
                    forms.get(form, form),
                    location,
                    people,
                    "、".join(cadres.get(pk, ())),
                    "、".join(names[principle] for principle in sorted(principles.get(pk, ()), key=order.get)),
                    summary,
                ]

    def concern_rows() -> Iterator[list]:
        for chunk in chunks:
            for (
                reference,
                unit_name,
                category_zh,
                category_en,
                title,
                raised_at,
                raised_by_name,
                anonymous,
                due,
                status,
                solvability,
                resolution,
                first,
                last,
                username,
            ) in selectors.ledger_concerns_of(ids=chunk).values_list(*CONCERN_FIELDS):
                yield [
                    reference,
                    unit_name,
                    category_zh if in_chinese else category_en,
                    title,
                    day(raised_at),
                    raiser_shown(anonymous=anonymous, name=raised_by_name),
                    owner(first, last, username),
                    due,
                    statuses.get(status, status),
                    solvabilities.get(solvability, ""),
                    resolution,
                    estimate(raised_at.astimezone(zone).date(), due, status in Concern.ACTIVE_STATUSES),
                ]

    def action_rows() -> Iterator[list]:
        for chunk in chunks:
            rows = selectors.ledger_actions(ids=chunk).values_list(*ACTION_FIELDS)
            for reference, description, due, done_at, outcome, first, last, username in rows:
                yield [reference, description, owner(first, last, username), due, day(done_at), outcome]

    def callback_rows() -> Iterator[list]:
        for chunk in chunks:
            for reference, date, channel, satisfaction, comment in selectors.ledger_callbacks(ids=chunk).values_list(
                *CALLBACK_FIELDS
            ):
                yield [
                    reference,
                    date,
                    channels.get(channel, channel),
                    satisfactions.get(satisfaction, satisfaction),
                    comment,
                ]

    title = ledger_title(unit=unit, period=period, user=user)
    figures = dashboard.dashboard_figures(unit=unit, period=period, today=today)
    sheets = [
        (
            _("Summary"),
            [
                Column(_("Figure"), 40, wrap=True),
                Column(_("Value"), 22, percent=True),
                Column(_("Cases counted"), 16),
                Column(_("Out of"), 16),
            ],
            _summary_rows(summary_lines(figures)),
        ),
        (
            _("Visits"),
            [
                Column(_label(Visit, "date"), 12),
                Column(_label(Visit, "unit"), 20),
                Column(_label(Visit, "form"), 14),
                Column(_label(Visit, "location"), 20, wrap=True),
                Column(_label(Visit, "people_reached"), 10),
                Column(_label(Visit, "cadres"), 20, wrap=True),
                Column(_label(Visit, "principles"), 24, wrap=True),
                Column(_label(Visit, "summary"), 60, wrap=True),
            ],
            progress.counted(visit_rows()),
        ),
        (
            _("Concerns"),
            [
                Column(reference, 16),
                Column(_label(Concern, "unit"), 18),
                Column(_label(Concern, "category"), 14),
                Column(_label(Concern, "title"), 36, wrap=True),
                Column(_label(Concern, "raised_at"), 12),
                Column(_label(Concern, "raised_by_name"), 12),
                Column(_label(Concern, "owner"), 12),
                Column(_label(Concern, "due_date"), 12),
                Column(_label(Concern, "status"), 14),
                Column(_label(Concern, "solvability"), 16),
                Column(_label(Concern, "resolution"), 48, wrap=True),
                Column(_("Due date estimated"), 12),
            ],
            progress.counted(concern_rows()),
        ),
        (
            _("Follow-up actions"),
            [
                Column(reference, 16),
                Column(_label(FollowUpAction, "description"), 48, wrap=True),
                Column(_label(FollowUpAction, "owner"), 12),
                Column(_label(FollowUpAction, "due_date"), 12),
                Column(_label(FollowUpAction, "done_at"), 12),
                Column(_label(FollowUpAction, "outcome"), 48, wrap=True),
            ],
            action_rows(),
        ),
        (
            _("Callbacks"),
            [
                Column(reference, 16),
                Column(_label(Feedback, "date"), 12),
                Column(_label(Feedback, "channel"), 16),
                Column(_label(Feedback, "satisfaction"), 14),
                Column(_label(Feedback, "comment"), 60, wrap=True),
            ],
            callback_rows(),
        ),
    ]
    for name, columns, rows in sheets:
        sheet_write(workbook, name, title, columns, rows, formats=formats)
    progress.finish()
