"""The lifecycle every throwaway server here shares (tools/pgtemp.py, tools/redistemp.py).

Each server lives in a directory of its own, listens only on a Unix socket
there, and is driven by three functions its module gives: ``start(DIR)``
(returns its URL), ``stop(DIR)`` and ``url(DIR)``. This module wraps them in
the command line (``python -m tools.<name> start|stop|url DIR``), in a
context manager over a fresh temporary directory, and words their failures.
Standard library only, like the modules using it: ``.ci/run`` calls them
before any virtual environment exists.
"""

import argparse
import contextlib
import functools
import shutil
import sys
import tempfile
from pathlib import Path


class ProgramMissing(RuntimeError):
    """The server's programs are not installed."""


def log_tail(path, limit=2000):
    """The end of the server's log, to quote in an error; "" when there is none."""
    path = Path(path)
    return path.read_text(errors="replace")[-limit:] if path.exists() else ""


def runner(start, stop, prefix):
    """``running(prefix=...)``: a server in a fresh temporary directory, stopped and deleted afterwards."""

    @contextlib.contextmanager
    def running(prefix=prefix):
        directory = tempfile.mkdtemp(prefix=prefix)
        try:
            yield start(directory)
        finally:
            with contextlib.suppress(Exception):
                stop(directory)
            shutil.rmtree(directory, ignore_errors=True)

    return running


def command(name, doc, *, start, stop, url):
    """``main(argv=None)`` for ``python -m tools.<name> start|stop|url DIR``."""
    return functools.partial(_main, name, doc, start=start, stop=stop, url=url)


def _main(name, doc, *, start, stop, url, argv=None):
    parser = argparse.ArgumentParser(prog=f"python -m tools.{name}", description=doc.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument("directory")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            print(start(args.directory))
        elif args.action == "stop":
            stop(args.directory)
        else:
            print(url(args.directory))
    except RuntimeError as exc:  # ProgramMissing included
        sys.exit(f"{name}: {exc}")
