"""A scratch database for the load test and the tests: created empty, dropped afterwards.

``scratch_database(base_url)`` makes a new database of the kind ``base_url``
names: on the same PostgreSQL server when it is a PostgreSQL URL, else a
SQLite file in a temporary directory. The database ``base_url`` names is
never touched.
"""

import contextlib
import shutil
import tempfile
import uuid
from urllib.parse import urlsplit, urlunsplit


def is_postgres(url):
    return (url or "").startswith(("postgres://", "postgresql://", "pgsql://"))


def _admin_connection(server_url):
    """An autocommit connection to the server's ``postgres`` database (CREATE DATABASE cannot run in a transaction)."""
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(server_url)
    kwargs = {"dbname": "postgres", "autocommit": True}
    for key, param in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
        if params.get(param):
            kwargs[key] = params[param]
    return psycopg.connect(**kwargs)


@contextlib.contextmanager
def scratch_database(base_url="", prefix="factcheck_scratch"):
    """A DATABASE_URL for a new, empty database; dropped or deleted afterwards."""
    if is_postgres(base_url):
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with _admin_connection(base_url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
        finally:
            with _admin_connection(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        directory = tempfile.mkdtemp(prefix=f"{prefix}-")
        try:
            yield f"sqlite:///{directory}/scratch.sqlite3"
        finally:
            shutil.rmtree(directory, ignore_errors=True)
