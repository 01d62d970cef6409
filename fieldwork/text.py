"""Free text as people type it, cleaned in one place (forms.FreeTextField uses it on every free-text field).

Bidirectional control characters are removed wherever they are: they make a text display other than
it reads (an owner's name that shows reversed, a note that hides its end). Invisible characters —
zero-width spaces and joiners, the word joiner, the byte-order mark — and every kind of space
(ideographic U+3000 included) are trimmed from both ends, so that a text made only of them is empty
and refused where a text is required. Inside a text they stay: a joiner belongs to an emoji sequence.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff"

_NO_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def _blank(char: str) -> bool:
    return char.isspace() or char in ZERO_WIDTH


def text_clean(value: str) -> str:
    """`value` without bidirectional controls, and without spaces or invisible characters at its ends."""
    value = value.translate(_NO_BIDI)
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]


# --- search ------------------------------------------------------------------------------------------
# A search box finds the rows that hold what was typed as a substring of one of their fields, case
# folded: exactly a plain substring match, in Chinese as in Latin and digits. On PostgreSQL an index
# narrows the rows first. Chinese has no spaces between words and a query may be one character or two,
# which no word or trigram index serves: the index holds each field's single characters and character
# pairs (bigrams). A row holding the typed text also holds its tokens, so the rows whose stored tokens
# include every token of the query are a superset of the answer, found in the index; the plain
# substring match then keeps the right ones among them. SQLite has the substring match alone.

SEARCH_MAX_LENGTH = 100

# The tokens of a text in the database: the PostgreSQL twin of text_tokens (tests compare the two).
# Immutable, so that a stored generated column may call it; only built-in functions inside, so that a
# restore (pg_dump runs with an empty search_path) can compute the column. Whole strings go through
# the built-in splitters and regexp_replace (a text of n characters: n characters, the pairs starting
# at odd and at even places; a trailing single character is one of the characters again), not a row
# per character: loading a million concerns computes it a million times (0020 replaced the first
# version, a row per character and pair, with this one, which gives the same tokens ~3 times faster).
SEARCH_VECTOR_FUNCTION = r"""
CREATE OR REPLACE FUNCTION fieldwork_search_vector(VARIADIC fields text[]) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  tokens text[] := '{}';
  field text;
  t text;
BEGIN
  FOREACH field IN ARRAY COALESCE(fields, '{}') LOOP
    CONTINUE WHEN field IS NULL OR field = '';
    t := pg_catalog.lower(field);
    IF pg_catalog.strpos(t, E'\x01') > 0 THEN  -- the separator below is in the text: one at a time
      FOR i IN 1..pg_catalog.length(t) LOOP
        tokens := tokens || pg_catalog.substr(t, i, 1) || pg_catalog.substr(t, i, 2);
      END LOOP;
    ELSE  -- the characters, the pairs from the first character on, the pairs from the second on
      tokens := tokens || pg_catalog.string_to_array(t, NULL)
        || pg_catalog.string_to_array(pg_catalog.regexp_replace(t, '(..)', E'\\1\x01', 'g'), E'\x01')
        || pg_catalog.string_to_array(
          pg_catalog.regexp_replace(pg_catalog.substr(t, 2), '(..)', E'\\1\x01', 'g'), E'\x01');
    END IF;
  END LOOP;
  RETURN pg_catalog.array_to_tsvector(pg_catalog.array_remove(tokens, ''));
END
$fn$
"""


def text_tokens(value: str) -> set[str]:
    """The tokens of a text for search and comparison: each character and each pair of neighbouring
    characters, in lower case. "10kV 巡线" gives 1, 0, k, v, " ", 巡, 线, 10, 0k, kv, "v ", " 巡", 巡线.

    Spaces and punctuation are characters like any other: a query that holds them matches them.
    """
    text = value.lower()
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


def search_tokens(query: str) -> list[str]:
    """The tokens the index is asked for: every text holding `query` holds them. The character alone,
    or the first pair and the last (together they cover up to four characters; the substring match
    checks a longer query whole). Two at most, because PostgreSQL reckons a row's chance of holding
    several tokens as the product of each one's, where the pairs of a phrase come together: with every
    pair asked for, a common phrase looks rare and the list reads every match to sort them instead of
    walking the newest rows first.
    """
    if len(query) == 1:
        return [query]
    return sorted({query[:2], query[-2:]})


def search_query(query: str) -> str:
    """The PostgreSQL tsquery text that asks for the tokens of `query` ('巡线' & '路灯' for 巡线路灯), in
    the query's own case: the database folds it (lower) as it folds the stored tokens."""

    def quoted(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join(quoted(token) for token in search_tokens(query))


class SearchVectorMatch(Func):
    """PostgreSQL: the row's stored search tokens (a tsvector column that the model does not declare,
    kept by the database) hold every token of `query`; what the GIN index on that column answers."""

    output_field = BooleanField()

    def __init__(self, *, column: str, query: str):
        self.column = column
        super().__init__(F("pk"), Value(search_query(query)))

    def as_sql(self, compiler, connection, **extra_context):
        pk, query = self.source_expressions
        pk_sql, pk_params = compiler.compile(pk)  # "<alias>"."id": the column lives beside it
        query_sql, query_params = compiler.compile(query)
        table = pk_sql.rsplit(".", 1)[0]
        column = connection.ops.quote_name(self.column)
        return f"{table}.{column} @@ lower({query_sql})::tsquery", [*pk_params, *query_params]


def search_filter(
    queryset: QuerySet, *, query: str, fields: Iterable[str], vector: str | None = None, common: bool = False
) -> QuerySet:
    """The rows of `queryset` holding `query` (case folded) in one of `fields`: a plain substring match,
    narrowed first on PostgreSQL by the token index of the model's `vector` column when it has one.

    A query of one or two characters is a single token, which a field holds exactly when it holds
    the query: the index answers it alone. A longer one is two pairs that a row may hold apart; the
    substring match then decides, as STRPOS. `common` says that the caller knows many rows match (more
    than paging.SEARCH_COUNT_CAP): a longer query is then the substring match alone, so that a list
    walks its newest rows checking each and stops at a page, instead of reading every row the index
    offers to sort them. `query` is used as given (inputs.search_text strips and cuts it); an empty one
    keeps every row.
    """
    if not query:
        return queryset
    if not (vector and connections[queryset.db].vendor == "postgresql"):
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": query})
        return queryset.filter(match)
    tokens = SearchVectorMatch(column=vector, query=query)
    if len(query) <= 2:
        return queryset.filter(tokens)
    match = Q()
    for field in fields:
        match |= GreaterThan(StrIndex(Upper(field), Upper(Value(query))), 0)
    return queryset.filter(match) if common else queryset.filter(tokens, match)


# --- similarity ----------------------------------------------------------------------------------------
# Two concerns are alike when their texts share many character pairs: Chinese repeats of a concern reuse
# its words (夜班, 食堂, 方便面) in another order and with other words around them. The Dice coefficient over
# the pairs of title and description, spaces and punctuation left out, answers 0 (nothing shared) to 1.
# The threshold was chosen on labelled pairs (docs/similar_concerns.md, tests/similar_concerns).

SIMILAR_THRESHOLD = 0.2
_NOT_WORDS = set(" \t\r\n，。、；：？！“”‘’（）《》,.;:?!\"'()[]-—…·/")


def text_bigrams(value: str) -> set[str]:
    """The pairs of neighbouring characters of a text, lower case, spaces and punctuation removed
    (a text of one character is that character)."""
    text = "".join(char for char in value.lower() if char not in _NOT_WORDS)
    if len(text) == 1:
        return {text}
    return {text[i : i + 2] for i in range(len(text) - 1)}


def text_similarity(a: str, b: str) -> float:
    """How alike two texts are: the Dice coefficient of their character pairs, from 0 to 1."""
    first, second = text_bigrams(a), text_bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))
