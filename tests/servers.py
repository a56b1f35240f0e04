"""Real servers for tests that need them: finding PostgreSQL, running the app's programs.

gunicorn itself is ``tools.appserver.AppServer`` and a scratch database
``tools.scratchdb.scratch_database``, shared with the benchmark and the load test.

``postgres_server_url()`` finds a PostgreSQL server in this order: the suite's
own when DATABASE_URL points at PostgreSQL; FACTCHECK_TEST_POSTGRES_URL (which
.ci/run and `make test-pg` set); else a throwaway one started here with
tools/pgtemp.py when PostgreSQL is installed. With none of these it skips —
except under CI, where a missing server is a failure, never a silent skip.
``redis_server_url()`` does the same for Redis: FACTCHECK_TEST_REDIS_URL
(.ci/run starts one), else a throwaway one from tools/redistemp.py.
"""

import contextlib
import os
import subprocess
import sys

import pytest

from tools import pgtemp, redistemp, tempserver
from tools.appserver import ROOT, app_env
from tools.scratchdb import is_postgres


def skip_or_fail(reason):
    """Skip locally; under CI a missing system component fails the run instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@contextlib.contextmanager
def _server_url(variable, what, running):
    """``variable``'s URL if set, else a throwaway server from ``running`` (tools/tempserver.py)."""
    configured = os.environ.get(variable, "")
    if configured:
        yield configured
        return
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(running())
        except tempserver.ProgramMissing as exc:
            skip_or_fail(f"no {what} for this test: {exc}; or set {variable}")
        yield url


def postgres_server_url():
    suite = os.environ.get("DATABASE_URL", "")
    if is_postgres(suite):
        return contextlib.nullcontext(suite)
    return _server_url("FACTCHECK_TEST_POSTGRES_URL", "PostgreSQL server", pgtemp.running)


def redis_server_url():
    return _server_url("FACTCHECK_TEST_REDIS_URL", "Redis", redistemp.running)


def _run(database_url, args, extra_env):
    out = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=app_env(database_url, **extra_env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stderr[-3000:]}"
    return out.stdout


def manage(database_url, *args, **extra_env):
    """Run ``manage.py`` in its own process against ``database_url``; returns stdout."""
    return _run(database_url, ["manage.py", *args], extra_env)


def tool(database_url, module, *args, **extra_env):
    """Run ``python -m tools.<module>`` in its own process against ``database_url``; returns stdout."""
    return _run(database_url, ["-m", f"tools.{module}", *args], extra_env)
