"""The token write API: sources, claims and assertions, with the admin's validation and the services' history."""

import json

import pytest
from django.contrib.auth.models import Permission

from factcheck import services
from factcheck.models import ApiToken, Assertion, Claim, Source
from tests.conftest import make_claim, make_source, make_topic, row_counts

Q1 = "Russia keeps its naval base at Tartus."


def _post(client, url, data, secret=None, **extra):
    if secret:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


@pytest.fixture
def editor_secret(editor):
    return services.api_token_issue(user=editor, name="CMS")[1]


@pytest.fixture
def staff_secret(staff):
    return services.api_token_issue(user=staff, name="Importer")[1]


@pytest.fixture
def claim(db):
    return make_claim(text="Syria agreed to let Russia keep its bases.", assertions=[(make_source(), "supports", Q1)])


def test_it_stores_only_a_hash_of_the_secret(editor):
    token, secret = services.api_token_issue(user=editor, name="CMS")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.key_hash, stored.prefix, stored.name}
    assert len(stored.key_hash) == 64 and secret.startswith(stored.prefix)


@pytest.mark.parametrize("secret", [None, "fct_not-a-real-token", "garbage"])
def test_it_refuses_a_write_without_a_valid_token_with_401_and_writes_nothing(client, claim, secret):
    before = row_counts()
    response = _post(client, f"/api/claims/{claim.pk}/assertions/", {"source": 1, "stance": "supports"}, secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    assert row_counts() == before


def test_it_refuses_a_revoked_token(client, claim, editor):
    token, secret = services.api_token_issue(user=editor, name="Old")
    services.api_token_revoke(token=token)
    before = row_counts()
    response = _post(client, f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "New."}, secret)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert row_counts() == before


def test_it_refuses_a_session_without_a_token_even_with_a_csrf_exemption(client, claim, editor):
    client.force_login(editor)
    response = _post(client, f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "Via a cookie."})
    assert response.status_code == 401
    claim.refresh_from_db()
    assert claim.text != "Via a cookie."


def test_it_refuses_a_readers_token_with_403(client, claim, reader):
    secret = services.api_token_issue(user=reader, name="Reader")[1]
    before = row_counts()
    source = claim.assertions.first().source
    for url, data in [
        ("/api/sources/", {"title": "T", "text": "Some text."}),
        ("/api/claims/", {"topic": claim.topic.slug, "text": "A claim."}),
        (f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "Changed."}),
        (f"/api/claims/{claim.pk}/assertions/", {"source": source.pk, "stance": "supports", "quote": Q1}),
    ]:
        response = _post(client, url, data, secret)
        assert response.status_code == 403, url
        assert "permission" in response.json()["error"]
    assert row_counts() == before


def test_it_refuses_a_quote_not_in_the_source_naming_the_field(client, claim, editor_secret):
    source = make_source()
    before = row_counts()
    response = _post(
        client,
        f"/api/claims/{claim.pk}/assertions/",
        {"source": source.pk, "stance": "disputes", "quote": "Russia has left Tartus for good."},
        editor_secret,
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["quote"]
    assert "quote" in response.json()["error"]
    assert row_counts() == before


def test_it_names_each_bad_field(client, claim, editor_secret):
    response = _post(
        client,
        f"/api/claims/{claim.pk}/assertions/",
        {"source": make_source().pk, "stance": "maybe", "quote": Q1, "as_of": "July"},
        editor_secret,
    )
    assert response.status_code == 400
    assert {"stance", "as_of"} <= set(response.json()["fields"])


def test_it_refuses_a_stale_version_with_409_and_the_current_claim(client, claim, editor, editor_secret):
    services.claim_update(claim=Claim.objects.get(pk=claim.pk), user=editor, version=claim.version)  # someone else
    before = row_counts()
    response = _post(client, f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "Mine."}, editor_secret)
    assert response.status_code == 409
    body = response.json()
    assert body["your_version"] == claim.version and body["current"]["version"] == claim.version + 1
    assert row_counts() == before
    stale_add = _post(
        client,
        f"/api/claims/{claim.pk}/assertions/",
        {"source": make_source().pk, "stance": "supports", "quote": Q1, "claim_version": claim.version},
        editor_secret,
    )
    assert stale_add.status_code == 409
    assert Assertion.objects.filter(claim=claim).count() == 1


def test_it_adds_an_assertion_located_in_its_source_with_history_by_the_tokens_user(
    client, claim, editor, editor_secret
):
    source = make_source(title="Gamma")
    response = _post(
        client,
        f"/api/claims/{claim.pk}/assertions/",
        {"source": source.pk, "stance": "supports", "quote": Q1, "as_of": "2025-07", "claim_version": claim.version},
        editor_secret,
    )
    assert response.status_code == 201, response.content
    added = Assertion.objects.get(claim=claim, source=source)
    assert source.text[added.start : added.end] == Q1
    assert added.history.first().history_user == editor
    assert {a["source"]["title"] for a in response.json()["assertions"]} >= {"Gamma"}


def test_it_edits_a_claim_on_top_of_its_version(client, claim, editor, editor_secret):
    response = _post(
        client, f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "Edited by API."}, editor_secret
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Edited by API." and response.json()["version"] == claim.version + 1
    assert Claim.objects.get(pk=claim.pk).history.first().history_user == editor


def test_it_creates_a_source_and_a_claim_for_a_user_allowed_to(client, staff, staff_secret):
    topic = make_topic(slug="bases")
    response = _post(
        client,
        "/api/sources/",
        {"title": "New wire", "publisher": "Wire Co", "kind": "wire", "text": "The base stays open.\nIt said so."},
        staff_secret,
    )
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert source.text == "The base stays open.\nIt said so." and source.history.first().history_user == staff
    claim = _post(client, "/api/claims/", {"topic": topic.slug, "text": "The base stays open."}, staff_secret)
    assert claim.status_code == 201, claim.content
    assert claim.json()["topic"]["slug"] == "bases" and claim.json()["status"] == "unsourced"


def test_it_refuses_a_duplicate_source_text_and_a_missing_title_naming_them(client, staff_secret):
    source = make_source()
    response = _post(client, "/api/sources/", {"text": source.text}, staff_secret)
    assert response.status_code == 400
    assert {"title", "text"} <= set(response.json()["fields"])


def test_it_refuses_a_body_that_is_not_a_json_object(client, claim, editor_secret):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {editor_secret}"}
    url = f"/api/claims/{claim.pk}/"
    assert client.post(url, "not json", content_type="application/json", **auth).status_code == 400
    assert client.post(url, "[1]", content_type="application/json", **auth).status_code == 400
    assert client.post(url, {"version": 1}, **auth).status_code == 415


def test_it_sends_no_cors_header_on_writes(client, claim, editor_secret):
    response = _post(client, f"/api/claims/{claim.pk}/", {"version": claim.version}, editor_secret)
    assert "Access-Control-Allow-Origin" not in response


def test_it_lets_staff_issue_a_token_in_the_admin_and_shows_the_secret_once(staff_client, editor):
    response = staff_client.post("/admin/factcheck/apitoken/add/", {"user": editor.pk, "name": "Newsroom CMS"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Newsroom CMS")
    body = response.content.decode()
    secret = body.split('id="api-secret" type="text" readonly size="60" value="')[1].split('"')[0]
    assert secret.startswith(token.prefix)
    assert services.api_token_authenticate(secret=secret) == token
    assert secret not in staff_client.get(f"/admin/factcheck/apitoken/{token.pk}/change/").content.decode()
    staff_client.post("/admin/factcheck/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert services.api_token_authenticate(secret=secret) is None


def test_it_counts_permissions_of_the_tokens_user_not_of_a_group_it_lost(client, claim, editor, editor_secret):
    editor.groups.clear()
    editor.user_permissions.remove(*Permission.objects.all())
    response = _post(client, f"/api/claims/{claim.pk}/", {"version": claim.version, "text": "X."}, editor_secret)
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_page_cache_when_a_token_is_issued_or_used(editor):
    from factcheck import cache

    before = cache.corpus_version()
    token, secret = services.api_token_issue(user=editor, name="CMS")
    services.api_token_authenticate(secret=secret)
    services.api_token_revoke(token=token)
    assert cache.corpus_version() == before
