"""Per-tag cache versions (factcheck_cache_tag) in place of the one corpus version.

Drops the corpus-version table, its triggers (fccv_*) and their function, then
creates the tag table and every derived-state trigger that is missing (the
cache tags' own among them: factcheck/cache_tags.py).
"""

from django.db import migrations

OLD_TABLE = "factcheck_corpus_version"
OLD_PREFIX = "fccv_"
OLD_FUNCTION = "factcheck_corpus_version_bump"


def _drop_old_triggers(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [OLD_PREFIX + "%"])
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                [OLD_PREFIX + "%"],
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {connection.ops.quote_name(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {OLD_FUNCTION}()")


def create_cache_tags(apps, schema_editor):
    from factcheck import cache_tags, derived

    _drop_old_triggers(schema_editor)
    schema_editor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    schema_editor.execute(cache_tags.CREATE_TABLE_SQL)
    derived.ensure_all(schema_editor.connection.alias, signals=False)


def drop_cache_tags(apps, schema_editor):
    from factcheck import cache_tags

    cache_tags.drop_triggers(schema_editor.connection.alias)
    schema_editor.execute(f"DROP TABLE IF EXISTS {cache_tags.TABLE}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {cache_tags.PG_FUNCTION}()")
    # The old table comes back empty: post_migrate no longer fills it, and nothing reads it.
    schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {OLD_TABLE} (id integer PRIMARY KEY, value bigint NOT NULL)")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0012_desk")]

    operations = [migrations.RunPython(create_cache_tags, drop_cache_tags)]
