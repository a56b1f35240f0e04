"""PostgreSQL: the sources' search vectors kept in their index rows; the notes' vectors better sampled.

* A source's vector (2–10 KB: every word's positions, barely compressible)
  was moved to the TOAST table, so a search walking the sources read each one
  from there twice, to test it and to rank it. With ``toast_tuple_target`` at
  a page's room, a row up to that size stays whole (a larger one is still
  moved out). The existing rows are written again to take the new layout:
  ``vec || ''`` is the same vector (concatenating an empty one changes
  nothing), but a new value, which the update stores afresh where the
  unchanged one would keep its TOAST pointer. Same matches, same ranks.
* The notes' vectors get a larger statistics sample
  (``search_index.VECTOR_STATISTICS``): with fewer than 100 frequent lexemes
  known, PostgreSQL guesses that any prefix matches 2 % of the rows, and
  walked every note for a rare name. Plans only: the same rows are found.

SQLite gets nothing. A table created later gets both from search_index.
"""

from django.db import migrations

SOURCES = "factcheck_fts_sources"
NOTES = "factcheck_fts_notes"
NOTES_STATISTICS = 400


def _exists(cursor, table):
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    return cursor.fetchone()[0]


def inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _exists(cursor, SOURCES):
            cursor.execute(
                "DO $$ BEGIN EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = %s)',"
                f" '{SOURCES}', current_setting('block_size')::int - 32); END $$"
            )
            cursor.execute(f"UPDATE {SOURCES} SET vec = vec || ''::tsvector")
        if _exists(cursor, NOTES):
            cursor.execute(f"ALTER TABLE {NOTES} ALTER COLUMN vec SET STATISTICS {NOTES_STATISTICS}")
            cursor.execute(f"ANALYZE {NOTES}")


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _exists(cursor, SOURCES):
            # Rows already whole stay so until rewritten: the same vectors either way.
            cursor.execute(f"ALTER TABLE {SOURCES} RESET (toast_tuple_target)")
        if _exists(cursor, NOTES):
            cursor.execute(f"ALTER TABLE {NOTES} ALTER COLUMN vec SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0026_search_tsquery_any")]

    operations = [migrations.RunPython(inline, out_of_line)]
