"""Links that carry the page's query: pagination and filters keep what they kept, built by ``{% querystring %}``.

Each link is compared as its parameters (name and value, every value of a
repeated name), not as a string: ``{% querystring %}`` keeps a parameter
where the request had it, the old helpers put ``page`` last.
"""

import html
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from factcheck.views import search as search_view
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _params(href):
    return sorted(parse_qsl(urlsplit(html.unescape(href)).query, keep_blank_values=True))


def _rel(body, rel):
    match = re.search(rf'rel="{rel}" href="([^"]*)"', body)
    assert match, f'no rel="{rel}" link'
    return _params(match.group(1))


def _link(body, text):
    match = re.search(rf'<a href="([^"]*)">{re.escape(text)}', body)
    assert match, f"no link reading {text!r}"
    return _params(match.group(1))


def test_it_keeps_the_claim_filters_on_the_page_links(client, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 2
    topic = make_topic(slug="bases")
    for n in range(5):
        make_claim(topic=topic, text=f"Bases claim {n}")
    body = client.get("/claims/", {"topic": "bases", "q": "Bases", "status": "", "page": 2}).content.decode()
    kept = [("q", "Bases"), ("status", ""), ("topic", "bases")]
    assert _rel(body, "prev") == sorted([*kept, ("page", "1")])
    assert _rel(body, "next") == sorted([*kept, ("page", "3")])


@pytest.mark.parametrize("path", ["/", "/sources/"])
def test_it_links_the_pages_of_unfiltered_lists_by_page_alone(client, editor, path):
    # Logged in, the page cache does not strip parameters the view never reads;
    # these lists have no filter, so their page links carry none of them.
    for _ in range(51):  # two pages of 50
        make_topic()
        make_source()
    client.force_login(editor)
    first = client.get(path, {"ref": "newsletter"}).content.decode()
    assert _rel(first, "next") == [("page", "2")]
    second = client.get(path, {"ref": "newsletter", "page": 2}).content.decode()
    assert _rel(second, "prev") == [("page", "1")]


def test_it_keeps_the_review_filters_on_the_page_links(client, editor, settings):
    settings.FACTCHECK_PAGE_SIZE = 1
    topic, alpha, beta = make_topic(slug="bases"), make_source(title="Alpha"), make_source(title="Beta")
    for n in range(3):
        make_claim(topic=topic, text=f"Conflict {n}", assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)])
    client.force_login(editor)
    query = {"topic": "bases", "source": alpha.pk, "q": "Conflict", "assigned": "nobody"}
    body = client.get("/review/", {**query, "page": 2}).content.decode()
    kept = [("assigned", "nobody"), ("q", "Conflict"), ("source", str(alpha.pk)), ("topic", "bases")]
    assert _rel(body, "prev") == sorted([*kept, ("page", "1")])
    assert _rel(body, "next") == sorted([*kept, ("page", "3")])


def test_it_offers_to_clear_the_review_filters_only_when_one_is_set(client, editor):
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    make_claim(topic=make_topic(slug="bases"), assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)])
    client.force_login(editor)
    # The filter form sends every field, empty or not: empty ones filter nothing.
    blank = {"topic": "", "source": "", "q": "", "assigned": ""}
    assert "Clear filters" not in client.get("/review/", {**blank, "page": 1}).content.decode()
    for name, value in [("topic", "bases"), ("source", alpha.pk), ("q", "Conflict"), ("assigned", "me")]:
        assert "Clear filters" in client.get("/review/", {**blank, name: value}).content.decode(), name


def test_it_keeps_every_chosen_source_on_the_comparison_page_links(client, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 1
    topic = make_topic(slug="bases")
    a, b, c = make_source(title="Alpha"), make_source(title="Beta"), make_source(title="Gamma")
    for n in range(3):
        make_claim(topic=topic, text=f"Claim {n}", assertions=[(a, "supports", Q1), (b, "disputes", Q2)])
    chosen = [str(a.pk), str(b.pk), str(c.pk)]
    body = client.get("/compare/", {"s": chosen, "topic": "bases", "page": 2}).content.decode()
    kept = [("s", pk) for pk in chosen] + [("topic", "bases")]
    assert _rel(body, "prev") == sorted([*kept, ("page", "1")])
    assert _rel(body, "next") == sorted([*kept, ("page", "3")])


@pytest.fixture
def tartus(db, monkeypatch):
    monkeypatch.setattr(search_view, "PER_KIND", 2)
    monkeypatch.setattr(search_view, "PER_PAGE", 2)
    topic = make_topic(title="Bases", slug="bases")
    for n in range(5):
        make_claim(topic=topic, text=f"Tartus claim number {n}.")
    return topic


def test_it_keeps_the_search_on_its_page_links(client, tartus):
    body = client.get("/search/", {"q": "Tartus", "kind": "claims", "status": "", "page": 2}).content.decode()
    kept = [("kind", "claims"), ("q", "Tartus"), ("status", "")]
    assert _rel(body, "prev") == sorted([*kept, ("page", "1")])
    assert _rel(body, "next") == sorted([*kept, ("page", "3")])


def test_it_keeps_the_search_on_its_kind_and_topic_links_without_the_page(client, tartus):
    # The overview reads no page; a stray one must not follow the links to a kind's pages.
    body = client.get("/search/", {"q": "Tartus", "status": "", "topic": "", "page": 3}).content.decode()
    assert _link(body, "All 5 claims") == [("kind", "claims"), ("q", "Tartus"), ("status", ""), ("topic", "")]
    # The facet replaces the empty topic rather than adding a second one.
    assert _link(body, "Bases (") == [("q", "Tartus"), ("status", ""), ("topic", "bases")]


@pytest.mark.parametrize(
    ("status", "swap", "error"),
    [
        (200, True, False),
        (204, False, False),
        (302, True, False),
        (409, True, False),  # a stale edit: both versions, in place of the form
        (422, True, False),  # bad input: the form with its errors
        (400, False, True),
        (403, False, True),
        (404, False, True),
        (410, False, True),
        (500, False, True),
    ],
)
def test_it_has_htmx_swap_stale_edits_and_bad_input_in_place_and_no_other_error(client, db, status, swap, error):
    body = client.get("/").content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", body).group(1))
    # As htmx 2 resolves it: the first entry whose code, a regular expression, matches the status.
    entry = next((e for e in config["responseHandling"] if re.search(e["code"], str(status))), {"swap": False})
    assert (entry["swap"], bool(entry.get("error"))) == (swap, error)
