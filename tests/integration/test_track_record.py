"""A source's track record: upheld, overturned, only source, conflicts with each other source.

Issue 14 changed two rules: statements are judged by stance against the
verdict (a supporter of a claim judged true is upheld whatever prevails), and
counted once per decided claim, in the source's own voice only.
"""

import re

from factcheck.models import Resolution
from factcheck.selectors.source_quotes import source_statements
from factcheck.track_record import track_record
from tests.conftest import make_claim, make_source, make_speaker, make_topic

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
    # Only a difference in time with P on a state claim: not a conflict.
    make_claim(topic, "c2", [(s, "supports", Q1, "2024-12"), (p, "disputes", Q2, "2025-10-15")], kind="state")
    # Conflict with Q; resolved for Q: S's dispute overturned (its qualification counts for neither): one claim.
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
    # Before issue 14: 2, one per statement on c3 (its dispute and its qualification).
    assert track.overturned == 1
    assert track.only_source == 2
    assert track.summary == "right in 1 of 2 decided claims (50%)"


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
        "Editors’ decisions": "Right in 1 of 2 decided claims (50%)",
        "Only source for": "2 claims",
    }
    track = track_record(s)
    right = re.search(r"<dt>Right on</dt><dd><ul>(.*?)</ul>", section, re.S).group(1)
    wrong = re.search(r"<dt>Wrong on</dt><dd><ul>(.*?)</ul>", section, re.S).group(1)
    assert re.findall(r'href="/claims/(\d+)/"', right) == [str(pk) for pk in track.upheld_claims]
    assert re.findall(r'href="/claims/(\d+)/"', wrong) == [str(pk) for pk in track.overturned_claims]
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
        _resolve(claim, editor, [s] if i % 2 else [other], verdict="true" if i % 2 else "false")
        make_claim(assertions=[(s, "qualifies", Q4, "2025"), (other, "supports", Q3, "2026")])


def test_the_source_page_query_count_does_not_grow_with_the_corpus(client, db, editor, django_assert_num_queries):
    s, p, q, r = _corpus(editor)
    # source + its assertions joined to claims, speakers (highlighting) and
    # the claims' decisions (the track record's own statements) + what it
    # derives from and what derives from it (one query) + every other
    # source's statements on its claims, with their titles.
    with django_assert_num_queries(4):
        assert client.get(f"/sources/{s.pk}/").status_code == 200
    _grow(s, editor, 20)
    with django_assert_num_queries(4):
        body = client.get(f"/sources/{s.pk}/").content.decode()
    assert "Other 19" in body
    assert track_record(s).upheld == 1 + 10


def test_a_source_supporting_a_claim_judged_true_with_nothing_prevailing_is_upheld_once(db, editor):
    # Claim 117 of the seed corpus: "True, no single source prevails" made the
    # encyclopedia "0 upheld, 3 overturned".
    encyclopedia, other = make_source(title="Encyclopedia"), make_source(title="Other")
    claim = make_claim(
        assertions=[
            (encyclopedia, "supports", Q1),
            (encyclopedia, "supports", Q2),
            (encyclopedia, "supports", Q3),
            (other, "qualifies", Q4),
        ]
    )
    _resolve(claim, editor, [], verdict="true")
    track = track_record(encyclopedia)
    assert (track.upheld, track.overturned, track.upheld_claims) == (1, 0, [claim.pk])
    assert track.summary == "right in 1 of 1 decided claim (100%)"
    assert (track_record(other).upheld, track_record(other).overturned) == (0, 0)


def test_a_false_verdict_upholds_the_disputes_and_overturns_the_supports(db, editor):
    s, p = make_source(title="S"), make_source(title="P")
    claim = make_claim(assertions=[(s, "supports", Q1), (p, "disputes", Q2)])
    _resolve(claim, editor, [], verdict="mostly-false")
    assert (track_record(s).upheld, track_record(s).overturned, track_record(s).overturned_claims) == (0, 1, [claim.pk])
    assert (track_record(p).upheld, track_record(p).overturned) == (1, 0)


def test_a_mixed_verdict_counts_only_when_a_prevailing_set_was_chosen(db, editor):
    s, p = make_source(title="S"), make_source(title="P")
    without = make_claim(assertions=[(s, "supports", Q1), (p, "disputes", Q2)])
    _resolve(without, editor, [], verdict="mixed")
    assert (track_record(s).decided, track_record(p).decided) == (0, 0)
    chosen = make_claim(assertions=[(s, "supports", Q1), (p, "disputes", Q2)])
    _resolve(chosen, editor, [p], verdict="mixed")
    assert (track_record(s).upheld, track_record(s).overturned) == (0, 1)
    assert (track_record(p).upheld, track_record(p).overturned) == (1, 0)


def test_reported_speech_counts_for_the_speaker_not_the_source(db, editor):
    trt, alpha = make_source(title="TRT World"), make_source(title="Alpha")
    kremlin = make_speaker("the Kremlin", kind="government")
    claim = make_claim(
        assertions=[(alpha, "supports", Q1), {"source": trt, "stance": "disputes", "quote": Q3, "speaker": kremlin}]
    )
    _resolve(claim, editor, [], verdict="true")
    track = track_record(trt)
    # The Kremlin's denial was overturned, not TRT World, which only reported it.
    assert (track.resolved_claims, track.upheld, track.overturned) == (1, 0, 0)
    # Nor does TRT World conflict with Alpha by reporting someone who does.
    assert [(x.title, x.shared, x.conflicts) for x in track.peers] == [("Alpha", 1, 0)]
    assert (track_record(alpha).upheld, track_record(alpha).peers[0].conflicts) == (1, 0)


def test_it_keeps_the_old_keys_and_adds_the_decided_claims_to_the_json(db, editor):
    s, p, q, r = _corpus(editor)
    data = track_record(s).as_dict()
    assert {"assertions", "claims", "resolved_claims", "upheld", "overturned", "only_source", "peers"} <= set(data)
    c1, c3 = (Resolution.objects.get(claim__text=t).claim_id for t in ("c1", "c3"))
    assert (data["decided"], data["right_percent"], data["upheld_claims"], data["overturned_claims"]) == (
        2,
        50,
        [c1],
        [c3],
    )
    assert data["summary"] == "right in 1 of 2 decided claims (50%)"


def test_a_draft_decision_decides_nothing_until_it_is_published(db, editor):
    s, p = make_source(title="S"), make_source(title="P")
    claim = make_claim(assertions=[(s, "supports", Q1), (p, "disputes", Q2)])
    resolution = _resolve(claim, editor, [s])
    Resolution.objects.filter(pk=resolution.pk).update(is_published=False)
    assert (track_record(s).resolved_claims, track_record(s).upheld, track_record(p).overturned) == (0, 0, 0)
    Resolution.objects.filter(pk=resolution.pk).update(is_published=True)
    assert (track_record(s).resolved_claims, track_record(s).upheld, track_record(p).overturned) == (1, 1, 1)


def test_a_peer_quoted_twice_on_a_claim_shares_it_once_and_namesakes_keep_their_order(db):
    s = make_source(title="S")
    first, second = make_source(title="Namesake"), make_source(title="Namesake")
    make_claim(assertions=[(s, "supports", Q1), (second, "supports", Q2), (second, "qualifies", Q4)])
    make_claim(assertions=[(s, "supports", Q1), (first, "supports", Q3)])
    peers = [(x.source_id, x.shared, x.conflicts) for x in track_record(s).peers]
    assert peers == [(first.pk, 1, 0), (second.pk, 1, 0)]


def test_it_judges_the_same_from_the_source_pages_rows_as_from_its_own_query(db, editor):
    s, p, q, r = _corpus(editor)
    # Mixed, the editors' prevailing set deciding: S's support does not prevail, so S was wrong.
    mixed = make_claim(make_topic(), "c11", [(s, "supports", Q1), (p, "disputes", Q2)])
    _resolve(mixed, editor, [p], verdict="mixed")
    # Unproven, S's dispute prevailing: S was right.
    prevailing = make_claim(make_topic(), "c13", [(s, "disputes", Q1), (r, "supports", Q2)])
    _resolve(prevailing, editor, [s], verdict="unproven")
    # A draft decides nothing yet.
    draft = make_claim(make_topic(), "c12", [(s, "supports", Q1), (q, "disputes", Q2)])
    Resolution.objects.filter(pk=_resolve(draft, editor, [s]).pk).update(is_published=False)
    quotes, own = source_statements(s.pk)
    assert len(own) == len(quotes) == 15
    shared = track_record(s, own=own)
    assert shared.as_dict() == track_record(s).as_dict()
    assert mixed.pk in shared.overturned_claims
    assert prevailing.pk in shared.upheld_claims
    assert draft.pk not in shared.upheld_claims + shared.overturned_claims
