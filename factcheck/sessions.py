"""Database sessions, read with one prepared statement instead of an ORM query.

Every logged-in request reads its session before anything else; an
editor's cached page (factcheck/personal_pages.py) costs little more than
that read, and building the ORM's query was most of it. Writing, expiry and
``clearsessions`` are Django's own (``django.contrib.sessions.backends.db``).
"""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data if its row exists and has not expired, as Django's ``db`` backend reads it."""
        key = self.session_key
        if key is None:
            return {}
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(self.model, connection.vendor), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does: a new key on save, never the one sent
            return {}
        return self.decode(row[0])


@functools.cache
def _select_sql(model, vendor):
    quote = connections[router.db_for_read(model)].ops.quote_name
    data, key, expires = (
        quote(model._meta.get_field(name).column) for name in ("session_data", "session_key", "expire_date")
    )
    return f"SELECT {data} FROM {quote(model._meta.db_table)} WHERE {key} = %s AND {expires} > %s"
