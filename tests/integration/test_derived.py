"""The derived-state registry: the system check finds what is missing, recompute_derived repairs it."""

import io

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from factcheck import cache, cache_tags, derived, topic_counts
from factcheck.models import Assertion, Claim, Passage, Stance, Status, Topic
from factcheck.search import index_table
from tests.conftest import make_claim, make_source

pytestmark = pytest.mark.django_db

CLAIMS = Claim._meta.db_table
SEARCH = index_table("claims")
# One trigger of each kind, by the name it has on the suite's engine.
DROPPED = {
    "sqlite": {
        "cache tags": f"DROP TRIGGER {cache_tags.TRIGGER_PREFIX}{CLAIMS}_upd",
        "topic counts": f"DROP TRIGGER {topic_counts.PREFIX}ins",
        "search index": f"DROP TRIGGER {SEARCH}_ai",
    },
    "postgresql": {
        "cache tags": f"DROP TRIGGER {cache_tags.TRIGGER_PREFIX}{CLAIMS} ON {CLAIMS}",
        "topic counts": f"DROP TRIGGER {topic_counts.PREFIX}claims ON {CLAIMS}",
        "search index": f"DROP TRIGGER {SEARCH}_sync ON {CLAIMS}",
    },
}


def _execute(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _reported(databases=("default",)):
    found = checks.run_checks(databases=list(databases) if databases else None)
    return [message for message in found if message.id.startswith("factcheck.")]


def test_it_reports_nothing_on_a_healthy_database():
    assert derived.problems() == []
    assert _reported() == []
    assert _reported(databases=None) == []


@pytest.mark.parametrize("kind", ["cache tags", "topic counts", "search index"])
def test_it_reports_a_dropped_trigger_of_each_kind(kind):
    _execute(DROPPED[connection.vendor][kind])

    found = _reported()

    assert [(m.id, m.msg.split(":")[0]) for m in found] == [("factcheck.E002", kind)]
    assert "is missing" in found[0].msg
    assert "recompute_derived" in found[0].hint


def test_it_reports_a_missing_version_row():
    _execute(f"DELETE FROM {cache.TABLE}")

    assert [(m.id, m.msg) for m in _reported()] == [
        ("factcheck.E002", f"cache tags: The rows * and #epoch of {cache.TABLE} are missing.")
    ]


def test_it_reports_a_table_of_the_app_without_cache_tags(monkeypatch):
    undeclared = {table: columns for table, columns in derived.CACHE_TAGGED.items() if table != "factcheck_speaker"}
    monkeypatch.setattr(derived, "CACHE_TAGGED", undeclared)

    assert ("factcheck.E005", "cache tags: Table factcheck_speaker is not declared in derived.CACHE_TAGGED.") in [
        (m.id, m.msg) for m in _reported()
    ]


def test_it_reports_a_missing_search_table():
    _execute(f"DROP TABLE {SEARCH}")

    assert [(m.id, m.msg) for m in _reported()] == [("factcheck.E001", f"search index: Table missing: {SEARCH}.")]


def test_it_reports_an_outdated_trigger():
    if connection.vendor == "sqlite":
        _execute(DROPPED["sqlite"]["topic counts"])
        _execute(f"CREATE TRIGGER {topic_counts.PREFIX}ins AFTER INSERT ON {CLAIMS} BEGIN SELECT 1; END")
        expected = f"Trigger {topic_counts.PREFIX}ins on {CLAIMS} is outdated."
    else:
        _execute(
            f"CREATE OR REPLACE FUNCTION {topic_counts.PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN RETURN NULL; END $$"
        )
        expected = f"Trigger function {topic_counts.PG_FUNCTION}() is outdated."

    assert [(m.id, m.msg) for m in _reported()] == [("factcheck.E003", f"topic counts: {expected}")]


def test_it_makes_plain_manage_py_check_fail_on_a_dropped_trigger():
    _execute(DROPPED[connection.vendor]["topic counts"])

    with pytest.raises(SystemCheckError, match="factcheck.E002"):
        call_command("check")


def test_it_repairs_a_claim_status_left_stale_by_raw_sql():
    first, second = make_source(), make_source()
    quote = "Russia keeps its naval base at Tartus."
    claim = make_claim(assertions=[(first, Stance.SUPPORTS, quote), (second, Stance.SUPPORTS, quote)])
    assert claim.status == Status.AGREEMENT
    # Raw SQL bypasses the ORM's upkeep (factcheck/models/upkeep.py): the claim keeps its old status.
    table = Assertion._meta.db_table
    _execute(f"UPDATE {table} SET stance = 'disputes' WHERE claim_id = {claim.pk} AND source_id = {second.pk}")
    claim.refresh_from_db()
    assert claim.status == Status.AGREEMENT

    call_command("recompute_derived", stdout=io.StringIO())

    claim.refresh_from_db()
    assert (claim.status, claim.source_count) == (Status.CONFLICT, 2)
    topic = Topic.objects.get(pk=claim.topic_id)
    assert (topic.conflict_count, topic.agreement_count) == (1, 0)


def test_it_recreates_dropped_triggers_and_recomputes_their_values():
    source = make_source()
    claim = make_claim(assertions=[(source, Stance.SUPPORTS, "Russia keeps its naval base at Tartus.")])
    for sql in DROPPED[connection.vendor].values():
        _execute(sql)
    _execute(f"DELETE FROM {cache.TABLE}")
    Topic.objects.filter(pk=claim.topic_id).update(claim_count=7)
    Passage.objects.filter(source=source).delete()

    call_command("recompute_derived", stdout=io.StringIO())

    assert derived.problems() == []
    assert Topic.objects.get(pk=claim.topic_id).claim_count == 1
    assert Passage.objects.filter(source=source).exists()
    assert cache.corpus_version() is not None
    # The triggers work again: a new claim is counted and indexed.
    make_claim(topic=Topic.objects.get(pk=claim.topic_id), text="Tartus is a naval base.")
    assert Topic.objects.get(pk=claim.topic_id).claim_count == 2


def test_it_reports_a_disconnected_signal():
    from django.db.models.signals import post_save

    from factcheck.evidence import passages
    from factcheck.models import Source

    post_save.disconnect(passages._source_saved, sender=Source, dispatch_uid="evidence-source-saved")
    try:
        found = [(p.id, p.derived) for p in derived.problems()]
    finally:
        post_save.connect(passages._source_saved, sender=Source, dispatch_uid="evidence-source-saved")

    assert found == [("factcheck.E004", "passages")]
