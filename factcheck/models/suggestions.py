"""Machine suggestions of what a source's passages speak to, and the editors' decisions on them."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from factcheck.models.assertions import Assertion
from factcheck.models.claims import Claim, Stance
from factcheck.models.sources import Source
from factcheck.models.speakers import Speaker


class SuggestionState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Suggestion(models.Model):
    """A passage of ``source`` that may speak to ``claim`` — or, with no claim, may deserve a claim of its own.

    Computed by ``factcheck.suggestions.compute_suggestions``; derived data,
    not editorial work, so it keeps no history of its own: accepting one
    writes an assertion through ``services.assertion_create``, which does.
    Decided rows (accepted, rejected) outlive a recompute, so a rejection is
    remembered; open ones are replaced. ``digest`` is the source text's
    digest the offsets refer to.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="suggestions")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField(default=0.0)
    state = models.CharField(max_length=8, choices=SuggestionState.choices, default=SuggestionState.OPEN)
    digest = models.CharField(max_length=64)
    assertion = models.ForeignKey(Assertion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source_id", "-score", "start", "claim_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "claim", "start", "end"], name="suggestion_unique_passage"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="suggestion_end_after_start"),
        ]
        indexes = [models.Index(fields=["source", "state", "-score"], name="suggestion_source_state_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.start}–{self.end} → {self.claim_id or 'new claim'} ({self.state})"


class SuggestionRun(models.Model):
    """Where matching ``source`` against the claims stands: queued, running, done or failed.

    One row per source, rewritten by each run; none for a source never
    matched (seed, admin). Kept apart from ``Source`` (history-tracked, read
    by every page) because the background task writes it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    PENDING = (State.QUEUED, State.RUNNING)
    # A run still "running" after this long lost its worker (killed, OOM, reboot): it may be started again.
    STALL_AFTER = dt.timedelta(minutes=10)

    source = models.OneToOneField(Source, primary_key=True, on_delete=models.CASCADE, related_name="suggestion_run")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"matching source {self.source_id} ({self.state})"

    @property
    def is_stalled(self) -> bool:
        if self.state != self.State.RUNNING:
            return False
        return self.started_at is None or timezone.now() - self.started_at > self.STALL_AFTER

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING and not self.is_stalled

    @property
    def has_failed(self) -> bool:
        return self.state == self.State.FAILED or self.is_stalled
