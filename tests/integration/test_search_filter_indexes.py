"""SQLite: a search narrowed by status or topic reads each match's claim from covering indexes (migration 0025)."""

import pytest
from django.db import connection

from factcheck.search import AliasTable, get_backend, parse_query
from tests.conftest import make_claim, make_source, make_topic

pytestmark = pytest.mark.sqlite_sql  # SQLite's query planner and INDEXED BY; PostgreSQL has neither


def _plan(kind, *, topic=None, status=None, language=None):
    sql, params = get_backend()._candidates_sql(
        kind, parse_query("Tartus", AliasTable({})), topic, status, language, False, 10
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_it_reads_claims_and_quotes_claim_ids_from_the_covering_indexes(db):
    topic = make_topic()
    for kind in ("claims", "quotes", "notes", "sources"):
        assert "COVERING INDEX claim_filter_idx" in _plan(kind, status="conflict"), kind
    assert "COVERING INDEX assertion_claim_of_idx" in _plan("quotes", status="conflict")
    assert "COVERING INDEX claim_filter_idx" in _plan("claims", topic=topic, status="conflict")
    # A quote's language is not in the index: the rows are read then.
    assert "assertion_claim_of_idx" not in _plan("quotes", status="conflict", language="ru")


def test_it_finds_what_the_filters_allow_through_the_indexes(db):
    topic, other = make_topic(), make_topic()
    source = make_source(text="Tartus harbour is busy. Tartus pier is quiet.")
    busy = make_claim(
        topic=topic, text="Tartus harbour is busy.", assertions=[(source, "supports", "Tartus harbour is busy.")]
    )
    quiet = make_claim(
        topic=other, text="Tartus pier is quiet.", assertions=[(source, "supports", "Tartus pier is quiet.")]
    )
    backend, query = get_backend(), parse_query("Tartus", AliasTable({}))

    def found(kind, **filters):
        return sorted(h.id for h in backend.search(kind, query, **filters).hits)

    assert found("claims", topic=topic) == [busy.pk]
    assert found("claims", status=busy.status) == sorted(
        {busy.pk, quiet.pk} if busy.status == quiet.status else [busy.pk]
    )
    assert found("claims", status="conflict") == []
    assert found("quotes", topic=other) == [quiet.assertions.get().pk]
    assert found("sources", status=busy.status) == [source.pk]
    assert found("sources", status="conflict") == []


def test_it_puts_the_indexes_back_when_a_table_loses_them(db):
    """A later migration that rebuilds the claim or assertion table drops them; post_migrate's ensure restores them."""
    from factcheck import search_index

    with connection.cursor() as cursor:
        for name in search_index.SQLITE_FILTER_INDEXES:
            cursor.execute(f"DROP INDEX {name}")
    search_index.ensure_search_schema()
    assert "COVERING INDEX claim_filter_idx" in _plan("claims", status="conflict")
    assert "COVERING INDEX assertion_claim_of_idx" in _plan("quotes", status="conflict")
