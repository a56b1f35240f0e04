"""The corpus's totals — claims, claims of each status, topics — kept in one small table by triggers.

Home's intro ("100,000 claims checked against their sources: 19,000 in
conflict, …"), its page count and the claim list filtered by status alone
read these rows instead of counting the corpus, so they cost the same at a
million claims as at a thousand.

``factcheck_totals`` holds one row per total, named ``claims``,
``claims:<status>`` and ``topics``. Triggers on ``factcheck_claim`` and
``factcheck_topic`` add and subtract as rows are inserted, deleted or
change status, so every write path keeps them: the editors' pages, the
admin, the import, a revert, ``QuerySet.update()``, raw SQL. Like the topic
counts (factcheck/topic_counts.py) they add to the latest row rather than
recount, so two PostgreSQL transactions cannot overwrite each other's count.

On PostgreSQL a transaction that adds, deletes, moves or re-statuses claims
takes the ``claims`` row first: writers of claims queue on it until they
commit (as writers to one topic already queue on its row), and because every
one takes it before any status or topic row, they cannot deadlock on those.
The trigger's name sorts before the topic counts' so that it fires first.
TRUNCATE (Django's flush) zeroes the totals.

SQLite drops a table's triggers when a migration remakes it: :func:`ensure`
runs after every ``migrate`` (factcheck/derived.py), and recounts when it
had to create anything.
"""

from django.db import connections

from factcheck import triggers

TABLE = "factcheck_totals"
CLAIMS, TOPICS = "factcheck_claim", "factcheck_topic"
# Sorts before topic_counts.PREFIX ("fctc_"): PostgreSQL fires a table's row triggers in name order.
PREFIX = "fcsum_"
PG_FUNCTION = "factcheck_totals"
ALL_CLAIMS, ALL_TOPICS, STATUS_PREFIX = "claims", "topics", "claims:"

_ALL_CLAIMS, _ALL_TOPICS = f"'{ALL_CLAIMS}'", f"'{ALL_TOPICS}'"  # as SQL literals
CREATE_TABLE_SQL = f"CREATE TABLE IF NOT EXISTS {TABLE} (name varchar(40) NOT NULL PRIMARY KEY, n bigint NOT NULL)"


def _add(name_sql, delta):
    # An upsert: a status's first claim creates its row.
    return (
        f"INSERT INTO {TABLE} (name, n) VALUES ({name_sql}, {delta}) "
        f"ON CONFLICT (name) DO UPDATE SET n = {TABLE}.n + excluded.n;"
    )


def _status(row):
    return f"'{STATUS_PREFIX}' || {row}.status"


def _sqlite_triggers():
    return triggers.sqlite_triggers(
        PREFIX,
        {
            "claim_ins": (f"AFTER INSERT ON {CLAIMS}", [_add(_ALL_CLAIMS, 1), _add(_status("new"), 1)]),
            "claim_upd": (
                f"AFTER UPDATE OF status ON {CLAIMS} WHEN old.status IS NOT new.status",
                [_add(_status("old"), -1), _add(_status("new"), 1)],
            ),
            "claim_del": (f"AFTER DELETE ON {CLAIMS}", [_add(_ALL_CLAIMS, -1), _add(_status("old"), -1)]),
            "topic_ins": (f"AFTER INSERT ON {TOPICS}", [_add(_ALL_TOPICS, 1)]),
            "topic_del": (f"AFTER DELETE ON {TOPICS}", [_add(_ALL_TOPICS, -1)]),
        },
    )


PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE {TABLE} SET n = 0 WHERE name = '{ALL_TOPICS}' AND TG_TABLE_NAME = '{TOPICS}'
      OR name LIKE '{ALL_CLAIMS}%' AND TG_TABLE_NAME = '{CLAIMS}';
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = '{TOPICS}' THEN
    {_add(_ALL_TOPICS, "CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END")}
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status
     AND OLD.topic_id IS NOT DISTINCT FROM NEW.topic_id THEN
    RETURN NULL;
  END IF;
  -- Every writer of claims takes this row first (a move too, which adds 0): see the module's docstring.
  {_add(_ALL_CLAIMS, "CASE TG_OP WHEN 'INSERT' THEN 1 WHEN 'DELETE' THEN -1 ELSE 0 END")}
  -- On UPDATE, a move keeps its status; OLD is NULL on INSERT, NEW on DELETE.
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
    {_add(_status("OLD"), -1)}
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status) THEN
    {_add(_status("NEW"), 1)}
  END IF;
  RETURN NULL;
END $$"""


def _pg_triggers():
    run = f"EXECUTE FUNCTION {PG_FUNCTION}()"
    return {
        f"{PREFIX}claims": f"CREATE OR REPLACE TRIGGER {PREFIX}claims AFTER INSERT OR UPDATE OF status, topic_id "
        f"OR DELETE ON {CLAIMS} FOR EACH ROW {run}",
        f"{PREFIX}claims_trunc": f"CREATE OR REPLACE TRIGGER {PREFIX}claims_trunc AFTER TRUNCATE ON {CLAIMS} "
        f"FOR EACH STATEMENT {run}",
        f"{PREFIX}topics": f"CREATE OR REPLACE TRIGGER {PREFIX}topics AFTER INSERT OR DELETE ON {TOPICS} "
        f"FOR EACH ROW {run}",
        f"{PREFIX}topics_trunc": f"CREATE OR REPLACE TRIGGER {PREFIX}topics_trunc AFTER TRUNCATE ON {TOPICS} "
        f"FOR EACH STATEMENT {run}",
    }


def _table(name):
    return TOPICS if name.startswith(f"{PREFIX}topic") else CLAIMS


def installed_form(vendor):
    """``{trigger: (its table, its SQL as SQLite stores it, or None on PostgreSQL)}``: what the check compares."""
    if vendor == "sqlite":
        plain = "CREATE TRIGGER "
        return {
            name: (_table(name), sql.replace("CREATE TRIGGER IF NOT EXISTS ", plain, 1))
            for name, sql in _sqlite_triggers().items()
        }
    return {name: (_table(name), None) for name in _pg_triggers()}


def drop(using="default"):
    """The triggers and the table: migration 0022 reversed."""
    drop_triggers(using)
    with connections[using].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def recreate(using="default"):
    drop_triggers(using)
    ensure(using)


def recount(using="default"):
    """Set every total from the rows themselves: three grouped counts, on the claims' status index."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} (name, n) SELECT '{ALL_CLAIMS}', count(*) FROM {CLAIMS}")
        cursor.execute(f"INSERT INTO {TABLE} (name, n) SELECT '{ALL_TOPICS}', count(*) FROM {TOPICS}")
        cursor.execute(
            f"INSERT INTO {TABLE} (name, n) SELECT '{STATUS_PREFIX}' || status, count(*) FROM {CLAIMS} GROUP BY status"
        )


def read(using="default"):
    """``(claims, topics, {status: claims})``: one query of a few rows.

    A status no claim has is absent, or 0 if its claims have gone.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT name, n FROM {TABLE}")
        rows = dict(cursor.fetchall())
    by_status = {name[len(STATUS_PREFIX) :]: n for name, n in rows.items() if name.startswith(STATUS_PREFIX)}
    return rows.get(ALL_CLAIMS, 0), rows.get(ALL_TOPICS, 0), by_status


# Last: it names recount, above.
TRIGGERS = triggers.TriggerSet(
    prefix=PREFIX,
    tables=(CLAIMS, TOPICS),
    sqlite=_sqlite_triggers,
    postgresql=_pg_triggers,
    setup=lambda vendor: [CREATE_TABLE_SQL] + ([PG_FUNCTION_SQL] if vendor == "postgresql" else []),
    table_of=_table,
    function=PG_FUNCTION,
    recount=recount,
    owned=TABLE,
)
# Create the table and whichever trigger is missing, and recount if anything was; True if it did.
ensure = TRIGGERS.ensure
drop_triggers = TRIGGERS.drop
