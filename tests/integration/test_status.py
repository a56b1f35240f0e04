"""The agreement state a claim's assertions put it in."""

from factcheck.models import Claim, Status
from tests.conftest import make_assertion, make_claim, make_source

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."


def test_it_is_unsourced_without_assertions(db):
    assert make_claim().status == Status.UNSOURCED


def test_it_is_single_source_with_one_source(db):
    s = make_source()
    claim = make_claim(assertions=[(s, "supports", Q1), (s, "qualifies", Q2)])
    assert (claim.status, claim.source_count) == (Status.SINGLE, 1)


def test_it_is_agreement_when_sources_do_not_oppose(db):
    claim = make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "qualifies", Q2)])
    assert (claim.status, claim.source_count) == (Status.AGREEMENT, 2)


def test_it_is_agreement_when_sources_all_dispute(db):
    claim = make_claim(assertions=[(make_source(), "disputes", Q1), (make_source(), "disputes", Q1)])
    assert claim.status == Status.AGREEMENT


def test_it_is_conflict_when_one_supports_and_another_disputes(conflict_claim):
    assert conflict_claim.status == Status.CONFLICT


def test_it_is_conflict_when_a_source_contradicts_itself(db):
    s = make_source()
    claim = make_claim(assertions=[(s, "supports", Q1), (s, "disputes", Q2)])
    assert claim.status == Status.CONFLICT


def test_it_is_changed_over_time_when_the_sides_speak_as_of_separate_periods(db):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1, "2024-12"), (make_source(), "disputes", Q2, "2025-10-15")]
    )
    assert claim.status == Status.CHANGED


def test_it_is_conflict_when_the_periods_overlap(db):
    claim = make_claim(assertions=[(make_source(), "supports", Q1, "2025"), (make_source(), "disputes", Q2, "2025-07")])
    assert claim.status == Status.CONFLICT


def test_it_is_conflict_when_one_side_is_undated(db):
    claim = make_claim(assertions=[(make_source(), "supports", Q1, "2024"), (make_source(), "disputes", Q2)])
    assert claim.status == Status.CONFLICT


def test_it_uses_the_source_date_when_an_assertion_has_none(db):
    import datetime as dt

    old = make_source(as_of=dt.date(2021, 1, 1), as_of_precision="year")
    claim = make_claim(assertions=[(old, "supports", Q1), (make_source(), "disputes", Q2, "2025-07")])
    assert claim.status == Status.CHANGED


def test_it_follows_assertions_as_they_are_added_and_removed(db):
    a, b = make_source(), make_source()
    claim = make_claim(assertions=[(a, "supports", Q1)])
    added = make_assertion(claim, b, "disputes", Q3)
    assert Claim.objects.get(pk=claim.pk).status == Status.CONFLICT
    added.delete()
    assert Claim.objects.get(pk=claim.pk).status == Status.SINGLE


def test_it_is_filterable_without_loading_assertions(db, django_assert_num_queries):
    make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "disputes", Q2)])
    make_claim(assertions=[(make_source(), "supports", Q1)])
    with django_assert_num_queries(1):  # one SELECT ... WHERE status = 'conflict'
        assert len(list(Claim.objects.in_conflict())) == 1
