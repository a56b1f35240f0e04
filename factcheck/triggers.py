"""The triggers this app keeps in the database (page version, topic counts, totals): list, install, drop."""

from django.db import connections


def existing_triggers(cursor, prefix):
    """Names of the user triggers whose name starts with ``prefix``, on SQLite or PostgreSQL."""
    if cursor.db.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [prefix + "%"])
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", [prefix + "%"])
    return {row[0] for row in cursor.fetchall()}


def sqlite_triggers(prefix, triggers):
    """``{name: CREATE statement}`` for SQLite from ``{suffix: (when, statements)}``.

    ``when``: what fires it, e.g. ``AFTER INSERT ON factcheck_claim``; each
    of ``statements`` ends with its semicolon. The text is what SQLite stores,
    which the system check compares (factcheck/derived.py), so it must not change.
    """
    return {
        f"{prefix}{suffix}": f"CREATE TRIGGER IF NOT EXISTS {prefix}{suffix} {when} BEGIN {' '.join(statements)} END"
        for suffix, (when, statements) in triggers.items()
    }


def install_missing(using, *, tables, prefix, sqlite, postgresql, setup=(), owned=None):
    """Create the triggers of ``using``'s vendor unless all are there; True if it did (the caller recounts).

    ``tables``: what must exist first (before the migration that makes them,
    nothing is done). ``sqlite``/``postgresql``: callables giving ``{name:
    CREATE statement}``. ``setup``: a callable giving, per vendor, what to run
    first (the table the triggers write to, PostgreSQL's function). ``owned``:
    that table, whose absence counts as something missing.
    """
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    present = set(connection.introspection.table_names())
    if not set(tables) <= present:
        return False
    triggers = sqlite() if connection.vendor == "sqlite" else postgresql()
    with connection.cursor() as cursor:
        if (owned is None or owned in present) and set(triggers) <= existing_triggers(cursor, prefix):
            return False
        for sql in [*(setup(connection.vendor) if setup else ()), *triggers.values()]:
            cursor.execute(sql)
    return True


def drop(using, *, sqlite_names, postgresql_tables, function):
    """Drop the named triggers (``postgresql_tables``: ``{name: its table}``) and PostgreSQL's ``function``."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in sqlite_names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table in postgresql_tables.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
