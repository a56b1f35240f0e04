"""A throwaway Redis server for tests, CI and the benchmark, as tools/pgtemp.py is for PostgreSQL.

    python -m tools.redistemp start DIR   # start; prints a REDIS_URL
    python -m tools.redistemp url DIR     # the REDIS_URL of a running one
    python -m tools.redistemp stop DIR    # stop it (DIR is left for you to delete)

The server listens only on a Unix socket inside DIR (no TCP port to clash
with) and keeps nothing on disk: no snapshots, no append-only file. Debian's
``redis-server`` package provides the program (or ``REDISTEMP_SERVER``).
Standard library only, so ``.ci/run`` can call it before any virtual
environment exists.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from . import tempserver  # relative, as in tools/pgtemp.py

SOCKET = "redis.sock"
PIDFILE = "redis.pid"


class RedisMissing(tempserver.ProgramMissing):
    """redis-server is not installed."""


def server_program():
    found = os.environ.get("REDISTEMP_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(found).exists():
        raise RedisMissing("redis-server is not installed; on Debian: apt-get install redis-server")
    return found


def url(directory):
    """The REDIS_URL of the server in ``directory`` (database 0)."""
    return f"unix://{Path(directory).resolve() / SOCKET}?db=0"


def _answers(path):
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(1)
        conn.connect(str(path))
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


def start(directory, timeout=30):
    """Start a server in ``directory`` unless one answers there already; returns its URL."""
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    sock = directory / SOCKET
    if _answers(sock):
        return url(directory)
    args = [
        server_program(),
        "--port", "0",  # no TCP
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(directory),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "yes",
        "--pidfile", str(directory / PIDFILE),
        "--logfile", str(directory / "redis.log"),
    ]  # fmt: skip
    try:
        subprocess.run(args, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        output = exc.stderr.strip() or exc.stdout.strip()
        raise RuntimeError(f"redis-server failed ({exc.returncode}): {output}") from None
    deadline = time.monotonic() + timeout
    while not _answers(sock):
        if time.monotonic() > deadline:
            tail = tempserver.log_tail(directory / "redis.log")
            raise RuntimeError(f"redis-server did not answer on {sock} within {timeout} s\n{tail}".strip())
        time.sleep(0.05)
    return url(directory)


def stop(directory):
    pidfile = Path(directory).resolve() / PIDFILE
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    pidfile.unlink(missing_ok=True)
    return True


# A server in a fresh temporary directory, stopped and deleted afterwards: ``with running() as url:``.
running = tempserver.runner(start, stop, prefix="factcheck-redis-")
main = tempserver.command("redistemp", __doc__, start=start, stop=stop, url=url)

if __name__ == "__main__":
    main()
