"""The helpers settings.py reads environment variables through.

Each fails loudly (ImproperlyConfigured, naming the variable and the value it
got) on a value it cannot parse, so a typo in production is an error at
start-up, not a silent default. They read ``os.environ`` when called: tests
run settings.py again (``runpy``) under other environments.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name, default=""):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL; got {raw!r}")
    return raw


def env_cache(name, default):
    """A cache from a URL: ``locmem://NAME``, ``file:///ABS/PATH``, ``redis://HOST:PORT/DB``, ``dummy://``.

    ``?max_entries=N&timeout=SECONDS`` tune it.
    """
    from urllib.parse import parse_qs, urlencode, urlsplit

    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    # Redis keeps its own parameters (?db=N); timeout and max_entries are Django's.
    redis_query = urlencode({k: v for k, v in query.items() if k not in ("timeout", "max_entries")})
    redis_location = raw.split("?")[0] + (f"?{redis_query}" if redis_query else "")
    backends = {
        "locmem": ("django.core.cache.backends.locmem.LocMemCache", parts.netloc),
        "file": ("django.core.cache.backends.filebased.FileBasedCache", parts.path),
        "redis": ("django.core.cache.backends.redis.RedisCache", redis_location),
        "rediss": ("django.core.cache.backends.redis.RedisCache", redis_location),
        "unix": ("django.core.cache.backends.redis.RedisCache", redis_location),
        "dummy": ("django.core.cache.backends.dummy.DummyCache", ""),
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(f'{s}://' for s in backends)}; got {raw!r}"
        )
    if parts.scheme == "file" and not parts.path.startswith("/"):
        raise ImproperlyConfigured(f"{name}: a file cache needs an absolute path, as in file:///var/cache/factcheck")
    if parts.scheme.startswith("redis") or parts.scheme == "unix":
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ImproperlyConfigured(f"{name} asks for Redis; install the redis package first") from None
    backend, location = backends[parts.scheme]
    config = {"BACKEND": backend, "LOCATION": location}
    try:
        if "timeout" in query:
            config["TIMEOUT"] = int(query["timeout"])
        if "max_entries" in query:
            config["OPTIONS"] = {"MAX_ENTRIES": int(query["max_entries"])}
    except ValueError:
        raise ImproperlyConfigured(f"{name}: timeout and max_entries must be whole numbers; got {raw!r}") from None
    return config
