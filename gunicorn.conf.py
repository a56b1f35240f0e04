"""gunicorn settings for production (`make serve-prod`) and the benchmark (`make bench`).

Every value can be overridden from the environment, like the Django settings.
Bind to loopback by default: the app is meant to sit behind a reverse proxy
that terminates TLS (set DJANGO_HTTPS=1 and DJANGO_BEHIND_PROXY=1 then).
"""

import multiprocessing
import os


def _int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}") from None


wsgi_app = "factcheck.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: requests are CPU-bound Python with short database calls, so
# one process per request in flight, about two per core.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so that a slow leak cannot grow without bound;
# the jitter keeps them from all restarting at once. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(1, max_requests // 10))

# Load Django once in the master: workers fork with it (faster restarts, shared pages).
preload_app = True
# The heartbeat file lives in memory rather than on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The proxy's address, whose X-Forwarded-* headers gunicorn believes.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's runtime control socket (gunicornc) defaults to one path per user,
# which two servers on one machine (the benchmark, the tests) would fight over:
# only with an explicit path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "factcheck"
