"""A throwaway PostgreSQL server for tests, CI and the benchmark.

    python -m tools.pgtemp start DIR   # initdb + start; prints a DATABASE_URL
    python -m tools.pgtemp url DIR     # the DATABASE_URL of a running one
    python -m tools.pgtemp stop DIR    # stop it (DIR is left for you to delete)

The server listens only on a Unix socket inside DIR (no TCP port to clash
with), trusts local connections, and runs with fsync off: its data is thrown
away. PostgreSQL refuses to run as root, so as root the cluster is created
and run by the ``postgres`` user that Debian's package creates (or
``PGTEMP_USER``). Standard library only, so ``.ci/run`` can call it before any
virtual environment exists.
"""

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

# Relative: ``-m tools.pgtemp`` runs inside the package, and the import stays standard-library-only.
from . import tempserver

SUPERUSER = "factcheck"
DATABASE = "factcheck"


class PostgresMissing(tempserver.ProgramMissing):
    """PostgreSQL's server programs are not installed."""


def bindir():
    """The directory holding initdb and pg_ctl, newest version first."""
    env = os.environ.get("PGTEMP_BINDIR")
    if env:
        return Path(env)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresMissing(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed; on Debian: apt-get install postgresql"
    )


def _run_as():
    """``(uid, gid)`` to run the server as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("PGTEMP_USER", "postgres")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise PostgresMissing(
            f"running as root, and there is no {name!r} user to run PostgreSQL as "
            "(installing Debian's postgresql package creates it; or set PGTEMP_USER)"
        ) from None
    return entry.pw_uid, entry.pw_gid


def _call(args, owner, **kwargs):
    user_kwargs = {}
    if owner is not None:
        user_kwargs = {"user": owner[0], "group": owner[1], "extra_groups": []}
    return subprocess.run(args, check=True, capture_output=True, text=True, **user_kwargs, **kwargs)


def url(directory, database=DATABASE):
    """The DATABASE_URL for ``database`` on the server in ``directory``."""
    socket_dir = quote(str(Path(directory).resolve()), safe="")
    return f"postgres://{SUPERUSER}@{socket_dir}/{database}"


def start(directory):
    """Start the cluster in ``directory``, creating it first if there is none; returns its URL."""
    directory = Path(directory).resolve()
    bins = bindir()
    owner = _run_as()
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    if owner is not None:
        os.chown(directory, *owner)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        fresh = not (data / "PG_VERSION").exists()
        if fresh:
            _call(
                [bins / "initdb", "-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"],
                owner,
                env=env,
                cwd=directory,
            )
        options = (
            f"-k {directory} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB"
        )
        _call(
            [bins / "pg_ctl", "-D", data, "-o", options, "-l", directory / "server.log", "-w", "-t", "60", "start"],
            owner,
            env=env,
            cwd=directory,
        )
        if fresh:
            _call([bins / "createdb", "-h", directory, "-U", SUPERUSER, DATABASE], owner, env=env, cwd=directory)
    except subprocess.CalledProcessError as exc:
        tail = tempserver.log_tail(directory / "server.log")
        raise RuntimeError(
            f"{Path(exc.cmd[0]).name} failed ({exc.returncode}): {exc.stderr.strip()}\n{tail}".strip()
        ) from None
    return url(directory)


def stop(directory):
    directory = Path(directory).resolve()
    data = directory / "data"
    if not (data / "postmaster.pid").exists():
        return False
    _call([bindir() / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], _run_as(), cwd=directory)
    return True


# A server in a fresh temporary directory, stopped and deleted afterwards: ``with running() as url:``.
running = tempserver.runner(start, stop, prefix="factcheck-pg-")
main = tempserver.command("pgtemp", __doc__, start=start, stop=stop, url=url)

if __name__ == "__main__":
    main()
