"""How a registry of derived state (factcheck/derived.py) is checked, installed and recomputed.

The registry says what is derived and what keeps it current; this module
holds what it declares with (:class:`Derived`, :class:`Problem`) and the
engine-facing work every entry shares: reading what the database has
installed, comparing it with the declarations, creating what is missing and
recomputing from scratch. factcheck/derived.py calls these with its
``REGISTRY``; code and migrations keep importing them from there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, transaction

ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Problem:
    id: str  # the system check's id: factcheck.E001 ...
    derived: str
    message: str


@dataclass(frozen=True)
class Derived:
    name: str
    values: str
    # (vendor, using) -> {trigger name: (table, SQL as SQLite stores it, or None on PostgreSQL)}
    triggers: Callable = lambda vendor, using: {}
    # vendor -> {PostgreSQL function name: its CREATE FUNCTION statement}
    functions: Callable = lambda vendor: {}
    # vendor -> tables that must exist besides the models' own
    tables: Callable = lambda vendor: set()
    # [(signal, sender, receiver)] that must be connected
    signals: Callable = lambda: []
    ensure: Callable = lambda using: None
    recreate: Callable = lambda using: None
    recompute: Callable = lambda using: None
    extra_problems: Callable = lambda using: []
    kept_by: str = field(default="triggers")


def app_tables(using="default"):
    """Every table of this app's models (m2m tables included) that exists in the database."""
    existing = set(connections[using].introspection.table_names())
    return sorted(
        model._meta.db_table
        for model in apps.get_app_config("factcheck").get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in existing
    )


def _installed(cursor, vendor):
    """``({trigger: (table, sql)}, {function: body}, {table})`` as the database has them."""
    if vendor == "sqlite":
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')")
        rows = cursor.fetchall()
        triggers = {name: (table, sql) for kind, name, table, sql in rows if kind == "trigger"}
        return triggers, {}, {name for kind, name, _, _ in rows if kind == "table"}
    cursor.execute(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)"
    )
    triggers = {name: (table, None) for name, table in cursor.fetchall()}
    cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE pg_function_is_visible(oid)")
    functions = dict(cursor.fetchall())
    cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND pg_table_is_visible(oid)")
    return triggers, functions, {row[0] for row in cursor.fetchall()}


def _body(create_function_sql):
    return create_function_sql.split("$$")[1]


def _receiver_connected(signal, sender, receiver):
    sync_receivers, async_receivers = signal._live_receivers(sender)
    return receiver in sync_receivers or receiver in async_receivers


def problems(registry, using="default"):
    """Each entry's unconnected signals, missing or outdated tables, triggers and functions, and extra problems."""
    connection = connections[using]
    vendor = connection.vendor
    found = []
    for entry in registry:
        for signal, sender, receiver in entry.signals():
            if not _receiver_connected(signal, sender, receiver):
                found.append(
                    Problem(
                        "factcheck.E004", entry.name, f"{receiver.__qualname__} is not connected to {sender.__name__}."
                    )
                )
    if vendor not in ENGINES:
        return found
    with connection.cursor() as cursor:
        triggers, functions, tables = _installed(cursor, vendor)
    for entry in registry:
        missing_tables = sorted(entry.tables(vendor) - tables)
        if missing_tables:
            found.append(Problem("factcheck.E001", entry.name, f"Table missing: {', '.join(missing_tables)}."))
            continue
        for name, (table, sql) in sorted(entry.triggers(vendor, using).items()):
            if name not in triggers:
                found.append(Problem("factcheck.E002", entry.name, f"Trigger {name} on {table} is missing."))
            elif triggers[name][0] != table or (sql is not None and triggers[name][1] != sql):
                found.append(Problem("factcheck.E003", entry.name, f"Trigger {name} on {table} is outdated."))
        for name, create_sql in sorted(entry.functions(vendor).items()):
            if name not in functions:
                found.append(Problem("factcheck.E002", entry.name, f"Trigger function {name}() is missing."))
            elif functions[name].strip() != _body(create_sql).strip():
                found.append(Problem("factcheck.E003", entry.name, f"Trigger function {name}() is outdated."))
        found.extend(entry.extra_problems(using))
    return found


def ensure_all(registry, using="default", *, signals=True):
    """Run each entry's ``ensure``; only the trigger-kept entries' with ``signals=False``."""
    if connections[using].vendor not in ENGINES:
        return
    for entry in registry:
        if signals or entry.kept_by.startswith("triggers"):
            entry.ensure(using)


def recompute_all(registry, using="default"):
    """Each entry's ``recreate``, then each one's ``recompute``, in one transaction: ``{name: its result}``."""
    done = {}
    with transaction.atomic(using=using):
        if connections[using].vendor in ENGINES:
            for entry in registry:
                entry.recreate(using)
        for entry in registry:
            done[entry.name] = entry.recompute(using)
    return done
