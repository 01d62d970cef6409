"""The token index behind the search (PostgreSQL): the database keeps each concern's tokens as
text.text_tokens makes them, and the search reads them through the GIN index."""

import pytest
from django.db import connection

from fieldwork import text
from fieldwork.models import Concern
from fieldwork.text import search_filter
from tests.search.conftest import on_postgresql


def test_tokens_are_the_characters_and_their_pairs():
    assert text.text_tokens("10kV 巡线") == {"1", "0", "k", "v", " ", "巡", "线", "10", "0k", "kv", "v ", " 巡", "巡线"}
    assert text.text_tokens("") == set()
    assert text.search_tokens("线") == ["线"]
    assert text.search_tokens("巡线") == ["巡线"]
    assert text.search_tokens("巡线照明不足") == ["不足", "巡线"]
    assert text.search_tokens("巡线巡线") == ["巡线"]


def test_a_query_quotes_what_the_query_language_would_read():
    assert text.search_query("it's") == "'''s' & 'it'"
    assert text.search_query("a\\") == "'a\\\\'"


@on_postgresql
def test_the_database_keeps_the_tokens_text_tokens_makes(worded):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reference, title, description, array(SELECT lexeme FROM unnest(search_vector)) "
            "FROM fieldwork_concern"
        )
        rows = cursor.fetchall()
    assert len(rows) == len(worded)
    for reference, title, description, stored in rows:
        assert set(stored) == text.text_tokens(reference) | text.text_tokens(title) | text.text_tokens(description)


@on_postgresql
def test_an_edited_title_is_searched_by_its_new_words(worded):
    concern = worded["line"]
    Concern.objects.filter(pk=concern.pk).update(title="变压器渗油")
    found = search_filter(Concern.objects.all(), query="渗油", fields=("title",), vector="search_vector")
    assert list(found) == [concern]


@on_postgresql
@pytest.mark.parametrize("query", ["巡", "巡线", "巡线照明"])
def test_the_search_reads_the_index(worded, query):
    searched = search_filter(
        Concern.objects.all(), query=query, fields=("reference", "title", "description"), vector="search_vector"
    )
    sql, params = searched.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # a handful of rows: without these the planner reads the table whole, as it should
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "concern_search" in plan
