"""Entries stored under the versions of the tags they depend on: what pages and fragments are kept in.

Versions live in ``factcheck_cache_tag`` (factcheck/cache_tags.py): database
triggers on every declared table bump the tags a write touches — the
table's own tag and the object tags of the row and its parents — so no
write path can leave a stored entry stale: not the pages, the admin, the
corpus import, history reverts, ``QuerySet.update()`` or raw SQL.

An entry remembers the tags it depends on and their versions: the object
tags of every row of a declared table that its render loaded (recorded as
the models are built, ``recording``), plus what the render declared
(``depends_on``). A reader reads those versions in one query and uses the
entry only if none moved; after an edit commits, every worker of every app
server sees the new versions on its next request, whatever cache backend it
uses.

An entry is stored only if no tag it depends on was bumped while it rendered
(each bump takes a new, larger value of the corpus version ``*``, read
before rendering); and the ``#epoch`` it was stored under must still hold.
The page decorator is factcheck/cache.py; fragments are factcheck/fragments.py.
"""

import contextlib
import contextvars
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections
from django.db.models.signals import post_init

from factcheck import cache_tags

CACHE_ALIAS = "pages"
# With Redis (settings.REDIS_URL): every app server's copy, behind each worker's own.
SHARED_ALIAS = "shared_pages"
# A render that loaded more rows than this of one table depends on the table's
# tag instead: a shorter version query, and as correct (any row's write bumps it).
MAX_OBJECT_TAGS = 100
# A page that already depends on a table's tag (it lists the table: any write to it
# evicts the page) and on more object tags of that table than this depends instead
# on the tags of every table whose writes bump those object tags (``_bumpers``):
# the same writes evict it, besides those children's writes to rows it does not
# show, and a hit reads a few versions instead of hundreds (/api/claims/ read 200).
FOLD_OBJECT_TAGS = 8


def ensure_corpus_version(using="default"):
    """Create the version rows and any missing trigger (see cache_tags.ensure)."""
    return cache_tags.ensure(using)


def bump(using="default"):
    """Invalidate every stored page and corpus statistic."""
    cache_tags.bump_all(using)


def corpus_version(using="default"):
    """The corpus version ``*`` (moved by every write), or None without its row (nothing is cached then)."""
    versions = read_versions((), using)
    return None if versions is None else versions.get(cache_tags.CORPUS)


def read_versions(tags, using="default"):
    """``{tag: version}`` for ``tags``, ``*`` and ``#epoch`` in one query; None if the rows are missing.

    On a reused connection this query doubles as CONN_HEALTH_CHECKS' own
    ``SELECT 1``: if the connection died (a database restart), it is replaced
    and the query tried once more, just as the health check would have done —
    without a second round trip to PostgreSQL on every cached page.
    """
    connection = connections[using]
    stands_in = (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    )
    if stands_in:
        connection.health_check_done = True
    try:
        versions = cache_tags.read(connection, tags)
    except (OperationalError, InterfaceError):
        if not stands_in:
            raise
        connection.close()
        versions = cache_tags.read(connection, tags)
    if cache_tags.CORPUS not in versions or cache_tags.EPOCH not in versions:
        return None
    return versions


def corpus_cache_key(name, using="default"):
    """A cache key for data derived from the whole corpus, valid until the next write; or None.

    None inside a transaction, for the same reason pages rendered there are
    never stored (its writes may be rolled back and the version reused), and
    when the version row is missing.
    """
    if connections[using].in_atomic_block:
        return None
    version = corpus_version(using)
    if version is None:
        return None
    return f"{name}:{settings.DATABASES[using]['NAME']}:{version}"


# What a render loaded: the object tags of the declared tables' rows.

_recording = contextvars.ContextVar("factcheck_cache_recording", default=None)
_TAGGED_TABLES = None


def _tagged_tables():
    global _TAGGED_TABLES
    if _TAGGED_TABLES is None:
        from factcheck.derived import CACHE_TAGGED

        _TAGGED_TABLES = frozenset(table for table, columns in CACHE_TAGGED.items() if columns is not None)
    return _TAGGED_TABLES


def _record_instance(sender, instance, **kwargs):
    recorded = _recording.get()
    if recorded is None:
        return
    table = sender._meta.db_table
    if table in _tagged_tables() and instance.pk is not None:
        recorded.setdefault(table, set()).add(instance.pk)


post_init.connect(_record_instance, dispatch_uid="factcheck-cache-record")


def record_loaded(model, pks):
    """Record rows read as values, not instances, as ``_record_instance`` records instances."""
    recorded = _recording.get()
    table = model._meta.db_table
    if recorded is not None and pks and table in _tagged_tables():
        recorded.setdefault(table, set()).update(pks)


@contextlib.contextmanager
def recording():
    """Inside the block, what is loaded or declared is recorded; ``tags(recorded)`` then names it."""
    recorded = {}
    token = _recording.set(recorded)
    try:
        yield recorded
    finally:
        _recording.reset(token)


def depends_on(*tags):
    """Make the page being rendered depend on ``tags`` too: what it shows without loading a row for it."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.setdefault(None, set()).update(tags)


def _depends_on(recorded, tables):
    tags = set(tables) | recorded.pop(None, set())
    for table, pks in recorded.items():
        if len(pks) > MAX_OBJECT_TAGS:
            tags.add(table)
        else:
            tags.update(cache_tags.object_tag(table, pk) for pk in pks)
    return tuple(sorted(_folded(tags)))


@functools.cache
def _bumpers_by_table():
    """{table: the tables whose triggers bump its object tags}, from ``derived.CACHE_TAGGED``."""
    from factcheck.derived import CACHE_TAGGED

    found = {}
    for writer, columns in CACHE_TAGGED.items():
        for _column, tagged in columns or ():
            found.setdefault(tagged, set()).add(writer)
    return {tagged: frozenset(writers) for tagged, writers in found.items()}


def _bumpers(table):
    """The tables whose triggers bump ``table``'s object tags: itself, its children, their history.

    Every write to one of them bumps its own table tag (cache_tags), so
    depending on all of theirs covers every bump of any of ``table``'s object tags.
    """
    return _bumpers_by_table().get(table, frozenset())


def _folded(tags):
    """``tags``, with a listed table's many object tags replaced as ``FOLD_OBJECT_TAGS`` says."""
    by_table = {}
    for tag in tags:
        table, colon, _pk = tag.rpartition(":")
        if colon and table in tags:
            by_table.setdefault(table, []).append(tag)
    for table, object_tags in by_table.items():
        bumpers = _bumpers(table)
        if len(object_tags) > FOLD_OBJECT_TAGS and table in bumpers:
            tags.difference_update(object_tags)
            tags.update(bumpers)
    return tags


@dataclass(frozen=True)
class Stored:
    epoch: int
    tags: tuple
    versions: tuple
    content: bytes
    headers: list


def _still_valid(stored, versions):
    return stored.epoch == versions[cache_tags.EPOCH] and stored.versions == tuple(
        versions.get(tag, 0) for tag in stored.tags
    )


def lookup(key, extra_tags=(), *, stale=None):
    """``(entry, versions)``: a stored entry still valid (or None), and the versions read (None: no rows).

    The worker's own copy first; then, with Redis, the copy every app server
    shares, kept locally once found valid. On a miss ``versions`` were read
    before rendering, as ``keep`` needs. ``extra_tags`` are read in the same
    query, for the caller's own use.

    One version query in all but one case: a worker without its own copy asks
    Redis first and reads the versions of what it found; a worker whose copy
    went stale judges the shared one by the versions just read when it depends
    on no other tag (it is the same page, rendered again), and skips it when
    it is the very copy that went stale.

    ``stale``: ``(entry, versions)``, the worker's own copy already found
    stale by ``versions`` (read for its tags and maybe more, as
    ``fragments.prefetched`` does): then no version query unless the shared
    copy depends on other tags.
    """
    local = caches[CACHE_ALIAS]
    shared_cache = caches[SHARED_ALIAS] if SHARED_ALIAS in settings.CACHES else None
    if stale is not None:
        (stored, versions), from_shared = stale, False
        asked = (*stored.tags, *extra_tags)
        if extra_tags:  # not read with the stale copy's
            versions = read_versions(asked)
            if versions is None:
                return None, None
    else:
        stored = local.get(key)
        from_shared = stored is None and shared_cache is not None
        if from_shared:
            stored = shared_cache.get(key)
        asked = (*stored.tags, *extra_tags) if stored is not None else tuple(extra_tags)
        versions = read_versions(asked)
        if versions is None:
            return None, None
        if stored is not None and _still_valid(stored, versions):
            if from_shared:
                local.set(key, stored)
            return stored, versions
    if shared_cache is None or from_shared:
        return None, versions
    shared = shared_cache.get(key)
    if shared is None or (shared.epoch, shared.tags, shared.versions) == (stored.epoch, stored.tags, stored.versions):
        return None, versions
    if not set(shared.tags) <= set(asked):
        versions = read_versions((*shared.tags, *extra_tags))
    if versions is not None and _still_valid(shared, versions):
        local.set(key, shared)
        return shared, versions
    return None, versions


def keep(key, tags, before, content, headers):
    """Store ``content`` under ``key`` unless one of ``tags`` moved since ``before`` was read; the entry, or None."""
    after = read_versions(tags)
    if after is None or after[cache_tags.EPOCH] != before[cache_tags.EPOCH]:
        return None
    started = before[cache_tags.CORPUS]
    current = tuple(after.get(tag, 0) for tag in tags)
    if any(version > started for version in current):
        return None
    entry = Stored(before[cache_tags.EPOCH], tags, current, content, headers)
    caches[CACHE_ALIAS].set(key, entry)
    if SHARED_ALIAS in settings.CACHES:
        caches[SHARED_ALIAS].set(key, entry)
    return entry
