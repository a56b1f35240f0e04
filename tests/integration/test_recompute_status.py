"""Databases from before issue 14 carry over: migration 0010 and recompute_derived apply the new rules."""

import importlib
import types

from django.apps import apps
from django.db import connection

from factcheck import derived
from factcheck.models import Claim, Resolution, SourceDerivation, Status
from tests.conftest import make_claim, make_source

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."

migration = importlib.import_module("factcheck.migrations.0010_recompute_status")


def _as_before_issue_14():
    """Claims as 0009 leaves them: old statuses, origin_count 0."""
    original, copy = make_source(title="Original"), make_source(title="Copy")
    SourceDerivation.objects.create(source=copy, origin_source=original, relation="republishes")
    republished = make_claim(assertions=[(original, "supports", Q1), (copy, "supports", Q1)])
    qualified = make_claim(assertions=[(make_source(), "supports", Q1), (make_source(), "qualifies", Q2)])
    event = make_claim(
        assertions=[(make_source(), "supports", Q1, "2024-12"), (make_source(), "disputes", Q2, "2025-10-15")]
    )
    decided = make_claim(assertions=[(make_source(), "supports", Q1)])
    Resolution.objects.create(claim=decided, verdict="true", rationale="Checked.", decided_by_id=_user())
    Claim.objects.filter(pk__in=[republished.pk, qualified.pk]).update(status=Status.AGREEMENT, origin_count=0)
    Claim.objects.filter(pk=event.pk).update(status=Status.CHANGED, origin_count=0)
    Claim.objects.filter(pk=decided.pk).update(origin_count=0)
    return republished, qualified, event, decided


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("decider").pk


def _stored(*claims):
    return [tuple(Claim.objects.values_list("status", "origin_count").get(pk=c.pk)) for c in claims]


EXPECTED = [(Status.SINGLE, 1), (Status.QUALIFIED, 2), (Status.CONFLICT, 2), (Status.RESOLVED, 1)]


def test_migration_0010_recomputes_statuses_and_origin_counts(db):
    claims = _as_before_issue_14()
    migration.recompute(apps, types.SimpleNamespace(connection=connection))
    assert _stored(*claims) == EXPECTED


def test_recompute_derived_applies_the_same_rules(db):
    claims = _as_before_issue_14()
    assert derived.recompute_claim_status() == 4
    assert _stored(*claims) == EXPECTED
    assert derived.recompute_claim_status() == 0
