"""Readers' pages cached under the versions of what they show, so an edit shows at once everywhere.

Versions live in ``factcheck_cache_tag`` (factcheck/cache_tags.py): database
triggers on every declared table bump the tags a write touches — the
table's own tag and the object tags of the row and its parents — so no
write path can leave a cached page stale: not the pages, the admin, the
corpus import, history reverts, ``QuerySet.update()`` or raw SQL.

A page is stored under a key made of its request alone, with the tags it
depends on and their versions: the object tags of every row of a declared
table that the render loaded (recorded as the models are built), plus the
table tags its view declares for what it lists, counts or searches
(``@cached_page(tables=...)``). A request reads those versions in one query
and serves the stored page only if none moved; after an edit commits, every
worker of every app server sees the new versions on its next request,
whatever cache backend it uses. An edit to one claim therefore leaves an
unrelated claim's page, and every list that does not show notes, cached.

A page is stored only if no tag it depends on was bumped while it rendered
(each bump takes a new, larger value of the corpus version ``*``, read
before rendering); and the ``#epoch`` it was stored under must still hold.

A page's key holds only what its view reads: each view declares its query
parameters (``@cached_page(params=...)``), in one order with one value each
(``getlist`` ones keep theirs), and the view is handed just those, so
``?cb=<random>`` neither makes a key nor reaches a page. With the byte-bounded
backend of factcheck/cache_backends.py a worker's cache stays within its
budget whatever is asked of it.

Anonymous reading is cached for everyone (no session or messages cookie), and a
response is stored only when nothing request-specific went into it: no
cookie set, no CSRF token or CSP nonce used, status 200. A view may also
keep a logged-in user's own copy (``@cached_page(personal=True)``): keyed
besides by the user, their permissions and their CSRF secret (so the
tokens in its forms stay valid), under the same versions. Pages rendered inside
a transaction are never stored: on SQLite they could carry data that is
later rolled back under a version number that will be reused.
"""

import contextvars
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections
from django.db.models.signals import post_init
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from factcheck import cache_tags
from factcheck.cache_tags import triggers_suspended  # noqa: F401  (bench_data's entry point)

TABLE = cache_tags.TABLE
CACHE_ALIAS = "pages"
# With Redis (settings.REDIS_URL): every app server's copy, behind each worker's own.
SHARED_ALIAS = "shared_pages"
# Larger responses are served fresh each time rather than crowd the cache out.
MAX_CACHED_BYTES = 512 * 1024
# Past these a request is served fresh and never stored; no view here
# accepts more (the longest value is the evidence API's 2,000-character
# statement; /compare/ takes at most twelve sources).
MAX_PARAM_LENGTH = 2000
MAX_LIST_VALUES = 24
# Django's message framework keeps pending messages in this cookie (or the session).
MESSAGES_COOKIE = "messages"
# A page that loaded more rows than this of one table depends on the table's
# tag instead: a shorter version query, and as correct (any row's write bumps it).
MAX_OBJECT_TAGS = 100


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
    return tuple(sorted(tags))


@dataclass(frozen=True)
class Stored:
    epoch: int
    tags: tuple
    versions: tuple
    content: bytes
    headers: list


# The page cache.


def _cacheable_request(request):
    # HEAD: the same answer as GET (the server drops the body), and the same ETag.
    if request.method not in ("GET", "HEAD") or not settings.FACTCHECK_PAGE_CACHE:
        return False
    cookies = request.COOKIES
    # A session may be a logged-in user; either cookie may carry a message to show.
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    # Inside a transaction (ATOMIC_REQUESTS, a test's atomic block) the data
    # read may not be committed yet, and may never be.
    return not connections["default"].in_atomic_block


def _personal(request):
    """What makes a logged-in user's own copy of a page, besides the request; None: render it fresh.

    The user and everything the pages show of them: name, staff, permissions
    (read in one query, factcheck/auth_backends.py, and asked for by the
    page anyway). The CSRF secret, because the page's forms carry tokens
    made from it: a new login rotates it, and the copy with it. Never with
    a message waiting to be shown (in its cookie or the session).
    """
    if request.method != "GET" or not settings.FACTCHECK_PAGE_CACHE or MESSAGES_COOKIE in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    secret = request.META.get("CSRF_COOKIE")
    if user is None or not user.is_authenticated or not secret or connections["default"].in_atomic_block:
        return None
    if request.session.get("_messages"):  # django.contrib.messages' SessionStorage
        return None
    flags = f"{user.is_staff:d}{user.is_superuser:d}"
    return "\n".join([str(user.pk), user.get_username(), flags, secret, *sorted(user.get_all_permissions())])


def _cacheable_response(request, response, secret=None):
    """``secret``: a user's own copy's CSRF secret, in its key; its tokens may be used, if made from it."""
    csrf_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if secret is not None:
        csrf_used = csrf_used and request.META.get("CSRF_COOKIE") != secret
        if request.session.modified:
            return False
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not csrf_used
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


def _key(request, query, personal=None):
    # Everything an anonymous page can depend on besides the data: the
    # database, scheme and host (absolute URLs in JSON), the interface
    # language, htmx or not, path and the declared parameters. Not HX-Target: no cached view reads it, and a
    # header anyone can set must not make keys. A user's own copy: who, too.
    parts = [
        str(settings.DATABASES["default"]["NAME"]),
        request.scheme,
        request.get_host(),
        translation.get_language() or "",
        "htmx" if request.headers.get("HX-Request") == "true" else "page",
        request.path,
        query.urlencode(),
    ]
    if personal is not None:
        parts += ["personal", personal]
    return "page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _still_valid(stored, versions):
    return stored.epoch == versions[cache_tags.EPOCH] and stored.versions == tuple(
        versions.get(tag, 0) for tag in stored.tags
    )


def cached_page(view=None, *, params=(), lists=(), tables=(), personal=False):
    """Serve anonymous GETs of ``view`` from the page cache while what it shows is unchanged.

    ``params`` names the query parameters the view reads with ``get``,
    ``lists`` those it reads with ``getlist``; the bare ``@cached_page`` is a
    view that reads none. Only these make the key, and the view sees only
    these (cached or not, for anonymous readers), so declare every one.

    ``tables`` names the models whose rows the page lists, counts or searches
    by anything but a parent it loaded: any write to them evicts it. Rows the
    page loads as model instances are recorded on their own; a new child of a
    loaded row (a note on a loaded claim) bumps the row's tag.

    Answers under /api/ carry an ETag and Last-Modified made from the
    versions of their own tags (factcheck/api_http.py), and a hit matching
    the request's ``If-None-Match`` or ``If-Modified-Since`` is a 304.

    ``personal``: logged-in users get their own copy too (see ``_personal``);
    whatever else of theirs the page shows must be tagged (their watches
    are: ``cache_tags.WATCHES``).

    The response carries ``X-Page-Cache: hit``, ``miss`` or ``bypass`` so
    tests and the benchmark can tell what happened.
    """
    if view is None:
        return functools.partial(cached_page, params=params, lists=lists, tables=tables, personal=personal)
    table_tags = tuple(model._meta.db_table for model in tables)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        own = _personal(request) if personal and settings.SESSION_COOKIE_NAME in request.COOKIES else None
        if own is None and not _cacheable_request(request):
            return _fresh(view, request, args, kwargs)
        query = _canonical_query(request, params, lists)
        if query is None or not _canonical_path(request):
            return _fresh(view, request, args, kwargs)
        _narrow(request, query)
        key = _key(request, query, own)
        validators = _validators_for(request)
        stored, versions = lookup(key)
        if versions is None:
            return view(request, *args, **kwargs)
        if stored is not None:
            if validators is not None:
                etag, last_modified = validators(request, key, stored)
                early = get_conditional_response(request, etag=etag, last_modified=last_modified)
                if early is not None:
                    early["X-Page-Cache"] = "hit"
                    return _with_validators(early, etag, last_modified)
            response = HttpResponse(stored.content)
            for name, value in stored.headers:
                response[name] = value
            if own is not None:
                get_token(request)  # its forms' tokens were used: the cookie is renewed as on a render
            response["X-Page-Cache"] = "hit"
            if validators is not None:
                _with_validators(response, etag, last_modified)
            return response
        secret = request.META.get("CSRF_COOKIE") if own is not None else None  # as in the key
        recorded = {}
        token = _recording.set(recorded)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _recording.reset(token)
        entry = _cacheable_response(request, response, secret) and _store(key, response, recorded, table_tags, versions)
        response["X-Page-Cache"] = "miss" if entry else "bypass"
        if entry and validators is not None:
            _with_validators(response, *validators(request, key, entry))
        return response

    return wrapper


def _store(key, response, recorded, table_tags, before):
    """Store the page unless a tag it depends on moved while it rendered; the entry stored, or None."""
    return keep(key, _depends_on(recorded, table_tags), before, response.content, list(response.headers.items()))


def lookup(key):
    """``(entry, versions)``: a stored entry still valid (or None), and the versions read (None: no rows).

    The worker's own copy first; then, with Redis, the copy every app server
    shares, kept locally once found valid. On a miss ``versions`` were read
    before rendering, as ``keep`` needs.
    """
    local = caches[CACHE_ALIAS]
    stored = local.get(key)
    versions = read_versions(stored.tags if stored is not None else ())
    if versions is None or (stored is not None and _still_valid(stored, versions)):
        return (stored if versions is not None else None), versions
    if SHARED_ALIAS in settings.CACHES:
        shared = caches[SHARED_ALIAS].get(key)
        if shared is not None:
            versions = read_versions(shared.tags)
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


def _validators_for(request):
    if not request.path.startswith("/api/"):
        return None
    from factcheck.api_http import tagged_validators  # api_http builds on this module

    return tagged_validators


def _with_validators(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


def _fresh(view, request, args, kwargs):
    response = view(request, *args, **kwargs)
    response["X-Page-Cache"] = "bypass"
    return response
