"""The printed ledger says what it is on every page: Chromium prints the ledger page to PDF (its own
print pipeline, with the page's print stylesheet), and the text of every page, read back with pypdf,
carries the ledger's title (台账), the unit, the period, who printed it and "page n of m"; no page ends
with a heading whose rows went on to the next page.

How (decided for issue 20 item 5): the words are in the @page margin boxes of app.css, which Chromium
prints (checked on Chromium 156: @top-left … @bottom-right, counter(page) and counter(pages)), so the
browser's own print and this PDF are the same thing and no PDF route is needed. The per-request words
are custom properties in a <style> carrying the request's CSP nonce (exports/printable.py).
"""

import datetime
import io
import re
import unicodedata

import pypdf
import pytest
from django.utils import translation

from fieldwork.models import Concern
from fieldwork.periods import Period
from tests.e2e.conftest import DESKTOP, sign_in
from tests.factories import ConcernFactory, FeedbackFactory, FollowUpActionFactory, VisitFactory
from tests.ledger.helpers import ledger_url, moment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 8, 3, hour=9)]

WORDS = {
    "zh-hans": {
        "title": "Team A台账",
        "period": "{label}，2026年7月1日至2026年7月31日",
        "printed": "打印人：李芳，2026年8月3日",
        "page": "第{n}页，共{m}页",
    },
    "en": {
        "title": "Ledger (台账) of Team A",
        "period": "{label}, 1 Jul 2026 to 31 Jul 2026",
        "printed": "Printed by 李芳 on 3 Aug 2026",
        "page": "Page {n} of {m}",
    },
}


@pytest.fixture
def long_ledger(team_a, cadre_a):
    """Enough visits and concerns of varied length for many pages, headings falling anywhere."""
    for day in range(1, 31):
        VisitFactory(
            unit=team_a,
            author=cadre_a,
            date=datetime.date(2026, 7, day),
            location=f"Place {day}",
            summary="Heard about the canteen and the night shift. " * (1 + day % 5),
        )
    for number in range(24):
        concern = ConcernFactory(
            unit=team_a,
            title=f"Matter {number:02d}",
            raised_at=moment(1 + number),
            owner=cadre_a,
            resolution="Fixed after two visits. " * (number % 3),
            status=Concern.Status.CLOSED if number % 3 else Concern.Status.OPEN,
            due_date=datetime.date(2026, 8, 20),
        )
        for step in range(number % 4):
            FollowUpActionFactory(
                concern=concern, owner=cadre_a, description=f"Step {step}: call the team. " * 3, outcome="Done"
            )
        if number % 2:
            FeedbackFactory(concern=concern, date=datetime.date(2026, 7, 28), comment="Better now. " * 4)


def readable(text: str) -> str:
    """PDF text as people read it: NFKC maps the Kangxi radicals Chromium's PDF names some glyphs by
    (⼈ for 人) back to the ideograph; line ends become single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pattern(expected: str) -> str:
    """A regex for `expected` in readable() PDF text. NFKC on both sides (it also turns "，" into ",").
    A few glyphs come back as CJK *radical supplement* code points (⻚ U+2EDA for 页: the font maps
    both to one glyph), which NFKC leaves alone: each Chinese character may also be read as one such
    code point. The PDF's text puts spaces between some characters, so any run of them is allowed;
    every other character must match exactly."""
    parts = []
    for char in unicodedata.normalize("NFKC", expected):
        if "\u4e00" <= char <= "\u9fff":
            parts.append(f"[{char}\u2e80-\u2eff]")
        elif not char.isspace():
            parts.append(re.escape(char))
    return r"\s*".join(parts)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.usefixtures("long_ledger")
def test_every_printed_page_says_what_it_is_and_no_page_ends_with_a_heading(
    page, live_server, leader_branch, team_a, language, console_errors
):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "leader_branch")
    page.goto(live_server.url + ledger_url(team_a))
    assert console_errors == []  # the margins' <style> is allowed by the CSP (its nonce)
    headings = [
        readable(text) for text in page.locator(".ledger h1, .ledger h2, .ledger h3, .ledger caption").all_inner_texts()
    ]
    assert len(headings) > 30

    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [readable(sheet.extract_text()) for sheet in pdf.pages]
    assert len(pages) >= 4, "the ledger should take several pages"
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert width > height  # A4 landscape

    words = dict(WORDS[language])
    with translation.override(language):
        words["period"] = words["period"].format(label=Period.month(2026, 7).label)  # the period's own name
    margins = [pattern(words[key]) for key in ("title", "period", "printed")]
    for number, text in enumerate(pages, start=1):
        page_words = pattern(words["page"].format(n=number, m=len(pages)))
        for expected in [*margins, page_words]:
            assert re.search(expected, text), f"page {number} of {len(pages)} lacks {expected!r}: {text[:300]!r}"
        body = text
        for expected in [*margins, page_words]:
            body = re.sub(expected, " ", body)
        body = body.strip()
        for heading in headings:
            assert not re.search(pattern(heading) + r"$", body), f"page {number} ends with the heading {heading!r}"

    # The first page prints the ledger's own header (the print stylesheet hides only the site's header).
    assert re.search(pattern(readable(page.locator(".ledger h1").inner_text())), pages[0])
