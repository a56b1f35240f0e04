"""The API to other sites: CORS for anonymous reads, HEAD, ETag and 304, rate limits with 429."""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test.utils import override_settings

from factcheck import api_http, services
from factcheck.models import Annotation, Source
from tests.conftest import make_claim, make_source

# ETags come from cache-tag versions, which are never read inside a transaction (factcheck/cache.py):
# these tests commit, as requests in production do.
pytestmark = pytest.mark.django_db(transaction=True)

READS = ["/api/claims/", "/api/sources/", "/api/speakers/", "/api/claimreview/", "/api/openapi.json"]


@pytest.fixture
def claim(transactional_db):
    return make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])


@pytest.mark.parametrize("url", READS)
def test_it_answers_head_with_the_headers_of_get_and_no_body(client, claim, url):
    head, get = client.head(url), client.get(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"] == "application/json"
    assert head["ETag"] == get["ETag"]
    assert head["Access-Control-Allow-Origin"] == "*"


def test_it_lets_any_origin_read_anonymously_but_never_with_credentials(client, claim):
    response = client.get(f"/api/claims/{claim.pk}/", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_it_sends_no_cors_header_to_a_logged_in_reader(client, claim, reader):
    client.force_login(reader)
    response = client.get("/api/claims/", HTTP_ORIGIN="https://news.example")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_it_answers_a_cors_preflight_for_reads(client, db):
    response = client.options(
        "/api/claims/",
        HTTP_ORIGIN="https://news.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_it_refuses_a_cors_preflight_for_a_write(client, db):
    response = client.options(
        "/api/claims/", HTTP_ORIGIN="https://news.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_it_answers_304_to_a_matching_etag_until_the_corpus_changes(client, claim):
    first = client.get("/api/claims/")
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get("/api/claims/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get("/api/claims/?page=1", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another URL
    claim.text = "Changed by an editor."
    claim.save()
    changed = client.get("/api/claims/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["text"] == "Changed by an editor."


def test_it_answers_304_to_if_modified_since_the_last_modified(client, claim):
    first = client.get("/api/sources/")
    response = client.get("/api/sources/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


@override_settings(FACTCHECK_API_RATE_LIMIT=3, FACTCHECK_API_RATE_WINDOW=60)
def test_it_limits_each_client_and_says_when_to_retry(client, db, monkeypatch):
    # Mid-window, so the four requests cannot straddle a window's end on a slow run.
    monkeypatch.setattr(api_http, "_clock", lambda: 1_800_000_030.0)
    caches["default"].clear()
    answers = [client.get("/api/sources/", REMOTE_ADDR="10.0.0.1") for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
    assert "at most 3 every 60 seconds" in refused.json()["error"]
    assert answers[0]["X-RateLimit-Remaining"] == "2"
    # Another client has its own allowance; pages outside the API have none.
    assert client.get("/api/sources/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/sources/", REMOTE_ADDR="10.0.0.1").status_code == 200


@override_settings(FACTCHECK_API_RATE_LIMIT=1, FACTCHECK_API_RATE_WINDOW=60)
def test_it_counts_what_no_view_answers_and_runs_no_write_past_the_limit(client, db, monkeypatch, staff):
    monkeypatch.setattr(api_http, "_clock", lambda: 1_800_000_030.0)
    caches["default"].clear()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {services.api_token_issue(user=staff, name='Importer')[1]}"}
    assert client.get("/api/no-such-thing/", **auth).status_code == 404
    # Past the limit: a 429 where no URL matches, and a write that would succeed never runs.
    assert client.get("/api/no-such-thing/", **auth).status_code == 429
    data = json.dumps({"title": "New wire", "publisher": "Wire Co", "kind": "wire", "text": "The base stays open."})
    refused = client.post("/api/sources/", data, content_type="application/json", **auth)
    assert refused.status_code == 429 and refused["X-RateLimit-Remaining"] == "0"
    assert not Source.objects.exists()


def test_it_counts_each_client_in_redis_and_lets_the_count_expire(client, db, monkeypatch, redis_url):
    import redis

    monkeypatch.setattr(api_http, "_clock", lambda: 1_800_000_030.0)
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    on_redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "t"}
    caches_on_redis = {**settings.CACHES, "default": on_redis}
    with override_settings(CACHES=caches_on_redis, FACTCHECK_API_RATE_LIMIT=3, FACTCHECK_API_RATE_WINDOW=60):
        answers = [client.get("/api/sources/", REMOTE_ADDR="10.0.0.1") for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert [r["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
        # One key for the client's window, counting, and gone a little after the window.
        [key] = [k for k in server.keys("*") if b"ratelimit" in k]
        assert int(server.get(key)) == 4
        assert 0 < server.ttl(key) <= 61
        assert client.get("/api/sources/", REMOTE_ADDR="10.0.0.2").status_code == 200
    server.flushdb()


def test_it_does_not_limit_when_the_setting_is_zero(client, db):
    assert all(client.get("/api/sources/").status_code == 200 for _ in range(20))


def test_a_note_on_one_claim_leaves_another_claims_etag_as_it_was(client, claim, editor):
    other = make_claim(assertions=[(make_source(), "disputes", "Talks about the bases are active as of July 2025.")])
    urls = {c.pk: f"/api/claims/{c.pk}/" for c in (claim, other)}
    etags = {pk: client.get(url)["ETag"] for pk, url in urls.items()}

    Annotation.objects.create(claim=claim, author=editor, body="Checked with the port authority.")
    claim.text = "Changed by an editor."
    claim.save()

    unchanged = client.get(urls[other.pk], HTTP_IF_NONE_MATCH=etags[other.pk])
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etags[other.pk]
    changed = client.get(urls[claim.pk], HTTP_IF_NONE_MATCH=etags[claim.pk])
    assert changed.status_code == 200
    assert changed["ETag"] != etags[claim.pk]
    assert changed.json()["text"] == "Changed by an editor."


def test_a_conditional_get_of_a_cached_answer_is_a_304_from_one_query(client, claim, django_assert_num_queries):
    url = f"/api/claims/{claim.pk}/"
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(1):  # the versions of the answer's tags
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_answer_the_cache_does_not_hold_still_has_validators(client, claim, reader):
    client.force_login(reader)  # a session: served fresh, validators from the corpus version
    first = client.get("/api/claims/")
    assert first["X-Page-Cache"] == "bypass"
    assert client.get("/api/claims/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
