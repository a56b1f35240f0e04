"""The OpenAPI 3.1 document of the JSON API, declared by hand beside factcheck/shapes.py.

Why by hand: the API is a handful of function views whose shapes one module
builds; a framework (django-ninja, drf-spectacular) would mean rewriting
those views around its own request and schema classes to describe what is
already a few dicts. The schemas are JSON Schema 2020-12, as OpenAPI 3.1
takes them, so the contract test (tests/integration/test_openapi_contract.py)
validates live answers with ``jsonschema`` against this very document.

Objects allow fields beyond those listed: the API adds fields, never removes
them, and a client must ignore what it does not know.
"""

import copy
import functools
import hashlib
import json

from django.conf import settings

from factcheck.models import ClaimKind, Stance, Status, Verdict

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required, optional=None):
    """An object whose ``required`` fields are all present; ``optional`` ones may be."""
    props = {**required, **(optional or {})}
    return {"type": "object", "required": sorted(required), "properties": props}


def _null(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def _array(items):
    return {"type": "array", "items": items}


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
PARTIAL_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
DATE_TIME = {"type": "string", "format": "date-time"}


def _enum(choices):
    return {"type": "string", "enum": list(choices.values)}


SCHEMAS = {
    "Error": _obj(
        {"error": STR, "status": INT},
        {"fields": {"type": "object", "additionalProperties": _array(STR), "description": "Each field's problems."}},
    ),
    "SourceSummary": _obj({"id": INT, "title": STR, "publisher": STR}),
    "SpeakerSummary": _obj({"slug": STR, "name": STR, "kind": STR}),
    "TopicSummary": _obj({"slug": STR, "title": STR}),
    "Period": _obj({"from": PARTIAL_DATE, "to": _null(PARTIAL_DATE)}),
    "Assertion": _obj(
        {
            "id": INT,
            "source": _ref("SourceSummary"),
            "stance": _enum(Stance),
            "quote": STR,
            "start": INT,
            "end": INT,
            "as_of": _null(PARTIAL_DATE),
            "url": STR,
            "speaker": _null(_ref("SpeakerSummary")),
            "stated_on": _null(PARTIAL_DATE),
            "period": _null(_ref("Period")),
        },
        {"voice": {"type": "string", "description": "Whom the statement counts for: speaker:<id> or source:<id>."}},
    ),
    "ClaimSummary": _obj(
        {"id": INT, "text": STR, "status": _enum(Status), "verdict": _null(_enum(Verdict)), "url": URI}
    ),
    "Claim": _obj(
        {
            "id": INT,
            "key": STR,
            "text": STR,
            "topic": _ref("TopicSummary"),
            "status": _enum(Status),
            "verdict": _null(_enum(Verdict)),
            "version": INT,
            "url": URI,
            "kind": _enum(ClaimKind),
            "source_count": INT,
            "origin_count": INT,
            "assertions": _array(_ref("Assertion")),
        }
    ),
    "Source": _obj(
        {
            "id": INT,
            "key": STR,
            "title": STR,
            "publisher": STR,
            "author": STR,
            "url": STR,
            "published": _null({"type": "string", "format": "date"}),
            "as_of": _null(PARTIAL_DATE),
            "kind": STR,
            "language": STR,
            "html_url": URI,
        },
        {"assertion_count": INT},
    ),
    "SourceDetail": {
        "allOf": [
            _ref("Source"),
            _obj(
                {
                    "notes": STR,
                    "text": STR,
                    "derived_from": _array(
                        _obj(
                            {
                                "source": _null(_ref("SourceSummary")),
                                "speaker": _null(_ref("SpeakerSummary")),
                                "relation": STR,
                                "note": STR,
                            }
                        )
                    ),
                    "assertions": _array(
                        _obj(
                            {
                                "id": INT,
                                "claim": INT,
                                "stance": _enum(Stance),
                                "start": INT,
                                "end": INT,
                                "as_of": _null(PARTIAL_DATE),
                                "speaker": _null(_ref("SpeakerSummary")),
                                "stated_on": _null(PARTIAL_DATE),
                                "period": _null(_ref("Period")),
                            }
                        )
                    ),
                }
            ),
        ]
    },
    "Speaker": {
        "allOf": [
            _ref("SpeakerSummary"),
            _obj({"aliases": _array(STR), "description": STR, "statement_count": INT, "html_url": URI}),
        ]
    },
    "SpeakerDetail": {
        "allOf": [
            _ref("Speaker"),
            _obj(
                {
                    "statements": _array(
                        _obj(
                            {
                                "id": INT,
                                "claim": _obj({"id": INT, "text": STR, "status": _enum(Status)}),
                                "source": _ref("SourceSummary"),
                                "stance": _enum(Stance),
                                "quote": STR,
                                "start": INT,
                                "end": INT,
                                "stated_on": _null(PARTIAL_DATE),
                                "period": _null(_ref("Period")),
                            }
                        )
                    )
                }
            ),
        ]
    },
    "Evidence": _obj(
        {
            "source": _ref("SourceSummary"),
            "passage": INT,
            "text": STR,
            "start": INT,
            "end": INT,
            "score": NUM,
            "url": URI,
        }
    ),
    "EvidenceResults": _obj({"query": STR, "count": INT, "results": _array(_ref("Evidence"))}),
    "ComparisonRow": {
        "allOf": [
            _ref("ClaimSummary"),
            _obj(
                {
                    "topic": _ref("TopicSummary"),
                    "group": STR,
                    "cells": _array(_obj({"source": INT, "assertions": _array(_ref("Assertion"))})),
                }
            ),
        ]
    },
    "TimelineEntry": _obj(
        {
            "date": _null(PARTIAL_DATE),
            "label": STR,
            "date_from": _null(STR),
            "period": _null(_ref("Period")),
            "time_only": BOOL,
            "claim": _ref("ClaimSummary"),
            "assertion": _ref("Assertion"),
        }
    ),
    "Timeline": _obj(
        {
            "topic": _ref("TopicSummary"),
            "entries": _array(_ref("TimelineEntry")),
            "changes": _array(_obj({"claim": _ref("ClaimSummary"), "steps": _array(_ref("TimelineEntry"))})),
        }
    ),
    "Organization": _obj({"@type": {"enum": ["Organization"]}, "name": STR, "url": URI}),
    "ClaimReview": _obj(
        {
            "@context": {"const": "https://schema.org"},
            "@type": {"const": "ClaimReview"},
            "url": URI,
            "claimReviewed": {"type": "string", "minLength": 1},
            "reviewRating": _obj(
                {"@type": {"const": "Rating"}, "alternateName": STR},
                {"ratingValue": INT, "bestRating": INT, "worstRating": INT},
            ),
            "author": _ref("Organization"),
            "datePublished": {"type": "string", "format": "date"},
            "itemReviewed": _obj(
                {"@type": {"const": "Claim"}, "appearance": _array(_obj({"@type": STR, "name": STR, "url": STR}))},
                {
                    "author": _obj({"@type": {"enum": ["Person", "Organization"]}, "name": STR}),
                    "datePublished": PARTIAL_DATE,
                    "firstAppearance": {"type": "object"},
                },
            ),
        },
        {"reviewBody": STR, "dateModified": {"type": "string", "format": "date"}, "publisher": _ref("Organization")},
    ),
    "Conflict": _obj(
        {"error": STR, "status": {"const": 409}, "current": _null({"type": "object"})},
        {"your_version": INT},
    ),
    "ClaimState": _obj({"id": INT, "text": STR, "status": _enum(Status), "assigned_to": _null(STR), "version": INT}),
    "AssertionState": _obj(
        {"id": INT, "claim": INT, "source": INT, "stance": _enum(Stance), "quote": STR, "start": INT, "end": INT}
        | {"version": INT}
    ),
}


def _page_of(item):
    return _obj({"count": INT, "next": _null(URI), "previous": _null(URI), "results": _array(item)})


SCHEMAS["ClaimPage"] = _page_of(_ref("Claim"))
SCHEMAS["SourcePage"] = _page_of(_ref("Source"))
SCHEMAS["SpeakerPage"] = _page_of(_ref("Speaker"))
SCHEMAS["ClaimReviewPage"] = _page_of(_ref("ClaimReview"))
SCHEMAS["Comparison"] = {
    "allOf": [
        _page_of(_ref("ComparisonRow")),
        _obj(
            {
                "sources": _array(_ref("SourceSummary")),
                "topic": _null(_ref("TopicSummary")),
                "counts": {"type": "object", "additionalProperties": INT},
                "pairs": _array({"type": "object"}),
            }
        ),
    ]
}


def _param(name, where="query", schema=STR, description="", required=False):
    found = {"name": name, "in": where, "schema": schema, "required": required or where == "path"}
    if description:
        found["description"] = description
    return found


PAGE = _param("page", schema={"type": "integer", "minimum": 1}, description="Page number, from 1.")
ID = _param("id", "path", INT)
SLUG = _param("slug", "path", STR)
CLAIM_FILTERS = [
    _param("status", schema=_enum(Status)),
    _param("topic", description="A topic's slug."),
    _param("source", schema=INT, description="A source's id."),
    _param("q", description="Words in the claim's text."),
]


def _json(schema_name, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


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


SOURCE_IN = _obj(
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
CLAIM_IN = _obj({"topic": STR, "text": STR}, {"key": STR, "kind": _enum(ClaimKind)})
CLAIM_EDIT_IN = _obj({"version": INT}, {"text": STR, "kind": _enum(ClaimKind)})
ASSERTION_IN = _obj(
    {"source": INT, "stance": _enum(Stance), "quote": STR},
    {
        "occurrence": INT,
        "claim_version": INT,
        "speaker": STR,
        "stated_on": PARTIAL_DATE,
        "as_of": PARTIAL_DATE,
        "period_end": PARTIAL_DATE,
    },
)


def _paths():
    paths = {
        "/api/claims/": _get("Claims, paginated", "ClaimPage", [PAGE, *CLAIM_FILTERS]),
        "/api/claims/{id}/": _get("One claim with its assertions", "Claim", [ID]),
        "/api/sources/": _get("Sources, paginated", "SourcePage", [PAGE]),
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
            [_param("a", schema=INT), _param("b", schema=INT), _param("topic"), PAGE],
        ),
        "/api/topics/{slug}/timeline/": _get("A topic's statements in time", "Timeline", [SLUG]),
        "/api/claimreview/": _get("schema.org ClaimReview of every decided claim", "ClaimReviewPage", [PAGE]),
    }
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
    """The OpenAPI document (a fresh copy each call is not needed: treat it as read-only)."""
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
