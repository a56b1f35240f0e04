"""The corpus-version table, and every derived-state trigger, owned by a migration.

Databases migrated before this already have the table (factcheck/cache.py
used to create it at runtime): hence IF NOT EXISTS, and ensure_all() creates
only what is missing.
"""

from django.db import migrations


# Frozen here: migration 0010 replaced this table by factcheck_cache_tag, and
# dropped it and its triggers (fccv_*) along with factcheck/cache.py's code for them.
CORPUS_VERSION = "factcheck_corpus_version"


def create_derived_state(apps, schema_editor):
    from factcheck import derived

    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {CORPUS_VERSION} (id integer PRIMARY KEY, value bigint NOT NULL)"
    )
    derived.ensure_all(schema_editor.connection.alias, signals=False)


def drop_corpus_version(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {CORPUS_VERSION}")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0007_synonym_groups")]

    operations = [migrations.RunPython(create_derived_state, drop_corpus_version)]
