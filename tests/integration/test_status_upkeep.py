"""Claim status and topic counts follow every ORM write path, not only one row's save()."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from factcheck import services
from factcheck.models import Assertion, Claim, Resolution, SourceDerivation, Stance, Status, Topic, upkeep
from factcheck.models import claims as claims_module
from tests.conftest import make_claim, make_source, make_topic

pytestmark = pytest.mark.django_db

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _agreement(topic=None):
    return make_claim(topic=topic, assertions=[(make_source(), "supports", Q1), (make_source(), "supports", Q2)])


def _stored(claim):
    row = Claim.objects.get(pk=claim.pk)
    return row.status, row.source_count, row.origin_count


def _counts(topic):
    row = Topic.objects.get(pk=topic.pk)
    return row.claim_count, row.conflict_count, row.agreement_count


def _located(claim, source, stance, quote):
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=quote)
    assertion.locate()
    return assertion


def test_it_follows_a_queryset_update_of_assertions():
    topic = make_topic()
    claim = _agreement(topic)
    assert _counts(topic) == (1, 0, 1)

    changed = Assertion.objects.filter(claim=claim, quote=Q2).update(stance=Stance.DISPUTES)

    assert changed == 1
    assert _stored(claim) == (Status.CONFLICT, 2, 2)
    assert _counts(topic) == (1, 1, 0)


def test_it_follows_an_update_that_moves_assertions_to_another_claim():
    topic = make_topic()
    old, new = _agreement(topic), make_claim(topic=topic)

    Assertion.objects.filter(claim=old).update(claim=new)

    assert _stored(old) == (Status.UNSOURCED, 0, 0)
    assert _stored(new) == (Status.AGREEMENT, 2, 2)
    assert _counts(topic) == (2, 0, 1)


def test_it_follows_bulk_create_of_assertions():
    topic = make_topic()
    claim = make_claim(topic=topic)
    first, second = make_source(), make_source()

    Assertion.objects.bulk_create(
        [_located(claim, first, Stance.SUPPORTS, Q1), _located(claim, second, Stance.DISPUTES, Q1)]
    )

    assert _stored(claim) == (Status.CONFLICT, 2, 2)
    assert _counts(topic) == (1, 1, 0)


def test_it_follows_bulk_update_of_assertions():
    topic = make_topic()
    claim = _agreement(topic)
    rows = list(claim.assertions.all())
    rows[0].stance = Stance.DISPUTES

    Assertion.objects.bulk_update(rows, ["stance"])

    assert _stored(claim)[0] == Status.CONFLICT
    assert _counts(topic) == (1, 1, 0)


def test_it_follows_a_queryset_delete_of_assertions():
    topic = make_topic()
    claim = _agreement(topic)
    other = _agreement(topic)
    assert _counts(topic) == (2, 0, 2)

    Assertion.objects.filter(claim=claim, quote=Q2).delete()
    other.assertions.all().delete()

    assert _stored(claim) == (Status.SINGLE, 1, 1)
    assert _stored(other) == (Status.UNSOURCED, 0, 0)
    assert _counts(topic) == (2, 0, 0)


def test_a_queryset_delete_refreshes_each_claim_once(monkeypatch):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1), (make_source(), "supports", Q2), (make_source(), "supports", Q1)]
    )
    refreshed = []
    monkeypatch.setattr(Claim, "refresh_status", lambda self: refreshed.append(self.pk))

    claim.assertions.all().delete()

    assert refreshed == [claim.pk]


def test_an_update_of_a_field_the_status_does_not_read_refreshes_nothing(monkeypatch):
    claim = _agreement()
    refreshed = []
    monkeypatch.setattr(upkeep, "claims_changed", lambda claims: refreshed.append(claims))

    Assertion.objects.filter(claim=claim).update(updated_at=claim.updated_at)

    assert refreshed == []


def test_it_follows_a_queryset_update_of_a_resolution(editor):
    topic = make_topic()
    claim = make_claim(topic=topic, assertions=[(make_source(), "supports", Q1), (make_source(), "disputes", Q1)])
    Resolution.objects.create(claim=claim, verdict="true", rationale="Both said so.", decided_by=editor, is_open=True)
    assert _stored(claim)[0] == Status.CONFLICT

    Resolution.objects.filter(claim=claim).update(is_open=False)

    assert _stored(claim)[0] == Status.RESOLVED
    assert Topic.objects.get(pk=topic.pk).resolved_count == 1


def test_it_follows_bulk_create_and_queryset_delete_of_derivations():
    original, copy = make_source(), make_source()
    claim = make_claim(assertions=[(original, "supports", Q1), (copy, "supports", Q1)])
    assert _stored(claim) == (Status.AGREEMENT, 2, 2)

    SourceDerivation.objects.bulk_create(
        [SourceDerivation(source=copy, origin_source=original, relation="republishes")]
    )
    assert _stored(claim) == (Status.SINGLE, 2, 1)

    SourceDerivation.objects.filter(source=copy).delete()
    assert _stored(claim) == (Status.AGREEMENT, 2, 2)


def test_it_follows_a_queryset_update_of_a_claims_kind():
    claim = make_claim(
        assertions=[
            (make_source(), "supports", Q1, "2024-01"),
            (make_source(), "disputes", Q1, "2025-03"),
        ]
    )
    assert _stored(claim)[0] == Status.CONFLICT

    Claim.objects.filter(pk=claim.pk).update(kind="state")

    assert _stored(claim)[0] == Status.CHANGED


def test_recompute_derived_check_counts_claims_left_stale_by_raw_sql_and_writes_nothing():
    claim, fresh = _agreement(), _agreement()
    call_command("recompute_derived", "--check", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Claim._meta.db_table} SET status = %s WHERE id = %s", [Status.CONFLICT, claim.pk])
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 stale claim"):
        call_command("recompute_derived", "--check", stdout=out)

    assert "1 claim(s) with a stale status" in out.getvalue()
    assert _stored(claim)[0] == Status.CONFLICT  # reported, not repaired
    assert _stored(fresh)[0] == Status.AGREEMENT
    call_command("recompute_derived", stdout=io.StringIO())
    call_command("recompute_derived", "--check", stdout=io.StringIO())
    assert _stored(claim)[0] == Status.AGREEMENT


def _counting(monkeypatch, owner, name):
    """Wrap ``owner.name`` so that each call is recorded, and still runs."""
    calls = []
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def test_setting_a_claims_kind_refreshes_its_status_once(monkeypatch, editor):
    claim = make_claim(
        assertions=[(make_source(), "supports", Q1, "2024-01"), (make_source(), "disputes", Q1, "2025-03")]
    )
    calls = _counting(monkeypatch, Claim, "refresh_status")

    services.claim_set_kind(claim=claim, kind="state", user=editor, version=claim.version)

    assert len(calls) == 1
    assert _stored(claim)[0] == Status.CHANGED


def test_recording_and_removing_an_origin_recompute_its_claims_once(monkeypatch, editor):
    original, copy = make_source(), make_source()
    claim = make_claim(assertions=[(original, "supports", Q1), (copy, "supports", Q1)])
    calls = _counting(monkeypatch, claims_module, "recompute_statuses")

    derivation = services.derivation_add(source=copy, origin_source=original, relation="republishes", user=editor)
    assert (len(calls), _stored(claim)) == (1, (Status.SINGLE, 2, 1))

    services.derivation_remove(derivation=derivation, user=editor)
    assert (len(calls), _stored(claim)) == (2, (Status.AGREEMENT, 2, 2))


def test_the_system_check_reports_a_model_whose_manager_no_longer_keeps_status(monkeypatch):
    from django.db import models

    from factcheck import derived

    plain = models.Manager()
    plain.model = Assertion
    monkeypatch.setitem(Assertion._meta.__dict__, "default_manager", plain)

    found = [(p.id, p.derived, p.message) for p in derived.problems()]

    assert found == [("factcheck.E004", "claim status", "Assertion.objects does not keep claim status.")]


def test_it_refreshes_claims_in_chunks_when_a_write_touches_many(monkeypatch):
    # Bounded statements whatever the write touched: a few ids per ``pk__in`` list here.
    monkeypatch.setattr(upkeep, "CHUNK", 2)
    topic = make_topic()
    claims = [_agreement(topic) for _ in range(5)]

    Assertion.objects.filter(claim__topic=topic, quote=Q2).update(stance=Stance.DISPUTES)

    assert [_stored(claim)[0] for claim in claims] == [Status.CONFLICT] * 5
    assert _counts(topic) == (5, 5, 0)


def test_it_recomputes_every_claim_when_origins_change_for_many_sources(monkeypatch):
    monkeypatch.setattr(upkeep, "CHUNK", 2)
    original = make_source()
    copies = [make_source() for _ in range(3)]
    claims = [make_claim(assertions=[(original, "supports", Q1), (copy, "supports", Q1)]) for copy in copies]

    SourceDerivation.objects.bulk_create(
        [SourceDerivation(source=copy, origin_source=original, relation="republishes") for copy in copies]
    )

    assert [_stored(claim) for claim in claims] == [(Status.SINGLE, 2, 1)] * 3


def test_it_refreshes_both_claims_when_a_saved_assertion_moves_to_another(editor):
    topic = make_topic()
    old, new = _agreement(topic), make_claim(topic=topic)
    assertion = old.assertions.get(quote=Q2)
    assertion.claim = new

    services.assertion_update(assertion=assertion, user=editor, version=assertion.version)

    assert _stored(old) == (Status.SINGLE, 1, 1)
    assert _stored(new) == (Status.SINGLE, 1, 1)
    assert _counts(topic) == (2, 0, 0)
