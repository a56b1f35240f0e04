from django.db.models import Count
from django.http import Http404
from django.urls import reverse

_MARKER = 918273645


def url_maker(name):
    """A function giving ``reverse(name, args=[pk])`` for any pk, at the cost of one ``reverse``.

    For pages linking hundreds of objects: each ``reverse`` (and ``{% url %}``)
    resolves the pattern anew.
    """
    template = reverse(name, args=[_MARKER])
    before, after = template.split(str(_MARKER))
    return lambda pk: f"{before}{int(pk)}{after}"


def get_or_404(queryset, what, **lookup):
    """The one object matching ``lookup``, or a 404 that names what was missing."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        described = ", ".join(f"{name.replace('pk', 'id')} {value}" for name, value in lookup.items())
        raise Http404(f"There is no {what} with {described}.")
    return obj


# What lists of sources show. Only these, not just "everything but the text":
# SQLite stores a row's columns in order, and reading any column after the
# text (its digest, the timestamps) means walking the text's overflow pages.
LISTED_SOURCE_FIELDS = (
    "id", "key", "title", "publisher", "author", "url", "published", "as_of", "as_of_precision", "kind", "language"
)


def with_assertion_counts(sources):
    """Set ``assertion_count`` and ``claim_count`` on a page of sources; one query.

    Counting for the page's sources only, through the assertions' source index,
    rather than annotating every source: that aggregates every assertion in
    the corpus (seconds at 400,000) to show fifty numbers.
    """
    from factcheck.models import Assertion

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
