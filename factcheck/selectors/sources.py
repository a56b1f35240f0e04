"""Sources as lists show them, with their counts; the compare form's choices."""

from django.db.models import Count

from factcheck.field_names import SOURCE_DETAILS
from factcheck.models import Assertion, Source

# What lists of sources show. Only these, not just "everything but the text":
# SQLite stores a row's columns in order, and reading any column after the
# text (its digest, the timestamps) means walking the text's overflow pages.
LISTED_SOURCE_FIELDS = ("id", "key", *SOURCE_DETAILS)


def listed_sources(language=""):
    """Every source (in ``language``, if given), by title, with only the fields a list shows (lazy: paginate it)."""
    sources = Source.objects.only(*LISTED_SOURCE_FIELDS).order_by("title", "id")
    return sources.filter(language=language) if language else sources


def with_assertion_counts(sources):
    """Set ``assertion_count`` and ``claim_count`` on a page of sources; one query.

    Counting for the page's sources only, through the assertions' source index,
    rather than annotating every source: that aggregates every assertion in
    the corpus (seconds at 400,000) to show fifty numbers.
    """
    sources = list(sources)
    counts = {
        row["source_id"]: row
        for row in Assertion.objects.filter(source_id__in=[s.pk for s in sources])
        .order_by()
        .values("source_id")
        .annotate(assertions=Count("*"), claims=Count("claim_id", distinct=True))
    }
    for source in sources:
        row = counts.get(source.pk, {})
        source.assertion_count, source.claim_count = row.get("assertions", 0), row.get("claims", 0)
    return sources


def source_choices():
    """Every source's ``(id, title)``, for the compare form; one query."""
    return list(Source.objects.order_by("title", "id").values_list("id", "title"))


def sources_by_id(ids):
    """``{id: source}`` for those of ``ids`` that exist, without their texts; one query."""
    return {s.pk: s for s in Source.objects.filter(pk__in=ids).defer("text")}
