"""Real servers for tests that need them: PostgreSQL, and gunicorn serving the app.

``postgres_server_url()`` finds a PostgreSQL server in this order: the suite's
own when DATABASE_URL points at PostgreSQL; FACTCHECK_TEST_POSTGRES_URL (which
.ci/run and `make test-pg` set); else a throwaway one started here with
tools/pgtemp.py when PostgreSQL is installed. With none of these it skips —
except under CI, where a missing server is a failure, never a silent skip.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import pgtemp  # noqa: E402

HOST = "127.0.0.1"


def is_postgres(url):
    return (url or "").startswith(("postgres://", "postgresql://", "pgsql://"))


def skip_or_fail(reason):
    """Skip locally; under CI a missing system component fails the run instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@contextlib.contextmanager
def postgres_server_url():
    suite = os.environ.get("DATABASE_URL", "")
    if is_postgres(suite):
        yield suite
        return
    configured = os.environ.get("FACTCHECK_TEST_POSTGRES_URL", "")
    if configured:
        yield configured
        return
    try:
        pgtemp.bindir()
    except pgtemp.PostgresMissing as exc:
        skip_or_fail(f"no PostgreSQL server for this test: {exc}; or set FACTCHECK_TEST_POSTGRES_URL")
    with pgtemp.running(prefix="factcheck-test-pg-") as url:
        yield url


def _admin_connection(url):
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    kwargs = {"dbname": "postgres", "autocommit": True}
    for key, param in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
        if params.get(param):
            kwargs[key] = params[param]
    return psycopg.connect(**kwargs)


@contextlib.contextmanager
def scratch_postgres(server_url, prefix="factcheck_t"):
    """A new empty database on the server of ``server_url``; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with _admin_connection(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with _admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(database_url, **extra):
    # The browser tests allow Django's ORM under Playwright's event loop in *this*
    # process; a server or command started here must run with the safety on.
    skipped = ("GUNICORN_", "FACTCHECK_PAGE_CACHE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env.update(DATABASE_URL=database_url, DJANGO_ALLOWED_HOSTS=f"{HOST},localhost", PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("DJANGO_SECRET_KEY", "test-" + "k" * 60)
    env.update(extra)
    return env


def manage(database_url, *args, **extra_env):
    """Run ``manage.py`` in its own process against ``database_url``; returns stdout."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env_for(database_url, **extra_env),
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}"
    return out.stdout


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class AppServer:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port."""

    def __init__(self, database_url, workers=1, **extra_env):
        self.port = free_port()
        self.env = env_for(
            database_url,
            GUNICORN_BIND=f"{HOST}:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning",
            **extra_env,
        )
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.proc.stdout.read().decode()[-3000:]}")
            with contextlib.suppress(OSError):
                if self.get("/healthz").status == 200:
                    return self
            time.sleep(0.2)
        self.__exit__()
        raise AssertionError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def get(self, path, headers=None):
        request = urllib.request.Request(f"http://{HOST}:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.headers, exc.read())
