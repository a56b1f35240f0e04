"""Topics, claims and the rules that give a claim its status from its assertions."""

import datetime as dt
import uuid
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from factcheck import dates
from factcheck.models.users import AttributedHistory
from factcheck.quotes import clip_words

if TYPE_CHECKING:
    from factcheck.models.assertions import Assertion
    from factcheck.models.sources import Source


class TopicQuerySet(models.QuerySet["Topic"]):
    def by_conflicts(self) -> Self:
        """Most conflicts first: home's order, read from the counts' index."""
        return self.order_by("-conflict_count", "title", "id")


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300, help_text="The question the topic's claims answer.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Derived from the topic's claims and kept by database triggers
    # (factcheck/topic_counts.py), so lists sort by them without a join.
    # Plain integers: a CHECK on them could make a trigger refuse a claim's deletion.
    claim_count = models.IntegerField("claims", default=0, editable=False)
    conflict_count = models.IntegerField("conflicts", default=0, editable=False)
    agreement_count = models.IntegerField("agreements", default=0, editable=False)
    resolved_count = models.IntegerField("resolved", default=0, editable=False)

    history = AttributedHistory(excluded_fields=["claim_count", "conflict_count", "agreement_count", "resolved_count"])
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["-conflict_count", "title", "id"], name="topic_conflicts_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topic-detail", args=[self.slug])


class Status(models.TextChoices):
    UNSOURCED = "unsourced", "No source yet"
    SINGLE = "single", "Single source"
    AGREEMENT = "agreement", "Agreement"
    CONFLICT = "conflict", "Conflict"
    CHANGED = "changed", "Changed over time"
    QUALIFIED = "qualified", "Qualified"
    RESOLVED = "resolved", "Resolved"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DISPUTES = "disputes", "Disputes"
    QUALIFIES = "qualifies", "Qualifies"


class ClaimKind(models.TextChoices):
    """An event happened or was said; a state holds and can change."""

    EVENT = "event", "Event"
    STATE = "state", "State"


class ClaimQuerySet(models.QuerySet["Claim"]):
    def with_status(self, status: str) -> Self:
        return self.filter(status=status)

    def in_conflict(self) -> Self:
        return self.filter(status=Status.CONFLICT)

    def citing(self, source: "Source") -> Self:
        # Through the assertions' (source, start) index: the source's few hundred
        # claims, rather than an EXISTS probe for every claim in the corpus.
        from factcheck.models.assertions import Assertion

        return self.filter(pk__in=Assertion.objects.filter(source=source).values("claim_id"))

    def for_list(self) -> Self:
        return self.select_related("topic").order_by("-updated_at", "-id")


class Claim(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claims")
    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    text = models.TextField()
    kind = models.CharField(
        max_length=5,
        choices=ClaimKind.choices,
        default=ClaimKind.EVENT,
        help_text="Event: happened or was said. State: holds and can change; only a state's record changes over time.",
    )
    # Derived from the assertions and the resolution by refresh_status(); kept
    # as columns so lists filter and count by status with plain indexed queries.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNSOURCED, editable=False)
    source_count = models.PositiveIntegerField(default=0, editable=False)
    # Independent origins among the voices asserting the claim (see factcheck.voices).
    origin_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["status", "source_count", "origin_count", "updated_at"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_idx"),
            models.Index(fields=["topic", "status"], name="claim_topic_status_idx"),
            models.Index(fields=["-updated_at", "-id"], name="claim_recent_idx"),
        ]
        # Reverting brings back any earlier state of a claim, its quotes, notes
        # (deleted ones included) or decision: a power of its own, not implied by staff.
        permissions = [("revert_history", "Can restore what a recorded change replaced")]

    def __str__(self) -> str:
        return clip_words(self.text, 200)  # whole words: admin messages quote it

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.key:
            self.key = f"{slugify(self.text)[:60].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("claim-detail", args=[self.pk])

    def compute_status(self, assertions: Collection["Assertion"], resolved: bool | None = None) -> Status:
        """The agreement state these assertions and the resolution put the claim in.

        ``resolved``: whether a closed resolution decides the claim, when the
        caller already knows (recomputing every claim); read here otherwise.
        """
        from factcheck.models.editorial import Resolution

        if resolved is None:
            resolved = Resolution.objects.filter(claim=self, is_open=False).exists()
        if resolved:
            return Status.RESOLVED
        return status_of(assertions)

    def refresh_status(self) -> None:
        """Recompute the derived columns and store them.

        ``update()`` rather than ``save()``: these columns are derived and kept
        out of history, so nothing editorial bypasses it here.
        """
        assertions = list(self.assertions.select_related("source"))
        self.status = self.compute_status(assertions)
        self.source_count = len({a.source_id for a in assertions})
        Claim.objects.filter(pk=self.pk).update(status=self.status, source_count=self.source_count)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def verdict(self) -> str | None:
        resolution = getattr(self, "resolution", None)
        if resolution is not None and not resolution.is_open:
            return resolution.verdict
        return None


def status_of(assertions: Collection["Assertion"]) -> Status:
    """Single source / agreement / conflict / changed over time.

    A claim one source supports and another disputes is a conflict, unless the
    two sides speak as of periods that do not overlap: then the record changed
    over time and nobody contradicts anybody.
    """
    if not assertions:
        return Status.UNSOURCED
    stances = {a.stance for a in assertions}
    if Stance.SUPPORTS in stances and Stance.DISPUTES in stances:
        return Status.CHANGED if is_time_only_difference(assertions) else Status.CONFLICT
    if len({a.source_id for a in assertions}) < 2:
        return Status.SINGLE
    return Status.AGREEMENT


def is_time_only_difference(assertions: Iterable["Assertion"]) -> bool:
    sides: dict[str, list[tuple[dt.date, dt.date]]] = {Stance.SUPPORTS: [], Stance.DISPUTES: []}
    for a in assertions:
        if a.stance not in sides:
            continue
        date, precision = a.speaks_as_of
        if date is None:
            return False
        sides[a.stance].append((date, dates.period_end(date, precision)))
    supports, disputes = sides[Stance.SUPPORTS], sides[Stance.DISPUTES]
    if not supports or not disputes:
        return False
    before = max(end for _, end in supports) < min(start for start, _ in disputes)
    after = max(end for _, end in disputes) < min(start for start, _ in supports)
    return before or after
