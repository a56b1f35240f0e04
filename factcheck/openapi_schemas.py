"""The JSON Schemas (2020-12, as OpenAPI 3.1 takes them) of every shape factcheck/shapes.py builds.

Objects allow fields beyond those listed: the API adds fields, never removes
them, and a client must ignore what it does not know. factcheck/openapi.py
puts them in the OpenAPI document.
"""

from factcheck.models import ClaimKind, Stance, Status, Verdict


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required, optional=None):
    """An object whose ``required`` fields are all present; ``optional`` ones may be."""
    props = {**required, **(optional or {})}
    return {"type": "object", "required": sorted(required), "properties": props}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def array_of(items):
    return {"type": "array", "items": items}


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
PARTIAL_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
DATE_TIME = {"type": "string", "format": "date-time"}


def choice(choices):
    return {"type": "string", "enum": list(choices.values)}


SCHEMAS = {
    "Error": obj(
        {"error": STR, "status": INT},
        {"fields": {"type": "object", "additionalProperties": array_of(STR), "description": "Each field's problems."}},
    ),
    "SourceSummary": obj({"id": INT, "title": STR, "publisher": STR}),
    "SpeakerSummary": obj({"slug": STR, "name": STR, "kind": STR}),
    "TopicSummary": obj({"slug": STR, "title": STR}),
    "Period": obj({"from": PARTIAL_DATE, "to": nullable(PARTIAL_DATE)}),
    "Assertion": obj(
        {
            "id": INT,
            "source": ref("SourceSummary"),
            "stance": choice(Stance),
            "quote": STR,
            "start": INT,
            "end": INT,
            "as_of": nullable(PARTIAL_DATE),
            "url": STR,
            "speaker": nullable(ref("SpeakerSummary")),
            "stated_on": nullable(PARTIAL_DATE),
            "period": nullable(ref("Period")),
        },
        {
            "voice": {"type": "string", "description": "Whom the statement counts for: speaker:<id> or source:<id>."},
            "language": nullable({**STR, "description": "The quote's ISO 639-1 code; null: its source's language."}),
            "translation": nullable(ref("Translation")),
        },
    ),
    "Translation": obj(
        {"text": STR, "language": STR, "translator": STR},
    ),
    "ClaimSummary": obj(
        {"id": INT, "text": STR, "status": choice(Status), "verdict": nullable(choice(Verdict)), "url": URI}
    ),
    "Claim": obj(
        {
            "id": INT,
            "key": STR,
            "text": STR,
            "topic": ref("TopicSummary"),
            "status": choice(Status),
            "verdict": nullable(choice(Verdict)),
            "version": INT,
            "url": URI,
            "kind": choice(ClaimKind),
            "source_count": INT,
            "origin_count": INT,
            "assertions": array_of(ref("Assertion")),
            "translations": array_of(ref("ClaimWording")),
        }
    ),
    "ClaimWording": obj(
        {
            "language": {**STR, "description": "ISO 639-1 code."},
            "text": {**STR, "description": "The claim as worded for readers of that language; not checked."},
        }
    ),
    "Source": obj(
        {
            "id": INT,
            "key": STR,
            "title": STR,
            "publisher": STR,
            "author": STR,
            "url": STR,
            "published": nullable({"type": "string", "format": "date"}),
            "as_of": nullable(PARTIAL_DATE),
            "kind": STR,
            "language": STR,
            "html_url": URI,
        },
        {"assertion_count": INT},
    ),
    "SourceDetail": {
        "allOf": [
            ref("Source"),
            obj(
                {
                    "notes": STR,
                    "text": STR,
                    "derived_from": array_of(
                        obj(
                            {
                                "source": nullable(ref("SourceSummary")),
                                "speaker": nullable(ref("SpeakerSummary")),
                                "relation": STR,
                                "note": STR,
                            }
                        )
                    ),
                    "assertions": array_of(
                        obj(
                            {
                                "id": INT,
                                "claim": INT,
                                "stance": choice(Stance),
                                "start": INT,
                                "end": INT,
                                "as_of": nullable(PARTIAL_DATE),
                                "speaker": nullable(ref("SpeakerSummary")),
                                "stated_on": nullable(PARTIAL_DATE),
                                "period": nullable(ref("Period")),
                            }
                        )
                    ),
                }
            ),
        ]
    },
    "Speaker": {
        "allOf": [
            ref("SpeakerSummary"),
            obj({"aliases": array_of(STR), "description": STR, "statement_count": INT, "html_url": URI}),
        ]
    },
    "SpeakerDetail": {
        "allOf": [
            ref("Speaker"),
            obj(
                {
                    "statements": array_of(
                        obj(
                            {
                                "id": INT,
                                "claim": obj({"id": INT, "text": STR, "status": choice(Status)}),
                                "source": ref("SourceSummary"),
                                "stance": choice(Stance),
                                "quote": STR,
                                "start": INT,
                                "end": INT,
                                "stated_on": nullable(PARTIAL_DATE),
                                "period": nullable(ref("Period")),
                            }
                        )
                    )
                }
            ),
        ]
    },
    "Evidence": obj(
        {
            "source": ref("SourceSummary"),
            "passage": INT,
            "text": STR,
            "start": INT,
            "end": INT,
            "score": NUM,
            "url": URI,
        }
    ),
    "EvidenceResults": obj({"query": STR, "count": INT, "results": array_of(ref("Evidence"))}),
    "Suggestion": obj(
        {
            "claim": obj({"id": INT, "text": STR}),
            "passage": obj({"start": INT, "end": INT, "text": STR}),
            "stance": choice(Stance),
            "score": NUM,
        },
        {"speaker": nullable(ref("SpeakerSummary"))},
    ),
    "SuggestionResults": obj({"results": array_of(ref("Suggestion"))}),
    "ComparisonRow": {
        "allOf": [
            ref("ClaimSummary"),
            obj(
                {
                    "topic": ref("TopicSummary"),
                    "group": STR,
                    "cells": array_of(obj({"source": INT, "assertions": array_of(ref("Assertion"))})),
                }
            ),
        ]
    },
    "TimelineEntry": obj(
        {
            "date": nullable(PARTIAL_DATE),
            "label": STR,
            "date_from": nullable(STR),
            "period": nullable(ref("Period")),
            "time_only": BOOL,
            "claim": ref("ClaimSummary"),
            "assertion": ref("Assertion"),
        }
    ),
    "Timeline": obj(
        {
            "topic": ref("TopicSummary"),
            "entries": array_of(ref("TimelineEntry")),
            "changes": array_of(obj({"claim": ref("ClaimSummary"), "steps": array_of(ref("TimelineEntry"))})),
        }
    ),
    "Organization": obj({"@type": {"enum": ["Organization"]}, "name": STR, "url": URI}),
    "ClaimReview": obj(
        {
            "@context": {"const": "https://schema.org"},
            "@type": {"const": "ClaimReview"},
            "url": URI,
            "claimReviewed": {"type": "string", "minLength": 1},
            "reviewRating": obj(
                {"@type": {"const": "Rating"}, "alternateName": STR},
                {"ratingValue": INT, "bestRating": INT, "worstRating": INT},
            ),
            "author": ref("Organization"),
            "datePublished": {"type": "string", "format": "date"},
            "itemReviewed": obj(
                {"@type": {"const": "Claim"}, "appearance": array_of(obj({"@type": STR, "name": STR, "url": STR}))},
                {
                    "author": obj({"@type": {"enum": ["Person", "Organization"]}, "name": STR}),
                    "datePublished": PARTIAL_DATE,
                    "firstAppearance": {"type": "object"},
                },
            ),
        },
        {"reviewBody": STR, "dateModified": {"type": "string", "format": "date"}, "publisher": ref("Organization")},
    ),
    "Conflict": obj(
        {"error": STR, "status": {"const": 409}, "current": nullable({"type": "object"})},
        {"your_version": INT},
    ),
    "ClaimState": obj({"id": INT, "text": STR, "status": choice(Status), "assigned_to": nullable(STR), "version": INT}),
    "AssertionState": obj(
        {"id": INT, "claim": INT, "source": INT, "stance": choice(Stance), "quote": STR, "start": INT, "end": INT}
        | {"version": INT}
    ),
}


def page_of(item):
    return obj({"count": INT, "next": nullable(URI), "previous": nullable(URI), "results": array_of(item)})


SCHEMAS["ClaimPage"] = page_of(ref("Claim"))
SCHEMAS["SourcePage"] = page_of(ref("Source"))
SCHEMAS["SpeakerPage"] = page_of(ref("Speaker"))
SCHEMAS["ClaimReviewPage"] = page_of(ref("ClaimReview"))
SCHEMAS["Comparison"] = {
    "allOf": [
        page_of(ref("ComparisonRow")),
        obj(
            {
                "sources": array_of(ref("SourceSummary")),
                "topic": nullable(ref("TopicSummary")),
                "counts": {"type": "object", "additionalProperties": INT},
                "pairs": array_of({"type": "object"}),
            }
        ),
    ]
}
