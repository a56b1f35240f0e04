"""SQLite: the covering indexes a filtered search reads a match's claim, status and topic from
(factcheck/search/sqlite.py names them with INDEXED BY; factcheck/search_index.py keeps them).

A search narrowed by status or topic walks up to thousands of full-text
matches and looks up each one's claim; read from the tables, whose rows hold
the texts, that touched ten times the pages. PostgreSQL plans its filters
otherwise and gets none.
"""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from factcheck import search_index

    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            search_index.ensure_filter_indexes(cursor, {table for table, _ in search_index.SQLITE_FILTER_INDEXES.values()})


def drop_indexes(apps, schema_editor):
    from factcheck import search_index

    if schema_editor.connection.vendor == "sqlite":
        for name in search_index.SQLITE_FILTER_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0024_search_status")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
