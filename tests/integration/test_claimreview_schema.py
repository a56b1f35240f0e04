"""Every decided claim's ClaimReview, on its page and in /api/claimreview/, has schema.org's and Google's
required and recommended fields (https://schema.org/ClaimReview; Google's Fact Check markup)."""

import datetime as dt
import json
import re

import jsonschema
import pytest

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source, make_speaker, make_topic

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."

NAMED = {"type": "object", "required": ["@type", "name"], "properties": {"name": {"type": "string", "minLength": 1}}}
ORGANIZATION = {
    "type": "object",
    "required": ["@type", "name", "url"],
    "properties": {
        "@type": {"const": "Organization"},
        "name": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https?://"},
    },
}
DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
CLAIM_REVIEW = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "reviewRating",
        "author",
        "publisher",
        "datePublished",
        "itemReviewed",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "url": {"type": "string", "pattern": "^https?://[^/]+/claims/\\d+/$"},
        "claimReviewed": {"type": "string", "minLength": 1},
        "author": ORGANIZATION,
        "publisher": ORGANIZATION,
        "datePublished": DATE,
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {"@type": {"const": "Rating"}, "alternateName": {"type": "string", "minLength": 1}},
            # A verdict on the scale carries all three numbers, the value between the ends.
            "dependentRequired": {"ratingValue": ["bestRating", "worstRating"]},
        },
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "appearance"],
            "properties": {
                "@type": {"const": "Claim"},
                "author": {
                    **NAMED,
                    "properties": {**NAMED["properties"], "@type": {"enum": ["Person", "Organization"]}},
                },
                "datePublished": DATE,
                "appearance": {
                    "type": "array",
                    "minItems": 1,
                    "items": {**NAMED, "required": ["@type", "name", "url"]},
                },
            },
        },
    },
}
VALIDATOR = jsonschema.Draft202012Validator(CLAIM_REVIEW)


@pytest.fixture
def decided(db, editor):
    """A decided claim for every verdict; one reopened, one undecided."""
    wire = make_source(title="Wire", publisher="Wire Co", published=dt.date(2025, 1, 20), url="https://example.org/w")
    blog = make_source(title="Blog", published=dt.date(2025, 3, 2))
    kremlin = make_speaker("Dmitry Peskov", kind="person", slug="peskov")
    topic = make_topic()
    claims = {}
    for n, verdict in enumerate(["true", "mostly-true", "mixed", "mostly-false", "false", "unproven", "outdated"]):
        claim = make_claim(
            topic,
            f"Claim decided {verdict} ({n}).",
            [
                {"source": wire, "stance": "supports", "quote": Q1, "speaker": kremlin if n % 2 else None},
                (blog, "disputes", Q2, "2025-07"),
            ],
        )
        Resolution.objects.create(claim=claim, verdict=verdict, rationale=f"Because {n}.", decided_by=editor)
        claims[verdict] = claim
    reopened = make_claim(topic, "Reopened.", [(wire, "supports", Q1)])
    Resolution.objects.create(claim=reopened, verdict="true", rationale="Was.", decided_by=editor, is_open=True)
    make_claim(topic, "Undecided.", [(blog, "supports", Q2)])
    return claims


def _check(review):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(review)]
    assert errors == [], (review.get("claimReviewed"), errors)
    rating = review["reviewRating"]
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


def test_it_gives_every_decided_claims_page_a_complete_claimreview(client, decided):
    for verdict, claim in decided.items():
        body = client.get(f"/claims/{claim.pk}/").content.decode()
        [review] = [json.loads(t) for t in LD_JSON.findall(body) if '"ClaimReview"' in t]
        _check(review)
        item = review["itemReviewed"]
        assert item["author"]["name"] in {"Dmitry Peskov", "Wire Co"}  # the claimAuthor
        assert item["datePublished"] == "2025-01-20"  # the claimDate: the statement's source's date
        if verdict not in ("unproven", "outdated"):
            assert {"ratingValue", "bestRating", "worstRating"} <= set(review["reviewRating"])


def test_it_serves_every_decided_claim_and_no_other_in_the_paginated_feed(client, decided, settings):
    settings.FACTCHECK_PAGE_SIZE = 3
    seen, url = [], "/api/claimreview/"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 3
        for review in page["results"]:
            _check(review)
            seen.append(review["claimReviewed"])
        url = page["next"]
    assert sorted(seen) == sorted(c.text for c in decided.values())
