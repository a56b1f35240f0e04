"""Whole-database backup and restore as one portable JSON document.

A backup is Django's serialisation of every row that is the newsroom's own
data — users and groups, the corpus, annotations, resolutions and every
history row — read in one snapshot, so a backup taken while editors work is
consistent. Content types and permissions are rebuilt by ``migrate`` and
referred to by natural key, so a backup restores into any migrated database,
SQLite or PostgreSQL, and keeps every id (URLs stay valid).

History outlives accounts: its rows keep the ids of users deleted since
(``DeletedUser`` keeps their names). Such a reference is written as the bare
id, which ``loaddata`` reads as readily as a natural key, and a restore sets
the next account id past every id the data still names, so a new account is
never credited with a deleted one's changes.
"""

import bz2
import datetime
import gzip
import lzma
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings

from factcheck import topic_counts

# Rebuilt by migrate and referred to by natural key; never backed up or wiped.
KEPT = {"contenttypes.contenttype", "auth.permission"}
# Transient: logins in progress and failed-login counters have no place in a backup.
TRANSIENT = {"sessions.session", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}


def _label(model):
    return model._meta.label_lower


def backed_up_models():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy and _label(m) not in KEPT | TRANSIENT]


def summary_counts():
    from django.contrib.auth import get_user_model

    from factcheck.models import Annotation, Claim, Resolution, Source

    return {
        "users": get_user_model().objects.count(),
        "sources": Source.objects.count(),
        "claims": Claim.objects.count(),
        "annotations": Annotation.objects.count(),
        "resolutions": Resolution.objects.count(),
        "history rows": sum(m.objects.count() for m in backed_up_models() if m.__name__.startswith("Historical")),
    }


def describe(counts):
    return ", ".join(f"{n} {what}" for what, n in counts.items())


@contextmanager
def snapshot():
    """Every read inside sees the database as of one moment.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite in WAL mode:
    a deferred transaction, whose first read fixes the snapshot while writers
    carry on (an IMMEDIATE one, Django's mode here, would block them).
    """
    if connection.in_atomic_block:
        yield  # already inside a transaction (tests): its view is consistent
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic():
        yield


class ExactJSONSerializer(JSONSerializer):
    """Django's JSON fixture format, but times keep their microseconds, and dangling references are kept.

    The stock encoder rounds times to milliseconds; a backup should give back
    exactly what it read. The stock serialiser also fetches the row behind
    every natural-key reference, one query per history row, and raises when
    it is gone; here each referenced table's keys are read once, and a
    reference to a row that no longer exists (a deleted user, in history) is
    written as its bare id. The output is still a plain fixture ``loaddata`` reads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._natural_keys = {}

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return super()._value_from_field(obj, field)

    def handle_fk_field(self, obj, field):
        target = field.remote_field.model
        if not (self.use_natural_foreign_keys and hasattr(target, "natural_key")):
            return super().handle_fk_field(obj, field)
        value = self._value_from_field(obj, field)
        if value is not None:
            value = self._keys_of(field).get(value, value)
        self._current[field.name] = value

    def _keys_of(self, field):
        """``{referenced value: natural key}`` for the rows a foreign key points at, read once per target."""
        target, to = field.remote_field.model, field.target_field
        found = self._natural_keys.get((target, to.attname))
        if found is None:
            found = {getattr(row, to.attname): row.natural_key() for row in target._base_manager.iterator()}
            self._natural_keys[(target, to.attname)] = found
        return found


_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}


def _rows():
    by_app = {}
    for model in backed_up_models():
        by_app.setdefault(model._meta.app_config, []).append(model)
    for model in serializers.sort_dependencies(by_app.items(), allow_cycles=True):
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def write_backup(path):
    """Dump a snapshot to ``path`` (compressed when it ends in .gz, .xz, .bz2); returns the counts.

    Written to a temporary file beside ``path`` and renamed into place, so a
    crash never leaves a half-written backup under the final name.
    """
    path = Path(path)
    opener = _OPENERS.get(path.suffix, open)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with snapshot():
            counts = summary_counts()
            with opener(tmp, "wt", encoding="utf-8") as stream:
                ExactJSONSerializer().serialize(_rows(), stream=stream, use_natural_foreign_keys=True)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return counts


def is_empty():
    """No users and no corpus: what a freshly migrated database holds (migrations may seed lookup tables)."""
    from django.contrib.auth import get_user_model

    from factcheck.models import Claim, Source, Topic

    return not any(m.objects.exists() for m in (get_user_model(), Source, Topic, Claim))


def restore_backup(path):
    """Replace every backed-up table with the backup's rows, all or nothing; returns the counts."""
    with transaction.atomic():
        wipe()
        # The backup holds the history rows already; loading many-to-many
        # links would otherwise make django-simple-history record them again.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(path), verbosity=0)
        # Topics arrive with their claim counts, and the triggers count each claim loaded after them again.
        topic_counts.recount()
        reserve_user_ids()
        counts = summary_counts()
    return counts


def highest_user_id_named():
    """The highest account id any backed-up row names: live accounts, deleted ones, history's references."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    found = [0]
    for model in backed_up_models():
        columns = [f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]
        if model is User or _label(model) == "factcheck.deleteduser":
            columns.append(model._meta.pk.attname)
        if columns:
            found.extend(model._base_manager.aggregate(**{f"max_{c}": Max(c) for c in columns}).values())
    return max(v for v in found if v is not None)


def reserve_user_ids():
    """Set the next account id past every id the data names.

    ``loaddata`` sets PostgreSQL's sequence to the highest id loaded, and
    SQLite's AUTOINCREMENT counter follows the rows inserted: either way a
    deleted account's id above the highest live one would be handed out
    again, and its history credited to the newcomer.
    """
    from django.contrib.auth import get_user_model

    highest = highest_user_id_named()
    if not highest:
        return
    meta = get_user_model()._meta
    table, column = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, highest])
        elif connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [highest, table])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest])


def wipe():
    """Empty every backed-up table (plain SQL: no signals, no history rows for the deletion)."""
    tables = sorted({m._meta.db_table for m in backed_up_models()} | _m2m_tables())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending
            # in this transaction: run them now, and defer again for the load.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=False):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _m2m_tables():
    return {
        f.remote_field.through._meta.db_table
        for m in backed_up_models()
        for f in m._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    }
