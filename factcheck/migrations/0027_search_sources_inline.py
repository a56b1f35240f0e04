"""PostgreSQL: the sources' search vectors kept in their index rows, not out of line.

A source's vector (2–10 KB: every word's positions, barely compressible) was
moved to the TOAST table, so a search walking the sources read each one from
there twice, to test it and to rank it. With ``toast_tuple_target`` at a
page's room, a row up to that size stays whole (a larger one is still moved
out). The existing rows are written again to take the new layout: ``vec ||
''`` is the same vector (concatenating an empty one changes nothing), but a
new value, which the update stores afresh where the unchanged one would keep
its TOAST pointer. Search reads the same vectors: same matches, same ranks.
SQLite gets nothing.
"""

from django.db import migrations

TABLE = "factcheck_fts_sources"


def _exists(cursor):
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
    return cursor.fetchone()[0]


def inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not _exists(cursor):
            return  # created later with the setting (search_index.INLINE_KINDS)
        cursor.execute(
            "DO $$ BEGIN EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = %s)',"
            f" '{TABLE}', current_setting('block_size')::int - 32); END $$"
        )
        cursor.execute(f"UPDATE {TABLE} SET vec = vec || ''::tsvector")


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _exists(cursor):
            # Rows already whole stay so until rewritten: the same vectors either way.
            cursor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0026_search_tsquery_any")]

    operations = [migrations.RunPython(inline, out_of_line)]
