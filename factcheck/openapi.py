"""The OpenAPI 3.1 document of the JSON API, declared by hand beside factcheck/shapes.py.

Why by hand: the API is a handful of function views whose shapes one module
builds; a framework (django-ninja, drf-spectacular) would mean rewriting
those views around its own request and schema classes to describe what is
already a few dicts. The schemas are JSON Schema 2020-12, as OpenAPI 3.1
takes them, so the contract test (tests/integration/test_openapi_contract.py)
validates live answers with ``jsonschema`` against this very document.

The schemas themselves are in factcheck/openapi_schemas.py.
"""

import copy
import functools
import hashlib
import json

from django.conf import settings

from factcheck.models import ClaimKind, Stance, Status
from factcheck.openapi_schemas import INT, PARTIAL_DATE, SCHEMAS, STR, choice, obj, ref

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0"


def _param(name, where="query", schema=STR, description="", required=False):
    found = {"name": name, "in": where, "schema": schema, "required": required or where == "path"}
    if description:
        found["description"] = description
    return found


PAGE = _param("page", schema={"type": "integer", "minimum": 1}, description="Page number, from 1.")
ID = _param("id", "path", INT)
SLUG = _param("slug", "path", STR)
CLAIM_FILTERS = [
    _param("status", schema=choice(Status)),
    _param("topic", description="A topic's slug."),
    _param("source", schema=INT, description="A source's id."),
    _param("q", description="Words in the claim's text."),
    _param("language", description="ISO 639-1 code: claims quoted in this language (the quote's, else its source's)."),
]


def _json(schema_name, description):
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


ERRORS = {
    "400": _json("Error", "Bad input: the message names the parameter."),
    "404": _json("Error", "Not found: the message names what was missing."),
    "429": {
        **_json("Error", "Too many requests: wait as long as Retry-After says."),
        "headers": {"Retry-After": {"schema": INT}},
    },
}
WRITE_ERRORS = {
    "400": _json("Error", "Bad input: `fields` names each field refused. Nothing written."),
    "401": _json("Error", "No token, or a revoked or unknown one."),
    "403": _json("Error", "The token's user may not make this change."),
    "409": _json("Conflict", "Based on a stale version: `current` is the object now. Nothing written."),
}


def _get(summary, schema_name, params=(), tag="read"):
    return {
        "get": {
            "summary": summary,
            "tags": [tag],
            "parameters": list(params),
            "responses": {"200": _json(schema_name, summary), "304": {"description": "Not modified (ETag)."}, **ERRORS},
        }
    }


def _post(summary, body, schema_name, status="201"):
    return {
        "summary": summary,
        "tags": ["write"],
        "security": [{"token": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {status: _json(schema_name, summary), **WRITE_ERRORS},
    }


SOURCE_IN = obj(
    {"title": STR, "text": STR},
    {
        "key": STR,
        "publisher": STR,
        "author": STR,
        "url": STR,
        "published": {"type": "string", "format": "date"},
        "as_of": PARTIAL_DATE,
        "kind": STR,
        "language": STR,
    },
)
CLAIM_IN = obj({"topic": STR, "text": STR}, {"key": STR, "kind": choice(ClaimKind)})
CLAIM_EDIT_IN = obj({"version": INT}, {"text": STR, "kind": choice(ClaimKind)})
ASSERTION_IN = obj(
    {"source": INT, "stance": choice(Stance), "quote": STR},
    {
        "occurrence": INT,
        "claim_version": INT,
        "speaker": STR,
        "stated_on": PARTIAL_DATE,
        "as_of": PARTIAL_DATE,
        "period_end": PARTIAL_DATE,
        "language": {**STR, "description": "ISO 639-1 code of the quote when not its source's language."},
        "translation": {**STR, "description": "A translation shown beneath the quote (with the next two)."},
        "translation_language": STR,
        "translator": STR,
    },
)


def _paths():
    paths = {
        "/api/claims/": _get("Claims, paginated", "ClaimPage", [PAGE, *CLAIM_FILTERS]),
        "/api/claims/{id}/": _get("One claim with its assertions", "Claim", [ID]),
        "/api/sources/": _get(
            "Sources, paginated",
            "SourcePage",
            [PAGE, _param("language", description="ISO 639-1 code: sources written in this language.")],
        ),
        "/api/sources/{id}/": _get("One source with its text and assertions", "SourceDetail", [ID]),
        "/api/speakers/": _get("Speakers, paginated", "SpeakerPage", [PAGE, _param("q")]),
        "/api/speakers/{slug}/": _get("One speaker and their statements", "SpeakerDetail", [SLUG]),
        "/api/evidence/": _get(
            "Passages of source texts ranked for a statement",
            "EvidenceResults",
            [_param("q", required=True), _param("limit", schema=INT)],
        ),
        "/api/compare/": _get(
            "Sources compared claim by claim",
            "Comparison",
            [
                _param("a", schema=INT),
                _param("b", schema=INT),
                _param("topic"),
                _param("language", description="ISO 639-1 code: only claims quoted in this language."),
                PAGE,
            ],
        ),
        "/api/topics/{slug}/timeline/": _get("A topic's statements in time", "Timeline", [SLUG]),
        "/api/claimreview/": _get("schema.org ClaimReview of every decided claim", "ClaimReviewPage", [PAGE]),
    }
    suggestions = _get(
        "What a source speaks to: claims its passages may support, dispute or qualify",
        "SuggestionResults",
        [ID],
        tag="editors",
    )
    # Editors only (a token, or an editor's logged-in session): unreviewed machine matches are not for readers.
    suggestions["get"]["security"] = [{"token": []}]
    suggestions["get"]["description"] = "Best first. For editors: an API token, or the session of a logged-in editor."
    suggestions["get"]["responses"].update({"401": WRITE_ERRORS["401"], "403": WRITE_ERRORS["403"]})
    paths["/api/sources/{id}/suggestions/"] = suggestions
    paths["/api/claims/"]["post"] = _post("Create a claim", CLAIM_IN, "Claim")
    paths["/api/claims/{id}/"]["post"] = _post("Edit a claim's text or kind", CLAIM_EDIT_IN, "Claim", "200")
    paths["/api/claims/{id}/"]["post"]["parameters"] = [ID]
    paths["/api/sources/"]["post"] = _post("Create a source from its text", SOURCE_IN, "SourceDetail")
    paths["/api/claims/{id}/assertions/"] = {
        "parameters": [ID],
        "post": _post("Add a source's quote to a claim", ASSERTION_IN, "Claim"),
    }
    return paths


@functools.cache
def document():
    """The OpenAPI document, built once: callers treat it as read-only."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{settings.FACTCHECK_PUBLISHER_NAME} API",
            "version": API_VERSION,
            "description": (
                "Claims, the sources that speak to them with exact quotes, and editors' decisions. "
                "Reads are anonymous, cross-origin (CORS `*`), conditional (ETag, Last-Modified) and "
                "rate-limited (429 with Retry-After). Writes need `Authorization: Bearer <token>`. "
                "Fields are added, never removed or renamed. See docs/api.md."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }


@functools.cache
def fingerprint():
    """Changes when the document does: part of every API answer's ETag, so a new shape is not served stale."""
    return hashlib.blake2b(json.dumps(document(), sort_keys=True).encode(), digest_size=8).hexdigest()
