"""A concern's timeline said in the reader's language: the events keep their dates as data and the
page writes them 2026年12月15日 in Chinese and 15 Dec 2026 in English, with the language's own
punctuation; no ISO date is shown. Older events, whose notes carry formatted dates, are read back by
the same rules (event_notes.read: the data migration and the page)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from fieldwork import event_notes
from fieldwork.models import ConcernEvent, Feedback
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from tests.typography.chinese import problems

pytestmark = pytest.mark.clock(2026, 11, 10)


@pytest.fixture
def busy_concern(concern, cadre_a, leader_branch):
    """Moved, extended, given an action, resolved and called back dissatisfied: every dated note."""
    concern_services.concern_set_due(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        due_date=datetime.date(2026, 12, 15),
        note="零件未到",
    )
    concern.refresh_from_db()
    request = extension_services.extension_request(
        concern=concern, by=cadre_a, requested_due_date=datetime.date(2027, 1, 12), reason="节后施工"
    )
    concern.refresh_from_db()
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=concern.version)
    concern.refresh_from_db()
    action_services.action_add(
        concern=concern, by=cadre_a, description="联系厂家", owner=cadre_a, due_date=datetime.date(2026, 11, 20)
    )
    concern.refresh_from_db()
    return concern


def timeline_notes(client, concern) -> list[str]:
    html = client.get(reverse("fieldwork:concern-detail", args=[concern.pk])).content.decode()
    return [re.sub(r"<[^>]+>", "", note).strip() for note in re.findall(r"data-event-note>(.*?)</div>", html, re.S)]


def test_the_timeline_says_dates_in_chinese_with_chinese_punctuation(client_for, leader_branch, busy_concern):
    client = client_for(leader_branch)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    notes = timeline_notes(client, busy_concern)
    assert "由2026年12月10日调整为2026年12月15日：零件未到" in notes or any(
        note.endswith("调整为2026年12月15日：零件未到") for note in notes
    )
    assert "由2026年12月15日调整为2027年1月12日：节后施工" in notes
    assert "联系厂家（王伟，2026年11月20日前完成）" in notes
    for note in notes:
        assert problems(note) == [], note


def test_the_timeline_says_dates_in_english_day_first(client_for, leader_branch, busy_concern):
    notes = timeline_notes(client_for(leader_branch), busy_concern)
    assert "From 15 Dec 2026 to 12 Jan 2027: 节后施工" in notes
    assert "联系厂家 (王伟, by 20 Nov 2026)" in notes
    assert not [note for note in notes if re.search(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", note)]


def test_older_notes_are_read_back_and_said_the_same_way(client_for, leader_branch, concern):
    """Events written before ConcernEvent.data (the demo generator still writes this form)."""
    old = [
        (ConcernEvent.Kind.DUE_CHANGED, "2026-11-30 → 2026-12-15: 零件未到"),
        (ConcernEvent.Kind.EXTENSION_REFUSED, "2027-01-12: 必须年内完成"),
        (ConcernEvent.Kind.ACTION_ADDED, "联系厂家 (王伟, 2026-11-20)"),
        (ConcernEvent.Kind.REOPENED, "新办理期限：2026-12-25"),
        (ConcernEvent.Kind.REOPENED, "New due date: 2026-12-25"),
    ]
    for kind, note in old:
        ConcernEvent.objects.create(concern=concern, kind=kind, note=note)
    assert event_notes.read("due_changed", "2026-11-30 → 2026-12-15: 零件未到") == (
        {"old_due": "2026-11-30", "new_due": "2026-12-15"},
        "零件未到",
    )
    assert event_notes.read("due_changed", "written by hand") is None
    client = client_for(leader_branch)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    notes = timeline_notes(client, concern)
    for expected in (
        "由2026年11月30日调整为2026年12月15日：零件未到",
        "申请延至2027年1月12日：必须年内完成",
        "联系厂家（王伟，2026年11月20日前完成）",
        "新办理期限：2026年12月25日",
    ):
        assert expected in notes
    assert notes.count("新办理期限：2026年12月25日") == 2


def test_a_callback_note_has_the_language_s_punctuation(client_for, leader_branch, cadre_a2, concern):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert callback_services.callback_note(Feedback.Satisfaction.DISSATISFIED, "路灯还没修") == "不满意：路灯还没修"
    assert (
        callback_services.callback_note(Feedback.Satisfaction.DISSATISFIED, "Still dark") == "Dissatisfied: Still dark"
    )
