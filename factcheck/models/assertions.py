"""What a source says about a claim, pinned to the exact words of its text."""

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext

from factcheck import dates, quotes
from factcheck.language_codes import validate_language_code
from factcheck.models import upkeep
from factcheck.models.claims import Claim, Stance, assertion_interval
from factcheck.models.languages import direction_of, name_of
from factcheck.models.sources import PartialDateMixin, Precision, Source
from factcheck.models.users import AttributedHistory


class AssertionQuerySet(upkeep.StatusKeepingQuerySet["Assertion"]):
    # What Claim.refresh_status reads of an assertion: its claim, stance, voice and period.
    status_fields = frozenset(
        {
            *("claim", "claim_id", "source", "source_id", "speaker", "speaker_id", "stance"),
            *("as_of", "as_of_precision", "period_end", "period_end_precision"),
        }
    )

    def claims_of(self, rows: models.QuerySet["Assertion"]) -> models.QuerySet[Claim]:
        return Claim.objects.using(self.db).filter(pk__in=rows.values("claim_id"))

    def claim_ids_of_objects(self, objs: Sequence["Assertion"]) -> set[int]:
        return {obj.claim_id for obj in objs}


class Assertion(PartialDateMixin, models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assertions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="assertions")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    quote = models.TextField(help_text="The exact words of the source; whitespace and quote style may differ.")
    start = models.PositiveIntegerField(editable=False)
    end = models.PositiveIntegerField(editable=False)
    speaker = models.ForeignKey(
        "factcheck.Speaker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assertions",
        help_text="Who the source reports saying this; blank when the source says it in its own voice.",
    )
    # When the statement was made; blank means the source's publication date, shown as a default.
    stated_on = models.DateField("stated on", null=True, blank=True)
    stated_on_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    # The period the statement speaks about. ``as_of`` (its start) keeps the name
    # the JSON API and corpus format 1 use. Blank means undated: never the document's date.
    as_of = models.DateField(
        "period from", null=True, blank=True, help_text="Start of the period the statement speaks about."
    )
    as_of_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    period_end = models.DateField(
        "period to", null=True, blank=True, help_text="End of the period; blank for one date."
    )
    period_end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    # Blank: the source's language. Set when the quote is in another (an English
    # article quoting a Russian statement verbatim).
    language = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_language_code],
        help_text="ISO 639-1 code of the quote; blank: the source's language.",
    )
    # An editor's translation shown beneath the verified original; the quote and
    # its offsets stay the source's own words.
    translation = models.TextField(blank=True, help_text="A translation of the quote, shown beneath the original.")
    translation_language = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_language_code],
        help_text="ISO 639-1 code of the translation, e.g. en.",
    )
    translator = models.CharField(
        max_length=200, blank=True, help_text="Who translated it: a person or an agency, shown as “Translation by …”."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["updated_at"])
    objects = AssertionQuerySet.as_manager()
    _loaded_claim_id: int | None = None

    class Meta:
        ordering = ["claim_id", "source__title", "start"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source", "start", "end"], name="assertion_unique_passage"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="assertion_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["source", "start"], name="assertion_source_start_idx"),
            # A source's claims, counted or listed from the index alone (source lists, track records).
            models.Index(fields=["source", "claim"], name="assertion_source_claim_idx"),
            # Other sources' statements on a source's claims, read from the index alone (the track record).
            models.Index(
                fields=[
                    *("claim", "source", "speaker", "stance"),
                    *("as_of", "as_of_precision", "period_end", "period_end_precision"),
                ],
                name="assertion_claim_statement_idx",
            ),
            # The review queue's "new evidence": assertions added since a date.
            models.Index(fields=["created_at"], name="assertion_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.stance} #{self.claim_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('source-detail', args=[self.source_id])}#a-{self.pk}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        assertion = super().from_db(db, field_names, values, **kwargs)
        # The claim it belonged to when loaded: a save that moves it refreshes that claim too.
        assertion._loaded_claim_id = assertion.__dict__.get("claim_id")
        return assertion

    @property
    def quote_language(self) -> str:
        """The quote's language: its own, else its source's."""
        return self.language or self.source.language

    quote_direction = direction_of("quote_language")
    translation_direction = direction_of("translation_language")
    translation_language_name = name_of("translation_language")

    def locate(self, occurrence: int | None = None) -> list[quotes.Occurrence]:
        """Find ``quote`` in the source text and set ``start``/``end``.

        Raises ``ValidationError`` on ``quote`` (absent, with the nearest
        passage) or ``occurrence`` (repeated quote, none or a bad one chosen).
        """
        text = self.source.text
        found = quotes.find_occurrences(text, self.quote)
        if not found:
            nearest = quotes.nearest_passage(text, self.quote)
            message = f"This quote does not occur in “{self.source.title}”."
            if nearest:
                message += f" Nearest passage: “{nearest}”"
            raise ValidationError({"quote": message}, code="quote_not_found")
        if len(found) > 1 and occurrence is None:
            raise ValidationError(
                {
                    "occurrence": f"This quote occurs {len(found)} times in “{self.source.title}”; "
                    f"choose which occurrence (1–{len(found)})."
                },
                code="quote_ambiguous",
            )
        occurrence = occurrence or 1
        if not 1 <= occurrence <= len(found):
            raise ValidationError(
                {"occurrence": f"Occurrence must be between 1 and {len(found)}; got {occurrence}."},
                code="bad_occurrence",
            )
        chosen = found[occurrence - 1]
        self.start, self.end = chosen.start, chosen.end
        return found

    def matches_source(self) -> bool:
        return quotes.matches_at(self.source.text, self.quote, self.start, self.end)

    # The period the statement speaks about. Nothing falls back to the document's date.

    @property
    def period_interval(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the period, for comparisons; None when undated."""
        return assertion_interval(self)

    @property
    def period_display(self) -> str:
        """The period as people read it: "15 October 2025", "1955–58", "October–December 2024", or "undated"."""
        return dates.format_period(self.as_of, self.as_of_precision, self.period_end, self.period_end_precision)

    @property
    def period_value(self) -> dict[str, str | None] | None:
        """``{"from", "to"}`` as the API and corpus format 2 write it; None when undated."""
        return dates.serialize_period(self.as_of, self.as_of_precision, self.period_end, self.period_end_precision)

    @property
    def is_dated(self) -> bool:
        return self.as_of is not None

    @property
    def speaks_as_of(self) -> tuple[dt.date | None, str | None]:
        """The period's start, ``(None, None)`` when undated (kept for older callers)."""
        if self.as_of:
            return self.as_of, self.as_of_precision
        return None, None

    @property
    def speaks_as_of_display(self) -> str:
        """The period, or "" when undated, so that ``|default:"not stated"`` still reads right."""
        return self.period_display if self.is_dated else ""

    # When the statement was made: its own date, else the source's (publication date, else as-of).

    @property
    def stated(self) -> tuple[dt.date | None, str | None, bool]:
        """``(date, precision, defaulted)``; ``defaulted`` when it is the source's date."""
        if self.stated_on is not None:
            return self.stated_on, self.stated_on_precision, False
        source = self.source
        if source.published is not None:
            return source.published, Precision.DAY, True
        if source.as_of is not None:
            return source.as_of, source.as_of_precision, True
        return None, None, True

    @property
    def stated_on_display(self) -> str:
        """When it was said: "3 July 2025", "20 January 2025 (publication date)", or "" if nothing dates it."""
        date, precision, defaulted = self.stated
        if date is None:
            return ""
        shown = dates.format_partial_date(date, precision)
        if not defaulted:
            return shown
        if self.source.published is not None:
            return gettext("%(date)s (publication date)") % {"date": shown}
        return gettext("%(date)s (source’s date)") % {"date": shown}

    @property
    def stated_on_value(self) -> str | None:
        """The statement's own date as ``YYYY[-MM[-DD]]``; None when it defaults to the source's."""
        return dates.serialize_partial_date(self.stated_on, self.stated_on_precision)

    def in_context(self) -> tuple[str, str, str]:
        return quotes.in_context(self.source.text, self.start, self.end)


@receiver(post_save, sender=Assertion)
@receiver(post_delete, sender=Assertion)
def _assertion_changed(sender: type[Assertion], instance: Assertion, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    using = kwargs.get("using") or "default"
    moved_from, instance._loaded_claim_id = instance._loaded_claim_id, instance.claim_id
    if moved_from is not None and moved_from != instance.claim_id:
        upkeep.claim_changed(moved_from, using)
    upkeep.claim_changed(instance.claim_id, using)
