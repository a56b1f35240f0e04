"""A topic's claims and statements: the grid of the topic page and its statement timeline."""

from dataclasses import dataclass, field

from django.db.models import Sum

from factcheck.models import Assertion, Topic


def claim_totals():
    """Claims in all and per status: the sums of the topics' counts (every claim has a topic); one query."""
    totals = Topic.objects.aggregate(
        claims=Sum("claim_count"),
        conflicts=Sum("conflict_count"),
        agreements=Sum("agreement_count"),
        resolved=Sum("resolved_count"),
    )
    return {name: n or 0 for name, n in totals.items()}


def topic_statements(topic):
    """``(claims, assertions)`` of the topic: two queries.

    The claims come with their resolutions (the grid shows verdicts), the
    assertions with their sources' titles and dates, never their full texts,
    in the order they quote the text.
    """
    claims = list(topic.claims.select_related("resolution").order_by("id"))
    assertions = list(
        Assertion.objects.filter(claim__topic=topic).select_related("source").defer("source__text").order_by("start")
    )
    return claims, assertions


@dataclass
class TopicGrid:
    claims: list
    assertions: list
    columns: list  # the sources quoted, by title
    rows: list  # {"claim", "cells"}: per claim, one list of assertions per column
    counts: dict = field(default_factory=dict)  # claims of each status, whatever the filter


def topic_grid(topic, status=None):
    """Claims against sources, each cell the claim's statements from that source: two queries.

    ``status`` keeps only the claims of that status, and the sources they quote;
    ``counts`` still counts every claim, for the toggles that switch between them.
    """
    claims, assertions = topic_statements(topic)
    counts = {}
    for claim in claims:
        counts[claim.status] = counts.get(claim.status, 0) + 1
    if status:
        claims = [c for c in claims if c.status == status]
        kept = {c.pk for c in claims}
        assertions = [a for a in assertions if a.claim_id in kept]
    by_cell = {}
    sources = {}
    for a in assertions:
        by_cell.setdefault((a.claim_id, a.source_id), []).append(a)
        sources[a.source_id] = a.source
    columns = sorted(sources.values(), key=lambda s: s.title)
    rows = [
        {"claim": claim, "cells": [by_cell.get((claim.pk, source.pk), []) for source in columns]} for claim in claims
    ]
    return TopicGrid(claims=claims, assertions=assertions, columns=columns, rows=rows, counts=counts)
