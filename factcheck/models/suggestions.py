"""Machine suggestions of what a source's passages speak to, and the editors' decisions on them."""

from django.conf import settings
from django.db import models

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
