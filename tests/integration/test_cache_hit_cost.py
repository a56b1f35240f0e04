"""What a page cache hit reads: few versions, and no round trip it can do without, still fresh after any write."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import api_http, page_store
from factcheck.models import Annotation, ClaimTranslation, Source
from factcheck.views import browse
from tests.conftest import make_assertion, make_claim, make_conflict_claim, make_source, make_topic

committed = pytest.mark.django_db(transaction=True)


def _version_query(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    (sql,) = [q["sql"] for q in captured.captured_queries if "factcheck_cache_tag" in q["sql"]]
    return sql


def test_a_page_listing_a_table_reads_its_childrens_tables_instead_of_many_rows_tags():
    many = {"factcheck_claim": set(range(1, 11))}
    tags = page_store._depends_on(many, ("factcheck_claim",))
    assert not any(tag.startswith("factcheck_claim:") for tag in tags)
    # Every table whose rows bump a claim's tag: its children, and the history of both.
    assert {"factcheck_claim", "factcheck_assertion", "factcheck_resolution", "factcheck_claimtranslation"} <= set(tags)
    assert {"factcheck_historicalclaim", "factcheck_historicalassertion"} <= set(tags)


def test_a_page_keeps_its_rows_tags_when_few_or_when_it_does_not_list_their_table():
    few = page_store._depends_on({"factcheck_claim": set(range(1, 9))}, ("factcheck_claim",))
    assert len([tag for tag in few if tag.startswith("factcheck_claim:")]) == 8
    unlisted = page_store._depends_on({"factcheck_claim": set(range(1, 11))}, ("factcheck_topic",))
    assert len([tag for tag in unlisted if tag.startswith("factcheck_claim:")]) == 10
    assert "factcheck_claimtranslation" not in unlisted


@committed
def test_a_listed_claims_child_written_anyhow_still_evicts_the_list(client, editor):
    topic = make_topic()
    claims = [make_claim(topic=topic, text=f"Listed claim {n}.") for n in range(10)]
    url = "/api/claims/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    sql = _version_query(client, url)
    assert "factcheck_claim:" not in sql and "factcheck_claimtranslation" in sql

    # A note is not on the list: it stays cached, as before.
    Annotation.objects.create(claim=claims[3], author=editor, body="A note")
    assert client.get(url)["X-Page-Cache"] == "hit"
    # A translation bumps only its claim's tag and its own table's: the list goes all the same.
    ClaimTranslation.objects.bulk_create([ClaimTranslation(claim=claims[3], language="fr", text="Traduite.")])
    assert client.get(url)["X-Page-Cache"] == "miss"


def _much_quoted(peers):
    source = make_source(title="Much quoted")
    claim = make_claim(assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")])
    others = [make_source(title=f"Peer {n}") for n in range(peers)]
    for other in others:
        make_assertion(claim, other, "supports", "Russia keeps its naval base at Tartus.")
    return source, others


@committed
def test_a_much_quoted_sources_page_reads_one_tag_for_its_peers_and_shows_a_retitled_one(client):
    source, others = _much_quoted(browse.PEER_TAGS + 1)
    url = f"/sources/{source.pk}/"
    assert "Peer 7" in client.get(url).content.decode()
    sql = _version_query(client, url)
    assert all(f"'factcheck_source:{other.pk}'" not in sql for other in others)

    Source.objects.filter(pk=others[7].pk).update(title="Peer seven, retitled")

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Peer seven, retitled" in page.content.decode()


@committed
def test_a_source_with_few_peers_keeps_their_own_tags(client):
    source, others = _much_quoted(2)
    url = f"/sources/{source.pk}/"
    client.get(url)
    sql = _version_query(client, url)
    assert all(f"'factcheck_source:{other.pk}'" in sql for other in others)
    make_source(title="Another, unrelated")
    assert client.get(url)["X-Page-Cache"] == "hit"


@committed
def test_an_api_hit_asks_the_shared_cache_once_for_its_last_modified(client, monkeypatch):
    make_claim()
    asked = []
    real = caches["default"].get_or_set
    monkeypatch.setattr(caches["default"], "get_or_set", lambda *a, **k: asked.append(a[0]) or real(*a, **k))
    monkeypatch.setattr(api_http, "_seen", {})
    client.get("/api/claims/")
    hits = [client.get("/api/claims/") for _ in range(3)]
    assert [h["X-Page-Cache"] for h in hits] == ["hit"] * 3
    assert len({h["Last-Modified"] for h in hits}) == 1 and len({h["ETag"] for h in hits}) == 1
    assert len([key for key in asked if key.startswith("validator-seen:")]) == 1


@pytest.fixture
def shared_copy(settings):
    """A second cache standing in for Redis: the copy every server shares, behind each worker's own."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hit-cost-local"},
        page_store.SHARED_ALIAS: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hit-cost"},
    }
    yield
    caches[page_store.CACHE_ALIAS].clear()
    caches[page_store.SHARED_ALIAS].clear()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response["X-Page-Cache"], len(captured.captured_queries)


@committed
def test_a_worker_serves_the_shared_copy_after_one_version_read(client, shared_copy):
    claim = make_claim()
    url = f"/claims/{claim.pk}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    caches[page_store.CACHE_ALIAS].clear()  # another worker: only the shared copy
    assert _queries(client, url) == ("hit", 1)
    assert _queries(client, url) == ("hit", 1)  # and now its own


@committed
def test_a_worker_whose_copy_went_stale_takes_the_new_shared_one_after_one_version_read(client, shared_copy):
    claim = make_conflict_claim()
    url = f"/claims/{claim.pk}/"
    client.get(url)
    stale = dict(caches[page_store.CACHE_ALIAS]._cache)
    Source.objects.filter(pk=claim.assertions.first().source_id).update(title="Retitled source")
    assert client.get(url)["X-Page-Cache"] == "miss"  # rendered again and shared by this worker
    caches[page_store.CACHE_ALIAS]._cache.update(stale)  # the other worker still holds the old copies
    status, queries = _queries(client, url)
    assert (status, queries) == ("hit", 1)
    assert "Retitled source" in client.get(url).content.decode()
    # Both copies stale: the one version read says so, and the page is rendered.
    Source.objects.filter(pk=claim.assertions.first().source_id).update(title="Retitled again")
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and "Retitled again" in page.content.decode()
