"""A topic's timeline: order by the period statements speak about, time-only labels, JSON, query counts.

Issue 14: a statement without a period is undated; it no longer takes its source's date.
"""

import datetime as dt
import re

from django.contrib.auth import get_user_model

from factcheck.models import Resolution
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."
Q4 = "Officials said the “agreements will be respected” by both sides."


def _dated_topic():
    """Statements dated every way there is, created out of order."""
    topic = make_topic(slug="bases", title="Will Russia keep its bases?")
    essay = make_source(title="Essay", as_of=dt.date(2021, 1, 1), as_of_precision="year")
    wire = make_source(title="Wire", published=dt.date(2024, 12, 8))
    news = make_source(title="News")
    make_claim(topic, "Undated claim.", [(news, "qualifies", Q3)])
    make_claim(topic, "July claim.", [(news, "supports", Q2, "2025-07")])
    make_claim(topic, "Day claim.", [(news, "supports", Q4, "2025-10-15")])
    make_claim(topic, "Essay claim.", [(essay, "supports", Q1)])
    make_claim(topic, "Year claim.", [(news, "qualifies", Q1, "2025")])
    make_claim(topic, "Wire claim.", [(wire, "supports", Q1)])
    return topic


def _timeline_html(body):
    return re.search(r'<section class="timeline-section".*?</section>', body, re.S).group(0)


def test_it_orders_statements_by_the_date_they_speak_as_of(client, db):
    topic = _dated_topic()
    html = _timeline_html(client.get(f"/topics/{topic.slug}/").content.decode())
    labels = re.findall(r'<h3><time datetime="([^"]+)">([^<]+)</time></h3>', html)
    # A year sorts at the start of that year, before its months; precision is kept in the labels.
    assert labels == [
        ("2025", "2025"),
        ("2025-07", "July 2025"),
        ("2025-10-15", "15 October 2025"),
    ]
    order = [html.index(text) for text in ("Year claim.", "July claim.", "Day claim.", "Undated claim.")]
    assert order == sorted(order)


def test_it_never_dates_a_statement_by_its_source(client, db):
    # Before issue 14 the essay's statement sat under its source's "2021" and
    # the wire's under its publication date, marked "(the source's date)".
    topic = _dated_topic()
    html = _timeline_html(client.get(f"/topics/{topic.slug}/").content.decode())
    assert 'datetime="2021"' not in html and 'datetime="2024-12-08"' not in html
    assert "the source's date" not in html
    undated = html[html.index("Undated <span") :]
    assert "Essay claim." in undated and "Wire claim." in undated


def test_it_shows_a_period_with_its_precision(db):
    from factcheck.statement_timeline import topic_timeline
    from tests.conftest import make_assertion

    topic = make_topic()
    source = make_source(title="Encyclopedia")
    claim = make_claim(topic, "Aid, 1955–58.")
    aid = make_assertion(claim, source, "supports", Q1, "1955", period_end="1958")
    single = make_assertion(claim, source, "supports", Q2, "1955")
    timeline = topic_timeline([claim], [aid, single])
    assert [(p.label, p.value, [e.assertion for e in p.entries]) for p in timeline.periods] == [
        ("1955", "1955", [single]),
        ("1955–58", "1955", [aid]),
    ]
    assert timeline.periods[1].entries[0].period == {"from": "1955", "to": "1958"}


def test_it_puts_undated_statements_last_with_a_label(client, db):
    topic = _dated_topic()
    html = _timeline_html(client.get(f"/topics/{topic.slug}/").content.decode())
    undated = html.index("Undated <span")
    assert html.index("Day claim.") < undated < html.index("Undated claim.")
    assert "the statement speaks about no period it names" in html


def _moved_on(topic):
    """Sources Alpha and Beta, and a state claim they take opposite sides of in July and October 2025."""
    alpha, beta = make_source(title="Alpha"), make_source(title="Beta")
    moved = make_claim(
        topic,
        "Talks moved on.",
        [(alpha, "supports", Q2, "2025-07"), (beta, "disputes", Q4, "2025-10")],
        kind="state",
    )
    return alpha, beta, moved


def test_it_labels_a_difference_in_time_as_such_not_as_a_conflict(client, db):
    topic = make_topic()
    alpha, beta, moved = _moved_on(topic)
    clash = make_claim(topic, "A real clash.", [(alpha, "supports", Q1, "2025"), (beta, "disputes", Q3, "2025-10")])
    html = _timeline_html(client.get(f"/topics/{topic.slug}/").content.decode())
    note = re.search(rf'<li id="change-{moved.pk}".*?</ol>', html, re.S).group(0)
    assert "changed over time:" in note
    steps = re.findall(r"<li>(.*?)</li>", note, re.S)
    assert steps == [
        f"Alpha: “{Q2}”, about July 2025 (supports);",
        f"Beta: “{Q4}”, about October 2025 (disputes).",
    ]
    entries = re.findall(r'<li class="timeline-entry".*?</li>', html, re.S)
    moved_entries = [e for e in entries if "Talks moved on." in e]
    clash_entries = [e for e in entries if "A real clash." in e]
    assert len(moved_entries) == 2 and len(clash_entries) == 2
    for e in moved_entries:
        assert f'href="#change-{moved.pk}"' in e and "changed over time" in e and "status-conflict" not in e
    for e in clash_entries:
        assert "status-conflict" in e and "changed over time" not in e
    assert f"change-{clash.pk}" not in html


def test_it_still_tells_a_change_in_time_once_an_editor_resolved_the_claim(client, db):
    topic = make_topic()
    alpha, beta, moved = _moved_on(topic)
    editor = get_user_model().objects.create_user("ed", password="ed-password-12345")
    Resolution.objects.create(claim=moved, verdict="outdated", rationale="Superseded.", decided_by=editor)
    html = _timeline_html(client.get(f"/topics/{topic.slug}/").content.decode())
    assert f'id="change-{moved.pk}"' in html


def test_it_serves_the_timeline_as_json(client, db):
    topic = _dated_topic()
    alpha, beta, moved = _moved_on(topic)
    data = client.get(f"/api/topics/{topic.slug}/timeline/").json()
    assert data["topic"] == {"slug": "bases", "title": "Will Russia keep its bases?"}
    got = [(e["date"], e["label"], e["date_from"], e["claim"]["text"]) for e in data["entries"]]
    assert got == [
        ("2025", "2025", "statement", "Year claim."),
        # Within one period, by source title: Alpha before News.
        ("2025-07", "July 2025", "statement", "Talks moved on."),
        ("2025-07", "July 2025", "statement", "July claim."),
        ("2025-10", "October 2025", "statement", "Talks moved on."),
        ("2025-10-15", "15 October 2025", "statement", "Day claim."),
        # Undated, by source title: Essay, News, Wire.
        (None, "", None, "Essay claim."),
        (None, "", None, "Undated claim."),
        (None, "", None, "Wire claim."),
    ]
    assert [e["time_only"] for e in data["entries"]] == [False, True, False, True, False, False, False, False]
    assert data["entries"][1]["period"] == {"from": "2025-07", "to": None}
    assert data["entries"][5]["period"] is None
    assert data["entries"][5]["assertion"]["source"]["title"] == "Essay"
    [change] = data["changes"]
    assert change["claim"]["id"] == moved.pk
    assert [(s["assertion"]["source"]["title"], s["assertion"]["stance"], s["label"]) for s in change["steps"]] == [
        ("Alpha", "supports", "July 2025"),
        ("Beta", "disputes", "October 2025"),
    ]


def test_the_json_timeline_of_an_unknown_topic_is_a_404(client, db):
    response = client.get("/api/topics/missing/timeline/")
    assert response.status_code == 404
    assert response.json() == {"error": "There is no topic with slug missing.", "status": 404}


def _grow(topic, n):
    for i in range(n):
        a, b = make_source(title=f"A{i}"), make_source(title=f"B{i}", published=dt.date(2025, 1, 1 + i % 28))
        make_claim(topic, f"Grown {i}.", [(a, "supports", Q1, f"20{10 + i % 15}"), (b, "disputes", Q2)])


def test_its_query_count_does_not_grow_with_the_topic(client, db, django_assert_num_queries):
    topic = _dated_topic()
    # Topic page: topic + its claims + their assertions joined to sources; the
    # timeline reuses those rows.  JSON: topic + claims joined to resolutions +
    # assertions joined to sources.
    with django_assert_num_queries(3):
        assert client.get(f"/topics/{topic.slug}/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(f"/api/topics/{topic.slug}/timeline/").status_code == 200
    _grow(topic, 30)
    with django_assert_num_queries(3):
        body = client.get(f"/topics/{topic.slug}/").content.decode()
    assert "Grown 29." in _timeline_html(body)
    with django_assert_num_queries(3):
        assert len(client.get(f"/api/topics/{topic.slug}/timeline/").json()["entries"]) == 6 + 60
