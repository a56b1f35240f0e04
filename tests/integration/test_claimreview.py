"""schema.org ClaimReview JSON-LD on resolved claims' pages, and the feed."""

import datetime as dt
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source, make_speaker, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _claim(text="Syria agreed to let Russia keep its bases.", **source_fields):
    early = make_source(
        title="Early wire",
        url="https://example.org/wire",
        publisher="Wire Co",
        published=dt.date(2025, 1, 20),
        **source_fields,
    )
    late = make_source(title="Late analysis", published=dt.date(2025, 11, 2))
    later = make_source(title="Later news", published=dt.date(2025, 12, 1))
    return make_claim(
        make_topic(),
        text,
        [(later, "supports", Q1), (early, "supports", Q1, "2025-01"), (late, "disputes", Q2, "2025-10")],
    )


def _resolve(claim, editor, verdict="mostly-true", is_open=False, rationale="The talks continued."):
    resolution = Resolution.objects.create(
        claim=claim, verdict=verdict, rationale=rationale, decided_by=editor, is_open=is_open
    )
    resolution.prevailing.set(claim.assertions.filter(stance="supports"))
    return resolution


def _reviews(client, claim):
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    return [json.loads(text) for text in LD_JSON.findall(body)], body


def test_it_embeds_a_claimreview_in_a_resolved_claims_page(client, db, editor):
    claim = _claim()
    resolution = _resolve(claim, editor)
    [review], _body = _reviews(client, claim)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Syria agreed to let Russia keep its bases."
    assert review["url"] == f"http://testserver/claims/{claim.pk}/"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    }
    assert review["author"] == {"@type": "Organization", "name": "factcheck", "url": "http://testserver/"}
    assert review["datePublished"] == resolution.created_at.date().isoformat()
    assert review["reviewBody"] == "The talks continued."
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    appearances = {a["name"]: a for a in item["appearance"]}
    assert set(appearances) == {"Early wire", "Late analysis", "Later news"}
    early = appearances["Early wire"]
    assert early == {
        "@type": "CreativeWork",
        "name": "Early wire",
        "url": "https://example.org/wire",
        "text": Q1,
        "description": "Supports the claim, as of January 2025",
        "publisher": {"@type": "Organization", "name": "Wire Co"},
        "datePublished": "2025-01-20",
    }
    # Without the original's address, the passage in our copy of the source.
    late = claim.assertions.get(source__title="Late analysis")
    assert appearances["Late analysis"]["url"] == f"http://testserver/sources/{late.source_id}/#a-{late.pk}"
    assert appearances["Late analysis"]["description"] == "Disputes the claim, as of October 2025"
    # The earliest-published source that makes the claim.
    assert item["firstAppearance"]["name"] == "Early wire"
    # Who made the claim and when: the first supporting statement, in its source's own voice.
    assert item["author"] == {"@type": "Organization", "name": "Wire Co"}
    assert item["datePublished"] == "2025-01-20"


def test_it_names_verdicts_without_a_place_on_the_scale(client, db, editor):
    claim = _claim()
    _resolve(claim, editor, verdict="unproven")
    [review], _body = _reviews(client, claim)
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_it_leaves_out_first_appearance_when_no_date_is_known(client, db, editor):
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_claim(assertions=[(a, "supports", Q1), (b, "disputes", Q2)])
    _resolve(claim, editor, verdict="false")
    [review], _body = _reviews(client, claim)
    assert "firstAppearance" not in review["itemReviewed"]
    assert review["reviewRating"]["ratingValue"] == 1


def test_unresolved_and_reopened_claims_publish_none(client, db, editor):
    unresolved = _claim()
    reviews, body = _reviews(client, unresolved)
    assert reviews == [] and "ld+json" not in body
    reopened = _claim()
    _resolve(reopened, editor, is_open=True)
    reviews, body = _reviews(client, reopened)
    assert reviews == [] and "ld+json" not in body


def test_it_escapes_the_json_inside_the_script(client, db, editor):
    text = "Bases </script><script>alert(1)</script> & <!-- more"
    claim = _claim(text=text)
    _resolve(claim, editor, rationale="x </SCRIPT> y")
    [review], body = _reviews(client, claim)
    script = LD_JSON.search(body).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert "\\u003C/script\\u003E" in script
    assert review["claimReviewed"] == text and review["reviewBody"] == "x </SCRIPT> y"


def test_the_json_ld_adds_no_query_that_grows_with_the_sources(client, db, editor):
    small = _claim()
    _resolve(small, editor)
    big = make_claim(make_topic(), "Many sources.", [(make_source(title=f"S{i}"), "supports", Q1) for i in range(12)])
    _resolve(big, editor)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/claims/{small.pk}/")
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"/claims/{big.pk}/").content.decode()
    assert len(json.loads(LD_JSON.search(body).group(1))["itemReviewed"]["appearance"]) == 12
    assert len(many) == len(few)


def test_the_feed_serves_every_published_review(client, db, editor, settings):
    settings.FACTCHECK_PAGE_SIZE = 2
    resolved = [_claim(text=f"Resolved {i}.") for i in range(3)]
    for claim in resolved:
        _resolve(claim, editor)
    _resolve(_claim(text="Reopened."), editor, is_open=True)
    _claim(text="Unresolved.")
    data = client.get("/api/claimreview/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 3
    assert data["next"] == "http://testserver/api/claimreview/?page=2"
    second = client.get(data["next"]).json()
    reviewed = [r["claimReviewed"] for r in data["results"] + second["results"]]
    assert sorted(reviewed) == ["Resolved 0.", "Resolved 1.", "Resolved 2."]
    assert all(
        r["@type"] == "ClaimReview" and r["reviewRating"]["alternateName"] == "Mostly true" for r in data["results"]
    )
    assert client.get("/api/claimreview/", {"page": "x"}).status_code == 400
    assert client.get("/api/claimreview/", {"page": "9"}).status_code == 404


def test_the_feed_query_count_does_not_grow(client, db, editor, django_assert_num_queries):
    for i in range(2):
        _resolve(_claim(text=f"First {i}."), editor)
    # count + the page of claims joined to resolutions + their assertions joined to sources
    with django_assert_num_queries(3):
        assert len(client.get("/api/claimreview/").json()["results"]) == 2
    for i in range(20):
        _resolve(_claim(text=f"More {i}."), editor)
    with django_assert_num_queries(3):
        assert len(client.get("/api/claimreview/").json()["results"]) == 22


# Issue 14: claimAuthor, claimDate and the publishing organisation.


def test_the_claim_author_is_the_speaker_and_the_claim_date_the_statement_date(client, db, editor):
    putin = make_speaker("Vladimir Putin", kind="person")
    kremlin = make_speaker("the Kremlin", kind="government")
    wire = make_source(title="Wire", published=dt.date(2025, 3, 1))
    news = make_source(title="News", published=dt.date(2025, 2, 1))
    claim = make_claim(
        make_topic(),
        "Russia keeps its bases.",
        [
            {"source": wire, "stance": "supports", "quote": Q1, "speaker": putin},
            {"source": news, "stance": "supports", "quote": Q2, "speaker": kremlin},
            (make_source(title="Earlier dispute", published=dt.date(2024, 1, 1)), "disputes", Q3),
        ],
    )
    said = claim.assertions.get(speaker=putin)
    said.stated_on, said.stated_on_precision = dt.date(2025, 1, 15), "day"
    said.save()
    _resolve(claim, editor)
    [review], _body = _reviews(client, claim)
    item = review["itemReviewed"]
    # Putin said it on 15 January, before the Kremlin's statement (its source's 1 February).
    assert (item["author"], item["datePublished"]) == ({"@type": "Person", "name": "Vladimir Putin"}, "2025-01-15")
    described = {a["name"]: a["description"] for a in item["appearance"]}
    assert described["Wire"] == "Reports Vladimir Putin: supports the claim"
    said.stated_on = None
    said.save()
    [review], _body = _reviews(client, claim)
    item = review["itemReviewed"]
    assert (item["author"], item["datePublished"]) == ({"@type": "Organization", "name": "the Kremlin"}, "2025-02-01")


def test_an_own_voice_claim_without_a_publisher_is_authored_by_its_title(client, db, editor):
    essay = make_source(title="An essay", as_of=dt.date(2021, 1, 1), as_of_precision="year")
    claim = make_claim(make_topic(), "Bases.", [(essay, "supports", Q1)])
    _resolve(claim, editor)
    [review], _body = _reviews(client, claim)
    # No publication date: the source's own "as of" date, with its precision.
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "An essay"}
    assert review["itemReviewed"]["datePublished"] == "2021"


def test_a_claim_nobody_supports_has_no_author(client, db, editor):
    claim = make_claim(make_topic(), "Denied.", [(make_source(title="Alpha"), "disputes", Q3)])
    _resolve(claim, editor, verdict="false")
    [review], _body = _reviews(client, claim)
    assert "author" not in review["itemReviewed"] and "datePublished" not in review["itemReviewed"]


def test_the_publisher_comes_from_the_settings(client, db, editor):
    claim = _claim()
    _resolve(claim, editor)
    with override_settings(
        FACTCHECK_PUBLISHER_NAME="Syria Desk",
        FACTCHECK_PUBLISHER_URL="https://desk.example.org/",
        FACTCHECK_PUBLISHER_LOGO="https://desk.example.org/logo.png",
    ):
        [review], _body = _reviews(client, claim)
        feed = client.get("/api/claimreview/").json()["results"][0]
    expected = {
        "@type": "Organization",
        "name": "Syria Desk",
        "url": "https://desk.example.org/",
        "logo": {"@type": "ImageObject", "url": "https://desk.example.org/logo.png"},
    }
    assert review["author"] == expected and feed["author"] == expected
