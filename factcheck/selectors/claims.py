"""A claim as its pages show it: the editorial sections of the claim page, its history, the review queue's menus."""

from django.db.models import Count, Prefetch
from django.utils.functional import SimpleLazyObject

from factcheck import cache, cache_tags, totals
from factcheck.history import claim_timeline, latest_reopening, newest_history_keys
from factcheck.models import Assertion, DeletedUser, Resolution, Source, Stance, Status, Topic, Watch
from factcheck.roles import can_publish, can_revert_history, is_desk
from factcheck.selectors.notes import all_claim_notes

# The topic's stored count of claims of each status it keeps (factcheck/topic_counts.py).
TOPIC_COUNTS = {
    Status.CONFLICT: "conflict_count",
    Status.AGREEMENT: "agreement_count",
    Status.RESOLVED: "resolved_count",
}

# How many entries of the timeline the claim page shows; the rest are on the history page.
TIMELINE_ON_CLAIM_PAGE = 20


def history_entries(user, claim, keys, **known):
    """The history entries of ``keys`` as ``user`` may see them (see ``history.claim_timeline``)."""
    return claim_timeline(
        claim,
        keys,
        # Staff without the revert permission still see what staff see, without the buttons.
        can_revert=can_revert_history(user),
        show_deleted=user.is_staff,
        **known,
    )


def claim_editorial(user, claim, assertions):
    """Notes, the decision, its prevailing sources and the timeline for the claim page.

    Marks each of ``assertions`` (the page's, with their sources) with its
    ``notes`` and whether it ``prevails``. The same queries however long the
    history: the notes (one), who deleted the deleted ones (one, if any), the
    prevailing assertions (one, if resolved), the keys of the newest
    ``TIMELINE_ON_CLAIM_PAGE`` with the number of changes (one), those rows (see
    ``claim_timeline``; the page's own assertions name their sources) and,
    when the claim has been reopened and the reopening is not among them, who
    reopened it (one). An editor's permissions cost two more, once per request.
    """
    # Notes and their history show here: a cached page of the claim goes with a new one.
    cache.depends_on(cache_tags.object_tag(cache_tags.CLAIM_NOTES, claim.pk))
    notes = all_claim_notes(user, claim)
    by_assertion = {}
    for note in notes:
        by_assertion.setdefault(note.assertion_id, []).append(note)
    try:
        resolution = claim.resolution
    except Resolution.DoesNotExist:
        resolution = None
    prevailing = set()
    if resolution is not None:
        prevailing = set(
            Resolution.prevailing.through.objects.filter(resolution=resolution).values_list("assertion_id", flat=True)
        )
    for a in assertions:
        a.notes = by_assertion.get(a.pk, [])
        a.prevails = resolution is not None and resolution.decides and a.pk in prevailing
    desk = is_desk(user)
    known_sources = {a.source_id: a.source.title for a in assertions}
    known_assertions = {a.pk: a.source_id for a in assertions}

    def timeline():
        # Inside the history's fragment (claim_detail.html): what it names besides the claim.
        cache.depends_on(
            cache_tags.object_tag(cache_tags.CLAIM_NOTES, claim.pk),
            DeletedUser._meta.db_table,
            *(cache_tags.object_tag(Source._meta.db_table, pk) for pk in known_sources),
        )
        keys, total_entries = newest_history_keys(claim.pk, internal=desk, limit=TIMELINE_ON_CLAIM_PAGE)
        entries = history_entries(user, claim, keys, known_sources=known_sources, known_assertions=known_assertions)
        return {"entries": entries, "total_entries": total_entries, "limited": total_entries > len(entries)}

    # Built only if the page shows it uncached: for everyone who cannot revert it is the same.
    history = SimpleLazyObject(timeline)
    reopened = None
    if resolution is not None and resolution.is_open:
        reopened = SimpleLazyObject(
            lambda: next((e for e in history["entries"] if e.kind == "resolution"), None) or latest_reopening(claim.pk)
        )
    return {
        "notes": by_assertion.get(None, []),
        "resolution": resolution,
        "prevailing_cards": [a for a in assertions if a.prevails],
        "last_resolution_entry": reopened,
        "can_annotate": user.has_perm("factcheck.add_annotation"),
        "can_resolve": user.has_perm("factcheck.add_resolution"),
        "can_revise": user.has_perm("factcheck.change_resolution"),
        "can_assign": user.has_perm("factcheck.change_claim"),
        # Drafts are the desk's: the public sees "under review" and no verdict.
        "desk": desk,
        "can_approve": resolution is not None and resolution.is_draft and can_publish(user, resolution),
        "watching": desk and _watching(user, claim=claim),
        "history": history,
        # Revert buttons carry a CSRF token: a history with them is never shared.
        "history_shared": not can_revert_history(user),
        "show_deleted": user.is_staff,
    }


def _watching(user, **target):
    # The user's own copy of the page shows it: a watch of theirs evicts that copy.
    cache.depends_on(cache_tags.object_tag(cache_tags.WATCHES, user.pk))
    return Watch.objects.filter(user=user, **target).exists()


def watching(user, topic):
    """Whether ``user`` watches ``topic``, as the topic page shows it."""
    return _watching(user, topic=topic)


def assertions_with_source_summaries():
    """A claim's assertions with just the source fields its JSON shows, never the full texts (a prefetch)."""
    summary = Source.objects.only("id", "title", "publisher")
    return Prefetch(
        "assertions",
        queryset=Assertion.objects.select_related("speaker")
        .prefetch_related(Prefetch("source", queryset=summary))
        .order_by("start", "id"),
    )


def review_filter_choices():
    """``(topics, sources)`` that have a conflict to review, as the queue's filter menus' ``(value, title)`` (lazy)."""
    topics = Topic.objects.filter(claims__status=Status.CONFLICT).distinct().values_list("slug", "title")
    sources = Source.objects.filter(assertions__claim__status=Status.CONFLICT).distinct().values_list("id", "title")
    return topics, sources


def column_counts(claim):
    """``[(stance, count)]`` in the claim page's column order, for a card moved, added or removed; one query."""
    counts = dict(claim.assertions.order_by().values_list("stance").annotate(n=Count("*")))
    return [(stance, counts.get(stance, 0)) for stance in (Stance.SUPPORTS, Stance.DISPUTES, Stance.QUALIFIES)]


def stored_claim_count(filters, topic):
    """How many claims the claim list's ``filters`` keep, from a stored count when one answers exactly.

    No filter, a status, a topic, or a topic and one of the statuses the topic
    counts: the totals (one query of a few rows) or the topic row already read,
    instead of a ``COUNT(*)`` as large as what matches. ``None`` otherwise.
    """
    if filters.get("q") or filters.get("source") or filters.get("language"):
        return None
    status = filters.get("status")
    if topic is not None:
        field = TOPIC_COUNTS.get(status) if status else "claim_count"
        return getattr(topic, field) if field else None
    claims, _, by_status = totals.read()
    return by_status.get(status, 0) if status else claims
