"""Who says what: speakers a source reports, and the sources a source derives from.

A source speaks in its own voice or reports someone else's (the Kremlin, a
minister, another outlet). Counting who agrees counts *voices*: a speaker
reported by two sources is one voice, and a source that republishes, cites or
translates another adds no independent origin of its own.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from factcheck.models import upkeep
from factcheck.models.claims import Claim
from factcheck.models.sources import Source
from factcheck.models.users import AttributedHistory


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        GOVERNMENT = "government", _("Government")
        ORGANISATION = "organisation", _("Organisation")
        OUTLET = "outlet", _("Outlet")

    slug = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    name = models.CharField(max_length=200, help_text="As this newsroom writes it, e.g. “Ahmed al-Sharaa”.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    aliases = models.TextField(blank=True, help_text="Other names and spellings sources use, one per line.")
    description = models.TextField(blank=True, help_text="Who this is, e.g. “Syria's foreign minister from 2025”.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("speaker-detail", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class SourceDerivationQuerySet(upkeep.StatusKeepingQuerySet["SourceDerivation"]):
    # Which sources speak with an origin's voice (factcheck/voices.py); the id order picks the first.
    status_fields = frozenset(
        {"source", "source_id", "origin_source", "origin_source_id", "origin_speaker", "origin_speaker_id", "relation"}
    )

    def claims_of(self, rows: models.QuerySet["SourceDerivation"]) -> models.QuerySet[Claim]:
        return upkeep.claims_citing(rows.values_list("source_id", flat=True), self.db)

    def claim_ids_of_objects(self, objs: Sequence["SourceDerivation"]) -> set[int]:
        claims = upkeep.claims_citing({obj.source_id for obj in objs}, self.db)
        return set(claims.values_list("pk", flat=True))


class SourceDerivation(models.Model):
    """This source cites, republishes or translates an origin: a stored source, or an outlet it reports."""

    class Relation(models.TextChoices):
        CITES = "cites", _("Cites")
        REPUBLISHES = "republishes", _("Republishes")
        TRANSLATES = "translates", _("Translates")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="derivations")
    origin_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="derived_sources"
    )
    origin_speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived_sources",
        help_text="An outlet that is not stored as a source, e.g. a newspaper whose interview the source reports.",
    )
    relation = models.CharField(max_length=12, choices=Relation.choices, default=Relation.CITES)
    note = models.CharField(max_length=300, blank=True, help_text="Where the text says so.")

    history = AttributedHistory()
    objects = SourceDerivationQuerySet.as_manager()

    class Meta:
        ordering = ["source_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin_source__isnull=False, origin_speaker__isnull=True)
                | Q(origin_source__isnull=True, origin_speaker__isnull=False),
                name="derivation_one_origin",
            ),
            models.CheckConstraint(condition=~Q(origin_source=models.F("source")), name="derivation_not_self"),
            models.UniqueConstraint(fields=["source", "origin_source"], name="derivation_unique_source"),
            models.UniqueConstraint(fields=["source", "origin_speaker"], name="derivation_unique_speaker"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.relation} {self.origin}"

    @property
    def origin(self) -> Source | Speaker | None:
        return self.origin_source or self.origin_speaker

    def clean(self) -> None:
        if bool(self.origin_source_id) == bool(self.origin_speaker_id):
            raise ValidationError("Give the origin as a stored source or as an outlet, not both and not neither.")
        if self.origin_source_id and self.origin_source_id == self.source_id:
            raise ValidationError({"origin_source": "A source cannot derive from itself."})


@receiver(post_save, sender=SourceDerivation)
@receiver(post_delete, sender=SourceDerivation)
def _derivation_changed(
    sender: type[SourceDerivation], instance: SourceDerivation, raw: bool = False, **kwargs: Any
) -> None:
    """A new or removed origin changes who is independent on every claim the source, or a source
    derived from it, speaks to: recompute those claims' status and origin count."""
    if not raw:
        upkeep.claims_changed(upkeep.claims_citing({instance.source_id}, kwargs.get("using") or "default"))
