"""SQLite: the covering indexes a filtered search reads a match's claim, status and topic from
(factcheck/search/sqlite.py names them with INDEXED BY).

A search narrowed by status or topic walks up to thousands of full-text
matches and looks up each one's claim; read from the tables, whose rows hold
the texts, that touched ten times the pages. PostgreSQL plans its filters
otherwise and gets none.
"""

from django.db import migrations

INDEXES = {
    "claim_filter_idx": "factcheck_claim (id, status, topic_id)",
    "assertion_claim_of_idx": "factcheck_assertion (id, claim_id)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0022_totals")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
