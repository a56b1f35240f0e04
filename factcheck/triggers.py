"""The triggers this app keeps in the database (page version, topic counts, totals): list, install, drop."""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class TriggerSet:
    """Triggers that keep derived rows in step with the tables they watch: install them, drop them.

    ``tables``: what must exist first (before the migration that makes them,
    nothing is done). ``sqlite``/``postgresql``: callables giving ``{name:
    CREATE statement}``. ``setup``: a callable giving, per vendor, what to run
    first (the table the triggers write to, PostgreSQL's function).
    ``table_of``: a trigger's table, which PostgreSQL drops it from.
    ``function``: PostgreSQL's trigger function. ``recount``: sets what the
    triggers keep from the rows, once they are (re)installed. ``owned``: the
    table the triggers write to, whose absence counts as something missing.
    """

    prefix: str
    tables: tuple[str, ...]
    sqlite: Callable[[], dict[str, str]]
    postgresql: Callable[[], dict[str, str]]
    setup: Callable[[str], list[str]]
    table_of: Callable[[str], str]
    function: str
    recount: Callable[[str], None]
    owned: str | None = None

    def ensure(self, using: str = "default") -> bool:
        """Create the triggers of ``using``'s vendor unless all are there, then recount; True if it did."""
        connection = connections[using]
        if connection.vendor not in ("sqlite", "postgresql"):
            return False
        present = set(connection.introspection.table_names())
        if not set(self.tables) <= present:
            return False
        triggers = self.sqlite() if connection.vendor == "sqlite" else self.postgresql()
        with connection.cursor() as cursor:
            owned_present = self.owned is None or self.owned in present
            if owned_present and set(triggers) <= existing_triggers(cursor, self.prefix):
                return False
            for sql in [*self.setup(connection.vendor), *triggers.values()]:
                cursor.execute(sql)
        self.recount(using)
        return True

    def drop(self, using: str = "default") -> None:
        """Drop the triggers and PostgreSQL's function."""
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for name in self.sqlite():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            elif connection.vendor == "postgresql":
                for name in self.postgresql():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {self.table_of(name)}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {self.function}()")
