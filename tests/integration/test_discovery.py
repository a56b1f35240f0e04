"""Atom feeds, the sitemap and robots.txt: well-formed XML whose every link is a live page."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source, make_speaker, make_topic

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


@pytest.fixture
def corpus(db, editor):
    topic, other = make_topic(slug="bases"), make_topic(slug="elsewhere")
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    make_speaker("Kremlin", kind="government", slug="kremlin")
    conflict = make_claim(
        topic, "Syria agreed to let Russia keep its bases.", [(a, "supports", Q1), (b, "disputes", Q2)]
    )
    far = make_claim(other, "Elsewhere they disagree too.", [(a, "supports", Q2), (b, "disputes", Q1)])
    decided = make_claim(topic, "The talks continued.", [(a, "supports", Q2), (b, "supports", Q2)])
    Resolution.objects.create(claim=decided, verdict="true", rationale="Both sources say so.", decided_by=editor)
    Resolution.objects.create(claim=far, verdict="false", rationale="Still open.", decided_by=editor, is_open=True)
    return {"conflict": conflict, "far": far, "decided": decided}


def _xml(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)


def _entries(client, url):
    root = _xml(client.get(url), "application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text and root.find(f"{ATOM}updated") is not None
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}id").text)
        for e in root.findall(f"{ATOM}entry")
    ]


def _live(client, url):
    path = urlsplit(url).path
    assert client.get(path).status_code == 200, url


def test_it_feeds_published_decisions_only(client, corpus):
    entries = _entries(client, "/feeds/decisions/")
    assert [title for title, _, _ in entries] == ["True: The talks continued."]
    for _, link, _ in entries:
        assert link == f"http://testserver/claims/{corpus['decided'].pk}/"
        _live(client, link)


def test_it_feeds_claims_in_conflict_overall_and_per_topic(client, corpus):
    overall = {title for title, _, _ in _entries(client, "/feeds/conflicts/")}
    assert overall == {corpus["conflict"].text, corpus["far"].text}
    topic = _entries(client, "/feeds/topics/bases/conflicts/")
    assert [title for title, _, _ in topic] == [corpus["conflict"].text]
    for _, link, _ in topic:
        _live(client, link)
    assert client.get("/feeds/topics/nope/conflicts/").status_code == 404


def test_it_links_the_feeds_from_every_page(client, corpus):
    body = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in body and 'href="/feeds/decisions/"' in body


def test_it_lists_every_reader_page_in_the_sitemap_and_each_is_live(client, corpus):
    root = _xml(client.get("/sitemap.xml"), "application/xml")
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    paths = {urlsplit(loc).path for loc in locs}
    for claim in corpus.values():
        assert f"/claims/{claim.pk}/" in paths
    assert {"/", "/topics/bases/", "/speakers/kremlin/", "/api/docs/"} <= paths
    for loc in locs:
        _live(client, loc)


def test_it_names_the_sitemap_in_robots_txt_and_keeps_crawlers_out_of_editors_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /review/" in lines
