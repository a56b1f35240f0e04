"""Topics' claim counts, kept by database triggers through every write path.

Concurrent writers on PostgreSQL: tests/integration/test_postgres.py.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q

from factcheck import topic_counts
from factcheck.models import Claim, Resolution, Status, Verdict
from tests.conftest import make_assertion, make_claim, make_source, make_topic


def _stored(topic):
    topic.refresh_from_db()
    return (topic.claim_count, topic.conflict_count, topic.agreement_count, topic.resolved_count)


def _counted(topic):
    """The same four numbers, counted from the claims."""
    found = Claim.objects.filter(topic=topic).aggregate(
        claims=Count("id"),
        conflicts=Count("id", filter=Q(status=Status.CONFLICT)),
        agreements=Count("id", filter=Q(status=Status.AGREEMENT)),
        resolved=Count("id", filter=Q(status=Status.RESOLVED)),
    )
    return (found["claims"], found["conflicts"], found["agreements"], found["resolved"])


@pytest.fixture
def two_sources(db):
    return make_source(title="Alpha"), make_source(title="Beta")


def test_it_counts_claims_as_they_are_added_and_change_status(two_sources):
    a, b = two_sources
    topic = make_topic()
    assert _stored(topic) == (0, 0, 0, 0)
    claim = make_claim(topic=topic, assertions=[(a, "supports", "Russia keeps its naval base at Tartus.")])
    assert _stored(topic) == (1, 0, 0, 0)  # single source
    make_assertion(claim, b, "supports", "Russia keeps its naval base at Tartus.")
    assert _stored(topic) == (1, 0, 1, 0)  # agreement
    make_assertion(claim, b, "disputes", "Talks about the bases are active as of July 2025.")
    assert _stored(topic) == (1, 1, 0, 0)  # conflict
    editor = get_user_model().objects.create(username="counting-editor")
    resolution = Resolution.objects.create(claim=claim, verdict=Verdict.MIXED, rationale="Both.", decided_by=editor)
    assert _stored(topic) == (1, 0, 0, 1)  # resolved
    resolution.is_open = True
    resolution.save()
    assert _stored(topic) == (1, 1, 0, 0)  # reopened: a conflict again
    assert _stored(topic) == _counted(topic)


def test_it_follows_claims_that_move_or_go_by_every_write_path(two_sources):
    a, b = two_sources
    first, second = make_topic(), make_topic()
    conflict = make_claim(
        topic=first,
        assertions=[
            (a, "supports", "Russia keeps its naval base at Tartus."),
            (b, "disputes", "Talks about the bases are active as of July 2025."),
        ],
    )
    single = make_claim(topic=first, assertions=[(a, "supports", "Russia keeps its naval base at Tartus.")])
    make_claim(topic=second)
    assert (_stored(first), _stored(second)) == ((2, 1, 0, 0), (1, 0, 0, 0))

    conflict.topic = second  # save(), as the admin does
    conflict.save()
    assert (_stored(first), _stored(second)) == ((1, 0, 0, 0), (2, 1, 0, 0))
    Claim.objects.filter(pk=single.pk).update(topic=second)  # update(): no save, no signal
    assert (_stored(first), _stored(second)) == ((0, 0, 0, 0), (3, 1, 0, 0))
    Claim.objects.filter(pk=conflict.pk).update(status=Status.AGREEMENT)
    assert _stored(second) == (3, 0, 1, 0)
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("DELETE FROM factcheck_assertion WHERE claim_id = %s", [conflict.pk])
        cursor.execute("DELETE FROM factcheck_claim WHERE id = %s", [conflict.pk])
    assert _stored(second) == (2, 0, 0, 0)
    Claim.objects.filter(topic=second).delete()
    assert _stored(second) == (0, 0, 0, 0)
    for topic in (first, second):
        assert _stored(topic) == _counted(topic)


def test_home_orders_topics_by_their_stored_conflict_counts(client, two_sources):
    a, b = two_sources
    calm, busy = make_topic(title="A calm topic"), make_topic(title="B busy topic")
    make_claim(topic=calm, assertions=[(a, "supports", "Russia keeps its naval base at Tartus.")])
    for _ in range(2):
        make_claim(
            topic=busy,
            assertions=[
                (a, "supports", "Russia keeps its naval base at Tartus."),
                (b, "disputes", "Talks about the bases are active as of July 2025."),
            ],
        )
    body = client.get("/").content.decode()
    assert body.index("B busy topic") < body.index("A calm topic")
    assert body.count("2 in conflict") == 2  # the intro and the topic's card
    assert "3 claims checked against their sources" in body and "2 in conflict" in body


def test_it_recreates_missing_triggers_and_recounts(two_sources):
    a, _ = two_sources
    topic = make_topic()
    make_claim(topic=topic, assertions=[(a, "supports", "Russia keeps its naval base at Tartus.")])
    topic_counts.drop_triggers()
    make_claim(topic=topic)  # written while the triggers are gone (as after a SQLite table remake)
    assert _stored(topic) == (1, 0, 0, 0)
    assert topic_counts.ensure_triggers() is True
    assert _stored(topic) == (2, 0, 0, 0) == _counted(topic)
    assert topic_counts.ensure_triggers() is False  # nothing missing: nothing done
    make_claim(topic=topic)
    assert _stored(topic) == (3, 0, 0, 0)
