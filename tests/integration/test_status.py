"""The agreement state a claim's assertions put it in: one test per rule of issue 14."""

from factcheck.models import Claim, SourceDerivation, Status
from factcheck.voices import voice_of
from tests.conftest import make_assertion, make_claim, make_source, make_speaker

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."
Q4 = "Officials said the “agreements will be respected” by both sides."


def _state(*assertions):
    return make_claim(assertions=assertions, kind="state")


def _reload(claim):
    return Claim.objects.get(pk=claim.pk)


def test_it_is_unsourced_without_assertions(db):
    assert make_claim().status == Status.UNSOURCED


def test_it_is_single_source_with_one_source(db):
    s = make_source()
    claim = make_claim(assertions=[(s, "supports", Q1), (s, "qualifies", Q2)])
    assert (claim.status, claim.source_count, claim.origin_count) == (Status.SINGLE, 1, 1)


def test_it_is_qualified_when_one_voice_supports_and_another_only_qualifies(db):
    # Before issue 14 any two sources that did not oppose were an "agreement".
    claim = make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "qualifies", Q2)])
    assert (claim.status, claim.source_count, claim.origin_count) == (Status.QUALIFIED, 2, 2)


def test_it_is_qualified_when_there_are_only_qualifications(db):
    claim = make_claim(assertions=[(make_source(), "qualifies", Q1), (make_source(), "qualifies", Q2)])
    assert claim.status == Status.QUALIFIED


def test_agreement_needs_two_voices_on_the_same_side(db):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1), (make_source(), "supports", Q2), (make_source(), "qualifies", Q3)]
    )
    assert (claim.status, claim.origin_count) == (Status.AGREEMENT, 3)


def test_it_is_agreement_when_sources_all_dispute(db):
    claim = make_claim(assertions=[(make_source(), "disputes", Q1), (make_source(), "disputes", Q1)])
    assert claim.status == Status.AGREEMENT


def test_it_is_conflict_when_one_supports_and_another_disputes(conflict_claim):
    assert conflict_claim.status == Status.CONFLICT


def test_it_is_conflict_when_a_source_contradicts_itself(db):
    s = make_source()
    claim = make_claim(assertions=[(s, "supports", Q1), (s, "disputes", Q2)])
    assert claim.status == Status.CONFLICT


# Attribution: a reported statement is the speaker's, carried by the source.


def test_a_source_reporting_a_denial_does_not_itself_dispute(db):
    trt, alpha = make_source(title="TRT World"), make_source(title="Alpha")
    kremlin = make_speaker("the Kremlin", kind="government")
    claim = make_claim(
        assertions=[(alpha, "supports", Q1), {"source": trt, "stance": "disputes", "quote": Q3, "speaker": kremlin}]
    )
    denial = claim.assertions.get(source=trt)
    assert voice_of(denial) == ("speaker", kremlin.pk)
    assert voice_of(denial) != ("source", trt.pk)
    # The conflict is the Kremlin's against Alpha's; TRT World reporting it and
    # saying the same in its own voice would be two voices on the same side.
    assert claim.status == Status.CONFLICT
    make_assertion(claim, trt, "disputes", Q2)
    assert _reload(claim).origin_count == 3


def test_one_speaker_reported_by_two_sources_is_one_voice(db):
    putin = make_speaker("Vladimir Putin")
    a, b = make_source(title="Wire"), make_source(title="Paper")
    claim = make_claim(
        assertions=[
            {"source": a, "stance": "supports", "quote": Q1, "speaker": putin},
            {"source": b, "stance": "supports", "quote": Q1, "speaker": putin},
        ]
    )
    assert (claim.status, claim.source_count, claim.origin_count) == (Status.SINGLE, 2, 1)


# Independent origins.


def test_a_republished_source_is_not_an_independent_origin(db):
    original, copy, other = make_source(title="Original"), make_source(title="Copy"), make_source(title="Other")
    SourceDerivation.objects.create(source=copy, origin_source=original, relation="republishes")
    claim = make_claim(assertions=[(original, "supports", Q1), (copy, "supports", Q1)])
    assert (claim.status, claim.source_count, claim.origin_count) == (Status.SINGLE, 2, 1)
    make_assertion(claim, other, "supports", Q2)
    claim = _reload(claim)
    assert (claim.status, claim.origin_count) == (Status.AGREEMENT, 2)


def test_a_chain_of_derivations_and_an_outlet_end_at_one_origin(db):
    insider = make_speaker("The Insider", kind="outlet")
    a, b, c = make_source(title="A"), make_source(title="B"), make_source(title="C")
    SourceDerivation.objects.create(source=a, origin_speaker=insider, relation="republishes")
    SourceDerivation.objects.create(source=b, origin_source=a, relation="translates")
    claim = make_claim(
        assertions=[
            (b, "supports", Q1),
            {"source": c, "stance": "supports", "quote": Q2, "speaker": insider},
        ]
    )
    assert (claim.status, claim.origin_count) == (Status.SINGLE, 1)


def test_a_source_that_only_cites_another_keeps_its_own_voice(db):
    insider = make_speaker("The Insider", kind="outlet")
    article, other = make_source(title="Article"), make_source(title="Other")
    SourceDerivation.objects.create(source=article, origin_source=other, relation="cites")
    SourceDerivation.objects.create(source=other, origin_speaker=insider, relation="cites")
    claim = make_claim(assertions=[(article, "supports", Q1), (other, "supports", Q2)])
    assert (claim.status, claim.origin_count) == (Status.AGREEMENT, 2)


def test_recording_or_removing_an_origin_recomputes_the_claims_of_the_sources_derived_from_it(db):
    a, b, c = make_source(title="A"), make_source(title="B"), make_source(title="C")
    claim = make_claim(assertions=[(b, "supports", Q1), (c, "supports", Q2)])
    assert claim.status == Status.AGREEMENT
    # C derives from A, B from C: B and C are one origin (A's) once the second link exists.
    SourceDerivation.objects.create(source=c, origin_source=a, relation="republishes")
    assert _reload(claim).status == Status.AGREEMENT
    link = SourceDerivation.objects.create(source=b, origin_source=c, relation="translates")
    assert (_reload(claim).status, _reload(claim).origin_count) == (Status.SINGLE, 1)
    link.delete()
    assert (_reload(claim).status, _reload(claim).origin_count) == (Status.AGREEMENT, 2)


# Time: events, states, periods.


def test_an_events_opposed_statements_conflict_even_about_separate_periods(db):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1, "2024-12"), (make_source(), "disputes", Q2, "2025-10-15")]
    )
    assert claim.status == Status.CONFLICT


def test_a_state_changed_over_time_when_the_sides_speak_about_separate_periods(db):
    claim = _state((make_source(), "supports", Q1, "2024-12"), (make_source(), "disputes", Q2, "2025-10-15"))
    assert claim.status == Status.CHANGED


def test_a_state_that_flips_back_and_forth_is_a_conflict(db):
    a, b, c = make_source(), make_source(), make_source()
    claim = _state((a, "supports", Q1, "2024-10"), (b, "disputes", Q2, "2024-11"))
    assert claim.status == Status.CHANGED
    make_assertion(claim, c, "supports", Q3, "2025-01")
    assert _reload(claim).status == Status.CONFLICT


def test_a_state_is_a_conflict_when_the_periods_overlap(db):
    claim = _state((make_source(), "supports", Q1, "2025"), (make_source(), "disputes", Q2, "2025-07"))
    assert claim.status == Status.CONFLICT


def test_a_period_with_an_end_is_compared_to_its_end(db):
    claim = _state(
        {"source": make_source(), "stance": "supports", "quote": Q1, "as_of": "1955", "period_end": "1958"},
        (make_source(), "disputes", Q2, "1958-06"),
    )
    assert claim.status == Status.CONFLICT  # 1955–58 includes June 1958
    claim = _state(
        {"source": make_source(), "stance": "supports", "quote": Q1, "as_of": "1955", "period_end": "1958"},
        (make_source(), "disputes", Q2, "1959"),
    )
    assert claim.status == Status.CHANGED


def test_a_state_is_a_conflict_when_one_side_is_undated(db):
    claim = _state((make_source(), "supports", Q1, "2024"), (make_source(), "disputes", Q2))
    assert claim.status == Status.CONFLICT


def test_a_blank_period_never_takes_the_documents_date(db):
    import datetime as dt

    # Before issue 14 the undated statement spoke "as of" its source's 2021
    # and the claim had "changed over time".
    old = make_source(as_of=dt.date(2021, 1, 1), as_of_precision="year", published=dt.date(2021, 3, 1))
    claim = _state((old, "supports", Q1), (make_source(), "disputes", Q2, "2025-07"))
    assert claim.status == Status.CONFLICT
    undated = claim.assertions.get(source=old)
    assert (undated.period_interval, undated.period_display, undated.speaks_as_of) == (None, "undated", (None, None))


def test_changing_a_claims_kind_recomputes_its_status(db):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1, "2024-12"), (make_source(), "disputes", Q2, "2025-10-15")]
    )
    assert claim.status == Status.CONFLICT
    claim = Claim.objects.get(pk=claim.pk)
    claim.kind = "state"
    claim.save(update_fields=["kind"])
    assert _reload(claim).status == Status.CHANGED


def test_it_follows_assertions_as_they_are_added_and_removed(db):
    a, b = make_source(), make_source()
    claim = make_claim(assertions=[(a, "supports", Q1)])
    added = make_assertion(claim, b, "disputes", Q3)
    assert Claim.objects.get(pk=claim.pk).status == Status.CONFLICT
    added.delete()
    assert Claim.objects.get(pk=claim.pk).status == Status.SINGLE


def test_refreshing_a_status_runs_the_same_queries_however_many_sources_and_origins(db, django_assert_num_queries):
    small = make_claim(assertions=[(make_source(), "supports", Q1)])
    sources = [make_source(title=f"S{i}") for i in range(8)]
    for upstream, downstream in zip(sources, sources[1:], strict=False):
        SourceDerivation.objects.create(source=downstream, origin_source=upstream, relation="republishes")
    big = make_claim(assertions=[(s, "supports", Q1) for s in sources])
    assert big.origin_count == 1
    for claim in (small, big):
        # the assertions + the sources' root origins (one recursive query)
        # + whether a closed resolution decides it + the UPDATE
        with django_assert_num_queries(4):
            claim.refresh_status()


def test_it_is_filterable_without_loading_assertions(db, django_assert_num_queries):
    make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "disputes", Q2)])
    make_claim(assertions=[(make_source(), "supports", Q1)])
    with django_assert_num_queries(1):  # one SELECT ... WHERE status = 'conflict'
        assert len(list(Claim.objects.in_conflict())) == 1
