"""Home's topic finder: words in any form, a status, an order; counts for every status."""

import pytest

from tests.conftest import make_claim, make_conflict_claim, make_source, make_topic


@pytest.fixture
def topics(db):
    bases = make_topic(slug="bases", title="Will Russia keep its bases in Syria?", description="Tartus and Hmeimim.")
    trade = make_topic(slug="trade", title="Trade between the two countries", description="Wheat and oil.")
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    make_conflict_claim(alpha, beta, topic=trade, text="Trade grew.")
    make_claim(topic=bases, text="Russia keeps Tartus.", assertions=[(alpha, "supports", "The Kremlin denied")])
    make_claim(topic=bases, text="Nobody quoted yet.")
    return {"bases": bases, "trade": trade}


def _titles(response):
    return [t.title for t in response.context["page"]]


def test_it_counts_every_status_in_the_intro(client, topics):
    body = client.get("/").content.decode()
    assert "3 claims checked against their sources:" in body
    for phrase in ("1 with no source yet", "1 with one source", "1 in conflict"):
        assert phrase in body


def test_it_finds_a_topic_by_another_form_of_its_words(client, topics):
    response = client.get("/", {"q": "Russian bases"})
    assert _titles(response) == ["Will Russia keep its bases in Syria?"]
    assert "1 topic found for “Russian bases”" in response.content.decode()


def test_it_keeps_topics_with_a_claim_of_the_status_in_the_order_asked(client, topics):
    assert _titles(client.get("/", {"status": "conflict"})) == ["Trade between the two countries"]
    assert _titles(client.get("/", {"order": "title"}))[0] == "Trade between the two countries"
    assert _titles(client.get("/", {"order": "claims"}))[0] == "Will Russia keep its bases in Syria?"


def test_it_answers_htmx_with_the_cards_alone(client, topics):
    response = client.get("/", {"q": "wheat"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Trade between the two countries" in body


def test_it_refuses_an_unknown_status_or_order(client, topics):
    response = client.get("/", {"status": "nonsense"})
    assert response.status_code == 400
    assert "nonsense" in response.content.decode()


def test_its_queries_do_not_grow_with_the_topics(client, topics, django_assert_num_queries):
    for n in range(5):
        make_claim(topic=make_topic(title=f"Bases {n}"))
    # claims grouped by topic and status; the topics' count; the page of topics
    with django_assert_num_queries(3):
        client.get("/", {"q": "bases"})
