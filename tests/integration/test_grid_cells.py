"""The topic grid's cells, built in Python, are what the template loop renders, character for character."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from factcheck.grid_cells import cells_html, claim_headers_html
from factcheck.links import url_maker
from factcheck.models import Resolution, Verdict
from factcheck.selectors.topics import topic_grid
from tests.conftest import make_awkward_cast, make_claim, make_source

pytestmark = pytest.mark.django_db


def _grid():
    topic, english, arabic, speaker = make_awkward_cast()
    make_claim(
        topic=topic,
        text="Russia <keeps> its base.",
        assertions=[
            {
                "source": english,
                "stance": "supports",
                "quote": "Russia keeps its naval base at Tartus.",
                "as_of": "2025-07",
            },
            {
                "source": english,
                "stance": "disputes",
                "quote": "Talks about the bases are active as of July 2025.",
                "speaker": speaker,
                "as_of": "1955",
                "period_end": "1958",
            },
        ],
    )
    make_claim(topic=topic, assertions=[(arabic, "qualifies", "روسيا تحتفظ بقاعدتها البحرية في طرطوس.")])
    return topic_grid(topic)


def _render(rows):
    return render_to_string("factcheck/_claim_grid_rows.html", {"rows": rows, "quote_length": 220, "show_topic": False})


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_renders_what_the_template_loop_rendered(language, editor):
    grid = _grid()
    Resolution.objects.create(claim=grid.claims[0], verdict=Verdict.MOSTLY_TRUE, rationale="So.", decided_by=editor)
    grid = topic_grid(grid.claims[0].topic)
    source_url, claim_url = url_maker("source-detail"), url_maker("claim-detail")
    for a in grid.assertions:
        a.passage_url = f"{source_url(a.source_id)}#a-{a.pk}"
    for row in grid.rows:
        row["claim_url"] = claim_url(row["claim"].pk)
    with translation.override(language):
        old = _render(grid.rows)
        cells_html(grid.rows, quote_length=220)
        claim_headers_html(grid.rows)
        new = _render(grid.rows)
    assert all(row["cells_html"] and row["header_html"] for row in grid.rows)
    # Every branch is exercised: an empty cell, a reported voice, dated and undated, another script, escaping,
    # a verdict and none.
    for part in ("cell-empty", "cell-voice", "as-of undated", 'dir="rtl"', "&lt;of&gt;", "&lt;press office&gt;"):
        assert part in old, part
    assert old.count('<div class="claim-meta">') == 2 and old.count("\n            <span>") == 1  # one verdict
    assert "Russia &lt;keeps&gt; its base." in old
    assert new == old


def test_it_links_a_quote_without_a_prebuilt_address_to_its_passage():
    grid = _grid()
    old = _render(grid.rows)
    cells_html(grid.rows, quote_length=220)
    assert _render(grid.rows) == old


@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_writes_the_column_headers_the_template_loop_wrote(client, monkeypatch, language):
    from factcheck.views import browse

    topic = _grid().claims[0].topic
    make_claim(topic=topic, assertions=[(make_source(title="Third"), "supports", "The Kremlin denied")])
    url = f"/topics/{topic.slug}/"
    headers = {"Accept-Language": language}
    new = client.get(url, headers=headers).content.decode()
    monkeypatch.setattr(browse, "column_headers_html", lambda *args, **kwargs: "")
    old = client.get(url, headers=headers).content.decode()
    # Three sources, each compared with the two others; titles escaped.
    assert old.count('<details class="compare-with-menu">') == 3 and old.count("&amp;b=") == 6
    assert "&lt;of&gt;" in old
    assert new == old
