"""System checks: every derived value's triggers, tables and signals are in place (factcheck/derived.py).

``manage.py check --database default`` runs :func:`derived_state_database`
(tagged ``database``, Django's convention for checks that query it). Plain
``manage.py check`` runs :func:`derived_state`, which looks only when it is
safe and cheap: the database exists, answers, and has every migration
applied — so it never fails a fresh checkout, and never stands in the way of
the ``migrate`` that would create what is missing.
"""

from pathlib import Path

from django.core import checks
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

HINT = (
    "Run `manage.py recompute_derived`: it recreates the triggers and recomputes every derived value "
    "(`manage.py migrate` recreates what is missing too, but this check stops it unless given --skip-checks)."
)


def _report(using):
    from factcheck import derived

    try:
        connection = connections[using]
        if connection.vendor == "sqlite" and not _sqlite_file_exists(connection):
            return []  # connecting would create an empty database file
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return []  # not migrated (yet): migrate creates the derived state
        found = derived.problems(using)
    except DatabaseError:
        return []  # unreachable: Django's own database checks and commands say so
    return [checks.Error(f"{p.derived}: {p.message}", hint=HINT, obj=f"database {using!r}", id=p.id) for p in found]


def _sqlite_file_exists(connection):
    name = str(connection.settings_dict["NAME"])
    return connection.is_in_memory_db() or Path(name).exists()


def derived_state_database(app_configs=None, databases=None, **kwargs):
    return [message for using in databases or () for message in _report(using)]


def derived_state(app_configs=None, databases=None, **kwargs):
    # With --database (or from migrate, test) the database-tagged check reports instead.
    if databases is not None:
        return []
    return _report("default")
