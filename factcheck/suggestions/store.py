"""Computing a source's suggestions and keeping them as ``Suggestion`` rows, decisions and all."""

from django.db import transaction
from django.utils import timezone

from factcheck.suggestions import cues
from factcheck.suggestions.matching import load_speakers, match_text

PER_PASSAGE = 3  # claims kept per sentence
MIN_SCORE = 0.08  # below this a match is noise: a shared name or two
MAX_STORED = 300  # suggestions kept per source, best first
MAX_NEW_CLAIMS = 30  # possible new claims kept per source
MIN_MARKS = 2  # of check_worthiness's four marks, for a possible new claim


def compute(source):
    """Replace ``source``'s open suggestions with fresh ones; returns ``(claims suggested, new claims)``.

    Accepted and rejected rows stay and their passages are not suggested
    again: "Reject hides the suggestion and is remembered". Rows computed
    from an older text have offsets into a text that is gone: they go, the
    decided ones with them. A passage an assertion of a claim already quotes
    (overlapping it) is not suggested for that claim.
    """
    from factcheck.models import Assertion, Suggestion, SuggestionRun, SuggestionState

    digest = source.text_sha256
    attached = {}
    for claim_id, start, end in Assertion.objects.filter(source=source).values_list("claim_id", "start", "end"):
        attached.setdefault(claim_id, []).append((start, end))
    decided = set(
        Suggestion.objects.filter(source=source, digest=digest)
        .exclude(state=SuggestionState.OPEN)
        .values_list("claim_id", "start", "end")
    )

    def skip(claim_id, start, end):
        if (claim_id, start, end) in decided:
            return True
        return any(s < end and start < e for s, e in attached.get(claim_id, ()))

    speakers = load_speakers()
    passages = match_text(source.text, limit=PER_PASSAGE, min_score=MIN_SCORE, skip=skip, speakers=speakers)
    quoted = [span for spans in attached.values() for span in spans]

    def suggestion(p, **fields):
        # ``digest``: the text the offsets index; a suggestion of an older text is stale.
        return Suggestion(source=source, start=p.start, end=p.end, speaker_id=p.speaker_id, digest=digest, **fields)

    rows, new_claims = [], []
    for p in passages:
        rows.extend(suggestion(p, claim_id=m.claim_id, stance=m.stance, score=m.score) for m in p.matches)
        if p.matches or (None, p.start, p.end) in decided or any(s < p.end and p.start < e for s, e in quoted):
            continue
        marks = cues.check_worthiness(p.text, mentions_speaker=p.speaker_id is not None)
        if marks >= MIN_MARKS:
            new_claims.append(suggestion(p, score=marks / 4))
    rows.sort(key=lambda r: (-r.score, r.start, r.claim_id))
    new_claims.sort(key=lambda r: (-r.score, r.start))
    rows, new_claims = rows[:MAX_STORED], new_claims[:MAX_NEW_CLAIMS]
    with transaction.atomic():
        Suggestion.objects.filter(source=source).exclude(digest=digest).delete()
        Suggestion.objects.filter(source=source, state=SuggestionState.OPEN).delete()
        Suggestion.objects.bulk_create(rows + new_claims)
        # Done by whichever path ran it (task, command, test): the page then lists rather than waits.
        SuggestionRun.objects.update_or_create(
            source=source, defaults={"state": SuggestionRun.State.DONE, "finished_at": timezone.now(), "error": ""}
        )
    return len(rows), len(new_claims)
