"""factcheck settings, read from environment variables only.

Every variable is parsed by a small helper (factcheck/env.py) that fails loudly on a bad value,
so a typo in production is an error at start-up, not a silent default.
"""

import importlib.util
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_cache, env_int, env_list, env_url

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. `make run` and `make test` set one for you; "
            "in production set it to a long random value."
        )
    # Development only: Django's deploy check flags this prefix.
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # intcomma: counts grouped as each language writes them (1,234 · 1 234).
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "csp",
    "axes",
    # Background work (intake): Django 6's tasks interface, and its database queue.
    "django_tasks",
    "django_tasks_db",
    "factcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the django_language cookie, else Accept-Language (factcheck/interface_language.py).
    "django.middleware.locale.LocaleMiddleware",
    "factcheck.interface_language.api_in_english_middleware",
    "django.middleware.common.CommonMiddleware",
    # CORS, ETag/304 and rate limits for /api/ (factcheck/api_http.py).
    "factcheck.api_http.api_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factcheck.htmx_vary.vary_on_htmx_middleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL comes in through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'factcheck.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock at BEGIN so two writers queue
    # instead of failing half-way with "database is locked".
    # Connections persist like PostgreSQL's (DJANGO_CONN_MAX_AGE): opening one
    # and running the PRAGMAs costs more than a cached page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles a plan whose estimated cost passes jit_above_cost: 10-25 ms
    # spent before a search or the speakers' query (an empty table's guesses)
    # that then runs in under 1 ms. None of the app's queries gains from it.
    # Added to any startup options DATABASE_URL gives (?options=...), not in their place.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Editors land on the review queue after logging in, readers on the home page (views.desk.DeskLoginView).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The interface's languages; the public URLs carry none (no i18n_patterns), see docs/development.md.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ru", "Русский"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English keeps the house style ("15 October 2025"); other languages use Django's own formats.
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded originals (factcheck/models/intake.py), through the "default" storage above:
# swap its BACKEND for an S3-compatible one to keep them off the app servers (docs/intake.md).
MEDIA_ROOT = os.environ.get("FACTCHECK_MEDIA_ROOT", "").strip() or str(BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
# Intake takes documents up to this size (the extraction library's own limit is the ceiling);
# /sources/add/ refuses a larger upload from its Content-Length, before reading it.
FACTCHECK_INTAKE_MAX_BYTES = env_int("FACTCHECK_INTAKE_MAX_BYTES", 25 * 1024 * 1024)
# Uploads above 2.5 MB go to a temporary file, not memory (Django's default, said here because intake relies on it).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background tasks: a database queue (`manage.py db_worker`, started by `make run`), so one
# machine needs no broker; under a test runner they run at once, inside the request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FACTCHECK_TASKS_BACKEND", "").strip()
        or (
            "django_tasks.backends.immediate.ImmediateBackend"
            if "PYTEST_VERSION" in os.environ
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# History rows record who made a change; the middleware fills it in.
SIMPLE_HISTORY_REVERT_DISABLED = False

FACTCHECK_PAGE_SIZE = env_int("FACTCHECK_PAGE_SIZE", 25)
# API requests per client per window (factcheck/api_http.py); 0: no limit. Off under a test
# runner, as DEBUG_TOOLBAR below, but for the test that sets it.
FACTCHECK_API_RATE_LIMIT = env_int("FACTCHECK_API_RATE_LIMIT", 0 if "PYTEST_VERSION" in os.environ else 300)
FACTCHECK_API_RATE_WINDOW = env_int("FACTCHECK_API_RATE_WINDOW", 60)


# The organisation that publishes the fact checks, as ClaimReview names it
# (factcheck/claimreview.py). A blank URL is the site's own root; a blank logo is left out.
FACTCHECK_PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "").strip() or "factcheck"
FACTCHECK_PUBLISHER_URL = env_url("FACTCHECK_PUBLISHER_URL")
FACTCHECK_PUBLISHER_LOGO = env_url("FACTCHECK_PUBLISHER_LOGO")

# The desk (docs/editors.md, docs/operations.md). Two-person publishing unless a small desk opts out.
FACTCHECK_ONE_STEP_PUBLISHING = env_bool("FACTCHECK_ONE_STEP_PUBLISHING", False)
# Links in emails and webhooks are absolute: the address readers reach the site at.
FACTCHECK_SITE_URL = os.environ.get("FACTCHECK_SITE_URL", "").strip() or "http://localhost:8000"
# The review queue: a claim is stale when its newest statement is older than this;
# its evidence is new when an assertion was added within this many days.
FACTCHECK_STALE_DAYS = env_int("FACTCHECK_STALE_DAYS", 365)
FACTCHECK_NEW_EVIDENCE_DAYS = env_int("FACTCHECK_NEW_EVIDENCE_DAYS", 14)
# The outbox worker: a failed email or webhook call is retried after 1, 2, 4… times this, then logged as failed.
FACTCHECK_DELIVERY_MAX_ATTEMPTS = env_int("FACTCHECK_DELIVERY_MAX_ATTEMPTS", 5)
FACTCHECK_DELIVERY_BACKOFF_SECONDS = env_int("FACTCHECK_DELIVERY_BACKOFF_SECONDS", 60)
FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = env_int("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS", 10)
# The console in development; SMTP (EMAIL_HOST, EMAIL_PORT, ...) in production.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "factcheck <factcheck@localhost>"

# A client error (4xx) is one line, "GET /api/claims/ 400 Bad parameter — page: …"; only a
# server error (5xx) carries its traceback (factcheck/request_log.py). The filter sits on
# django.request, so every handler gets the short record, and on the console handler, for
# django.security.<exception> records that reach it from loggers named per exception.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "factcheck.request_log.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "loggers": {"django.request": {"filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# DJANGO_LOG_FORMAT=json: one JSON object per line (time, level, logger, message, and any
# extra fields) for a log collector; plain text otherwise.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be text or json; got {os.environ['DJANGO_LOG_FORMAT']!r}")
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {"()": "factcheck.logging.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"

# Errors to Sentry only when SENTRY_DSN is set; never personal data (no user, cookies, bodies).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT") or None,
    )

# Security: content security policy and login throttling (see README, "Security and reliability").

# No inline script or style anywhere: htmx is loaded from our own static files
# and configured by <meta name="htmx-config"> not to inject its indicator style
# or to eval; the admin's scripts are files too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read without building an ORM query (factcheck/sessions.py).
SESSION_ENGINE = "factcheck.sessions"
# The language the switcher chose: no script reads it, and no other site's request carries it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

AUTHENTICATION_BACKENDS = [
    # Refuses a login for a locked-out username + IP before the password is checked.
    "factcheck.auth_backends.ThrottlingBackend",
    # ModelBackend with a user's permissions in one query (every editor's page reads them).
    "factcheck.auth_backends.OneQueryModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5)
# A locked username + IP pair unlocks by itself after this.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15))
# Per username *and* IP: one attacker cannot lock an editor out from everywhere,
# and guessing many usernames from one IP still locks each pair.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "factcheck.auth_backends.locked_out"
AXES_RESET_ON_SUCCESS = True
# Whose address counts: see factcheck.auth_backends.client_ip.
AXES_CLIENT_IP_CALLABLE = "factcheck.auth_backends.client_ip"
FACTCHECK_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
AXES_VERBOSE = False

# django-debug-toolbar for `make run`: DJANGO_DEBUG=1 and the development requirements
# installed. Never under a test runner (pytest sets PYTEST_VERSION, also for the servers
# tests start), never in production, where DEBUG is off and the package is not installed.
DEBUG_TOOLBAR = (
    DEBUG
    and not (sys.argv[1:2] == ["test"] or "PYTEST_VERSION" in os.environ)
    and importlib.util.find_spec("debug_toolbar") is not None
)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # Outermost, as its docs ask: it times the rest, and what it injects is never cached.
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]
    # CONTENT_SECURITY_POLICY stays as it is: the toolbar's scripts, styles and fonts are
    # files under /static/ ('self'), and it styles through the DOM, not style="" attributes.

# Production: HTTPS and caches (see README, "Production" and "Performance").

# HTTPS: on in production (README). Off by default so that `make run`, the
# tests and the loopback benchmark work over plain HTTP.
if env_bool("DJANGO_HTTPS", False):
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    # Load balancers probe health over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (never trust it otherwise).
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# "default" is for anything that must be shared between workers: set
# DJANGO_CACHE_URL to a file or Redis cache when running several. "pages" is
# the readers' page cache (factcheck/cache.py): a stored page is served only
# while the versions it was stored with, read from the database, hold, so a
# per-process cache is safe there.
# REDIS_URL (redis://, rediss:// or unix://PATH) is the production shape: one
# Redis shared by every app server holds both caches, the sessions (with the
# database behind them) and the login throttle's counts, so a login, a
# lockout and a cached page hold on every server (docs/operations.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}")
CACHES = {
    "default": env_cache("DJANGO_CACHE_URL", REDIS_URL or "locmem://default"),
    "pages": env_cache("FACTCHECK_PAGE_CACHE_URL", "locmem://pages?timeout=3600"),
}
if REDIS_URL:
    # Each worker keeps its own copy of the pages it served (a hit costs no round trip to
    # Redis) in front of one shared by every server (an edit costs one render, not one per worker).
    CACHES["shared_pages"] = env_cache("FACTCHECK_SHARED_PAGE_CACHE_URL", REDIS_URL)
    CACHES["shared_pages"].update(TIMEOUT=3600, KEY_PREFIX="pages")
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
# A per-process page cache holds at most FACTCHECK_PAGE_CACHE_MB in each
# worker, evicting the least recently used pages past it: a count of entries
# bounds nothing when one page is a 470 KB source. Redis bounds itself with
# its own maxmemory and an LRU policy (README, "Production").
if CACHES["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    _page_cache_mb = env_int("FACTCHECK_PAGE_CACHE_MB", 64)
    if _page_cache_mb < 1:
        raise ImproperlyConfigured(f"FACTCHECK_PAGE_CACHE_MB must be at least 1; got {_page_cache_mb}")
    CACHES["pages"]["BACKEND"] = "factcheck.cache_backends.ByteBoundedLocMemCache"
    CACHES["pages"]["MAX_BYTES"] = _page_cache_mb * 2**20
FACTCHECK_PAGE_CACHE = env_bool("FACTCHECK_PAGE_CACHE", True)
