"""The public JSON API: shapes, filters, pagination, errors, query counts."""

import pytest

from factcheck.models import Source
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def test_claims_list_has_the_documented_shape(client, conflict_claim):
    data = client.get("/api/claims/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 1 and data["next"] is None
    [claim] = data["results"]
    assert {"id", "text", "topic", "status", "verdict", "version", "assertions"} <= set(claim)
    assert claim["status"] == "conflict" and claim["verdict"] is None and claim["version"] == 1
    first = claim["assertions"][0]
    assert {"source", "stance", "quote", "start", "end", "as_of"} <= set(first)
    assert {"id", "title"} <= set(first["source"])
    source_text = Source.objects.get(pk=first["source"]["id"]).text
    assert source_text[first["start"] : first["end"]] == first["quote"]


def test_claims_list_paginates_with_next_links(client, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 2
    topic = make_topic()
    for i in range(5):
        make_claim(topic=topic, text=f"c{i}")
    data = client.get("/api/claims/", {"topic": topic.slug}).json()
    assert data["count"] == 5 and len(data["results"]) == 2
    assert data["next"].endswith(f"/api/claims/?topic={topic.slug}&page=2")
    last = client.get("/api/claims/", {"topic": topic.slug, "page": 3}).json()
    assert last["next"] is None and len(last["results"]) == 1


def test_claims_list_takes_the_page_filters(client, conflict_claim):
    other = make_claim(text="Unrelated", assertions=[(make_source(), "supports", Q1)])
    assert [c["id"] for c in client.get("/api/claims/", {"status": "conflict"}).json()["results"]] == [
        conflict_claim.pk
    ]
    assert [c["id"] for c in client.get("/api/claims/", {"topic": other.topic.slug}).json()["results"]] == [other.pk]
    assert [c["id"] for c in client.get("/api/claims/", {"q": "unrel"}).json()["results"]] == [other.pk]


def test_claim_detail(client, conflict_claim):
    data = client.get(f"/api/claims/{conflict_claim.pk}/").json()
    assert data["id"] == conflict_claim.pk and len(data["assertions"]) == 2


def test_sources_list_and_detail(client, conflict_claim):
    data = client.get("/api/sources/").json()
    assert data["count"] == 2
    assert {s["title"] for s in data["results"]} == {"Alpha", "Beta"}
    assert "text" not in data["results"][0]
    source_id = data["results"][0]["id"]
    detail = client.get(f"/api/sources/{source_id}/").json()
    assert detail["text"].startswith("Russia keeps its naval base")
    assert detail["assertions"][0]["claim"] == conflict_claim.pk


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/claims/?status=nope", 400, "status"),
        ("/api/claims/?page=0", 400, "page"),
        ("/api/claims/?page=400", 404, "Page 400 does not exist"),
        ("/api/claims/?topic=missing", 404, "no topic"),
        ("/api/claims/12345/", 404, "There is no claim with id 12345."),
        ("/api/sources/12345/", 404, "There is no source with id 12345."),
        ("/api/sources/?page=abc", 400, "page"),
        ("/api/nothing-here/", 404, "Not found"),
    ],
)
def test_bad_requests_get_json_errors(client, conflict_claim, url, status, fragment):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["error"]


def test_claims_api_query_count_does_not_grow(client, db, django_assert_num_queries):
    a, b = make_source(), make_source()
    topic = make_topic()

    def add(n):
        for _ in range(n):
            make_claim(topic=topic, assertions=[(a, "supports", Q1), (b, "disputes", Q2)])

    add(2)
    # count + claims (with topic, resolution) + assertions (with speakers) + their sources
    # + the root origins of those sources (one recursive query) + the claims' wordings
    with django_assert_num_queries(6):
        client.get("/api/claims/")
    add(30)
    with django_assert_num_queries(6):
        client.get("/api/claims/")


def test_sources_api_query_count_does_not_grow(client, db, django_assert_num_queries):
    make_source()
    with django_assert_num_queries(3):  # count + page + the page's assertion counts
        client.get("/api/sources/")
    for _ in range(20):
        make_source()
    with django_assert_num_queries(3):
        client.get("/api/sources/")
