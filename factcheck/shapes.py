"""Every public JSON shape: one function owns each, and factcheck/openapi.py describes each.

These shapes are public (the API, embeds' clients, and editors' JSON
clients): see ARCHITECTURE.md before changing one. Fields are added, never
removed or renamed; a field added here is added to its schema in
factcheck/openapi.py too (tests/integration/test_openapi_contract.py checks
every answer against it).
"""

from django.urls import reverse

from factcheck import voices
from factcheck.models import Annotation, Assertion, Claim, Resolution

# Read by the API and the comparison


def source_summary(source):
    return {"id": source.pk, "title": source.title, "publisher": source.publisher}


def speaker_summary(speaker):
    return {"slug": speaker.slug, "name": speaker.name, "kind": speaker.kind}


def topic_summary(topic):
    return {"slug": topic.slug, "title": topic.title}


def _quote_span(assertion):
    """The stance an assertion takes and its verbatim quote, with the offsets that place it in its source."""
    return {"stance": assertion.stance, "quote": assertion.quote, "start": assertion.start, "end": assertion.end}


def _attribution(assertion):
    """Who said it (selected with the assertion) and about when."""
    return {
        "speaker": speaker_summary(assertion.speaker) if assertion.speaker_id else None,
        # The statement's own date; null: dated by its source (published, else as_of).
        "stated_on": assertion.stated_on_value,
        "period": assertion.period_value,
    }


def error_json(message, status, fields=None):
    """Every JSON error: what went wrong, the status, and each field's problems when input was refused."""
    data = {"error": message, "status": status}
    if fields is not None:
        data["fields"] = fields
    return data


def assertion_json(assertion, *, roots=None):
    """One assertion. ``roots`` (``voices.load_roots`` of its source): adds ``voice``, whom it counts for.

    Callers select the speaker with the assertion (``select_related``), so
    that naming it costs no query of its own.
    """
    data = {
        "id": assertion.pk,
        "source": source_summary(assertion.source),
        **_quote_span(assertion),
        # The period's start: what format 1 and older clients call as_of.
        "as_of": assertion.as_of_value,
        "url": assertion.get_absolute_url(),
        **_attribution(assertion),
        # The quote's own language; null: its source's.
        "language": assertion.language or None,
        "translation": translation_json(assertion),
    }
    if roots is not None:
        data["voice"] = voices.voice_key(voices.voice_of(assertion, roots))
    return data


def translation_json(assertion):
    """An editor's translation shown beneath the quote, or None."""
    if not assertion.translation:
        return None
    return {
        "text": assertion.translation,
        "language": assertion.translation_language,
        "translator": assertion.translator,
    }


def _claim_brief(claim):
    return {"id": claim.pk, "text": claim.text, "status": claim.status}


def claim_summary(claim, request):
    return {
        **_claim_brief(claim),
        "verdict": claim.verdict,
        "url": request.build_absolute_uri(claim.get_absolute_url()),
    }


def claim_json(claim, request, *, roots):
    """``roots``: ``voices.load_roots`` of the claim's sources (one query for a whole page of claims)."""
    return {
        "id": claim.pk,
        "key": claim.key,
        "text": claim.text,
        "topic": topic_summary(claim.topic),
        "status": claim.status,
        "verdict": claim.verdict,
        "version": claim.version,
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "kind": claim.kind,
        "source_count": claim.source_count,
        "origin_count": claim.origin_count,
        "assertions": [assertion_json(a, roots=roots) for a in claim.assertions.all()],
        # Wordings in other languages (prefetched by the API's views): shown beside the claim, never checked.
        "translations": [{"language": t.language, "text": t.text} for t in claim.translations.all()],
    }


def source_json(source, request):
    return {
        "id": source.pk,
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "url": source.url,
        "published": source.published.isoformat() if source.published else None,
        "as_of": source.as_of_value,
        "kind": source.kind,
        "language": source.language,
        "html_url": request.build_absolute_uri(source.get_absolute_url()),
    }


def source_detail_json(source, request, *, derivations, assertions):
    """One source with its text, what it derives from, and its assertions (speaker selected)."""
    return {
        **source_json(source, request),
        "notes": source.notes,
        "text": source.text,
        "derived_from": [
            {
                "source": source_summary(d.origin_source) if d.origin_source_id else None,
                "speaker": speaker_summary(d.origin_speaker) if d.origin_speaker_id else None,
                "relation": d.relation,
                "note": d.note,
            }
            for d in derivations
        ],
        "assertions": [
            {
                "id": a.pk,
                "claim": a.claim_id,
                "stance": a.stance,
                "start": a.start,
                "end": a.end,
                "as_of": a.as_of_value,
                **_attribution(a),
            }
            for a in assertions
        ],
    }


def speaker_json(speaker, request):
    """``speaker`` annotated with ``statement_count``."""
    return {
        **speaker_summary(speaker),
        "aliases": speaker.alias_list,
        "description": speaker.description,
        "statement_count": speaker.statement_count,
        "html_url": request.build_absolute_uri(speaker.get_absolute_url()),
    }


def speaker_statement_json(assertion):
    return {
        "id": assertion.pk,
        "claim": _claim_brief(assertion.claim),
        "source": source_summary(assertion.source),
        **_quote_span(assertion),
        "stated_on": assertion.stated_on_value,
        "period": assertion.period_value,
    }


def evidence_json(found, request):
    """One ranked passage (``evidence.Evidence``), linked to where it sits in its source."""
    return {
        "source": {"id": found.source_id, "title": found.source_title, "publisher": found.source_publisher},
        "passage": found.passage_id,
        "text": found.text,
        "start": found.start,
        "end": found.end,
        "score": round(found.score, 4),
        "url": request.build_absolute_uri(f"{reverse('source-detail', args=[found.source_id])}#p-{found.start}"),
    }


def suggestion_json(suggestion, text):
    """One suggestion of what a source speaks to (``text``: the source's, which the offsets index)."""
    return {
        "claim": {"id": suggestion.claim_id, "text": suggestion.claim.text},
        "passage": {"start": suggestion.start, "end": suggestion.end, "text": text[suggestion.start : suggestion.end]},
        "stance": suggestion.stance,
        "score": round(suggestion.score, 4),
        "speaker": speaker_summary(suggestion.speaker) if suggestion.speaker_id else None,
    }


def comparison_row_json(row, sources, request):
    return {
        **claim_summary(row.claim, request),
        "topic": topic_summary(row.claim.topic),
        "group": row.group,
        "cells": [
            {"source": s.pk, "assertions": [assertion_json(a) for a in cell]}
            for s, cell in zip(sources, row.cells, strict=True)
        ],
    }


def comparison_json(comparison, topic):
    """The comparison's envelope; its page of rows (``comparison_row_json``) goes beside it."""
    return {
        "sources": [source_summary(s) for s in comparison.sources],
        "topic": topic_summary(topic) if topic else None,
        "counts": comparison.counts,
        "pairs": [pair.as_dict() for pair in comparison.pairs],
    }


def timeline_entry_json(entry, request):
    return {
        "date": entry.value,
        **{name: getattr(entry, name) for name in ("label", "date_from", "period", "time_only")},
        "claim": claim_summary(entry.claim, request),
        "assertion": assertion_json(entry.assertion),
    }


def timeline_json(topic, timeline, request):
    entries = [e for period in timeline.periods for e in period.entries] + timeline.undated
    return {
        "topic": topic_summary(topic),
        "entries": [timeline_entry_json(e, request) for e in entries],
        "changes": [
            {
                "claim": claim_summary(change.claim, request),
                "steps": [timeline_entry_json(e, request) for e in change.steps],
            }
            for change in timeline.changes
        ],
    }


# Editors' objects: what a 409 carries, and what a JSON client gets back on success.


def note_json(note):
    return {
        "id": note.pk,
        "claim": note.claim_id,
        "assertion": note.assertion_id,
        "author": note.author.get_username(),
        "body": note.body,
        "body_html": note.body_html,
        "is_deleted": note.is_deleted,
        "version": note.version,
        "updated_at": note.updated_at.isoformat(),
    }


def resolution_json(resolution):
    return {
        "claim": resolution.claim_id,
        "verdict": resolution.verdict,
        "verdict_label": resolution.get_verdict_display(),
        "rationale": resolution.rationale,
        "rationale_html": resolution.rationale_html,
        "prevailing": sorted(resolution.prevailing.values_list("pk", flat=True)),
        "decided_by": resolution.decided_by.get_username(),
        "is_open": resolution.is_open,
        "is_published": resolution.is_published,
        "version": resolution.version,
        "updated_at": resolution.updated_at.isoformat(),
    }


def claim_state_json(claim):
    return {
        **_claim_brief(claim),
        "assigned_to": claim.assigned_to.get_username() if claim.assigned_to else None,
        "version": claim.version,
        "kind": claim.kind,
        "origin_count": claim.origin_count,
    }


def assertion_state_json(assertion):
    return {
        "id": assertion.pk,
        "claim": assertion.claim_id,
        "source": assertion.source_id,
        **_quote_span(assertion),
        "version": assertion.version,
        # Who said it and about when: what the claim page's editors change.
        **_attribution(assertion),
    }


def speaker_state_json(speaker, fingerprint):
    """A speaker as its editing form and a JSON client see it; ``seen``: the fingerprint a save is based on."""
    return {
        **speaker_summary(speaker),
        "aliases": speaker.alias_list,
        "description": speaker.description,
        "seen": fingerprint,
    }


def conflict_json(error, current):
    """A 409: the stale edit refused, and the object as it is now (None: deleted)."""
    return {**error_json(str(error), 409), "your_version": error.submitted_version, "current": current}


def state_json(obj):
    """Any editable object's state, by its type; None for none."""
    if obj is None:
        return None
    return {
        Annotation: note_json,
        Resolution: resolution_json,
        Claim: claim_state_json,
        Assertion: assertion_state_json,
    }[type(obj)](obj)
