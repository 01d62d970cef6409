"""seed_demo drops the loaded tables' foreign keys and indexes (primary keys included) for its COPY
and makes them again: afterwards the schema is the very one the migrations made.

An index is made again from PostgreSQL's own text of it (pg_get_indexdef), which spells a partial
index's `status IN (...)` over a varchar column with its casts elsewhere (each value cast to text,
instead of the array): the same condition, so the casts and brackets are left out of the comparison.
"""

import re

import pytest
from django.db import IntegrityError, connection, transaction

from ..demo.conftest import TODAY_ARG, run_seed

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only the PostgreSQL load drops and remakes indexes"
)


def _spelling(definition: str) -> str:
    return re.sub(r"::(character varying|text)(\[\])?|[()\s]", "", definition)


def _schema() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisprimary, i.indisunique FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema()"
        )
        indexes = {(table, _spelling(definition), primary, unique) for table, definition, primary, unique in cursor}
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), convalidated, "
            "condeferrable, condeferred FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        )
        return indexes | set(cursor.fetchall())


def test_every_index_and_constraint_is_back(db):
    before = _schema()
    assert any(row[2] is True and row[0] == "fieldwork_concernevent" for row in before if len(row) == 4)
    run_seed("--visits", "150", "--units", "40", "--today", TODAY_ARG)
    assert _schema() == before


def test_the_loaded_keys_hold(db):
    run_seed("--visits", "150", "--units", "40", "--today", TODAY_ARG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT id) FROM fieldwork_concernevent")
        rows, ids = cursor.fetchone()
        assert rows == ids > 1000
        # a duplicate id is refused by the primary key made again after the load
        cursor.execute("SELECT min(id) FROM fieldwork_concernevent")
        first = cursor.fetchone()[0]
        with pytest.raises(IntegrityError, match="duplicate key"), transaction.atomic():
            cursor.execute(
                "INSERT INTO fieldwork_concernevent (id, concern_id, kind, actor_id, from_status, to_status, note, "
                "public, created_at, data) SELECT id, concern_id, kind, actor_id, from_status, to_status, note, "
                "public, created_at, data FROM fieldwork_concernevent WHERE id = %s",
                [first],
            )
