"""The whole Chinese catalogue reads as a Chinese unit writes (tests/typography/chinese.py): full-width
punctuation inside Chinese text, no English full stop, no ISO date, no arrows or ASCII separators."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.typography.chinese import problems

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def translations():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        yield from ((entry.msgid, text) for text in texts)


def test_the_catalogue_is_whole():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 1000
    assert catalogue.untranslated_entries() == [] and catalogue.fuzzy_entries() == []


def test_every_chinese_text_has_chinese_punctuation_and_no_stray_symbols():
    found = [f"{msgid!r}: {text!r}: {', '.join(problems(text))}" for msgid, text in translations() if problems(text)]
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不满意: 路灯还没修", ["half-width punctuation ':'"]),
        ("(待处理 → 办理中)", ["half-width punctuation '('", "half-width punctuation ')'", "symbol as separator '→'"]),
        ("登记人 王卫国, 2026年12月1日", ["half-width punctuation ','"]),
        ("办理期限2026-12-15", ["ISO date '2026-12-15'"]),
        ("已办结. 请回访", ["English full stop '.'"]),
        ("走访/诉求", ["symbol as separator '/'"]),
        ("办结率（%(done)s / %(all)s）", []),  # placeholders are not Chinese text
        ("请使用以https://开头的地址。", []),
        ("%(name)s台账（%(label)s）", []),
        ("Sub A (%(count)s)", []),  # no Chinese next to it
    ],
)
def test_the_check_finds_what_the_issue_found(text, expected):
    assert problems(text) == expected


def test_the_words_the_issue_named_are_written_as_a_chinese_unit_writes():
    strings = dict(translations())
    assert strings["Due in the next 7 days"] == "未来7天内到期"
    assert strings["Nothing due this week."] == "未来7天内没有到期事项。"  # the same seven days as the heading
    assert "为提出人" not in strings["Keep the person anonymous"]
