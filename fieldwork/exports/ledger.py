"""The monthly ledger (台账) of a unit's subtree as a workbook: summary, visits, concerns, actions
and callbacks, one sheet each.

A ledger is a record that is filed and printed: it holds every row of the period, never a page of
them, and never the contacts of the people who raised concerns. The figures are the dashboard's
own (dashboard.dashboard_figures), not counted again here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import dashboard, selectors
from ..dashboard import Period, Rate
from ..display import display_name
from ..models import Concern, Feedback, FollowUpAction, Unit, Visit
from ..rollups import local_date
from ..spreadsheets import Column, Formats, sheet_write, title_line
from . import Progress

CHUNK = 2000
OWNER = ("owner__first_name", "owner__last_name", "owner__username")
# Only the columns the workbook shows: models built from a few fields are built several times faster.
VISIT_FIELDS = ("date", "unit__name", "form", "location", "people_reached", "summary")
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
ACTION_FIELDS = ("concern__reference", "description", "due_date", "done_at", "outcome", *OWNER)
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
    if concern.anonymous:
        return _("Anonymous")
    return concern.raised_by_name


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


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return local_date(moment) if moment else None


def _summary_rows(lines: list[SummaryLine]) -> Iterator[list]:
    for line in lines:
        value = line.value
        if isinstance(value, Rate):
            shown = str(dashboard.TOO_FEW) if value.value is None else value.value  # a share, shown as a percentage
            yield [line.label, shown, value.numerator, value.denominator]
        else:
            yield [line.label, "" if value is None else value, None, None]


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
    forms = dict(Visit.Form.choices)
    statuses = dict(Concern.Status.choices)
    solvabilities = dict(Concern.Solvability.choices)
    estimated = _("estimated")
    channels = dict(Feedback.Channel.choices)
    satisfactions = dict(Feedback.Satisfaction.choices)
    reference = _label(Concern, "reference")
    # Read once for the three sheets of concerns, actions and callbacks, then a chunk of ids at a time.
    ids = selectors.ledger_concern_ids(unit=unit, first=period.first, last=period.last)
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]

    def visit_rows() -> Iterator[list]:
        visits = selectors.ledger_visits(unit=unit, first=period.first, last=period.last).only(*VISIT_FIELDS)
        for visit in visits.iterator(chunk_size=CHUNK):
            yield [
                visit.date,
                visit.unit.name,
                str(forms.get(visit.form, visit.form)),
                visit.location,
                visit.people_reached,
                "、".join(display_name(user) for user in visit.cadres.all()),
                "、".join(principle.name for principle in visit.principles.all()),
                visit.summary,
            ]

    def concern_rows() -> Iterator[list]:
        for concern in (
            row for chunk in chunks for row in selectors.ledger_concerns_of(ids=chunk).only(*CONCERN_FIELDS)
        ):
            yield [
                concern.reference,
                concern.unit.name,
                concern.category.name,
                concern.title,
                _day(concern.raised_at),
                raiser_name(concern),
                display_name(concern.owner),
                concern.due_date,
                str(statuses.get(concern.status, concern.status)),
                str(solvabilities.get(concern.solvability, "")),
                concern.resolution,
                estimated if concern.due_date_estimated() else "",
            ]

    def action_rows() -> Iterator[list]:
        for action in (row for chunk in chunks for row in selectors.ledger_actions(ids=chunk).only(*ACTION_FIELDS)):
            yield [
                action.concern.reference,
                action.description,
                display_name(action.owner),
                action.due_date,
                _day(action.done_at),
                action.outcome,
            ]

    def callback_rows() -> Iterator[list]:
        callbacks = (row for chunk in chunks for row in selectors.ledger_callbacks(ids=chunk).only(*CALLBACK_FIELDS))
        for feedback in callbacks:
            yield [
                feedback.concern.reference,
                feedback.date,
                str(channels.get(feedback.channel, feedback.channel)),
                str(satisfactions.get(feedback.satisfaction, feedback.satisfaction)),
                feedback.comment,
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
