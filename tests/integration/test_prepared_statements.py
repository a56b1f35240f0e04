"""The claim and source pages' queries as prepared statements on PostgreSQL (factcheck/prepared.py)."""

import contextlib
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import prepared as prepared_module
from tests.conftest import make_claim, make_source

needs_postgres = pytest.mark.postgres_sql


@pytest.fixture
def pages(db, settings):
    settings.FACTCHECK_PAGE_CACHE = False
    source = make_source()
    claim = make_claim(assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")])
    return f"/claims/{claim.pk}/", f"/sources/{source.pk}/"


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _rendered(client, url):
    """The page rendered afresh: its HTML (CSRF token left out) and its query count."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content), len(queries)


@needs_postgres
def test_it_prepares_the_claim_and_source_pages_queries(client, pages):
    claim_url, source_url = pages
    assert "naval base at Tartus" in client.get(claim_url).content.decode()
    assert "naval base at Tartus" in client.get(source_url).content.decode()
    statements = _prepared()
    assert any(s.startswith('SELECT "factcheck_claim"."id"') for s in statements)
    assert any(s.startswith('SELECT "factcheck_assertion"."id"') for s in statements)
    assert any(s.startswith('SELECT "factcheck_source"."id"') for s in statements)
    assert any(s.startswith('SELECT a."id", a."claim_id"') for s in statements)


@needs_postgres
def test_it_binds_on_the_client_again_after_the_block(client, pages):
    client.get(pages[0])
    assert connection.connection.cursor_factory.__name__ == "Cursor"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 + %s AS outside_the_block", [1])
    assert not any("outside_the_block" in s for s in _prepared())


@needs_postgres
def test_it_parses_a_long_statement_once(db, monkeypatch):
    from psycopg import _queries

    parsed = []
    split = _queries._split_query
    monkeypatch.setattr(
        _queries, "_split_query", lambda query, *args, **kwargs: parsed.append(1) or split(query, *args, **kwargs)
    )
    # Past psycopg's own limits (4 KB, 50 parameters), as the timeline's statements are.
    sql = "SELECT %s::int + 0 * (" + " + ".join(["%s::int"] * 60) + ") /*" + "x" * 5000 + "*/"
    with prepared_module.prepared_statements():
        for n in range(3):
            with connection.cursor() as cursor:
                cursor.execute(sql, [n] + [1] * 60)
                assert cursor.fetchone() == (n,)
    assert len(parsed) == 1


def test_it_renders_the_same_pages_with_the_same_queries(client, pages, monkeypatch):
    for url in pages:
        prepared = _rendered(client, url)
        with monkeypatch.context() as patched:
            patched.setattr(prepared_module, "prepared_statements", contextlib.nullcontext)
            plain = _rendered(client, url)
        assert b"naval base at Tartus" in prepared[0]
        assert prepared == plain
