"""Search and the evidence finder do bounded work: counts capped, only the newest matches ranked past the cap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import evidence
from factcheck.evidence import find_evidence
from factcheck.search import search
from tests.conftest import make_claim, make_source, make_topic

URL = reverse("search")


@pytest.fixture
def cap(monkeypatch):
    """A cap of 3 matches per kind, as the page and the engines read it."""
    monkeypatch.setattr("factcheck.search.base.COUNT_CAP", 3)
    monkeypatch.setattr("factcheck.views.search.COUNT_CAP", 3)
    return 3


def _claims(n, topic=None, word="Tartus"):
    return [make_claim(topic=topic, text=f"The port of {word} was busy in week {i}.") for i in range(n)]


def test_it_counts_exactly_below_the_cap(client, db, cap):
    claims = _claims(3)
    found = search("Tartus", kinds=["claims"]).kinds["claims"]
    assert (found.total, found.capped) == (3, False)
    assert sorted(h.id for h in found.hits) == sorted(c.pk for c in claims)
    body = client.get(URL, {"q": "Tartus", "kind": "claims"}).content.decode()
    assert "3 results for “Tartus”" in body and "(3)" in body
    assert "More than" not in body and "more than" not in body


def test_it_caps_the_count_and_says_so_on_the_page(client, db, cap):
    claims = _claims(5)
    found = search("Tartus", kinds=["claims"], limit=10).kinds["claims"]
    assert (found.total, found.capped) == (3, True)
    # Past the cap the newest matches are the ones ranked.
    assert sorted(h.id for h in found.hits) == sorted(c.pk for c in claims[-3:])
    body = client.get(URL, {"q": "Tartus", "kind": "claims"}).content.decode()
    assert "More than 3 results for “Tartus”" in body
    assert "(more than 3)" in body
    assert "Only the 3 newest of each kind are ranked" in body
    overview = client.get(URL, {"q": "Tartus"}).content.decode()
    assert "More than 3 claims →" in overview


def test_it_says_so_in_the_readers_language(client, db, cap):
    _claims(4)
    body = client.get(URL, {"q": "Tartus", "kind": "claims"}, headers={"accept-language": "fr"}).content.decode()
    assert "Plus de 3 résultats pour « Tartus »" in body


def test_a_page_past_the_cap_is_empty_not_an_error(client, db, cap):
    _claims(5)
    response = client.get(URL, {"q": "Tartus", "kind": "claims", "page": 40})
    assert response.status_code == 200
    assert 'class="search-hit' not in response.content.decode()


def test_it_ranks_below_the_cap_as_a_full_ranking_would(db):
    # Best first; equal scores in the order the documents were written.
    twice = make_claim(text="Tartus, Tartus: the port.")
    first_tie = make_claim(text="The port of Tartus in a long sentence about many other harbours and their trade.")
    second_tie = make_claim(text="The port of Tartus in a long sentence about many other harbours and their trade.")
    found = search("Tartus", kinds=["claims"]).kinds["claims"]
    assert [h.id for h in found.hits] == [twice.pk, first_tie.pk, second_tie.pk]
    assert found.hits[0].score > found.hits[1].score == found.hits[2].score
    page_two = search("Tartus", kinds=["claims"], limit=1, offset=1).kinds["claims"]
    assert [h.id for h in page_two.hits] == [first_tie.pk] and page_two.total == 3


def test_a_topic_filter_finds_its_matches_among_many_others(db, cap):
    topic = make_topic()
    _claims(6)
    mine = make_claim(topic=topic, text="Tartus on this topic.")
    _claims(6)
    found = search("Tartus", kinds=["claims"], topic=topic).kinds["claims"]
    assert [h.id for h in found.hits] == [mine.pk] and (found.total, found.capped) == (1, False)
    found = search("Tartus", kinds=["claims"], status="unsourced").kinds["claims"]
    assert (found.total, found.capped) == (3, True)


def test_its_query_count_is_the_same_past_the_cap(client, db, cap):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, params)
        return len(captured)

    _claims(2)
    below = [queries({"q": "Tartus"}), queries({"q": "Tartus", "kind": "claims", "page": 1})]
    _claims(10)
    assert [queries({"q": "Tartus"}), queries({"q": "Tartus", "kind": "claims", "page": 1})] == below


def test_the_evidence_finder_ranks_only_its_budget_of_newest_matches(db):
    sources = [make_source(text=f"Hmeimim airfield report number {n}. Nothing else here.") for n in range(4)]
    engine = evidence._Engine(connection)
    terms = evidence._query_terms("Hmeimim", evidence.Analyzer(evidence.load_vocabulary()[0]))
    every = engine.candidates(terms, (), 50, budget=100)
    assert {row[1] for row in every} == {s.pk for s in sources}
    newest = engine.candidates(terms, (), 50, budget=2)
    assert {row[1] for row in newest} == {s.pk for s in sources[-2:]}
    # Within the budget every matching source can be found.
    assert {e.source_id for e in find_evidence("Hmeimim airfield", limit=4)} == {s.pk for s in sources}
