"""The concern search's token function in PostgreSQL (text.SEARCH_VECTOR_FUNCTION, migration 0023)
gives the very tokens of its first version (0018) and of text.text_tokens: a quicker function must
not change what a search finds. PostgreSQL only: SQLite has no token column."""

import importlib
import random

import pytest
from django.db import connection

from fieldwork import text
from tests.demo.conftest import TODAY, run_seed

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the token column is PostgreSQL's")

FIRST_VERSION = importlib.import_module("fieldwork.migrations.0023_search_vector_quicker").FIRST_VERSION

EDGES = [
    "",
    "a",
    "ab",
    "abc",
    "10kV 巡线",
    "FW-2026-000334",
    "两行\n之间\r\n有回车",
    "  前后空格  ",
    "tab\there",
    "x\x01yz",  # the quick path's separator in the text: the slow path, same tokens
    "\x01",
    "ÄÖÜ Straße İstanbul",
    "emoji 👍🏽 and 𠀀 beyond the basic plane",
    "重复重复重复",
    "a\\1b",
    "'quotes' \"and\" %percent%",
]


def _tokens(sql_function: str, values: list[str | None]) -> list[set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql_function.replace("fieldwork_search_vector(", "pg_temp.search_vector_probe(", 1))
        found = []
        for value in values:
            cursor.execute(
                "SELECT array(SELECT lexeme FROM unnest(pg_temp.search_vector_probe(%s, %s, %s)))",
                [value, value[::-1] if value else value, None],
            )
            found.append(set(cursor.fetchone()[0]))
        return found


def test_the_quick_function_gives_the_first_versions_tokens(db):
    run_seed("--visits", "60", "--units", "20", "--today", TODAY.isoformat())
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, description FROM fieldwork_concern ORDER BY id LIMIT 200")
        demo = [value for row in cursor.fetchall() for value in row]
    rng = random.Random(5)
    alphabet = "巡线变电站aBc 10\n\t，。-\x01"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(200)]
    values = EDGES + demo + made
    quick = _tokens(text.SEARCH_VECTOR_FUNCTION, values)
    first = _tokens(FIRST_VERSION, values)
    for value, q, f in zip(values, quick, first, strict=True):
        assert q == f, value
        if len(value.lower()) == len(value):  # Python folds İ to two characters, PostgreSQL to one
            assert q == text.text_tokens(value) | text.text_tokens(value[::-1]), value


def test_the_stored_column_uses_the_quick_function(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
            "WHERE p.proname = 'fieldwork_search_vector'"
        )
        assert cursor.fetchone()[0] == "plpgsql"
        cursor.execute("SELECT fieldwork_search_vector('巡线', NULL, '')::text")
        assert cursor.fetchone()[0] == "'巡' '巡线' '线'"
