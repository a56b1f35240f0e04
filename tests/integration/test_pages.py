"""Every reader page renders the corpus, and stays constant in queries as it grows."""

import pytest

from factcheck.models import Claim
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _corpus(n_claims, topic=None):
    topic = topic or make_topic(slug="bases", title="Will Russia keep its bases?")
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    for i in range(n_claims):
        make_claim(topic=topic, text=f"Bases claim {i}", assertions=[(a, "supports", Q1), (b, "disputes", Q2)])
    return topic, a, b


def test_home_lists_topics_with_conflict_counts(client, conflict_claim):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert conflict_claim.topic.title in body
    assert "1 in conflict" in body


def test_topic_page_shows_the_claims_by_sources_grid(client, conflict_claim):
    response = client.get(f"/topics/{conflict_claim.topic.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col"><a href="/sources/' in body
    assert "Alpha" in body and "Beta" in body
    assert "Russia keeps its naval base at Tartus." in body
    assert "Disputes" in body and "Supports" in body


def test_topic_grid_shows_an_editors_verdict_beside_the_claim(client, conflict_claim, editor):
    from factcheck.models import Resolution, Verdict

    Resolution.objects.create(
        claim=conflict_claim, verdict=Verdict.MOSTLY_TRUE, rationale="Both bases stay.", decided_by=editor
    )
    body = client.get(f"/topics/{conflict_claim.topic.slug}/").content.decode()
    assert "verdict: Mostly true" in body


def test_claim_page_puts_each_stance_in_its_column_with_context(client, conflict_claim):
    response = client.get(f"/claims/{conflict_claim.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    supports = body.index('id="col-supports"')
    disputes = body.index('id="col-disputes"')
    qualifies = body.index('id="col-qualifies"')
    assert supports < body.index("Russia keeps its naval base at Tartus.") < disputes
    assert disputes < body.index("Talks about the bases are active") < qualifies
    # The surrounding sentence and a link to the passage in the source.
    a = conflict_claim.assertions.get(stance="supports")
    assert f'href="/sources/{a.source_id}/#a-{a.pk}"' in body
    assert "Speaks about" in body


def test_source_page_highlights_every_quoted_passage(client, conflict_claim):
    a = conflict_claim.assertions.get(stance="supports")
    response = client.get(f"/sources/{a.source_id}/")
    body = response.content.decode()
    assert f'<span class="anchor" id="a-{a.pk}"></span><mark class="hl hl-supports hl-start"' in body
    assert f'href="/claims/{conflict_claim.pk}/"' in body
    assert ">Russia keeps its naval base at Tartus.</a></mark>" in body


def test_source_page_keeps_the_text_verbatim_and_escaped(client, db):
    source = make_source(text="Line one <b>bold?</b>\n\n  Indented “quote” here.")
    response = client.get(f"/sources/{source.pk}/")
    assert "Line one &lt;b&gt;bold?&lt;/b&gt;\n\n  Indented “quote” here." in response.content.decode()


def test_source_list_links_to_each_source(client, conflict_claim):
    response = client.get("/sources/")
    assert response.status_code == 200
    assert "Alpha" in response.content.decode()


def test_claim_list_filters_by_status_topic_source_and_words(client, db):
    topic, a, _b = _corpus(2)
    other = make_claim(text="Assad asked for asylum", assertions=[(make_source(), "supports", Q1)])
    body = client.get("/claims/", {"status": "conflict"}).content.decode()
    assert "Bases claim 0" in body and "Assad asked" not in body
    body = client.get("/claims/", {"topic": other.topic.slug}).content.decode()
    assert "Assad asked" in body and "Bases claim" not in body
    body = client.get("/claims/", {"source": a.pk}).content.decode()
    assert "Bases claim 1" in body and "Assad asked" not in body
    body = client.get("/claims/", {"q": "asylum"}).content.decode()
    assert "Assad asked" in body and "Bases claim" not in body


def test_claim_list_paginates(client, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 2
    _corpus(5)
    body = client.get("/claims/", {"page": 3}).content.decode()
    assert "Page 3 of 3" in body


def test_claim_list_answers_htmx_with_the_results_partial_only(client, conflict_claim):
    response = client.get("/claims/", {"status": "conflict"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert conflict_claim.text in body
    assert "<html" not in body and 'class="filters"' not in body


def test_search_finds_claims_quotes_and_sources(client, conflict_claim):
    body = client.get("/search/", {"q": "Tartus"}).content.decode()
    assert "Russia keeps its naval base at <mark>Tartus</mark>." in body
    assert "Alpha" in body


@pytest.mark.parametrize(
    ("url", "params", "status", "message"),
    [
        ("/claims/", {"status": "bogus"}, 400, "status: Select a valid choice"),
        ("/claims/", {"source": "abc"}, 400, "source: Enter a whole number"),
        ("/claims/", {"topic": "no such topic!"}, 400, "topic:"),
        ("/claims/", {"topic": "missing"}, 404, "There is no topic “missing”"),
        ("/claims/", {"source": "999999"}, 404, "There is no source with id 999999"),
        ("/claims/", {"page": "x"}, 400, "page: &#x27;x&#x27; is not a whole number"),
        ("/claims/", {"page": "99999999999999"}, 400, "page: must be between 1 and"),
        ("/claims/", {"page": "50"}, 404, "Page 50 does not exist; there are 1 pages"),
        ("/claims/", {"q": "x" * 501}, 400, "q: Ensure this value has at most 500"),
        ("/claims/999999/", {}, 404, "There is no claim with id 999999."),
        ("/sources/999999/", {}, 404, "There is no source with id 999999."),
        ("/topics/missing/", {}, 404, "There is no topic with slug missing."),
        ("/search/", {"q": "y" * 501}, 400, "q: Ensure"),
    ],
)
def test_bad_input_gets_a_clear_4xx(client, conflict_claim, url, params, status, message):
    response = client.get(url, params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_writes_to_read_pages_are_refused(client, conflict_claim):
    assert client.post("/claims/").status_code == 405


@pytest.mark.parametrize("url", ["/", "/claims/", "/claims/?status=conflict", "/sources/"])
def test_list_pages_query_count_does_not_grow_with_claims(client, db, django_assert_num_queries, url):
    # Home: the stored totals (which also count the topics) + topics page.  Claims: the
    # totals' count + page (claims joined to topics).  Sources: count + page + the page's assertion counts.
    _corpus(2)
    expected = {"/": 2, "/claims/": 2, "/claims/?status=conflict": 2, "/sources/": 3}[url]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _corpus(30, topic=make_topic())
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_detail_pages_query_count_does_not_grow_with_claims(client, db, django_assert_num_queries):
    topic, a, _b = _corpus(2)
    claim = Claim.objects.filter(topic=topic).first()
    expected = {
        # topic + its claims joined to their resolutions + their assertions joined to sources
        f"/topics/{topic.slug}/": 3,
        # claim joined to topic, resolution and assignee + assertions joined to
        # sources + editors' notes + the timeline's keys with their number (one
        # query) + the history timeline's rows for the claim, its assertions,
        # its notes and its resolution (see tests/integration/test_history.py)
        # + the claim's wordings in other languages
        f"/claims/{claim.pk}/": 7,
        # source + its assertions joined to claims, speakers and the claims'
        # decisions (the track record's own statements) + what it derives from
        # and what derives from it (one query) + other sources' statements on its claims
        f"/sources/{a.pk}/": 4,
    }

    def assert_query_counts():
        for url, queries in expected.items():
            with django_assert_num_queries(queries):
                client.get(url)

    assert_query_counts()
    _corpus(30, topic=topic)
    assert_query_counts()
