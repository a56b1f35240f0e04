"""JSON export: the corpus, or some topics or claims, as a document that imports on its own."""

from django.db.models import Exists, OuterRef

from factcheck.corpus.common import FORMAT
from factcheck.models import Assertion, Claim, Source, Topic


def selected_claims(topics, claims):
    qs = Claim.objects.select_related("topic").order_by("topic__slug", "key")
    if topics is not None:
        qs = qs.filter(topic__in=topics)
    if claims is not None:
        qs = qs.filter(pk__in=[c.pk for c in claims])
    return qs


def assertions_by_claim(claim_qs):
    assertions = (
        Assertion.objects.filter(claim__in=claim_qs).select_related("source").order_by("claim_id", "start", "end", "id")
    )
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    return by_claim


def export_corpus(*, topics=None, claims=None, progress=None):
    """The corpus as a ``factcheck-corpus/1`` dict.

    With ``topics`` or ``claims``, only those claims, their topics and the
    sources they cite: a file that imports on its own into an empty database.
    """
    claim_qs = selected_claims(topics, claims)
    topic_qs = Topic.objects.order_by("slug")
    source_qs = Source.objects.order_by("key")
    if topics is not None:
        topic_qs = topic_qs.filter(pk__in=[t.pk for t in topics])
    elif claims is not None:
        topic_qs = topic_qs.filter(Exists(claim_qs.filter(topic=OuterRef("pk"))))
    if topics is not None or claims is not None:
        source_qs = source_qs.filter(Exists(Assertion.objects.filter(source=OuterRef("pk"), claim__in=claim_qs)))
    by_claim = assertions_by_claim(claim_qs)
    claim_list = list(claim_qs)
    exported = []
    for n, c in enumerate(claim_list, 1):
        exported.append(
            {
                "key": c.key,
                "topic": c.topic.slug,
                "text": c.text,
                "assertions": [
                    {
                        "source": a.source.key,
                        "stance": a.stance,
                        "quote": a.quote,
                        "start": a.start,
                        "end": a.end,
                        "as_of": a.as_of_value,
                    }
                    for a in by_claim.get(c.pk, [])
                ],
            }
        )
        if progress:
            progress("exporting claims", n, len(claim_list))
    return {
        "format": FORMAT,
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
                "as_of": s.as_of_value,
                "kind": s.kind,
                "language": s.language,
                "notes": s.notes,
                "text": s.text,
            }
            for s in source_qs
        ],
        "topics": [{"slug": t.slug, "title": t.title, "description": t.description} for t in topic_qs],
        "claims": exported,
    }
