"""A source's track record: upheld, overturned, only source, conflicts with each other source."""

import re

from factcheck.models import Resolution
from factcheck.track_record import track_record
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."
Q4 = "Officials said the “agreements will be respected” by both sides."


def _resolve(claim, editor, prevailing_sources, verdict="true", is_open=False):
    resolution = Resolution.objects.create(
        claim=claim, verdict=verdict, rationale="Checked.", decided_by=editor, is_open=is_open
    )
    resolution.prevailing.set(claim.assertions.filter(source__in=prevailing_sources))
    return resolution


def _corpus(editor):
    """Subject S against P, Q and R; the comments give each claim's part in S's figures."""
    topic = make_topic()
    s, p, q, r = (make_source(title=t) for t in ("Subject", "Papers", "Quarterly", "Review"))
    # Conflict with P; resolved for S: S upheld.
    c1 = make_claim(topic, "c1", [(s, "supports", Q1), (p, "disputes", Q2)])
    _resolve(c1, editor, [s])
    # Only a difference in time with P: not a conflict.
    make_claim(topic, "c2", [(s, "supports", Q1, "2024-12"), (p, "disputes", Q2, "2025-10-15")])
    # Conflict with Q; resolved for Q: both of S's statements overturned.
    c3 = make_claim(topic, "c3", [(s, "disputes", Q1), (s, "qualifies", Q4), (q, "supports", Q2)])
    _resolve(c3, editor, [q], verdict="mostly-true")
    # S alone, twice (two statements on one claim count as one claim).
    make_claim(topic, "c4", [(s, "supports", Q3)])
    make_claim(topic, "c5", [(s, "supports", Q1), (s, "qualifies", Q2)])
    # Agrees with R.
    make_claim(topic, "c6", [(s, "supports", Q1), (r, "supports", Q2)])
    # Conflict with Q; the resolution was reopened, so it counts for neither upheld nor overturned.
    c7 = make_claim(topic, "c7", [(s, "supports", Q1), (q, "disputes", Q3)])
    _resolve(c7, editor, [s], is_open=True)
    # S not involved.
    make_claim(topic, "c8", [(p, "supports", Q1), (q, "disputes", Q2)])
    # S qualifies, P disputes: no opposition.
    make_claim(topic, "c9", [(s, "qualifies", Q1), (p, "disputes", Q2)])
    # S contradicts itself; P agrees with one side in the same period, so P and S conflict.
    make_claim(topic, "c10", [(s, "supports", Q1, "2025"), (s, "disputes", Q2, "2025"), (p, "disputes", Q3, "2025-03")])
    return s, p, q, r


def test_it_counts_upheld_overturned_and_only_source(db, editor):
    s, p, q, r = _corpus(editor)
    track = track_record(s)
    assert track.assertions == 12
    assert track.claims == 9
    assert track.resolved_claims == 2
    assert track.upheld == 1
    assert track.overturned == 2
    assert track.only_source == 2


def test_it_counts_conflicts_with_each_other_source_leaving_out_differences_in_time(db, editor):
    s, p, q, r = _corpus(editor)
    peers = [(x.title, x.shared, x.conflicts, x.changed) for x in track_record(s).peers]
    # Most conflicts first.
    assert peers == [
        ("Papers", 4, 2, 1),  # c1, c2, c9, c10: conflicts on c1 and c10, only in time on c2
        ("Quarterly", 2, 2, 0),  # c3, c7
        ("Review", 1, 0, 0),  # c6
    ]


def test_it_counts_for_the_other_side_too(db, editor):
    s, p, q, r = _corpus(editor)
    track = track_record(q)
    assert (track.assertions, track.claims, track.upheld, track.overturned, track.only_source) == (3, 3, 1, 0, 0)
    assert [(x.title, x.shared, x.conflicts, x.changed) for x in track.peers] == [
        ("Subject", 2, 2, 0),
        ("Papers", 1, 1, 0),
    ]


def test_it_shows_the_track_record_on_the_source_page(client, db, editor):
    s, p, q, r = _corpus(editor)
    body = client.get(f"/sources/{s.pk}/").content.decode()
    section = re.search(r'<section class="track-record".*?</section>', body, re.S).group(0)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", section))
    assert figures == {
        "Statements": "12 on 9 claims",
        "Upheld by editors": "1",
        "Overturned by editors": "2",
        "Only source for": "2 claims",
    }
    rows = re.findall(
        r'<tr>\s*<th scope="row"><a href="/sources/(\d+)/">([^<]+)</a></th>\s*'
        r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>",
        section,
    )
    assert rows == [
        (str(p.pk), "Papers", "4", "2", "1"),
        (str(q.pk), "Quarterly", "2", "2", "0"),
        (str(r.pk), "Review", "1", "0", "0"),
    ]
    assert f'href="/compare/?a={s.pk}&amp;b={q.pk}">compare' in section
    assert f'href="/claims/?source={s.pk}&amp;status=resolved">The 2 resolved claims</a>' in section


def test_a_source_nobody_else_quotes_has_a_plain_record(client, db):
    lone = make_source(title="Lone")
    make_claim(assertions=[(lone, "supports", Q1)])
    track = track_record(lone)
    assert (track.assertions, track.claims, track.upheld, track.overturned, track.only_source) == (1, 1, 0, 0, 1)
    assert track.peers == []
    body = client.get(f"/sources/{lone.pk}/").content.decode()
    assert "No other source speaks to this source&#x27;s claims." in body or (
        "No other source speaks to this source's claims." in body
    )


def _grow(s, editor, n):
    for i in range(n):
        other = make_source(title=f"Other {i}")
        claim = make_claim(make_topic(), f"grown {i}", [(s, "supports", Q1), (other, "disputes", Q2)])
        _resolve(claim, editor, [s] if i % 2 else [other])
        make_claim(assertions=[(s, "qualifies", Q4, "2025"), (other, "supports", Q3, "2026")])


def test_the_source_page_query_count_does_not_grow_with_the_corpus(client, db, editor, django_assert_num_queries):
    s, p, q, r = _corpus(editor)
    # source + its assertions joined to claims (highlighting) + the track
    # record's aggregate + claims in common per other source + the statements
    # on claims where it and another source take opposite sides.
    with django_assert_num_queries(5):
        assert client.get(f"/sources/{s.pk}/").status_code == 200
    _grow(s, editor, 20)
    with django_assert_num_queries(5):
        body = client.get(f"/sources/{s.pk}/").content.decode()
    assert "Other 19" in body
    assert track_record(s).upheld == 1 + 10
