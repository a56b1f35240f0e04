"""schema.org ClaimReview for resolved claims, as JSON-LD.

Only a closed resolution publishes a review: an unresolved claim has no
verdict, and a reopened one no longer stands behind the verdict it had.

The review's ``author`` is the publishing organisation, from the settings
``FACTCHECK_PUBLISHER_NAME``, ``_URL`` and ``_LOGO``. The claim reviewed
(``itemReviewed``) names who made it (``author``, the claimAuthor) and when
(``datePublished``, the claimDate): the voice of the earliest-stated
supporting statement, a reported speaker as a Person or an Organization,
a source speaking in its own voice as its publisher (else its title).
"""

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from factcheck import dates
from factcheck.models import VERDICT_RATINGS, Assertion, Claim, Speaker, Stance

ORGANIZATION = "factcheck"  # the default of FACTCHECK_PUBLISHER_NAME
BEST_RATING = max(VERDICT_RATINGS.values())
WORST_RATING = min(VERDICT_RATINGS.values())

# As django.utils.html.json_script: inside <script> nothing may look like
# "</script>" or "<!--", whatever an editor typed into a claim or a rationale.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def closed_resolution(claim):
    """The claim's resolution if it decides the claim, else ``None``; no query if it was select_related."""
    try:
        resolution = claim.resolution
    except ObjectDoesNotExist:
        return None
    # A draft awaiting a second editor's approval is not public either.
    return resolution if resolution.decides else None


def _appearance(assertion, absolute_url):
    source = assertion.source
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        # The original when we know its address; our copy of the passage otherwise.
        "url": source.url or absolute_url(assertion.get_absolute_url()),
        "text": assertion.quote,
        "description": _description(assertion),
    }
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    return work


def _description(assertion):
    """“Supports the claim, as of January 2025”; reported speech: “Reports the Kremlin: disputes the claim”."""
    stance = assertion.get_stance_display()
    said = f"Reports {assertion.speaker.name}: {stance.lower()}" if assertion.speaker_id else stance
    period = f", as of {assertion.period_display}" if assertion.is_dated else ""
    return f"{said} the claim{period}"


def publisher(absolute_url):
    """The organisation that publishes the reviews, from the settings."""
    found = {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.FACTCHECK_PUBLISHER_URL or absolute_url("/"),
    }
    if settings.FACTCHECK_PUBLISHER_LOGO:
        found["logo"] = {"@type": "ImageObject", "url": settings.FACTCHECK_PUBLISHER_LOGO}
    return found


def claim_author(assertion):
    """Who made the statement: the speaker reported, or the source in its own voice."""
    speaker = assertion.speaker if assertion.speaker_id else None
    if speaker is not None:
        kind = "Person" if speaker.kind == Speaker.Kind.PERSON else "Organization"
        return {"@type": kind, "name": speaker.name}
    source = assertion.source
    return {"@type": "Organization", "name": source.publisher or source.title}


def first_statement(assertions):
    """The supporting statement made first (by its date, defaulting to its source's); None without support.

    Undated statements come after dated ones; ties go to the lowest id.
    """
    supporting = [a for a in assertions if a.stance == Stance.SUPPORTS]
    if not supporting:
        return None

    def when(a):
        date = a.stated[0]
        return (date is None, date or dt.date.max, a.pk)

    return min(supporting, key=when)


def claim_review(claim, assertions, absolute_url):
    """The ClaimReview of ``claim`` as a dict, or ``None`` when no closed resolution decides it.

    ``assertions`` are the claim's assertions with their sources;
    ``absolute_url`` turns a path into a full URL (``request.build_absolute_uri``).
    Every source that speaks to the claim is an ``appearance``, its stance in
    ``description``; ``firstAppearance`` is the earliest-published source
    that supports the claim, when a publication date is known.
    """
    resolution = closed_resolution(claim)
    if resolution is None:
        return None
    rating = {"@type": "Rating", "alternateName": resolution.get_verdict_display()}
    value = VERDICT_RATINGS.get(resolution.verdict)
    if value is not None:  # "unproven" and "outdated" have a name but no place on the scale
        rating.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    item = {"@type": "Claim", "appearance": [_appearance(a, absolute_url) for a in assertions]}
    dated = [a for a in assertions if a.stance == Stance.SUPPORTS and a.source.published]
    if dated:
        first = min(dated, key=lambda a: (a.source.published, a.pk))
        item["firstAppearance"] = _appearance(first, absolute_url)
    said = first_statement(assertions)
    if said is not None:
        item["author"] = claim_author(said)
        date, precision, _ = said.stated
        if date is not None:
            item["datePublished"] = dates.serialize_partial_date(date, precision)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "reviewBody": resolution.rationale,
        "author": publisher(absolute_url),
        "publisher": publisher(absolute_url),
        "datePublished": resolution.created_at.date().isoformat(),
        "dateModified": resolution.updated_at.date().isoformat(),
        "itemReviewed": item,
    }


def json_ld_script(data):
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def reviewed_claims():
    """Every claim a closed resolution decides, newest decision first, with what its review needs."""
    return (
        Claim.objects.filter(resolution__is_open=False, resolution__is_published=True)
        .select_related("resolution")
        .prefetch_related(
            Prefetch(
                "assertions",
                queryset=Assertion.objects.select_related("source", "speaker")
                .defer("source__text")
                .order_by("start", "id"),
            )
        )
        .order_by("-resolution__updated_at", "-id")
    )
