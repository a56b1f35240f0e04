"""PostgreSQL: ``factcheck_tsquery_any(tsquery[])``, one tsquery matching what any of its parts does, with fewer operands.

Search asks for each word stemmed as English and as written, plus its
prefixes, so a word's tsquery repeats operands or holds ones another implies
(Tartus: 15 operands, 9 once simplified); PostgreSQL tests each operand on
every row a search walks. The evidence finder and search both test their
matches with it (``evidence.postgres.simplified``, ``search.postgres``). IMMUTABLE:
given constants, the planner calls it once while planning and plans, and
estimates, with the simplified query as a constant. Same rows matched.
SQLite gets nothing.
"""

from django.db import migrations

CREATE = r"""CREATE OR REPLACE FUNCTION factcheck_tsquery_any(parts tsquery[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT (WITH ops AS (
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
))
$$"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS factcheck_tsquery_any(tsquery[])")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0025_search_filter_indexes")]

    operations = [migrations.RunPython(create_function, drop_function)]
