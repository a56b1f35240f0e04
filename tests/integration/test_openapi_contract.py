"""Every path the OpenAPI document names answers what the document says (tests/integration/test_postgres.py
runs the integration tests on PostgreSQL too)."""

import datetime as dt

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source, make_speaker, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


@pytest.fixture
def corpus(db, editor):
    topic = make_topic(slug="bases")
    a = make_source(title="Alpha", publisher="Wire Co", published=dt.date(2025, 1, 20), url="https://example.org/a")
    b = make_source(title="Beta")
    kremlin = make_speaker("Kremlin", kind="government", slug="kremlin")
    claim = make_claim(
        topic,
        "Syria agreed to let Russia keep its bases.",
        [
            (a, "supports", Q1, "2025-01"),
            {"source": b, "stance": "disputes", "quote": Q2, "as_of": "2025-07", "speaker": kremlin},
        ],
        kind="state",
    )
    decided = make_claim(topic, "The talks continued.", [(a, "supports", Q2), (b, "supports", Q2)])
    resolution = Resolution.objects.create(claim=decided, verdict="true", rationale="Both say so.", decided_by=editor)
    resolution.prevailing.set(decided.assertions.all())
    return {"id": claim.pk, "source": a, "other": b, "slug": "bases", "speaker": "kremlin"}


def _document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _validator(doc, schema):
    registry = Registry().with_resource("urn:factcheck-api", Resource(contents=doc, specification=DRAFT202012))
    wrapped = {"$ref": "urn:factcheck-api" + schema["$ref"]} if "$ref" in schema else schema
    return jsonschema.Draft202012Validator(wrapped, registry=registry, format_checker=jsonschema.FormatChecker())


def _url(path, corpus):
    url = path.replace("{id}", str(corpus["source"].pk if path.startswith("/api/sources/") else corpus["id"]))
    url = url.replace("{slug}", corpus["speaker"] if path.startswith("/api/speakers/") else corpus["slug"])
    queries = {
        "/api/evidence/": "?q=naval+base+Tartus",
        "/api/compare/": f"?a={corpus['source'].pk}&b={corpus['other'].pk}",
    }
    return url + queries.get(path, "")


def test_it_is_an_openapi_3_1_document_whose_schemas_are_valid_json_schema(client, db):
    doc = _document(client)
    assert doc["openapi"].startswith("3.1")
    for schema in doc["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_it_answers_every_documented_read_as_its_schema_says(client, corpus):
    doc = _document(client)
    checked = []
    for path, item in doc["paths"].items():
        if "get" not in item or item["get"].get("security"):
            continue  # editors' reads are checked with a token in their own tests (test_suggestions_api.py)
        response = client.get(_url(path, corpus))
        assert response.status_code == 200, (path, response.content[:300])
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = [e.message for e in _validator(doc, schema).iter_errors(response.json())]
        assert errors == [], (path, errors[:5])
        if "results" in response.json():
            assert response.json()["results"], f"{path}: nothing to check in an empty list"
        checked.append(path)
    assert len(checked) >= 10


def test_it_documents_every_api_url(client, db):
    from django.urls import get_resolver

    documented = set(_document(client)["paths"])
    routes = {
        "/" + str(p.pattern).replace("<int:pk>", "{id}").replace("<slug:slug>", "{slug}")
        for p in get_resolver().url_patterns
        if str(p.pattern).startswith("api/")
    }
    assert routes - {"/api/openapi.json", "/api/docs/"} <= documented, routes - documented


def test_it_answers_errors_as_the_error_schema_says(client, corpus):
    doc = _document(client)
    error = _validator(doc, {"$ref": "#/components/schemas/Error"})
    for url, status in [("/api/claims/?page=x", 400), ("/api/claims/999999/", 404), ("/api/evidence/", 400)]:
        response = client.get(url)
        assert response.status_code == status
        assert list(error.iter_errors(response.json())) == []


def test_it_renders_readable_docs_without_any_external_asset(client, db):
    response = client.get("/api/docs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "GET /api/claims/" in body and "POST /api/claims/{id}/assertions/" in body
    assert 'id="schema-Claim"' in body
    assert "https://cdn" not in body and '<script src="http' not in body
