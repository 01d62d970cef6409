"""The docs state each figure's definition in the words of the page; the response limit has one home."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from fieldwork import dashboard, rollups
from fieldwork.models import Feedback

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


def test_docs_state_the_definitions_in_the_words_of_the_page():
    """docs/dashboard.md and the page (dashboard.DEFINITIONS) say the same, word for word."""
    docs = (Path(settings.BASE_DIR) / "docs" / "dashboard.md").read_text(encoding="utf-8")
    for key, text in dashboard.DEFINITIONS.items():
        assert f"| {dashboard.FIGURE_NAMES[key]} | {text} |" in docs
    assert str(dashboard.PREAMBLE) in " ".join(docs.split())
    assert str(dashboard.TOO_FEW_RULE) in docs


def test_the_response_limit_is_reckoned_in_one_place(settings, db):
    settings.FIELDWORK = {**settings.FIELDWORK, "RESPONSE_LIMIT_DAYS": 2}
    assert rollups.response_deadline(datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 4)
    assert rollups.response_window_start(datetime.date(2026, 3, 4)) == datetime.date(2026, 3, 2)
    assert dashboard.response_deadline is rollups.response_deadline
    assert Feedback.Satisfaction.BASICALLY in rollups.SATISFIED
