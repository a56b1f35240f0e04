"""Site search with the shared analyser: word forms find claims, paraphrases find quotes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.search import search
from tests.conftest import make_claim, make_source, make_topic

URL = reverse("search")


@pytest.fixture
def bases(db):
    topic = make_topic(title="Bases", slug="bases")
    source = make_source(
        title="Coast report",
        text="Moscow keeps its Syrian bases for now. Putin will not surrender Assad to Damascus. Wheat prices rose.",
    )
    claims = {
        name: make_claim(topic=topic, text=text, assertions=[(source, "supports", quote)])
        for name, text, quote in [
            ("central", "Russia's Syrian bases are still in operation.", "Moscow keeps its Syrian bases for now."),
            ("refusal", "The Kremlin refuses the request.", "Putin will not surrender Assad to Damascus."),
        ]
    }
    return {**claims, "source": source}


def test_it_finds_russia_for_russian_and_syrian_for_syria(bases):
    found = search("Russian bases Syria")
    assert not found.any_word
    assert [h.id for h in found.kinds["claims"].hits] == [bases["central"].pk]


def test_it_falls_back_to_the_evidence_finder_when_no_quote_has_the_words(client, bases):
    # "hand over" means extradite; the seeded synonym group counts "surrender" with it.
    response = client.get(URL, {"q": "hand over Assad", "kind": "quotes"})
    assert response.status_code == 200
    quotes = response.context["results"].kinds["quotes"]
    assert response.context["results"].paraphrased
    assert [h.claim_id for h in quotes.hits][0] == bases["refusal"].pk
    assert "in other words" in response.content.decode()


def test_it_does_not_fall_back_when_a_quote_has_the_words(client, bases):
    response = client.get(URL, {"q": "Syrian bases", "kind": "quotes"})
    assert not response.context["results"].paraphrased
    assert [h.claim_id for h in response.context["results"].kinds["quotes"].hits] == [bases["central"].pk]


def test_its_fallback_costs_the_same_queries_however_many_quotes_match(client, bases):
    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, {"q": "hand over Assad", "kind": "quotes"}, headers={"HX-Request": "true"})
        return len(captured)

    few = count()
    for _ in range(5):
        make_claim(topic=bases["central"].topic, assertions=[(bases["source"], "disputes", "Putin will not surrender")])
    assert count() == few
