"""The editors' decisions on a source's suggestions: accept (an assertion), reject, or a new claim.

Accepting writes the assertion through ``assertion_create``, whose history
row names the editor; the suggestion itself is derived data and records only
who decided and when. Every function locks the suggestion first, so two
editors deciding the same one at once get one assertion and a clear refusal.
"""

import uuid
from typing import Required, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from factcheck.models import (
    Assertion,
    Claim,
    ClaimKind,
    Source,
    Speaker,
    Suggestion,
    SuggestionRun,
    SuggestionState,
    Topic,
)
from factcheck.services.assertions import PartialDate, assertion_create
from factcheck.services.base import clean_text
from factcheck.services.claims import claim_create

MAX_CLAIM_LENGTH = 1000


class SuggestionDecided(Exception):
    """Someone decided this suggestion already (or the source's text changed under it)."""

    def __init__(self, suggestion: Suggestion | None) -> None:
        self.suggestion = suggestion
        state = suggestion.get_state_display().lower() if suggestion is not None else _("gone")
        super().__init__(
            _("This suggestion was already decided (%(state)s); reload the page to see it.") % {"state": state}
        )


def _lock_open(suggestion: Suggestion) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("source", "claim")
        .filter(pk=suggestion.pk)
        .first()
    )
    if current is None or current.state != SuggestionState.OPEN or current.digest != current.source.text_sha256:
        raise SuggestionDecided(current)
    return current


def _decide(suggestion: Suggestion, state: str, user: AbstractBaseUser, assertion: Assertion | None = None) -> None:
    suggestion.state = state
    suggestion.assertion = assertion
    suggestion.decided_by = user  # type: ignore[assignment]
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["state", "assertion", "decided_by", "decided_at"])


def suggestion_accept(
    *,
    suggestion: Suggestion,
    user: AbstractBaseUser,
    stance: str,
    speaker: Speaker | None = None,
    period_from: PartialDate | str | None = None,
    period_to: PartialDate | str | None = None,
) -> Assertion:
    """Make the suggested passage a verified assertion of the suggested claim, with the editor's stance and speaker.

    Raises ``SuggestionDecided``, ``ValidationError`` keyed by parameter, or
    ``AssertionExists`` (the passage was attached by another way meanwhile).
    """
    with transaction.atomic():
        current = _lock_open(suggestion)
        if current.claim is None:
            raise ValidationError({"claim": _("This passage has no claim yet: create one for it instead.")})
        return _accept(
            current, current.claim, user, stance=stance, speaker=speaker, as_of=period_from, period_end=period_to
        )


class _EditorsPart(TypedDict, total=False):
    """What the editor adds to the suggested passage, passed on to ``assertion_create`` as it is."""

    stance: Required[str]
    speaker: Speaker | None
    as_of: PartialDate | str | None
    period_end: PartialDate | str | None


def _accept(
    suggestion: Suggestion, claim: Claim, user: AbstractBaseUser, **editors_part: Unpack[_EditorsPart]
) -> Assertion:
    """Inside the caller's transaction: the locked suggestion's passage made an assertion of ``claim``."""
    assertion = assertion_create(
        claim=claim, source=suggestion.source, start=suggestion.start, end=suggestion.end, user=user, **editors_part
    )
    _decide(suggestion, SuggestionState.ACCEPTED, user, assertion)
    return assertion


def suggestion_reject(*, suggestion: Suggestion, user: AbstractBaseUser) -> Suggestion:
    """Hide the suggestion; recomputing keeps it hidden."""
    with transaction.atomic():
        current = _lock_open(suggestion)
        _decide(current, SuggestionState.REJECTED, user)
    return current


def suggestion_create_claim(
    *,
    suggestion: Suggestion,
    user: AbstractBaseUser,
    topic: Topic,
    text: str,
    stance: str,
    kind: str = ClaimKind.EVENT,
    speaker: Speaker | None = None,
) -> Assertion:
    """Create a claim worded by the editor, and the suggested passage as its first assertion, in one transaction."""
    text = clean_text(text, "text", MAX_CLAIM_LENGTH)
    if kind not in ClaimKind.values:
        raise ValidationError(
            {
                "kind": _("“%(kind)s” is not a kind of claim; choose one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(ClaimKind.values)}
            }
        )
    with transaction.atomic():
        current = _lock_open(suggestion)
        key = f"{slugify(text)[:80].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"
        claim = claim_create(claim=Claim(topic=topic, key=key, text=text, kind=kind), user=user)
        current.claim = claim
        current.save(update_fields=["claim"])
        return _accept(current, claim, user, stance=stance, speaker=speaker)


@transaction.atomic
def matching_queue(*, source: Source) -> SuggestionRun:
    """Queue matching ``source`` against the claims, unless a run is already queued or running.

    The task is enqueued once this commits, so a worker never reads a source
    (or a run) that is not there yet. A stalled or failed run starts afresh.
    """
    from factcheck.suggestions import compute_suggestions

    run = SuggestionRun.objects.select_for_update().filter(source=source).first()
    if run is not None and run.is_pending:
        return run
    run, _ = SuggestionRun.objects.update_or_create(
        source=source,
        defaults={
            "state": SuggestionRun.State.QUEUED,
            "queued_at": timezone.now(),
            "started_at": None,
            "finished_at": None,
            "error": "",
        },
    )
    source_id = source.pk
    transaction.on_commit(lambda: compute_suggestions.enqueue(source_id))
    return run
