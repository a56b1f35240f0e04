"""Full-text search over claims, quotes, editors' notes and source texts.

One interface, two engines: SQLite FTS5 (porter stemming) on the embedded
default and PostgreSQL full-text search (``english`` configuration) in
production. Each kind of document has its own index table keyed by the
document's id, kept current by database triggers, so every write path — the
pages, the admin, the corpus import, ``QuerySet.update()`` — keeps search
correct without remembering to.

User input never reaches the engine's query language: :func:`parse_query`
reduces it to words and quoted phrases of word characters, and each engine's
query is built from those with every term quoted (FTS5) or passed as a bound
parameter to ``phraseto_tsquery`` (PostgreSQL).
"""

from django.db import connection

from factcheck.search.aliases import MAX_ALTERNATIVES, AliasTable
from factcheck.search.base import INDEXED, index_table
from factcheck.search.postgres import PostgresBackend, tsquery_sql
from factcheck.search.query import MAX_GROUPS, MIN_PREFIX, Group, Query, parse_query
from factcheck.search.results import (
    COUNT_CAP,
    KIND_LABELS,
    KINDS,
    MARK_CLOSE,
    MARK_OPEN,
    Hit,
    KindResults,
    SearchResults,
    render_snippet,
)
from factcheck.search.sqlite import SqliteBackend, fts5_expression
from factcheck.search.text import MAX_TOKEN_LENGTH, STOP_WORDS, clean_query, fold, raw_tokens, tokens

__all__ = [
    "COUNT_CAP",
    "INDEXED",
    "KINDS",
    "KIND_LABELS",
    "MARK_CLOSE",
    "MARK_OPEN",
    "MAX_ALTERNATIVES",
    "MAX_GROUPS",
    "MAX_TOKEN_LENGTH",
    "MIN_PREFIX",
    "STOP_WORDS",
    "AliasTable",
    "Group",
    "Hit",
    "KindResults",
    "PostgresBackend",
    "Query",
    "SearchResults",
    "SqliteBackend",
    "clean_query",
    "fold",
    "fts5_expression",
    "get_backend",
    "index_table",
    "parse_query",
    "raw_tokens",
    "render_snippet",
    "search",
    "tokens",
    "tsquery_sql",
]


def search(raw, *, kinds=KINDS, topic=None, status=None, language=None, limit=10, offset=0, aliases=None):
    """Ranked hits of each requested kind, with highlighted snippets.

    When no document holds every word of a query of several words, the
    query is run again asking for any of them (``results.any_word``).
    """
    query = parse_query(raw, aliases if aliases is not None else AliasTable.load())
    results = SearchResults(query=query, kinds={})
    if not query:
        return results
    backend = get_backend()
    for kind in kinds:
        results.kinds[kind] = backend.search(
            kind, query, topic=topic, status=status, language=language, limit=limit, offset=offset
        )
    if results.total == 0 and len(query.groups) > 1:
        results.any_word = True
        for kind in kinds:
            results.kinds[kind] = backend.search(
                kind, query, topic=topic, status=status, language=language, limit=limit, offset=offset, any_word=True
            )
    return results


def get_backend(conn=None):
    conn = conn or connection
    if conn.vendor == "postgresql":
        return PostgresBackend(conn)
    if conn.vendor == "sqlite":
        return SqliteBackend(conn)
    raise NotImplementedError(f"factcheck search supports SQLite and PostgreSQL, not {conn.vendor}")
