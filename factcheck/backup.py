"""Whole-database backup and restore as one portable JSON document.

A backup is Django's serialisation of every row that is the newsroom's own
data — users and groups, the corpus, annotations, resolutions and every
history row — read in one snapshot, so a backup taken while editors work is
consistent. Content types and permissions are rebuilt by ``migrate`` and
referred to by natural key, so a backup restores into any migrated database,
SQLite or PostgreSQL, and keeps every id (URLs stay valid).
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
from django.test.utils import override_settings

from factcheck import topic_counts

# Rebuilt by migrate and referred to by natural key; never backed up or wiped.
KEPT = {"contenttypes.contenttype", "auth.permission"}
# Transient: logins in progress and failed-login counters have no place in a backup.
TRANSIENT = {"sessions.session", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}


def _label(model):
    return model._meta.label_lower


def backed_up_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and _label(m) not in KEPT | TRANSIENT
    ]


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
    """Django's JSON fixture format, but times keep their microseconds.

    The stock encoder rounds them to milliseconds; a backup should give back
    exactly what it read. The output is still a plain fixture ``loaddata`` reads.
    """

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return super()._value_from_field(obj, field)


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
        counts = summary_counts()
    return counts


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
