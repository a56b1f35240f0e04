"""A topic's claims and statements: the grid of the topic page and its statement timeline."""

from dataclasses import dataclass

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
    assertions with their speakers and their sources' titles and dates, never their full texts,
    in the order they quote the text.
    """
    claims = list(topic.claims.select_related("resolution").order_by("id"))
    assertions = list(
        Assertion.objects.filter(claim__topic=topic)
        .select_related("source", "speaker")
        .defer("source__text")
        .order_by("start")
    )
    return claims, assertions


@dataclass
class TopicGrid:
    claims: list
    assertions: list
    columns: list  # the sources quoted, by title
    rows: list  # {"claim", "cells"}: per claim, one list of assertions per column


def topic_grid(topic):
    """Claims against sources, each cell the claim's statements from that source: two queries."""
    claims, assertions = topic_statements(topic)
    by_cell = {}
    sources = {}
    for a in assertions:
        by_cell.setdefault((a.claim_id, a.source_id), []).append(a)
        sources[a.source_id] = a.source
    columns = sorted(sources.values(), key=lambda s: s.title)
    rows = [
        {"claim": claim, "cells": [by_cell.get((claim.pk, source.pk), []) for source in columns]} for claim in claims
    ]
    return TopicGrid(claims=claims, assertions=assertions, columns=columns, rows=rows)
