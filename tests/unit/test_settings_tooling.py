"""Settings that only tooling reads: the JSON log format, Sentry, the debug toolbar.

Each is decided once, when settings.py runs, from the environment. The tests run
settings.py again in a fresh namespace (``runpy``) with the environment they need.
Where Django must be set up for real in a new process (dictConfig, Sentry's global
client): tests/integration/test_settings_processes.py.
"""

import importlib.util
import io
import json
import logging
import runpy
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from factcheck.logging import JsonFormatter
from factcheck.request_log import ClientErrorsOnOneLine

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "factcheck" / "settings.py"
TOOLBAR_MIDDLEWARE = "debug_toolbar.middleware.DebugToolbarMiddleware"


def _settings_with(monkeypatch, **env):
    """settings.py's names as it would define them with ``env`` (None: unset)."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def _format(record, *filters):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    for f in filters:
        handler.addFilter(f)
    handler.handle(record)
    return stream.getvalue()


# --- DJANGO_LOG_FORMAT ------------------------------------------------------------------


def test_it_logs_one_parseable_json_object_per_line():
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.makeLogRecord(
        {
            "name": "factcheck.import",
            "levelno": logging.ERROR,
            "levelname": "ERROR",
            "msg": "line one\nline two %s",
            "args": ("\u2028end",),
            "exc_info": exc_info,
            "claim_id": 42,
        }
    )
    output = _format(record)
    lines = output.splitlines()
    assert len(lines) == 1  # the message's newline, U+2028 and the traceback stay inside it
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "factcheck.import"
    assert entry["message"] == "line one\nline two \u2028end"
    assert entry["claim_id"] == 42  # extra= fields are kept
    assert "ValueError: bad\nvalue" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_it_logs_a_client_error_as_one_json_line_without_the_request_object():
    request = RequestFactory().get("/api/claims/", {"page": "x"}, HTTP_COOKIE="sessionid=secret")
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "Bad Request: %s",
            "args": ("/api/claims/",),
            "status_code": 400,
            "request": request,
        }
    )
    entry = json.loads(_format(record, ClientErrorsOnOneLine()))
    assert entry["message"] == "GET /api/claims/ 400 Bad Request"
    assert (entry["status_code"], entry["method"], entry["path"]) == (400, "GET", "/api/claims/")
    assert "request" not in entry
    assert "secret" not in json.dumps(entry)


def test_it_refuses_an_unknown_log_format(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT must be text or json; got 'xml'"):
        _settings_with(monkeypatch, DJANGO_LOG_FORMAT="xml")


# --- django-debug-toolbar -----------------------------------------------------------------


def test_it_has_no_debug_toolbar_in_the_tests():
    assert settings.DEBUG_TOOLBAR is False
    assert "debug_toolbar" not in settings.INSTALLED_APPS
    assert TOOLBAR_MIDDLEWARE not in settings.MIDDLEWARE
    with pytest.raises(NoReverseMatch):
        reverse("djdt:render_panel")


def test_it_enables_the_debug_toolbar_only_with_debug_on_outside_a_test_run(monkeypatch):
    development = _settings_with(monkeypatch, DJANGO_DEBUG="1", PYTEST_VERSION=None)
    assert development["DEBUG_TOOLBAR"] is True
    assert "debug_toolbar" in development["INSTALLED_APPS"]
    assert development["MIDDLEWARE"][0] == TOOLBAR_MIDDLEWARE
    # The toolbar needs nothing beyond 'self': its scripts and styles are static files.
    assert development["CONTENT_SECURITY_POLICY"] == settings.CONTENT_SECURITY_POLICY

    production = _settings_with(monkeypatch, DJANGO_DEBUG="0", PYTEST_VERSION=None)
    assert production["DEBUG_TOOLBAR"] is False
    assert "debug_toolbar" not in production["INSTALLED_APPS"]
    assert TOOLBAR_MIDDLEWARE not in production["MIDDLEWARE"]

    under_pytest = _settings_with(monkeypatch, DJANGO_DEBUG="1", PYTEST_VERSION="9")
    assert under_pytest["DEBUG_TOOLBAR"] is False


def test_it_runs_without_the_debug_toolbar_installed(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "debug_toolbar" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    runtime_only = _settings_with(monkeypatch, DJANGO_DEBUG="1", PYTEST_VERSION=None)
    assert runtime_only["DEBUG_TOOLBAR"] is False
    assert "debug_toolbar" not in runtime_only["INSTALLED_APPS"]


# --- REDIS_URL ----------------------------------------------------------------------------


def test_it_shares_caches_sessions_and_lockouts_through_redis_url(monkeypatch):
    found = _settings_with(monkeypatch, REDIS_URL="unix:///run/redis/redis.sock?db=2")

    redis = "django.core.cache.backends.redis.RedisCache"
    assert found["CACHES"]["default"] == {"BACKEND": redis, "LOCATION": "unix:///run/redis/redis.sock?db=2"}
    # Each worker's own copy of a page, in front of the one every server shares.
    assert found["CACHES"]["pages"]["BACKEND"] == "factcheck.cache_backends.ByteBoundedLocMemCache"
    assert found["CACHES"]["shared_pages"] == {
        "BACKEND": redis,
        "LOCATION": "unix:///run/redis/redis.sock?db=2",
        "TIMEOUT": 3600,
        "KEY_PREFIX": "pages",
    }
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert found["AXES_HANDLER"] == "axes.handlers.cache.AxesCacheHandler"


def test_it_keeps_per_process_caches_and_database_sessions_without_redis_url(monkeypatch):
    found = _settings_with(monkeypatch, REDIS_URL=None)

    assert found["CACHES"]["pages"]["BACKEND"] == "factcheck.cache_backends.ByteBoundedLocMemCache"
    assert "shared_pages" not in found["CACHES"]
    # Database sessions (Django's, read without the ORM: factcheck/sessions.py) and lockouts.
    assert found["SESSION_ENGINE"] == "factcheck.sessions" and "AXES_HANDLER" not in found


def test_it_refuses_a_redis_url_of_another_scheme(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://, rediss:// or unix://"):
        _settings_with(monkeypatch, REDIS_URL="memcached://localhost")
