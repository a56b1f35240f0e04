"""The corpus's totals (factcheck/totals.py), kept by triggers through every write path, on either database."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count

from factcheck import corpus, derived, totals
from factcheck.models import Claim, Status, Topic
from tests.conftest import make_assertion, make_claim, make_source, make_topic

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"
TARTUS = "Russia keeps its naval base at Tartus."
TALKS = "Talks about the bases are active as of July 2025."


def _counted():
    """What the totals should say, counted from the rows, in ``totals.read()``'s shape (zeros left out)."""
    by_status = dict(Claim.objects.order_by().values_list("status").annotate(n=Count("id")))
    return Claim.objects.count(), Topic.objects.count(), by_status


def _stored():
    claims, topics, by_status = totals.read()
    return claims, topics, {status: n for status, n in by_status.items() if n}


def _execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_counts_claims_and_topics_as_they_come_and_change_status():
    a, b = make_source(), make_source()
    assert _stored() == (0, 0, {})
    topic = make_topic()
    claim = make_claim(topic=topic, assertions=[(a, "supports", TARTUS)])
    make_claim(topic=topic)
    assert _stored() == (2, 1, {Status.SINGLE: 1, Status.UNSOURCED: 1})
    make_assertion(claim, b, "disputes", TALKS)
    assert _stored() == _counted()
    assert _stored()[2][Status.CONFLICT] == 1


def test_it_follows_update_raw_sql_and_deletes():
    topic, other = make_topic(), make_topic()
    first, second = make_claim(topic=topic), make_claim(topic=topic)
    Claim.objects.filter(pk=first.pk).update(status=Status.CONFLICT)  # no save(), no signal
    assert _stored() == (2, 2, {Status.CONFLICT: 1, Status.UNSOURCED: 1})
    Claim.objects.filter(pk=second.pk).update(topic=other)  # a move changes no total
    assert _stored() == (2, 2, {Status.CONFLICT: 1, Status.UNSOURCED: 1})
    _execute(f"UPDATE {Claim._meta.db_table} SET status = %s WHERE id = %s", [Status.RESOLVED, first.pk])
    assert _stored() == (2, 2, {Status.RESOLVED: 1, Status.UNSOURCED: 1})
    _execute(f"DELETE FROM {Claim._meta.db_table} WHERE id = %s", [first.pk])
    assert _stored() == (1, 2, {Status.UNSOURCED: 1})
    Claim.objects.all().delete()
    Topic.objects.filter(pk=topic.pk).delete()
    assert _stored() == (0, 1, {})


def test_it_follows_evidence_an_editor_adds_on_the_page(client, editor):
    a, b = make_source(), make_source()
    claim = make_claim(assertions=[(a, "supports", TARTUS)])
    assert _stored() == (1, 1, {Status.SINGLE: 1})
    client.force_login(editor)
    start = b.text.index(TALKS)
    response = client.post(
        f"/claims/{claim.pk}/evidence/add/",
        {"source": b.pk, "start": start, "end": start + len(TALKS), "stance": "disputes"},
    )
    assert response.status_code == 302
    assert _stored() == (1, 1, {Status.CONFLICT: 1}) == _counted()


@pytest.mark.skipif(not SEED.exists(), reason="the seed corpus (fixtures/seed_corpus.json) is not built")
def test_it_counts_an_imported_corpus():
    data, base_dir = corpus.read_corpus_file(SEED)
    corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
    assert _stored() == _counted()
    assert _stored()[0] > 10


def test_the_check_reports_a_dropped_trigger_and_recompute_derived_repairs_it():
    make_claim()
    name = next(iter(totals.installed_form(connection.vendor)))
    table = totals.installed_form(connection.vendor)[name][0]
    _execute(f"DROP TRIGGER {name}" + (f" ON {table}" if connection.vendor == "postgresql" else ""))
    found = [p for p in derived.problems() if p.derived == "totals"]
    assert [(p.id, p.message) for p in found] == [("factcheck.E002", f"Trigger {name} on {table} is missing.")]
    make_claim()  # written while a trigger is gone
    _execute(f"UPDATE {totals.TABLE} SET n = 99")
    call_command("recompute_derived", stdout=io.StringIO())
    assert derived.problems() == []
    assert _stored() == _counted() == (2, 2, {Status.UNSOURCED: 2})
    make_claim()
    assert _stored() == (3, 3, {Status.UNSOURCED: 3})


def test_the_check_reports_a_missing_table():
    _execute(f"DROP TABLE {totals.TABLE}")
    found = [p for p in derived.problems() if p.derived == "totals"]
    assert [(p.id, p.message) for p in found] == [("factcheck.E001", f"Table missing: {totals.TABLE}.")]


def test_ensure_recreates_what_is_missing_and_recounts():
    make_claim()
    totals.drop_triggers()
    make_claim()
    assert _stored() == (1, 1, {Status.UNSOURCED: 1})
    assert totals.ensure() is True
    assert _stored() == _counted() == (2, 2, {Status.UNSOURCED: 2})
    assert totals.ensure() is False  # nothing missing: nothing done


def test_emptying_the_tables_as_flush_does_zeroes_the_totals():
    """Django's flush: TRUNCATE on PostgreSQL (the statement triggers), DELETE on SQLite (the row triggers)."""
    make_claim()
    make_claim()
    if connection.vendor == "postgresql":
        _execute("SET CONSTRAINTS ALL IMMEDIATE")  # the cache tags' deferred bumps first: TRUNCATE refuses pending ones
    tables = [Claim._meta.db_table, Topic._meta.db_table]
    for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
        _execute(sql)
    assert _stored() == (0, 0, {})
