"""Embeds any site may frame, the share dialog, and the claim's share card."""

import html
import io

import pytest
from PIL import Image

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


@pytest.fixture
def claim(db):
    alpha, beta = make_source(title="Alpha Wire", publisher="Wire Co"), make_source(title="Beta Daily")
    return make_claim(
        text="Syria agreed to let Russia keep its bases.",
        assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2), (beta, "qualifies", Q1)],
    )


def _frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return next(d.split(" ", 1)[1] for d in policy.split("; ") if d.startswith("frame-ancestors"))


def test_it_lets_any_site_frame_the_claim_embed(client, claim):
    response = client.get(f"/embed/claims/{claim.pk}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert _frame_ancestors(response) == "*"


def test_it_keeps_every_other_page_unframeable(client, claim):
    for url in [f"/claims/{claim.pk}/", "/", f"/topics/{claim.topic.slug}/", "/api/docs/"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert _frame_ancestors(response) == "'none'", url


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_frame_policy_on_a_cached_embed(client):
    # Committed rows: pages read inside a transaction are never cached (factcheck/cache.py).
    claim = make_claim(assertions=[(make_source(), "supports", Q1)])
    client.get(f"/embed/claims/{claim.pk}/")
    again = client.get(f"/embed/claims/{claim.pk}/")
    assert again["X-Page-Cache"] == "hit"
    assert "X-Frame-Options" not in again
    assert _frame_ancestors(again) == "*"


def test_it_shows_the_claim_its_status_counts_sources_and_a_link_back(client, claim):
    body = client.get(f"/embed/claims/{claim.pk}/").content.decode()
    assert "Syria agreed to let Russia keep its bases." in body
    assert "Conflict" in body
    assert "Supports: <strong>1</strong>" in body and "Disputes: <strong>1</strong>" in body
    assert "Qualifies: <strong>1</strong>" in body
    assert body.count("Beta Daily") == 1  # one source, however many quotes
    assert f'href="http://testserver/claims/{claim.pk}/" target="_top"' in body
    assert "<script" not in body


def test_it_shows_the_published_verdict_once_decided_and_updates_after_an_edit(client, claim, editor):
    assert "Verdict" not in client.get(f"/embed/claims/{claim.pk}/").content.decode()
    Resolution.objects.create(claim=claim, verdict="mostly-false", rationale="No.", decided_by=editor)
    assert "Verdict: Mostly false" in client.get(f"/embed/claims/{claim.pk}/").content.decode()


def test_it_lists_a_topics_conflicts_in_its_embed(client, claim):
    calm = make_claim(topic=claim.topic, text="Everyone agrees here.")
    response = client.get(f"/embed/topics/{claim.topic.slug}/")
    body = response.content.decode()
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert claim.text in body and calm.text not in body


def test_it_answers_404_for_an_unknown_embed(client, db):
    assert client.get("/embed/claims/999999/").status_code == 404
    assert client.get("/embed/topics/nope/").status_code == 404


def test_it_offers_the_embed_snippet_and_link_on_the_claim_page(client, claim):
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert '<details class="share">' in body
    snippet = body.split('id="share-embed" class="share-code" type="text" readonly value="')[1].split('"')[0]
    iframe = f'<iframe src="http://testserver/embed/claims/{claim.pk}/" title="Fact check:'
    assert html.unescape(snippet).startswith(iframe)
    assert f'value="http://testserver/claims/{claim.pk}/"' in body


def test_it_draws_a_1200_by_630_png_card(client, claim):
    response = client.get(f"/claims/{claim.pk}/card.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert len(image.getcolors(maxcolors=1_000_000)) > 50  # text was drawn, not an empty canvas


def test_it_draws_a_new_card_after_an_edit(client, claim, editor):
    before = client.get(f"/claims/{claim.pk}/card.png").content
    Resolution.objects.create(claim=claim, verdict="false", rationale="No.", decided_by=editor)
    assert client.get(f"/claims/{claim.pk}/card.png").content != before


def test_it_fits_a_very_long_claim_on_the_card(client, db):
    long = make_claim(text="A claim that goes on and on " * 40)
    image = Image.open(io.BytesIO(client.get(f"/claims/{long.pk}/card.png").content))
    assert image.size == (1200, 630)


def _meta(body, prop):
    import re

    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', body)
    return found.group(1) if found else None


def test_it_gives_a_claim_page_opengraph_and_twitter_tags_with_its_card(client, claim):
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert _meta(body, "og:title") == claim.text
    assert _meta(body, "og:image") == f"http://testserver/claims/{claim.pk}/card.png"
    assert _meta(body, "twitter:card") == "summary_large_image"
    assert _meta(body, "og:description").startswith("Conflict — 2 sources")
    assert f'<link rel="canonical" href="http://testserver/claims/{claim.pk}/">' in body


def test_it_gives_topic_and_source_pages_opengraph_tags(client, claim):
    topic_body = client.get(f"/topics/{claim.topic.slug}/").content.decode()
    assert _meta(topic_body, "og:title") == claim.topic.title
    assert _meta(topic_body, "twitter:card") == "summary"
    source = claim.assertions.first().source
    source_body = client.get(f"/sources/{source.pk}/").content.decode()
    assert _meta(source_body, "og:title") == source.title
    assert _meta(source_body, "og:url") == f"http://testserver/sources/{source.pk}/"


def test_it_keeps_only_the_page_number_in_a_canonical_link(client, claim):
    body = client.get("/claims/?status=conflict&cb=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/claims/">' in body


@pytest.mark.django_db(transaction=True)
def test_it_answers_304_for_an_unchanged_card_and_embed_until_an_edit(client, editor):
    claim = make_claim(assertions=[(make_source(), "supports", Q1)])
    for url in (f"/claims/{claim.pk}/card.png", f"/embed/claims/{claim.pk}/"):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    card = f"/claims/{claim.pk}/card.png"
    etag = client.get(card)["ETag"]
    Resolution.objects.create(claim=claim, verdict="false", rationale="No.", decided_by=editor)
    assert client.get(card, HTTP_IF_NONE_MATCH=etag).status_code == 200
