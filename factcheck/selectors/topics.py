"""A topic's claims and statements: the grid of the topic page and its statement timeline."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from factcheck import totals
from factcheck.analyser import search_forms
from factcheck.models import Assertion, Claim, Status, Topic
from factcheck.search.text import STOP_WORDS, tokens


@dataclass
class StatusCounts:
    totals: list  # (status, phrase, n) for every status with claims, in Status order
    claims: int
    topics: int


def status_counts():
    """Claims of every status and in all, and topics: one query of a few stored rows (factcheck/totals.py)."""
    claims, topics, by_status = totals.read()
    return StatusCounts(
        totals=[(status.value, status.phrase, by_status[status]) for status in Status if by_status.get(status)],
        claims=claims,
        topics=topics,
    )


def with_status_counts(topics):
    """Each topic with ``n_<status>``, its claims of each status: correlated counts on the (topic, status) index.

    Read for the page's rows only, so a page of fifty topics costs the same however many there are.
    """
    claims = Claim.objects.filter(topic=OuterRef("pk")).order_by().values("topic")
    return topics.annotate(
        **{
            f"n_{value}": Coalesce(Subquery(claims.filter(status=value).annotate(n=Count("id")).values("n")), 0)
            for value in Status.values
        }
    )


def find_topics(*, q="", status="", order="conflicts"):
    """Topics whose title or description holds every word of ``q`` (in any of its forms, as search
    reads them), with a claim of ``status``; no query until the queryset is read.
    """
    topics = Topic.objects.all()
    toks = tokens(q)
    i = 0
    while i < len(toks):
        length, forms = search_forms(toks, i)
        i += length
        if len(forms) == 1 and forms[0] in STOP_WORDS:
            continue
        either = Q()
        for form in forms:
            either |= Q(title__icontains=form) | Q(description__icontains=form)
        topics = topics.filter(either)
    if status:
        topics = topics.filter(Exists(Claim.objects.filter(topic=OuterRef("pk"), status=status)))
    if order == "title":
        return topics.order_by("title", "id")
    if order == "claims":
        return topics.order_by("-claim_count", "title", "id")
    return topics.by_conflicts()


# What the topic page reads of its claims and statements (grid, timeline, toggles): building the
# instances with every other field too took a quarter of the page's time on a busy topic.
PAGE_CLAIM_FIELDS = ("id", "topic", "text", "kind", "status", "resolution__id", "resolution__claim")
PAGE_CLAIM_FIELDS += ("resolution__verdict", "resolution__is_open", "resolution__is_published")
PAGE_ASSERTION_FIELDS = ("id", "claim", "source", "speaker", "stance", "quote", "start", "language")
PAGE_ASSERTION_FIELDS += ("as_of", "as_of_precision", "period_end", "period_end_precision")
PAGE_ASSERTION_FIELDS += ("source__id", "source__title", "source__language", "speaker__id", "speaker__name")


def topic_statements(topic, *, page_fields_only=False):
    """``(claims, assertions)`` of the topic: two queries.

    The claims come with their resolutions (the grid shows verdicts), the
    assertions with their speakers and their sources' titles and dates, never their full texts,
    in the order they quote the text. ``page_fields_only``: only the fields the topic page shows
    (``PAGE_CLAIM_FIELDS``, ``PAGE_ASSERTION_FIELDS``); any other is read by a query of its own.
    """
    claims = topic.claims.select_related("resolution").order_by("id")
    assertions = Assertion.objects.filter(claim__topic=topic).select_related("source", "speaker").order_by("start")
    if page_fields_only:
        claims, assertions = claims.only(*PAGE_CLAIM_FIELDS), assertions.only(*PAGE_ASSERTION_FIELDS)
    else:
        assertions = assertions.defer("source__text")
    return list(claims), list(assertions)


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
    claims, assertions = topic_statements(topic, page_fields_only=True)
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
