"""The topic page's status toggles and jump links: the claims of one status, and the sources they quote."""

import pytest

from tests.conftest import make_claim, make_conflict_claim, make_source, make_topic


@pytest.fixture
def topic(db):
    topic = make_topic(slug="bases", title="Will Russia keep its bases?")
    alpha, beta, gamma = make_source(title="Alpha"), make_source(title="Beta"), make_source(title="Gamma")
    make_conflict_claim(alpha, beta, topic=topic, text="Russia keeps Tartus.")
    make_claim(topic=topic, text="Gamma alone says so.", assertions=[(gamma, "supports", "The Kremlin denied")])
    make_claim(topic=topic, text="Nobody quoted yet.")
    return topic


def test_it_shows_only_the_conflicts_and_the_sources_they_quote(client, topic):
    response = client.get(f"/topics/{topic.slug}/", {"status": "conflict"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Russia keeps Tartus." in body
    assert "Gamma alone says so." not in body and "Nobody quoted yet." not in body
    assert [s.title for s in response.context["columns"]] == ["Alpha", "Beta"]
    assert "Conflict: 1 of 3 claims" in body
    assert '<details class="timeline-fold" id="timeline-fold">' in body  # the timeline waits behind a summary


def test_it_offers_a_toggle_for_every_status_it_has_with_counts(client, topic):
    response = client.get(f"/topics/{topic.slug}/")
    toggles = {t["status"]: t["count"] for t in response.context["toggles"]}
    assert toggles == {"conflict": 1, "single": 1, "unsourced": 1}
    body = response.content.decode()
    assert 'href="?status=conflict"' in body and "Conflicts only" in body
    assert 'aria-current="true">All <span class="count">3</span>' in body
    assert 'href="#timeline-heading"' in body and 'id="timeline-heading"' in body
    assert '<details class="timeline-fold"' not in body


def test_it_refuses_an_unknown_status_naming_the_choices(client, topic):
    response = client.get(f"/topics/{topic.slug}/", {"status": "nonsense"})
    assert response.status_code == 400
    assert "status: “nonsense” is not a claim status" in response.content.decode()


def test_it_costs_the_same_queries_filtered_or_not(client, topic, django_assert_num_queries):
    # the topic; its claims with their resolutions; its assertions with their sources
    with django_assert_num_queries(3):
        client.get(f"/topics/{topic.slug}/", {"status": "conflict"})
    with django_assert_num_queries(3):
        client.get(f"/topics/{topic.slug}/")
