"""How every answer under /api/ is served: CORS, conditional requests, rate limits.

- CORS: anonymous reads (GET, HEAD, and their preflight OPTIONS) answer
  ``Access-Control-Allow-Origin: *`` and never ``Allow-Credentials``: a
  browser sends no cookie with such a request, so another site can read
  exactly what an anonymous visitor sees. Writes (POST) get no CORS header at
  all, and their preflight is refused: integrations call them from servers,
  with a token.
- Conditional requests: a read's ETag and Last-Modified derive from the
  versions of the cache tags its answer depends on (factcheck/cache_tags.py:
  the claim, its topic, sources and speakers, or the tables a list shows),
  plus the path, the query and the API document's fingerprint, so a note on
  one claim leaves every other claim's ETag as it was. A matching
  ``If-None-Match`` (or a later ``If-Modified-Since``) is a 304 from the
  page cache, before the view runs (``tagged_validators``). An answer the
  page cache does not hold (a HEAD with a session, one too large to store)
  falls back to the corpus version ``*`` that every write bumps.
- Rate limits: ``FACTCHECK_API_RATE_LIMIT`` requests per
  ``FACTCHECK_API_RATE_WINDOW`` seconds per client (token, else IP), counted
  in the "default" cache, so servers sharing a Redis cache share the count.
  Past it: 429 with ``Retry-After``. 0 turns them off (the test settings).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from factcheck import cache as page_cache
from factcheck import openapi
from factcheck.auth_backends import client_ip
from factcheck.shapes import error_json

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
ALLOWED_HEADERS = "Accept, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, Link"
PREFLIGHT_MAX_AGE = "86400"
# Validators' first-seen times a worker keeps (_first_seen).
SEEN_REMEMBERED = 4096
_seen = {}


def _token_prefix(request):
    # request.META, not request.headers, here and below: a cache hit need not build every header's mapping.
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    return auth[7:19] if auth.startswith("Bearer ") else ""


def _is_anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def _preflight(request):
    response = HttpResponse(status=204)
    wanted = request.headers.get("Access-Control-Request-Method", "").upper()
    response["Allow"] = "GET, HEAD, OPTIONS, POST"
    if wanted in READ_METHODS or not wanted:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def _clock():
    """The time the rate limit's windows are cut from (a seam for tests)."""
    return time.time()


def _count(store, key, *, timeout):
    """How many requests ``key`` has counted, this one included; the count lives ``timeout`` seconds."""
    if isinstance(store, RedisCache):
        # One round trip on Redis, where add() and incr() take three (incr() asks whether
        # the key exists first): set the window's key if it is new, then count. A script,
        # not a pipeline: redis-py copies its ~170 reply parsers into every new pipeline.
        # The client is Django's own, pooled per cache; integers are stored as they are.
        full_key = store.make_and_validate_key(key)
        return _count_script()(keys=[full_key], args=[timeout], client=_writer(store._cache))
    # add() then incr(): atomic within one process (the per-process cache); the key outlives its window.
    store.add(key, 0, timeout=timeout)
    try:
        return store.incr(key)
    except ValueError:  # evicted between add and incr
        store.set(key, 1, timeout=timeout)
        return 1


def _writer(cache_client):
    """Django's ``get_client(write=True)``, kept: it makes a new client (and its parsers' table) every call."""
    pool = cache_client._get_connection_pool(True)
    client = _writers.get(pool)
    if client is None:
        client = _writers[pool] = cache_client.get_client(write=True)
    return client


_writers = {}  # connection pool -> its client; a cache has one writing pool


@functools.cache
def _count_script():
    from redis.commands.core import Script

    # EVALSHA, loaded again by redis-py whenever the server has forgotten it.
    return Script(None, b"redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX') return redis.call('INCR', KEYS[1])")


def _rate_limited(request):
    """None, or the 429 when the client has used up its window; counts this request."""
    limit = settings.FACTCHECK_API_RATE_LIMIT
    if not limit:
        return None
    window = settings.FACTCHECK_API_RATE_WINDOW
    now = _clock()
    start = int(now // window) * window
    prefix = _token_prefix(request)
    who = f"token:{prefix}" if prefix else f"ip:{client_ip(request)}"
    key = "ratelimit:" + hashlib.blake2b(f"{who}:{start}".encode(), digest_size=12).hexdigest()
    used = _count(caches["default"], key, timeout=window + 1)
    request.rate_limit_remaining = max(0, limit - used)
    if used <= limit:
        return None
    retry_after = max(1, int(start + window - now + 0.999))
    message = f"Too many requests: at most {limit} every {window} seconds. Try again in {retry_after} s."
    response = JsonResponse(error_json(message, 429), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def tagged_validators(request, key, entry):
    """``(etag, last_modified)`` of an answer the page cache stored: from its tags' versions."""
    versions = "\n".join(f"{tag}={version}" for tag, version in zip(entry.tags, entry.versions, strict=True))
    parts = [key, str(entry.epoch), versions, openapi.fingerprint()]
    etag = '"' + hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest() + '"'
    return etag, _first_seen(etag)


def _first_seen(name):
    # A version has no timestamp of its own: the first time any worker served it stands in.
    # Shared between servers when the default cache is. Once read it never changes (the
    # name holds the versions), so each worker remembers it: an API hit then costs no
    # round trip to Redis for it.
    seen = _seen.get(name)
    if seen is None:
        seen = caches["default"].get_or_set(f"validator-seen:{name}", int(time.time()), timeout=None)
        if len(_seen) >= SEEN_REMEMBERED:
            _seen.clear()  # bounded: a worker relearns the names it still serves, one read each
        _seen[name] = seen
    return seen


def _validators(request):
    """``(etag, last_modified)`` of a read, or ``(None, None)`` when the corpus version is unknown."""
    key = page_cache.corpus_cache_key("api")
    if key is None:
        return None, None
    parts = [key, openapi.fingerprint(), request.scheme, request.get_host(), request.path, request.GET.urlencode()]
    if not request.path.startswith(PREFIX):
        # An embed is in its reader's language (the API always in English): one ETag per language.
        parts.append(translation.get_language() or "")
    etag = '"' + hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest() + '"'
    return etag, _first_seen(key)


def api_middleware(get_response):
    def middleware(request):
        if not request.path.startswith(PREFIX):
            return get_response(request)
        if request.method == "OPTIONS":
            return _preflight(request)
        limited = _rate_limited(request)
        if limited is not None:
            return _finish(request, limited)
        response = get_response(request)
        etag = last_modified = None
        # An answer from the page cache came with its tags' validators (and any 304); others follow the corpus.
        if request.method in READ_METHODS and response.status_code == 200 and not response.has_header("ETag"):
            etag, last_modified = _validators(request)
            if etag is not None:
                response = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        return _finish(request, response, etag, last_modified)

    return middleware


def conditional_on_corpus(view):
    """ETag, Last-Modified and 304 as the API has them, for a page outside /api/ that follows the corpus alone.

    The share cards and embeds: crawlers and the sites that frame them revalidate instead of downloading again.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return view(request, *args, **kwargs)
        etag, last_modified = _validators(request)
        if etag is not None:
            early = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if early is not None:
                early["ETag"] = etag
                return early
        response = view(request, *args, **kwargs)
        if etag is not None and response.status_code == 200:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
        return response

    return wrapper


def _finish(request, response, etag=None, last_modified=None):
    if request.method in READ_METHODS:
        if etag is not None and response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
        if _is_anonymous(request):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        # The same URL answers with and without CORS headers, by credentials.
        patch_vary_headers(response, ("Authorization", "Cookie"))
    remaining = getattr(request, "rate_limit_remaining", None)
    if remaining is not None:
        response["X-RateLimit-Limit"] = str(settings.FACTCHECK_API_RATE_LIMIT)
        response["X-RateLimit-Remaining"] = str(remaining)
    return response
