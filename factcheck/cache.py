"""Readers' pages cached under the corpus version, so an edit shows at once everywhere.

The corpus version is one row in ``factcheck_corpus_version``. Database
triggers on every table of this app bump it, so no write path can leave a
cached page stale — not the pages, the admin, the corpus import, history
reverts, ``QuerySet.update()`` or raw SQL. Every cached page's key carries
the version read from the database at the start of the request; after an
edit commits, every worker of every app server computes a new key on its next
request, whatever cache backend it uses (a per-process one included: it can
only hold pages of versions nobody asks for any more).

- PostgreSQL: the trigger is a deferred constraint trigger, so the bump runs
  at COMMIT, once per transaction. The version row is locked only for the
  instant of the commit, which keeps concurrent editors from deadlocking on it,
  and readers never see a version whose data is not yet committed.
- SQLite: writers are serialised by the database anyway; the row triggers bump
  inside the writing transaction.

The version starts at a random number whenever its row is created, so a
database rebuilt from scratch (tests, benchmark) never meets pages cached for
an older one with the same counter.

A page's key holds only what its view reads: each view declares its query
parameters (``@cached_page(params=...)``), in one order with one value each
(``getlist`` ones keep theirs), and the view is handed just those, so
``?cb=<random>`` neither makes a key nor reaches a page. With the byte-bounded
backend of factcheck/cache_backends.py a worker's cache stays within its
budget whatever is asked of it.

Only anonymous reading is cached (no session or messages cookie), and a
response is stored only when nothing request-specific went into it: no
cookie set, no CSRF token or CSP nonce used, status 200. Pages rendered inside
a transaction are never stored: on SQLite they could carry data that is
later rolled back under a version number that will be reused.
"""

import contextlib
import functools
import hashlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, QueryDict
from django.urls import NoReverseMatch, reverse

from factcheck.triggers import existing_triggers

TABLE = "factcheck_corpus_version"
TRIGGER_PREFIX = "fccv_"
PG_FUNCTION = "factcheck_corpus_version_bump"
CACHE_ALIAS = "pages"
# Larger responses are served fresh each time rather than crowd the cache out.
MAX_CACHED_BYTES = 512 * 1024
# Past these a request is served fresh and never stored; no view here
# accepts more (the longest value is the evidence API's 2,000-character
# statement; /compare/ takes at most twelve sources).
MAX_PARAM_LENGTH = 2000
MAX_LIST_VALUES = 24
# Django's message framework keeps pending messages in this cookie (or the session).
MESSAGES_COOKIE = "messages"
# Tables no reader's page shows: a write there must not empty the page cache.
UNTRACKED_TABLES = {"factcheck_apitoken"}


def tracked_tables(using="default"):
    """Every table of this app's models (m2m tables included) that exists in the database."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = set()
    for model in apps.get_app_config("factcheck").get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in existing and table not in UNTRACKED_TABLES:
            tables.add(model._meta.db_table)
    return sorted(tables)


def _trigger_names(vendor, table):
    if vendor == "sqlite":
        return [f"{TRIGGER_PREFIX}{table}_{op}" for op in ("ins", "upd", "del")]
    return [f"{TRIGGER_PREFIX}{table}", f"{TRIGGER_PREFIX}{table}_trunc"]


_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Deferred row triggers all fire at COMMIT; one bump per transaction is enough.
  IF current_setting('factcheck.corpus_version_bumped', true) = 'yes' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('factcheck.corpus_version_bumped', 'yes', true);
  UPDATE {TABLE} SET value = value + 1 WHERE id = 1;
  RETURN NULL;
END $$"""


def _create_trigger_sql(vendor, table, quote):
    bump = f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1;"
    if vendor == "sqlite":
        ins, upd, dele = _trigger_names(vendor, table)
        return [
            f"CREATE TRIGGER IF NOT EXISTS {ins} AFTER INSERT ON {quote(table)} BEGIN {bump} END",
            f"CREATE TRIGGER IF NOT EXISTS {upd} AFTER UPDATE ON {quote(table)} BEGIN {bump} END",
            f"CREATE TRIGGER IF NOT EXISTS {dele} AFTER DELETE ON {quote(table)} BEGIN {bump} END",
        ]
    row, trunc = _trigger_names(vendor, table)
    return [
        f"DROP TRIGGER IF EXISTS {row} ON {quote(table)}",
        f"CREATE CONSTRAINT TRIGGER {row} AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
        # Django's flush truncates, which row triggers do not see.
        f"CREATE OR REPLACE TRIGGER {trunc} AFTER TRUNCATE ON {quote(table)} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
    ]


# Owned by migration 0008; IF NOT EXISTS because databases migrated before it
# already had the table, which this module used to create on its own.
CREATE_TABLE_SQL = f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, value bigint NOT NULL)"


def ensure_corpus_version(using="default"):
    """Create the version row and any missing trigger; returns the tables given triggers.

    Idempotent and cheap when nothing is missing; runs after every ``migrate``
    (factcheck/derived.py) because SQLite loses a table's triggers when a
    migration remakes it. Does nothing before migration 0008 made the table.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql") or TABLE not in connection.introspection.table_names():
        return []
    quote = connection.ops.quote_name
    done = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, value) SELECT 1, %s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)",
            [secrets.randbelow(2**48)],
        )
        existing = existing_triggers(cursor, TRIGGER_PREFIX)
        if vendor == "postgresql" and not existing.issuperset(
            name for t in tracked_tables(using) for name in _trigger_names(vendor, t)
        ):
            cursor.execute(_PG_FUNCTION_SQL)
        for table in tracked_tables(using):
            if existing.issuperset(_trigger_names(vendor, table)):
                continue
            for sql in _create_trigger_sql(vendor, table, quote):
                cursor.execute(sql)
            done.append(table)
    return done


def drop_corpus_triggers(using="default"):
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tracked_tables(using):
            for name in _trigger_names(connection.vendor, table):
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")


@contextlib.contextmanager
def triggers_suspended(using="default"):
    """Bulk-load without a version bump per row; one bump at the end.

    Only for loading a fresh database nobody is reading (``bench_data``):
    while suspended, edits from elsewhere would not bump the version.
    """
    drop_corpus_triggers(using)
    try:
        yield
    finally:
        ensure_corpus_version(using)
        bump(using)


def corpus_version(using="default"):
    """The current version, or None if the row is missing (nothing is cached then).

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
        return _read_version(connection)
    except (OperationalError, InterfaceError):
        if not stands_in:
            raise
        connection.close()
        return _read_version(connection)


def _read_version(connection):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


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


def bump(using="default"):
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")


# The page cache.


def _cacheable_request(request):
    if request.method != "GET" or not settings.FACTCHECK_PAGE_CACHE:
        return False
    cookies = request.COOKIES
    # A session may be a logged-in user; either cookie may carry a message to show.
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    # Inside a transaction (ATOMIC_REQUESTS, a test's atomic block) the data
    # read may not be committed yet, and may never be.
    return not connections["default"].in_atomic_block


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and getattr(request, "_csp_nonce", None) is None
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_CACHED_BYTES
    )


def _canonical_query(request, params, lists):
    """The declared parameters alone, in one order; None when too big to key on.

    A parameter the view reads with ``get`` keeps its last value (what
    ``get`` returns: ``?page=2&page=2`` is ``?page=2``); one read with
    ``getlist`` keeps its values in order. Parameters the view never reads
    are dropped, so they can neither make new keys nor reach the page.
    """
    query = QueryDict(mutable=True)
    for name in sorted({*params, *lists}):
        values = request.GET.getlist(name)
        if name not in lists:
            values = values[-1:]
        if len(values) > MAX_LIST_VALUES or any(len(value) > MAX_PARAM_LENGTH for value in values):
            return None
        if values:
            query.setlist(name, values)
    query._mutable = False
    return query


def _canonical_path(request):
    """Whether the path is the one ``reverse()`` gives (``/claims/007/`` is not): others make no key."""
    match = request.resolver_match
    if match is None or not match.view_name:  # called directly, as unit tests do
        return True
    try:
        return request.path == reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return False


def _narrow(request, query):
    """Let the view see only what the key holds: its page must not differ for a key's requests."""
    request.GET = query
    # A copy: the WSGI environ (the server's access log) keeps the query as sent.
    request.META = {**request.META, "QUERY_STRING": query.urlencode()}


def _key(request, version, query):
    # Everything an anonymous page can depend on: the database, the version,
    # scheme and host (absolute URLs in JSON), htmx or not, path and the
    # declared parameters. Not HX-Target: no cached view reads it, and a
    # header anyone can set must not make keys.
    parts = [
        str(settings.DATABASES["default"]["NAME"]),
        str(version),
        request.scheme,
        request.get_host(),
        "htmx" if request.headers.get("HX-Request") == "true" else "page",
        request.path,
        query.urlencode(),
    ]
    return "page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def cached_page(view=None, *, params=(), lists=()):
    """Serve anonymous GETs of ``view`` from the page cache, keyed by the corpus version.

    ``params`` names the query parameters the view reads with ``get``,
    ``lists`` those it reads with ``getlist``; the bare ``@cached_page`` is a
    view that reads none. Only these make the key, and the view sees only
    these (cached or not, for anonymous readers), so declare every one.

    The response carries ``X-Page-Cache: hit``, ``miss`` or ``bypass`` so
    tests and the benchmark can tell what happened.
    """
    if view is None:
        return functools.partial(cached_page, params=params, lists=lists)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return _fresh(view, request, args, kwargs)
        query = _canonical_query(request, params, lists)
        if query is None or not _canonical_path(request):
            return _fresh(view, request, args, kwargs)
        _narrow(request, query)
        version = corpus_version()
        if version is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, version, query)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            cache.set(key, (response.content, list(response.headers.items())))
            response["X-Page-Cache"] = "miss"
        else:
            response["X-Page-Cache"] = "bypass"
        return response

    return wrapper


def _fresh(view, request, args, kwargs):
    response = view(request, *args, **kwargs)
    response["X-Page-Cache"] = "bypass"
    return response
