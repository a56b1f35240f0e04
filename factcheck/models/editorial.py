"""Editors' work on a claim: notes and the decision that resolves it."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from factcheck.models import upkeep
from factcheck.models.assertions import Assertion
from factcheck.models.choices import FactChoices
from factcheck.models.claims import Claim
from factcheck.models.users import AttributedHistory


class Annotation(models.Model):
    """An editor's note on a claim, or on one assertion of it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="annotations")
    assertion = models.ForeignKey(
        Assertion, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    is_deleted = models.BooleanField(default=False)
    # Internal: for editors and staff only. Fixed when the note is written, so
    # that no past version of a note was ever public and is internal now.
    is_internal = models.BooleanField(default=False, help_text="Seen by editors and staff only.")
    # A reply answers a top-level note: threads are one level deep.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["body_html", "updated_at"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note by {self.author} on claim {self.claim_id}"

    def clean(self) -> None:
        if not (self.assertion_id and self.claim_id):
            return
        # A set assertion_id means the assertion loads (or raises): never None here.
        assertion = self.assertion
        if assertion is not None and assertion.claim_id != self.claim_id:
            raise ValidationError({"assertion": "This assertion belongs to another claim."})


class Verdict(FactChoices):
    """A ClaimReview-compatible scale; ``rating`` is its ratingValue, none for a verdict off the scale."""

    rating: int | None

    TRUE = "true", 5, _("True")
    MOSTLY_TRUE = "mostly-true", 4, _("Mostly true")
    MIXED = "mixed", 3, _("Mixed")
    MOSTLY_FALSE = "mostly-false", 2, _("Mostly false")
    FALSE = "false", 1, _("False")
    UNPROVEN = "unproven", None, _("Unproven")
    OUTDATED = "outdated", None, _("Outdated")


VERDICT_RATINGS: dict[str, int] = {verdict: verdict.rating for verdict in Verdict if verdict.rating is not None}


class ResolutionQuerySet(upkeep.StatusKeepingQuerySet["Resolution"]):
    # A closed, published decision makes its claim resolved.
    status_fields = frozenset({"claim", "claim_id", "is_open", "is_published"})

    def claims_of(self, rows: models.QuerySet["Resolution"]) -> models.QuerySet[Claim]:
        return Claim.objects.using(self.db).filter(pk__in=rows.values("claim_id"))

    def claim_ids_of_objects(self, objs: Sequence["Resolution"]) -> set[int]:
        return {obj.claim_id for obj in objs}


class Resolution(models.Model):
    """An editor's decision on a claim: verdict, rationale, prevailing assertions."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="resolution")
    verdict = models.CharField(max_length=14, choices=Verdict.choices)
    rationale = models.TextField(help_text="Markdown.")
    rationale_html = models.TextField(editable=False, default="")
    prevailing = models.ManyToManyField(Assertion, blank=True, related_name="prevailing_in")
    no_prevailing_reason = models.TextField(
        blank=True, help_text="Why a true or false verdict has no prevailing statement."
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resolutions")
    is_open = models.BooleanField(default=False, help_text="A reopened resolution no longer decides the claim.")
    # Two-person publishing: a decision is a draft until another editor with
    # the publish permission approves it; only then is it public. The services
    # always set it; the default is what decisions made before it had (and
    # what a row written without the services, as the benchmark's, gets).
    is_published = models.BooleanField(default=True, help_text="Approved: the verdict is public.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="published_decisions"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The approver's comment when sending a draft back; cleared when it is saved again.
    sent_back_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(m2m_fields=[prevailing], excluded_fields=["rationale_html", "updated_at"])
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        permissions = [("publish_decision", "Can approve another editor's decision for publication")]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: claim {self.claim_id}"

    @property
    def rating(self) -> int | None:
        return VERDICT_RATINGS.get(self.verdict)

    @property
    def decides(self) -> bool:
        """Closed and approved: the verdict stands, in public."""
        return self.is_published and not self.is_open

    @property
    def is_draft(self) -> bool:
        return not self.is_published and not self.is_open


@receiver(post_save, sender=Resolution)
@receiver(post_delete, sender=Resolution)
def _resolution_changed(sender: type[Resolution], instance: Resolution, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        upkeep.claim_changed(instance.claim_id, kwargs.get("using") or "default")
