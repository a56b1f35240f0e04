"""Querysets compiled once per process (factcheck/compiled_queries.py): the ORM's instances, one compile."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import compiled_queries
from factcheck.models import Assertion, Claim
from tests.conftest import make_conflict_claim

STAND_IN = -7_000_001


def _claims(pk):
    return compiled_queries.fetch(
        ("test claim", id(_claims)),
        lambda: Claim.objects.select_related("topic", "resolution").filter(pk=STAND_IN),
        {STAND_IN: pk},
    )


def _quotes(claim, build_log, key="quotes"):
    def build():
        build_log.append(1)
        return Assertion.objects.filter(claim_id=STAND_IN).select_related("source").order_by("source__title", "start")

    return compiled_queries.fetch(("test", key), build, {STAND_IN: claim.pk}, known={"claim": claim})


def test_it_builds_the_instances_the_orm_builds(db):
    first, second = make_conflict_claim(), make_conflict_claim(text="Another claim.")
    for claim in (first, second):
        expected = list(claim.assertions.select_related("source").order_by("source__title", "start"))
        built = []
        got = _quotes(claim, built)
        assert [a.pk for a in got] == [a.pk for a in expected]
        assert [(a.quote, a.stance, a.created_at, a.source.title) for a in got] == [
            (a.quote, a.stance, a.created_at, a.source.title) for a in expected
        ]
        assert all(a.claim is claim and not a._state.adding for a in got)
    (got,) = _claims(second.pk)
    assert got == second and got.topic == second.topic and got.status_since == second.status_since


def test_it_compiles_once_and_asks_one_query_each_time(db):
    claim = make_conflict_claim()
    built = []
    _quotes(claim, built, key="compiled once")
    with CaptureQueriesContext(connection) as queries:
        with_source = _quotes(claim, built, key="compiled once")
        assert [a.source.title for a in with_source] == ["Alpha", "Beta"]  # no query for a source
    assert len(built) == 1
    assert len(queries) == 1


def test_it_finds_nothing_beyond_64_bits_without_asking(db):
    with CaptureQueriesContext(connection) as queries:
        assert _claims(2**63) == []
        assert _claims(-(2**63) - 1) == []
    assert len(queries) == 0
    assert _claims(10**6) == []


def test_it_pads_id_lists_and_leaves_none_out(db, django_user_model):
    users = [django_user_model.objects.create_user(f"padded-{n}") for n in range(5)]
    ids = [u.pk for u in users]

    def build(pks):
        return django_user_model.objects.filter(pk__in=pks).only("id", "username")

    for wanted in (ids[:1], ids[:3], [*ids, None], ids[2:]):
        got = compiled_queries.fetch_by_ids("test users", build, wanted)
        assert sorted((u.pk, u.get_username()) for u in got) == [
            (u.pk, u.get_username()) for u in users if u.pk in wanted
        ]
    assert compiled_queries.fetch_by_ids("test users", build, [None]) == []
