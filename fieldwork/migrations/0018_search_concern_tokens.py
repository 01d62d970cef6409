"""The concern list's search index (PostgreSQL only): each concern's single characters and character
pairs of its reference, title and description, in a stored generated column that the database keeps
(every writer, COPY and bulk paths included, fills it without knowing it), under a GIN index that
also holds the unit (btree_gin, a trusted extension of PostgreSQL's own): a branch's search reads, for
each of its units, only that unit's rows holding the tokens, not every row of the company holding them.

The column is not a model field: no query of the ORM reads it but the search (text.SearchVectorMatch),
so lists and details do not carry it. SQLite has no such column: its search is a plain substring match.
"""

from django.db import migrations

from fieldwork.text import SEARCH_VECTOR_FUNCTION

COLUMN_SQL = (
    "ALTER TABLE fieldwork_concern ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (fieldwork_search_vector(reference, title, description)) STORED"
)
# the concern list's search box (filters.ConcernFilter.search), at any scope
INDEX_SQL = "CREATE INDEX concern_search ON fieldwork_concern USING gin (unit_id, search_vector)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(SEARCH_VECTOR_FUNCTION)
    schema_editor.execute(COLUMN_SQL)
    schema_editor.execute(INDEX_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE fieldwork_concern DROP COLUMN search_vector")
    schema_editor.execute("DROP FUNCTION fieldwork_search_vector(VARIADIC text[])")


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0017_picker_person_keys")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
