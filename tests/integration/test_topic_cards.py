"""Home's topic cards, built in Python, are what the template loop renders, character for character."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from factcheck.topic_cards import cards_html
from tests.conftest import make_claim, make_conflict_claim, make_source, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_context(client):
    """The context home renders its cards with: topics of one claim, of several, of none; one with markup."""
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    busy = make_topic(title='Bases <"Tartus"> & co', description="Will <b>Russia</b> keep them?")
    make_conflict_claim(alpha, beta, topic=busy)
    make_claim(topic=busy, assertions=[(alpha, "supports", "The Kremlin denied")])
    make_claim(topic=busy)
    make_claim(topic=make_topic(title="One claim"), assertions=[(beta, "supports", "The Kremlin denied")])
    make_topic(title="Nothing yet")
    context = client.get("/").context
    return {key: context[key] for key in ("page", "form", "filtered", "keep_params")}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_renders_what_the_template_loop_rendered(home_context, language):
    with translation.override(language):
        old = render_to_string("factcheck/_topic_cards.html", {**home_context, "cards_html": ""})
        built = cards_html(home_context["page"])
        new = render_to_string("factcheck/_topic_cards.html", {**home_context, "cards_html": built})
    # Every branch: a description, one claim and several, statuses with claims and without, escaping.
    for part in (
        "Will &lt;b&gt;Russia&lt;/b&gt;",
        "&lt;&quot;Tartus&quot;&gt; &amp; co",
        "status-conflict",
        "status-single",
    ):
        assert part in old, part
    assert old.count('class="topic-card"') == 3 and built in new
    assert new == old


def test_it_leaves_an_empty_page_to_the_template(client, db):
    make_topic(title="Bases")
    body = client.get("/", {"q": "extradition"}).content.decode()
    assert "No topic matches" in body
