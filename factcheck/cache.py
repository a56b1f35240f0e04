"""Readers' pages cached under the versions of what they show, so an edit shows at once everywhere.

A page is stored (factcheck/page_store.py: versions, recording, entries)
under a key made of its request alone, with the tags it depends on and their
versions: the object tags of every row of a declared table that the render
loaded, plus the table tags its view declares for what it lists, counts or
searches (``@cached_page(tables=...)``). A request reads those versions in
one query and serves the stored page only if none moved; after an edit
commits, every worker of every app server sees the new versions on its next
request. An edit to one claim therefore leaves an unrelated claim's page,
and every list that does not show notes, cached.

A page's key holds only what its view reads: each view declares its query
parameters (``@cached_page(params=...)``), in one order with one value each
(``getlist`` ones keep theirs), and the view is handed just those, so
``?cb=<random>`` neither makes a key nor reaches a page. With the byte-bounded
backend of factcheck/cache_backends.py a worker's cache stays within its
budget whatever is asked of it.

Anonymous reading is cached for everyone (no session or messages cookie), and a
response is stored only when nothing request-specific went into it: no
cookie set, no CSRF token or CSP nonce used, status 200. A view may also
keep a logged-in user's own copy (``@cached_page(personal=True)``,
factcheck/personal_pages.py). Pages rendered inside a transaction are never
stored: on SQLite they could carry data that is later rolled back under a
version number that will be reused.

The names of page_store are importable from here too, as they always were.
"""

import functools
import hashlib

from django.conf import settings
from django.db import connections
from django.http import HttpResponse, QueryDict
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from factcheck import cache_tags, personal_pages
from factcheck.cache_tags import triggers_suspended  # noqa: F401  (bench_data's entry point)
from factcheck.page_store import (  # noqa: F401  (their old home: callers import them from here)
    CACHE_ALIAS,
    MAX_OBJECT_TAGS,
    SHARED_ALIAS,
    Stored,
    _depends_on,
    _recording,
    _still_valid,
    bump,
    corpus_cache_key,
    corpus_version,
    depends_on,
    ensure_corpus_version,
    keep,
    lookup,
    read_versions,
    recording,
)
from factcheck.personal_pages import MESSAGES_COOKIE

TABLE = cache_tags.TABLE
# Larger responses are served fresh each time rather than crowd the cache out.
MAX_CACHED_BYTES = 512 * 1024
# Past these a request is served fresh and never stored; no view here
# accepts more (the longest value is the evidence API's 2,000-character
# statement; /compare/ takes at most twelve sources).
MAX_PARAM_LENGTH = 2000
MAX_LIST_VALUES = 24


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


def _cacheable_response(request, response, secret=None):
    """``secret``: a user's own copy's CSRF secret, in its key; its tokens may be used, if made from it."""
    if secret is not None:
        csrf_ok = personal_pages.csrf_token_reusable(request, secret)
    else:
        csrf_ok = not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    return (
        csrf_ok
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
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
    kwargs = tuple(sorted(match.kwargs.items()))
    return request.path == _reversed(get_script_prefix(), match.view_name, tuple(match.args), kwargs)


@functools.lru_cache(maxsize=4096)
def _reversed(prefix, view_name, args, kwargs):
    """``reverse()``, remembered: every cached page asks it on every request, and the URLconf never changes."""
    try:
        return reverse(view_name, args=args, kwargs=dict(kwargs))
    except NoReverseMatch:
        return None


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
        "htmx" if request.META.get("HTTP_HX_REQUEST") == "true" else "page",
        request.path,
        query.urlencode(),
    ]
    if personal is not None:
        parts += ["personal", personal]
    return "page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


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

    ``personal``: logged-in users get their own copy too (factcheck/personal_pages.py);
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
        own = personal_pages.identity(request) if personal and settings.SESSION_COOKIE_NAME in request.COOKIES else None
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
                # Its forms' tokens were used: the cookie is renewed as on a render. What
                # get_token() does with a secret the request already has, without masking a token.
                request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            response["X-Page-Cache"] = "hit"
            if validators is not None:
                _with_validators(response, etag, last_modified)
            return response
        secret = request.META.get("CSRF_COOKIE") if own is not None else None  # as in the key
        with recording() as recorded:
            response = view(request, *args, **kwargs)
        entry = _cacheable_response(request, response, secret) and _store(key, response, recorded, table_tags, versions)
        response["X-Page-Cache"] = "miss" if entry else "bypass"
        if entry and validators is not None:
            _with_validators(response, *validators(request, key, entry))
        return response

    return wrapper


def _store(key, response, recorded, table_tags, before):
    """Store the page unless a tag it depends on moved while it rendered; the entry stored, or None."""
    return keep(key, _depends_on(recorded, table_tags), before, response.content, list(response.headers.items()))


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
