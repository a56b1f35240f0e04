"""The corpus-version table, and every derived-state trigger, owned by a migration.

Databases migrated before this already have the table (factcheck/cache.py
used to create it at runtime): hence IF NOT EXISTS, and ensure_all() creates
only what is missing.
"""

from django.db import migrations


def create_derived_state(apps, schema_editor):
    from factcheck import cache, derived

    schema_editor.execute(cache.CREATE_TABLE_SQL)
    derived.ensure_all(schema_editor.connection.alias, signals=False)


def drop_corpus_version(apps, schema_editor):
    from factcheck import cache

    cache.drop_corpus_triggers(schema_editor.connection.alias)
    schema_editor.execute(f"DROP TABLE IF EXISTS {cache.TABLE}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {cache.PG_FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0007_synonym_groups")]

    operations = [migrations.RunPython(create_derived_state, drop_corpus_version)]
