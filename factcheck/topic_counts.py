"""Each topic's claim counts, kept on the topic row by database triggers.

Home lists topics with the most conflicts first. Counting every topic's
claims by status on each request reads every claim in the corpus (80 ms at
100,000 claims); with the counts stored on the topic and indexed, the page
reads its fifty rows.

Triggers on ``factcheck_claim`` add and subtract as claims are inserted,
deleted, change status or move to another topic, so every write path keeps
the counts — the editors' pages, the admin, the corpus import,
``QuerySet.update()``, raw SQL. They add and subtract rather than recount:
on PostgreSQL two transactions changing claims of one topic each see only
their own uncommitted rows, and a recount would write back a total that
misses the other's; ``count = count + 1`` is applied to the latest row.

Anything that loads topics with their counts already in them and then
inserts their claims (a backup being restored) calls :func:`recount` after.
SQLite drops a table's triggers when a migration remakes it, so
:func:`ensure_triggers` runs after every ``migrate`` (factcheck/derived.py) and recounts when it had
to create them.
"""

from django.db import connections

from factcheck import triggers
from factcheck.models import Status

CLAIMS, TOPICS = "factcheck_claim", "factcheck_topic"
PREFIX = "fctc_"
PG_FUNCTION = "factcheck_topic_counts"
# Topic column -> the claim status it counts (None: every claim).
COUNTED = {
    "claim_count": None,
    "conflict_count": Status.CONFLICT,
    "agreement_count": Status.AGREEMENT,
    "resolved_count": Status.RESOLVED,
}


def _delta(row, sign):
    """``SET`` assignments adding (sign +) or removing (sign -) the claim ``row`` (NEW or OLD)."""
    parts = []
    for column, status in COUNTED.items():
        if status is None:
            parts.append(f"{column} = {column} {sign} 1")
        else:
            parts.append(f"{column} = {column} {sign} (CASE WHEN {row}.status = '{status}' THEN 1 ELSE 0 END)")
    return ", ".join(parts)


def _sqlite_triggers():
    changed = "old.status IS NOT new.status OR old.topic_id IS NOT new.topic_id"
    add = f"UPDATE {TOPICS} SET {_delta('new', '+')} WHERE id = new.topic_id;"
    remove = f"UPDATE {TOPICS} SET {_delta('old', '-')} WHERE id = old.topic_id;"
    return triggers.sqlite_triggers(
        PREFIX,
        {
            "ins": (f"AFTER INSERT ON {CLAIMS}", [add]),
            "upd": (f"AFTER UPDATE OF status, topic_id ON {CLAIMS} WHEN {changed}", [remove, add]),
            "del": (f"AFTER DELETE ON {CLAIMS}", [remove]),
        },
    )


_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status
     AND OLD.topic_id IS NOT DISTINCT FROM NEW.topic_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE {TOPICS} SET {_delta("OLD", "-")} WHERE id = OLD.topic_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    UPDATE {TOPICS} SET {_delta("NEW", "+")} WHERE id = NEW.topic_id;
  END IF;
  RETURN NULL;
END $$"""


def _pg_triggers():
    return {
        f"{PREFIX}claims": f"CREATE OR REPLACE TRIGGER {PREFIX}claims AFTER INSERT OR UPDATE OF status, topic_id "
        f"OR DELETE ON {CLAIMS} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    }


def recount(using="default"):
    """Set every topic's counts from its claims (one statement, grouped on the topic/status index)."""
    assignments = []
    for column, status in COUNTED.items():
        where = "c.topic_id = t.id" + (f" AND c.status = '{status}'" if status else "")
        assignments.append(f"{column} = (SELECT count(*) FROM {CLAIMS} c WHERE {where})")
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TOPICS} AS t SET {', '.join(assignments)}")


# Last: it names recount, above.
TRIGGERS = triggers.TriggerSet(
    prefix=PREFIX,
    tables=(CLAIMS, TOPICS),
    sqlite=_sqlite_triggers,
    postgresql=_pg_triggers,
    setup=lambda vendor: [_PG_FUNCTION_SQL] if vendor == "postgresql" else [],
    table_of=lambda name: CLAIMS,
    function=PG_FUNCTION,
    recount=recount,
)
# Create whichever trigger is missing, and recount if one was; True if it did.
ensure_triggers = TRIGGERS.ensure
drop_triggers = TRIGGERS.drop
