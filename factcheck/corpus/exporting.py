"""JSON export: the corpus, or some topics or claims, as a document that imports on its own."""

from django.db.models import Exists, OuterRef

from factcheck import dates
from factcheck.corpus.common import FORMAT
from factcheck.corpus.format2 import language_fields, period_value
from factcheck.models import Assertion, Claim, Source, SourceDerivation, Speaker, Topic


def selected_claims(topics, claims):
    qs = Claim.objects.select_related("topic").order_by("topic__slug", "key")
    if topics is not None:
        qs = qs.filter(topic__in=topics)
    if claims is not None:
        qs = qs.filter(pk__in=[c.pk for c in claims])
    return qs


def assertions_by_claim(claim_qs):
    assertions = (
        Assertion.objects.filter(claim__in=claim_qs)
        .select_related("source", "speaker")
        .order_by("claim_id", "start", "end", "id")
    )
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    return by_claim


def export_corpus(*, topics=None, claims=None, progress=None):
    """The corpus as a ``factcheck-corpus/2`` dict.

    With ``topics`` or ``claims``, only those claims, their topics, the
    sources they cite (with the sources those derive from) and the speakers
    they name: a file that imports on its own into an empty database.
    """
    claim_qs = selected_claims(topics, claims)
    topic_qs = Topic.objects.order_by("slug")
    source_qs = Source.objects.order_by("key")
    if topics is not None:
        topic_qs = topic_qs.filter(pk__in=[t.pk for t in topics])
    elif claims is not None:
        topic_qs = topic_qs.filter(Exists(claim_qs.filter(topic=OuterRef("pk"))))
    by_claim = assertions_by_claim(claim_qs)
    derivations = {}
    for d in SourceDerivation.objects.select_related("origin_source", "origin_speaker").order_by("source_id", "id"):
        derivations.setdefault(d.source_id, []).append(d)
    speaker_qs = Speaker.objects.order_by("slug")
    if topics is not None or claims is not None:
        source_ids = set(
            source_qs.filter(Exists(Assertion.objects.filter(source=OuterRef("pk"), claim__in=claim_qs))).values_list(
                "pk", flat=True
            )
        )
        # The origins of what is exported are exported too, so that the file imports on its own.
        todo = list(source_ids)
        while todo:
            for d in derivations.get(todo.pop(), []):
                if d.origin_source_id and d.origin_source_id not in source_ids:
                    source_ids.add(d.origin_source_id)
                    todo.append(d.origin_source_id)
        source_qs = source_qs.filter(pk__in=source_ids)
        speaker_ids = {a.speaker_id for group in by_claim.values() for a in group if a.speaker_id}
        speaker_ids |= {d.origin_speaker_id for i in source_ids for d in derivations.get(i, []) if d.origin_speaker_id}
        speaker_qs = speaker_qs.filter(pk__in=speaker_ids)
    claim_list = list(claim_qs.prefetch_related("translations"))
    exported = []
    for n, c in enumerate(claim_list, 1):
        exported.append(
            {
                "key": c.key,
                "topic": c.topic.slug,
                "text": c.text,
                "kind": c.kind,
                "assertions": [
                    {
                        "source": a.source.key,
                        "stance": a.stance,
                        "quote": a.quote,
                        "start": a.start,
                        "end": a.end,
                        "speaker": a.speaker.slug if a.speaker else None,
                        "stated_on": dates.serialize_partial_date(a.stated_on, a.stated_on_precision),
                        "period": period_value(a),
                        **language_fields(a),
                    }
                    for a in by_claim.get(c.pk, [])
                ],
                # Only when there are some: a corpus without translations exports as before.
                **(
                    {"translations": [{"language": t.language, "text": t.text} for t in c.translations.all()]}
                    if c.translations.all()
                    else {}
                ),
            }
        )
        if progress:
            progress("exporting claims", n, len(claim_list))
    return {
        "format": FORMAT,
        "speakers": [
            {
                "slug": sp.slug,
                "name": sp.name,
                "kind": sp.kind,
                "aliases": sp.alias_list,
                "description": sp.description,
            }
            for sp in speaker_qs
        ],
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
                "derived_from": [_derivation(d) for d in derivations.get(s.pk, [])],
                "text": s.text,
            }
            for s in source_qs
        ],
        "topics": [{"slug": t.slug, "title": t.title, "description": t.description} for t in topic_qs],
        "claims": exported,
    }


def _derivation(d):
    origin = {"source": d.origin_source.key} if d.origin_source_id else {"speaker": d.origin_speaker.slug}
    return {**origin, "relation": d.relation, "note": d.note}
