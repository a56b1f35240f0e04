"""PostgreSQL search: sources' vectors in their rows, quotes' sources, notes' statistics, a faster tsquery_any.

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

* ``factcheck_tsquery_any`` (0026) runs the same query from PL/pgSQL (see
  ``TSQUERY_ANY``).
* The quotes' index rows keep their source (``quotes_keep_their_source``), so
  a search of sources by status probes one index a source.

SQLite gets nothing. An index table created later gets its settings from search_index.
"""

from importlib import import_module

from django.db import migrations

# 0026's function, the same query, as PL/pgSQL: a SQL function's body is planned
# again at every call, PL/pgSQL keeps its plan for the connection's life. Search
# calls it once per statement (the planner folds it, given constants): four or
# five times an overview, 0.35 -> 0.15 ms each. Same result for the same parts.
TSQUERY_ANY = r"""CREATE OR REPLACE FUNCTION factcheck_tsquery_any(parts tsquery[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
RETURN (WITH ops AS (
  SELECT DISTINCT q::text AS t, numnode(q) = 1 AS single FROM unnest(parts) q WHERE numnode(q) > 0
), lexemes AS (
  SELECT o.t, m[1] AS lexeme, m[2] IS NOT NULL AS prefix
  FROM ops o, regexp_matches(o.t, '''((?:[^'']|'''')*)''(:\*)?', 'g') m
)
SELECT coalesce(string_agg('(' || o.t || ')', ' | ' ORDER BY o.t), '')::tsquery FROM ops o
WHERE NOT EXISTS (
  SELECT 1 FROM lexemes x JOIN ops p ON p.single AND p.t <> o.t JOIN lexemes y ON y.t = p.t
  WHERE x.t = o.t AND regexp_replace(o.t, '''(?:[^'']|'''')*''', '', 'g') !~ '[|!]'
    AND CASE WHEN y.prefix THEN starts_with(x.lexeme, y.lexeme) ELSE NOT x.prefix AND x.lexeme = y.lexeme END
));
END
$$"""

SOURCES = "factcheck_fts_sources"
NOTES = "factcheck_fts_notes"
QUOTES = "factcheck_fts_quotes"
NOTES_STATISTICS = 400


def _exists(cursor, table):
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    return cursor.fetchone()[0]


def quotes_keep_their_source(cursor):
    """The quotes' index rows gain their source (column, index, the trigger keeping it), filled in place.

    The index's own statements, as search_index makes them now (as 0024 does):
    the system check compares the trigger functions with these.
    """
    from factcheck.search_index import _pg_statements

    tables, triggers, _ = _pg_statements("quotes")
    for sql in [*tables, *triggers.values()]:
        cursor.execute(sql)
    cursor.execute(f"UPDATE {QUOTES} f SET source_id = a.source_id FROM factcheck_assertion a WHERE a.id = f.id")


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
        cursor.execute(TSQUERY_ANY)
        if _exists(cursor, QUOTES):
            quotes_keep_their_source(cursor)


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if _exists(cursor, SOURCES):
            # Rows already whole stay so until rewritten: the same vectors either way.
            cursor.execute(f"ALTER TABLE {SOURCES} RESET (toast_tuple_target)")
        if _exists(cursor, NOTES):
            cursor.execute(f"ALTER TABLE {NOTES} ALTER COLUMN vec SET STATISTICS -1")
        # The quotes' source column stays, kept by search_index's triggers; forward again fills it anew.
        cursor.execute(import_module("factcheck.migrations.0026_search_tsquery_any").CREATE)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0026_search_tsquery_any")]

    operations = [migrations.RunPython(inline, out_of_line)]
