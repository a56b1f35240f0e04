"""The one gunicorn runner: the app served by gunicorn.conf.py on a free loopback port.

Used by the benchmark (``tools/bench.py``), the load test (``tools/loadtest.py``)
and the tests that need a real server. ``app_env`` is the environment for any
process of the app against a given database (gunicorn, manage.py, a tool).
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# What a developer's shell or the browser tests (DJANGO_ALLOW_ASYNC_UNSAFE) may have set
# for themselves, never meant for a server started here; with ``clean`` every Django setting too.
_PERSONAL = ("GUNICORN_", "FACTCHECK_PAGE_CACHE", "DJANGO_ALLOW_ASYNC_UNSAFE")
_ALL_SETTINGS = ("GUNICORN_", "FACTCHECK_", "DJANGO_")


def app_env(database_url, *, clean=False, **extra):
    """The environment for a process of the app against ``database_url``; ``extra`` wins."""
    dropped = _ALL_SETTINGS if clean else _PERSONAL
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_DEBUG="0",  # served as in production
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        PYTHONDONTWRITEBYTECODE="1",
    )
    # A scratch server's sessions and signed values need not outlive it.
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    env.update(extra)
    return env


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
    """gunicorn with the project's gunicorn.conf.py, serving ``database_url`` on a free loopback port.

    ``extra_env`` overrides settings (``DJANGO_SETTINGS_MODULE="tools.bench_settings"``
    for the benchmark's server); ``clean`` drops every setting the caller's
    environment holds first. gunicorn's output goes to ``log_path`` (appended),
    else to a temporary file deleted at exit; ``log_tail()`` reads it.
    Starting waits until /healthz answers and every worker is up.
    """

    def __init__(self, database_url, *, workers=1, clean=False, log_path=None, **extra_env):
        self.port = free_port()
        self.workers = workers
        self.env = app_env(
            database_url,
            clean=clean,
            GUNICORN_BIND=f"{HOST}:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning",
            **extra_env,
        )
        self.log_path = Path(log_path) if log_path else None
        self.proc = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def __enter__(self):
        if self.log_path:
            self.log = open(self.log_path, "ab")
        else:
            self.log = tempfile.NamedTemporaryFile(prefix="factcheck-gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                self.__exit__()
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}) at start:\n{tail}")
            with contextlib.suppress(OSError):
                if self.get("/healthz").status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            time.sleep(0.2)
        tail = self.log_tail()
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz within 120 s:\n{tail}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()
            if not self.log_path:
                with contextlib.suppress(OSError):
                    os.unlink(self.log.name)

    def log_tail(self, n=3000):
        path = self.log_path or Path(self.log.name)
        with contextlib.suppress(OSError):
            if not self.log.closed:
                self.log.flush()
            return path.read_text(errors="replace")[-n:]
        return ""

    def get(self, path, headers=None):
        """One GET (redirects followed); an HTTP error status is returned, not raised."""
        request = urllib.request.Request(f"{self.url}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.headers, exc.read())

    def worker_pids(self):
        """The master's live children, read from /proc (a killed worker not yet reaped is not counted)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid and fields[0] != "Z":
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def kill_a_worker(self, rng):
        """SIGKILL one worker chosen by ``rng``; returns its pid, or None when there is none."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = rng.choice(pids)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return pid

    def wait_for_workers(self, timeout=60):
        """Whether gunicorn is back to its full count of workers within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.worker_pids()) == self.workers:
                return True
            time.sleep(0.1)
        return False

    def worker_peak_rss_mb(self):
        """Each worker's peak resident memory (VmHWM) so far, in MB, by pid."""
        peaks = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError, AttributeError):
                status = Path(f"/proc/{pid}/status").read_text()
                peaks[pid] = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
        return peaks
