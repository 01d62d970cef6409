"""How the ledger workbook reads its rows: the concern ids once, shared by its concern, action and
callback sheets, a chunk of ids at a time; each concern once, in the page's order; queries flat."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from fieldwork.exports import ledger
from fieldwork.exports.ledger import ledger_concerns_shown, ledger_workbook
from fieldwork.models import Concern
from fieldwork.periods import Period
from fieldwork.spreadsheets import workbook_write
from tests.factories import ConcernFactory, FeedbackFactory, FollowUpActionFactory, VisitFactory
from tests.ledger.helpers import moment

JULY = Period.month(2026, 7)


def sheets_of(*, unit, user) -> dict[str, list[tuple]]:
    output = io.BytesIO()
    workbook_write(
        output,
        lambda workbook, formats: ledger_workbook(
            workbook, formats, unit=unit, period=JULY, user=user, today=datetime.date(2026, 12, 1)
        ),
    )
    book = load_workbook(io.BytesIO(output.getvalue()))
    return {sheet.title: list(sheet.iter_rows(min_row=3, values_only=True)) for sheet in book.worksheets}


def month_of_concerns(*, unit, cadre, count: int) -> None:
    """`count` concerns of each kind a ledger files, each with two actions and a callback, and a visit
    with its cadre for each."""
    for n in range(count):
        VisitFactory(unit=unit, author=cadre, date=datetime.date(2026, 7, 1 + n % 28)).cadres.add(cadre)
        kinds = [
            {"raised_at": moment(1 + n % 28)},  # raised in July
            {"raised_at": moment(1 + n % 28, month=5)},  # carried over, still open
            {  # carried over, resolved after July
                "raised_at": moment(1 + n % 28, month=6),
                "status": Concern.Status.RESOLVED,
                "resolution": "Fixed",
                "resolved_at": moment(3, month=8),
            },
        ]
        for kind in kinds:
            concern = ConcernFactory(unit=unit, owner=cadre, title=f"Concern {n} {kind['raised_at']:%m}", **kind)
            FollowUpActionFactory(concern=concern, owner=cadre, due_date=datetime.date(2026, 9, 2), description="later")
            FollowUpActionFactory(concern=concern, owner=cadre, due_date=datetime.date(2026, 9, 1), description="first")
            FeedbackFactory(concern=concern, date=datetime.date(2026, 7, 25), comment=f"Callback {n}")


@pytest.mark.django_db
def test_a_concern_carried_over_is_filed_once_with_its_actions_and_callbacks(team_a, cadre_a, leader_branch):
    month_of_concerns(unit=team_a, cadre=cadre_a, count=1)
    ConcernFactory(unit=team_a, title="Closed in May", raised_at=moment(6, month=5), status=Concern.Status.CLOSED,
                   resolution="Done", resolved_at=moment(20, month=5))  # fmt: skip
    sheets = sheets_of(unit=team_a, user=leader_branch)
    references = [row[0] for row in sheets["Concerns"]]
    assert [row[3] for row in sheets["Concerns"]] == ["Concern 0 05", "Concern 0 06", "Concern 0 07"]
    assert len(set(references)) == 3
    actions = [(row[0], row[1]) for row in sheets["Follow-up actions"]]
    assert actions == [(reference, text) for reference in references for text in ("first", "later")]
    assert [row[0] for row in sheets["Callbacks"]] == references


@pytest.mark.django_db
def test_the_sheets_rows_are_the_pages_rows_across_chunks(team_a, cadre_a, leader_branch, monkeypatch):
    month_of_concerns(unit=team_a, cadre=cadre_a, count=4)
    whole = sheets_of(unit=team_a, user=leader_branch)
    monkeypatch.setattr(ledger, "CHUNK", 5)  # 12 concerns in chunks of 5: three chunks of ids
    chunked = sheets_of(unit=team_a, user=leader_branch)
    assert chunked == whole
    shown = list(ledger_concerns_shown(unit=team_a, period=JULY))
    assert [row[0] for row in chunked["Concerns"]] == [concern.reference for concern in shown]
    assert [(row[0], row[1]) for row in chunked["Follow-up actions"]] == [
        (concern.reference, action.description) for concern in shown for action in concern.actions.all()
    ]
    assert [(row[0], row[4]) for row in chunked["Callbacks"]] == [
        (concern.reference, callback.comment) for concern in shown for callback in concern.feedback.all()
    ]


def queries_of(*, unit, user) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        sheets_of(unit=unit, user=user)
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_queries_stay_flat_and_the_ledgers_condition_is_read_once(team_a, team_b, cadre_a, leader_branch):
    month_of_concerns(unit=team_a, cadre=cadre_a, count=1)
    month_of_concerns(unit=team_b, cadre=cadre_a, count=12)
    sheets_of(unit=team_a, user=leader_branch)  # the categories and principles, cached after a first read
    small, large = queries_of(unit=team_a, user=leader_branch), queries_of(unit=team_b, user=leader_branch)
    assert len(small) == len(large)
    # The OR of "raised in the period, or carried over" (the resolved_at test is its second half)
    # scans the concern table: once, not once per sheet of concerns, actions and callbacks.
    assert sum(sql.count('"resolved_at" >=') for sql in large) == 1
