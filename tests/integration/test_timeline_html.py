"""The topic timeline's list, built in Python, is what the template loop renders, character for character."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from factcheck.selectors.topics import topic_statements
from factcheck.statement_timeline import topic_timeline
from factcheck.timeline_html import timeline_list_html
from tests.conftest import make_awkward_cast, make_claim

pytestmark = pytest.mark.django_db

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q4 = "Officials said the “agreements will be respected” by both sides."


def _timeline():
    topic, alpha, beta, speaker = make_awkward_cast()
    # Changed over time: a state claim its sources take opposite sides of, months apart.
    make_claim(
        topic, "Talks <moved> on.", [(alpha, "supports", Q2, "2025-07"), (alpha, "disputes", Q4, "2025-10")], "state"
    )
    make_claim(  # a conflict, one side reported, over a period
        topic,
        "Russia & its base.",
        [
            {"source": alpha, "stance": "supports", "quote": Q1, "as_of": "1955", "period_end": "1958"},
            {"source": alpha, "stance": "disputes", "quote": Q2, "speaker": speaker, "as_of": "1955"},
        ],
    )
    make_claim(topic, assertions=[(beta, "qualifies", "روسيا تحتفظ بقاعدتها البحرية في طرطوس.")])  # undated
    timeline = topic_timeline(*topic_statements(topic))
    # No statement takes its source's date any more, but the template still has the branch: so has the builder.
    timeline.periods[0].entries[0].date_from = "source"
    return topic, timeline


def _render(topic, timeline):
    return render_to_string("factcheck/_timeline.html", {"topic": topic, "timeline": timeline, "folded": ""})


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_renders_what_the_template_loop_rendered(language):
    topic, timeline = _timeline()
    with translation.override(language):
        old = _render(topic, timeline)
        timeline.list_html = timeline_list_html(timeline)
        new = _render(topic, timeline)
    # Every branch is exercised: undated, changed over time, a conflict, a reported voice, the source's date, escaping.
    for part in (
        "timeline-undated",
        "status-changed",
        "status-conflict",
        "timeline-voice",
        '<span class="as-of">',
        "&lt;of&gt;",
        "&lt;press office&gt;",
        "Talks &lt;moved&gt; on.",
        "Russia &amp; its base.",
        "stance-qualifies",
    ):
        assert part in old, part
    assert timeline.list_html in new
    assert new == old
