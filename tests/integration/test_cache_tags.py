"""Fine-grained page-cache invalidation: an edit evicts the pages that show what it changed, and only those.

Writes are committed (``transaction=True``): inside a test's transaction the
cache stands aside. Whether a page was served from the cache is read from its
``X-Page-Cache`` header; nothing here is timed.
"""

import json

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from factcheck import cache, cache_tags
from factcheck.models import Claim
from tests.conftest import make_claim, make_conflict_claim, make_source, make_topic

committed = pytest.mark.django_db(transaction=True)

EDITED = "Syria refused to let Russia keep its bases."


def _two_unrelated_claims():
    """Two claims with no topic and no source in common."""
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    edited = make_conflict_claim(a, b, topic=make_topic(title="Bases"))
    c = make_source(title="Gamma", text="The harbour of Latakia was dredged in 2024. Nobody disputes it.")
    other = make_claim(
        topic=make_topic(title="Harbours"),
        text="Latakia's harbour was dredged.",
        assertions=[(c, "supports", "The harbour of Latakia was dredged in 2024.")],
    )
    return edited, other


def _pages_of(claim):
    sources = sorted({a.source_id for a in claim.assertions.all()})
    return [
        f"/claims/{claim.pk}/",
        f"/topics/{claim.topic.slug}/",
        *(f"/sources/{pk}/" for pk in sources),
        f"/api/claims/{claim.pk}/",
        f"/api/topics/{claim.topic.slug}/timeline/",
    ]


LISTS = ["/claims/", "/api/claims/", "/search/?q=Syria"]


def _warm(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _edit_with_save(claim):
    claim.text = EDITED
    claim.save()


def _edit_with_update(claim):
    Claim.objects.filter(pk=claim.pk).update(text=EDITED)


def _edit_with_raw_sql(claim):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Claim._meta.db_table} SET text = %s WHERE id = %s", [EDITED, claim.pk])


@committed
@pytest.mark.parametrize("edit", [_edit_with_save, _edit_with_update, _edit_with_raw_sql])
def test_it_evicts_every_page_showing_an_edited_claim_and_keeps_an_unrelated_claims_pages(client, edit):
    edited, other = _two_unrelated_claims()
    affected, unaffected = _pages_of(edited) + LISTS, _pages_of(other)
    _warm(client, affected + unaffected)

    edit(edited)

    for url in unaffected:
        assert client.get(url)["X-Page-Cache"] == "hit", url
    for url in affected:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "refused to let" in response.content.decode(), url  # search marks the words it matched


@committed
def test_it_keeps_lists_and_topic_pages_cached_while_an_editor_adds_notes(client, editor):
    claim, other = _two_unrelated_claims()
    source_id = claim.assertions.first().source_id
    kept = ["/", "/claims/", "/api/claims/", f"/topics/{claim.topic.slug}/", f"/sources/{source_id}/"]
    kept += _pages_of(other)
    _warm(client, kept + [f"/claims/{claim.pk}/"])
    writer = Client()
    writer.force_login(editor)

    response = writer.post(f"/claims/{claim.pk}/annotations/", {"body": "The *Kremlin* denied it."})
    assert response.status_code == 302

    page = client.get(f"/claims/{claim.pk}/")
    assert page["X-Page-Cache"] == "miss"
    assert "<em>Kremlin</em> denied it." in page.content.decode()
    for url in kept:
        assert client.get(url)["X-Page-Cache"] == "hit", url


@committed
def test_it_evicts_a_sources_pages_and_the_claims_citing_it_when_its_title_changes(client):
    edited, other = _two_unrelated_claims()
    source = edited.assertions.first().source
    affected = [f"/sources/{source.pk}/", f"/claims/{edited.pk}/", f"/topics/{edited.topic.slug}/", "/sources/"]
    _warm(client, affected + _pages_of(other))

    source.title = "Alpha, retitled"
    source.save()

    for url in affected:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Alpha, retitled" in response.content.decode(), url
    for url in _pages_of(other):
        assert client.get(url)["X-Page-Cache"] == "hit", url


@committed
def test_it_evicts_both_topics_pages_when_a_claim_moves(client):
    moved, other = _two_unrelated_claims()
    old_topic, new_topic = moved.topic, other.topic
    urls = [f"/topics/{old_topic.slug}/", f"/topics/{new_topic.slug}/"]
    _warm(client, urls)

    Claim.objects.filter(pk=moved.pk).update(topic=new_topic)

    assert moved.text not in client.get(urls[0]).content.decode()
    assert moved.text in client.get(urls[1]).content.decode()


@committed
def test_it_evicts_a_claim_page_when_a_claim_is_deleted(client):
    claim, _other = _two_unrelated_claims()
    url = f"/api/claims/{claim.pk}/"
    _warm(client, [url])

    claim.assertions.all().delete()
    Claim.objects.filter(pk=claim.pk).delete()

    assert client.get(url).status_code == 404


@committed
def test_it_does_not_store_a_page_whose_data_changed_while_it_rendered(client):
    claim, _other = _two_unrelated_claims()
    calls = []

    @cache.cached_page
    def racing(request):
        loaded = Claim.objects.get(pk=claim.pk)  # recorded: the page depends on this claim
        if not calls:
            # Another editor commits between the read and the store.
            Claim.objects.filter(pk=claim.pk).update(text=EDITED)
        calls.append(loaded.text)
        return HttpResponse(loaded.text)

    factory = RequestFactory()
    assert racing(factory.get("/racing/"))["X-Page-Cache"] == "bypass"  # rendered the old text: not stored
    fresh = racing(factory.get("/racing/"))
    assert fresh["X-Page-Cache"] == "miss"
    assert fresh.content.decode() == EDITED
    assert racing(factory.get("/racing/"))["X-Page-Cache"] == "hit"


@committed
def test_a_truncate_or_bulk_load_evicts_every_page(client):
    claim, _other = _two_unrelated_claims()
    urls = _pages_of(claim) + LISTS
    _warm(client, urls)

    cache_tags.bump_all()

    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss", url


@committed
def test_a_hit_reads_the_versions_of_the_pages_tags_in_one_query(client, django_assert_num_queries):
    claim, _other = _two_unrelated_claims()
    url = f"/claims/{claim.pk}/"
    client.get(url)
    with django_assert_num_queries(1) as captured:
        assert client.get(url)["X-Page-Cache"] == "hit"
    sql = captured.captured_queries[0]["sql"]
    assert cache_tags.TABLE in sql and f"factcheck_claim:{claim.pk}" in sql


@committed
def test_the_api_answers_follow_an_edit(client):
    claim, _other = _two_unrelated_claims()
    _warm(client, [f"/api/claims/{claim.pk}/", "/api/claims/"])

    _edit_with_update(claim)

    assert json.loads(client.get(f"/api/claims/{claim.pk}/").content)["text"] == EDITED
    assert EDITED in [c["text"] for c in json.loads(client.get("/api/claims/").content)["results"]]
