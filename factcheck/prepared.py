"""Prepared statements for a page's hot queries on PostgreSQL.

Django's psycopg cursors bind parameters on the client: every query reaches
the server as new text and is parsed and planned again. For the claim and
source pages' queries planning cost the server more than running them (the
claim with its joins: 0.37 ms a run, 0.05 ms once prepared; the source's
statements 0.82 against 0.41), and with ``CONN_MAX_AGE`` a worker keeps its
connection, so a statement prepared once serves every later request of that
connection. Within ``prepared_statements()`` the connection's cursors bind on
the server and prepare what they run; they are still Django's cursors
(execute wrappers, query counts and logging see them). Only code whose
parameters PostgreSQL can type from their context belongs in the block (a
bare ``%s`` in a select list or a ``UNION`` may fail to prepare): the ORM's
lookups on columns, and raw SQL comparing columns with parameters.

psycopg keeps at most ``prepared_max`` (100) statements a connection and
drops them all after a rollback or a schema change; SQLite needs none of this.
"""

import functools
from contextlib import contextmanager

from django.db import connection

# The connection's prepare_threshold is None unless settings give one: psycopg
# then prepares nothing, even when asked. This count is never reached by the
# ordinary (client-binding) cursors, which never prepare anyway.
_THRESHOLD_NEVER_REACHED = 2**31 - 1


class _Executed:
    """What Django's query log reads from a psycopg cursor (``_query.query``), for a prepared one."""

    def __init__(self, query, params):
        self.query = query
        self.params = params


@functools.cache  # built once, on first use: only PostgreSQL has the classes
def _preparing_cursor_classes():
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg import _queries

    # psycopg turns a query's %s into $1... by parsing its text, and remembers
    # the result only for texts under 4 KB with at most 50 parameters; the
    # claim page's timeline statements are longer (their id lists padded up
    # to 64), so each run parsed them again: ~0.3 ms a statement, more than
    # PostgreSQL took to run it. The block's statements are a fixed set
    # (compiled once, see compiled_queries.py and history.py): remember any.
    convert = functools.lru_cache(maxsize=256)(_queries._query2pg_nocache)

    class RememberedQuery(_queries.PostgresQuery):
        __slots__ = ()

        def convert(self, query, vars):
            if vars is None or not isinstance(query, str | bytes):
                return super().convert(query, vars)
            self.query, self._want_formats, self._order, self._parts = convert(
                self._ensure_bytes(query), self._tx.encoding
            )
            self.dump(vars)

    class PreparingCursor(ServerBindingCursor):
        _query_cls = RememberedQuery

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    class LoggedPreparingCursor(PreparingCursor):
        # A prepared statement's run keeps no text of its own: the query log
        # (DEBUG, tests' query counts) gets the statement with its values
        # inlined, as the client-binding cursors give it.
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, binary=binary)
            self._query = _Executed(connection.ops.compose_sql(query, params).encode(), params)
            return self

    return PreparingCursor, LoggedPreparingCursor


@contextmanager
def prepared_statements():
    """Run the block's queries as prepared statements on PostgreSQL; elsewhere, as they are."""
    if connection.vendor != "postgresql":
        yield
        return
    # The request's health check and (re)connection happen now, so the cursor
    # class is set on the connection the block's queries will use.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _THRESHOLD_NEVER_REACHED
    previous = raw.cursor_factory
    raw.cursor_factory = _preparing_cursor_classes()[connection.queries_logged]
    try:
        yield
    finally:
        raw.cursor_factory = previous


def with_prepared_statements(view):
    """``view``'s queries as prepared statements on PostgreSQL: the whole view inside ``prepared_statements()``."""

    @functools.wraps(view)
    def prepared_view(*args, **kwargs):
        with prepared_statements():
            return view(*args, **kwargs)

    return prepared_view
