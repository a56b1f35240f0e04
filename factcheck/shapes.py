"""The JSON shapes of claims, sources, assertions, notes and resolutions: one function owns each.

These shapes are public (the API, and editors' JSON clients): see
ARCHITECTURE.md before changing one. Fields are added, never removed or renamed.
"""

from factcheck import voices
from factcheck.models import Annotation, Assertion, Claim, Resolution

# Read by the API and the comparison


def source_summary(source):
    return {"id": source.pk, "title": source.title, "publisher": source.publisher}


def speaker_summary(speaker):
    return {"slug": speaker.slug, "name": speaker.name, "kind": speaker.kind}


def assertion_json(assertion, *, roots=None):
    """One assertion. ``roots`` (``voices.load_roots`` of its source): adds ``voice``, whom it counts for.

    Callers select the speaker with the assertion (``select_related``), so
    that naming it costs no query of its own.
    """
    data = {
        "id": assertion.pk,
        "source": source_summary(assertion.source),
        "stance": assertion.stance,
        "quote": assertion.quote,
        "start": assertion.start,
        "end": assertion.end,
        # The period's start: what format 1 and older clients call as_of.
        "as_of": assertion.as_of_value,
        "url": assertion.get_absolute_url(),
        "speaker": speaker_summary(assertion.speaker) if assertion.speaker_id else None,
        # The statement's own date; null: dated by its source (published, else as_of).
        "stated_on": assertion.stated_on_value,
        "period": assertion.period_value,
    }
    if roots is not None:
        data["voice"] = voices.voice_key(voices.voice_of(assertion, roots))
    return data


def claim_summary(claim, request):
    return {
        "id": claim.pk,
        "text": claim.text,
        "status": claim.status,
        "verdict": claim.verdict,
        "url": request.build_absolute_uri(claim.get_absolute_url()),
    }


def claim_json(claim, request, *, roots):
    """``roots``: ``voices.load_roots`` of the claim's sources (one query for a whole page of claims)."""
    return {
        "id": claim.pk,
        "key": claim.key,
        "text": claim.text,
        "topic": {"slug": claim.topic.slug, "title": claim.topic.title},
        "status": claim.status,
        "verdict": claim.verdict,
        "version": claim.version,
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "kind": claim.kind,
        "source_count": claim.source_count,
        "origin_count": claim.origin_count,
        "assertions": [assertion_json(a, roots=roots) for a in claim.assertions.all()],
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
        "id": claim.pk,
        "text": claim.text,
        "status": claim.status,
        "assigned_to": claim.assigned_to.get_username() if claim.assigned_to else None,
        "version": claim.version,
    }


def assertion_state_json(assertion):
    return {
        "id": assertion.pk,
        "claim": assertion.claim_id,
        "source": assertion.source_id,
        "stance": assertion.stance,
        "quote": assertion.quote,
        "start": assertion.start,
        "end": assertion.end,
        "version": assertion.version,
    }


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
