"""Versions per cache tag, bumped by database triggers: what lets an edit evict only what shows it.

One table, ``factcheck_cache_tag`` (tag, version), owned by migration 0010.
Every write to a table declared in ``derived.CACHE_TAGGED`` bumps, through a
trigger, the tags it touches:

- the table's own tag (``factcheck_claim``): a list or search over the table;
- the row's object tag (``factcheck_claim:12``) and its parents' object tags
  (``factcheck_topic:3``), as declared; on an update, before and after, so a
  claim moved to another topic leaves both topics' pages;
- ``*``, the corpus version: a counter every write moves, which also keys the
  evidence finder's corpus statistics (``cache.corpus_cache_key``).

Each bump takes the next value of ``*`` and writes it to every tag it
touches, so versions are unique and only grow. That is what makes a page
safe to store (factcheck/cache.py): read ``*`` before rendering, and after
rendering, every tag the page depends on must still carry a version no newer
than that; a tag bumped in between may have changed under the render.

``#epoch`` starts at a random number whenever the table is created and moves
only on TRUNCATE or a bulk load with triggers suspended, which leave no
object tags behind: every stored page remembers it, so a rebuilt database
never meets pages cached for an older one.

- PostgreSQL: deferred constraint row triggers, so the bumps run at COMMIT
  under the lock of the ``*`` row taken by the transaction's first bump, once
  per transaction (a transaction-local setting holds its version). Readers
  never see a version whose data is not committed; committers queue on one
  row, in one order, so they cannot deadlock on tags.
- SQLite: writers are serialised anyway; row triggers bump inside the
  writing transaction.
"""

import contextlib
import secrets

from django.db import connections

from factcheck.triggers import existing_triggers

TABLE = "factcheck_cache_tag"
TRIGGER_PREFIX = "fcct_"
PG_FUNCTION = "factcheck_cache_tag_bump"
CORPUS = "*"
EPOCH = "#epoch"
# A claim's notes, apart from the claim itself: the claim page and its
# history show them, the topic page and the lists do not, so a note leaves those cached.
CLAIM_NOTES = "factcheck_claim_notes"
# A user's watches, apart from everything else: a logged-in user's own copy
# of a claim or topic page shows whether they watch it (factcheck/cache.py).
WATCHES = "factcheck_watch_user"
# A transaction's version on PostgreSQL, so its every row trigger uses the same one.
PG_SETTING = "factcheck.cache_tag_version"

CREATE_TABLE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (tag varchar(200) NOT NULL PRIMARY KEY, version bigint NOT NULL)"
)


def object_tag(table, pk):
    return f"{table}:{pk}"


def declared(using="default"):
    """``{table: ((column, tagged table), ...)}`` for the declared tables the database has.

    A table declared ``None`` (nothing cached shows it) is left out: it gets no trigger.
    """
    from factcheck.derived import CACHE_TAGGED  # derived imports this module

    existing = set(connections[using].introspection.table_names())
    return {
        table: tuple(columns) for table, columns in CACHE_TAGGED.items() if columns is not None and table in existing
    }


def trigger_names(vendor, table):
    if vendor == "sqlite":
        return [f"{TRIGGER_PREFIX}{table}_{op}" for op in ("ins", "upd", "del")]
    return [f"{TRIGGER_PREFIX}{table}", f"{TRIGGER_PREFIX}{table}_trunc"]


PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint := nullif(current_setting('{PG_SETTING}', true), '')::bigint;
  tags text[] := ARRAY[TG_TABLE_NAME::text];
  r jsonb;
  i integer;
BEGIN
  IF v IS NULL THEN
    UPDATE {TABLE} SET version = version + 1 WHERE tag = '{CORPUS}' RETURNING version INTO v;
    IF v IS NULL THEN
      RETURN NULL;  -- no version row: nothing is cached
    END IF;
    PERFORM set_config('{PG_SETTING}', v::text, true);
  END IF;
  IF TG_OP = 'TRUNCATE' THEN
    -- The truncated rows' object tags are unknown: every stored page goes.
    UPDATE {TABLE} SET version = v WHERE tag = '{EPOCH}';
  ELSE
    FOREACH r IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)]
        WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)] ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END LOOP
      -- TG_ARGV: pairs of (column, table whose object tag the column's value names).
      FOR i IN 0 .. TG_NARGS - 1 BY 2 LOOP
        IF r ->> TG_ARGV[i] IS NOT NULL THEN
          tags := tags || (TG_ARGV[i + 1] || ':' || (r ->> TG_ARGV[i]));
        END IF;
      END LOOP;
    END LOOP;
  END IF;
  INSERT INTO {TABLE} (tag, version) SELECT DISTINCT t, v FROM unnest(tags) AS t
    ON CONFLICT (tag) DO UPDATE SET version = EXCLUDED.version WHERE {TABLE}.version <> EXCLUDED.version;
  RETURN NULL;
END $$"""


def _sqlite_tags(table, columns, rows):
    parts = [f"SELECT '{table}' AS t"]
    for row in rows:
        for column, tagged in columns:
            parts.append(f"SELECT '{tagged}:' || {row}.{column} WHERE {row}.{column} IS NOT NULL")
    return " UNION ".join(parts)


def create_trigger_sql(vendor, table, columns, quote):
    if vendor == "sqlite":
        bump = f"UPDATE {TABLE} SET version = version + 1 WHERE tag = '{CORPUS}';"
        current = f"(SELECT version FROM {TABLE} WHERE tag = '{CORPUS}')"
        statements = []
        for name, event, rows in zip(
            trigger_names(vendor, table),
            ("INSERT", "UPDATE", "DELETE"),
            (("NEW",), ("OLD", "NEW"), ("OLD",)),
            strict=True,
        ):
            # WHERE true: SQLite's rule for an upsert whose INSERT reads a SELECT.
            upsert = (
                f"INSERT INTO {TABLE} (tag, version) SELECT t, {current} FROM ({_sqlite_tags(table, columns, rows)})"
                f" WHERE {current} IS NOT NULL ON CONFLICT(tag) DO UPDATE SET version = excluded.version;"
            )
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} BEGIN {bump} {upsert} END"
            )
        return statements
    row, trunc = trigger_names(vendor, table)
    args = ", ".join(f"'{value}'" for pair in columns for value in pair)
    return [
        f"DROP TRIGGER IF EXISTS {row} ON {quote(table)}",
        f"CREATE CONSTRAINT TRIGGER {row} AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}({args})",
        # Django's flush truncates, which row triggers do not see.
        f"CREATE OR REPLACE TRIGGER {trunc} AFTER TRUNCATE ON {quote(table)} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


def _has_table(connection):
    return connection.vendor in ("sqlite", "postgresql") and TABLE in connection.introspection.table_names()


def ensure(using="default"):
    """Create the version rows and any missing trigger; returns the tables given triggers.

    Idempotent and cheap when nothing is missing; runs after every ``migrate``
    (factcheck/derived.py) because SQLite loses a table's triggers when a
    migration remakes it. Does nothing before migration 0010 made the table.
    """
    connection = connections[using]
    if not _has_table(connection):
        return []
    vendor, quote = connection.vendor, connection.ops.quote_name
    tables = declared(using)
    done = []
    with connection.cursor() as cursor:
        for tag in (CORPUS, EPOCH):
            cursor.execute(
                f"INSERT INTO {TABLE} (tag, version) SELECT %s, %s"
                f" WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE tag = %s)",
                [tag, secrets.randbelow(2**48), tag],
            )
        existing = existing_triggers(cursor, TRIGGER_PREFIX)
        if vendor == "postgresql" and not existing.issuperset(n for t in tables for n in trigger_names(vendor, t)):
            cursor.execute(PG_FUNCTION_SQL)
        for table, columns in tables.items():
            if existing.issuperset(trigger_names(vendor, table)):
                continue
            for sql in create_trigger_sql(vendor, table, columns, quote):
                cursor.execute(sql)
            done.append(table)
    return done


def drop_triggers(using="default"):
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in declared(using):
            for name in trigger_names(connection.vendor, table):
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")


def bump_all(using="default"):
    """A new corpus version and a new epoch: every stored page and statistic goes."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET version = version + 1 WHERE tag = %s", [CORPUS])
        cursor.execute(
            f"UPDATE {TABLE} SET version = (SELECT version FROM {TABLE} WHERE tag = %s) WHERE tag = %s",
            [CORPUS, EPOCH],
        )


@contextlib.contextmanager
def triggers_suspended(using="default"):
    """Bulk-load without a bump per row; every page invalidated at the end.

    Only for loading a fresh database nobody is reading (``bench_data``):
    while suspended, edits from elsewhere would not bump anything.
    """
    drop_triggers(using)
    try:
        yield
    finally:
        ensure(using)
        bump_all(using)


def read(connection, tags):
    """``{tag: version}`` of ``tags`` plus ``*`` and ``#epoch``, in one query; a tag never bumped is absent."""
    wanted = sorted({CORPUS, EPOCH, *tags})
    placeholders = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tag, version FROM {TABLE} WHERE tag IN ({placeholders})", wanted)
        return dict(cursor.fetchall())
