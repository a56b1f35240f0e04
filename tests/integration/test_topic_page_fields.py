"""The topic page reads only the fields it shows (selectors/topics.py), and never one more by a query of its own."""

import pytest

from factcheck.models import Resolution, Verdict
from tests.conftest import make_claim, make_source, make_speaker, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q4 = "Officials said the “agreements will be respected” by both sides."
ARABIC = "روسيا تحتفظ بقاعدتها البحرية في طرطوس."


@pytest.fixture
def topic(db, editor):
    topic = make_topic(slug="bases")
    alpha = make_source(title="Alpha")
    beta = make_source(title="قناة", language="ar", text=f"{ARABIC} وقالت موسكو ذلك.")
    speaker = make_speaker("Kremlin press office")
    decided = make_claim(
        topic,
        "Decided and reported.",
        [
            {"source": alpha, "stance": "supports", "quote": Q1, "as_of": "1955", "period_end": "1958"},
            {"source": beta, "stance": "disputes", "quote": ARABIC, "speaker": speaker},
        ],
    )
    Resolution.objects.create(claim=decided, verdict=Verdict.MOSTLY_TRUE, rationale="Both stay.", decided_by=editor)
    make_claim(topic, "Moved on.", [(alpha, "supports", Q2, "2025-07"), (beta, "disputes", ARABIC, "2025-10")], "state")
    make_claim(topic, "Qualified.", [(alpha, "qualifies", Q4, "2025-10-15")])
    return topic


@pytest.mark.parametrize("status", ["", "resolved"])
def test_it_shows_every_kind_of_statement_in_three_queries(client, topic, django_assert_num_queries, status):
    # the topic; its claims with their resolutions; its assertions with their sources and speakers
    with django_assert_num_queries(3):
        body = client.get(f"/topics/{topic.slug}/", {"status": status} if status else {}).content.decode()
    for shown in ("verdict: Mostly true", "reports Kremlin press office", 'lang="ar" dir="rtl"', "about 1955–58"):
        assert shown in body, shown
    if not status:
        assert "about 15 October 2025" in body and 'href="#change-' in body
