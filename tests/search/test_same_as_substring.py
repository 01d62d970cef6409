"""The search finds exactly what a plain substring match finds: every substring of one to four
characters of 200 demo concerns' references, titles and descriptions (Chinese, digits, Latin), in
the case typed and in the other case, against Python's `in` over every concern of the database."""

import io

from django.core.management import call_command

from fieldwork.filters import CONCERN_SEARCH_FIELDS
from fieldwork.models import Concern
from fieldwork.text import search_filter

SIZES = range(1, 5)


def _substrings(value: str) -> set[str]:
    return {value[i : i + n] for n in SIZES for i in range(len(value) - n + 1)}


def test_every_short_substring_finds_what_python_finds(db):
    demo = ("--visits", "300", "--units", "60", "--today", "2026-11-28")
    call_command("seed_demo", "--quiet", *demo, stdout=io.StringIO())
    rows = list(Concern.objects.order_by("pk").values_list("pk", *CONCERN_SEARCH_FIELDS))
    assert len(rows) >= 200
    queries = set()
    for _pk, *fields in rows[:200]:
        for field in fields:
            queries |= _substrings(field)
    queries |= {query.swapcase() for query in queries if query.swapcase() != query}
    queries = {query for query in queries if query.strip() == query and query}  # the box strips what is typed
    assert any(query.isdigit() for query in queries) and any(query.isascii() and query.isalpha() for query in queries)
    every = Concern.objects.all()
    differences = []
    for query in sorted(queries):
        expected = {pk for pk, *fields in rows if any(query.lower() in field.lower() for field in fields)}
        found = set(
            search_filter(every, query=query, fields=CONCERN_SEARCH_FIELDS, vector="search_vector").values_list(
                "pk", flat=True
            )
        )
        if found != expected:
            differences.append(query)
    assert differences == []
