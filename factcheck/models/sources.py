"""Source documents and the partial dates they (and their assertions) speak as of."""

import datetime as dt
import hashlib
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from factcheck import dates
from factcheck.language_codes import validate_language_code
from factcheck.models.languages import direction_of
from factcheck.models.users import AttributedHistory


class Precision(models.TextChoices):
    DAY = dates.DAY, _("Day")
    MONTH = dates.MONTH, _("Month")
    YEAR = dates.YEAR, _("Year")


class PartialDateMixin:
    """Display and interval helpers for an ``as_of`` + ``as_of_precision`` pair."""

    # The fields each model using the mixin declares.
    as_of: dt.date | None
    as_of_precision: str

    @property
    def as_of_display(self) -> str:
        return dates.format_partial_date(self.as_of, self.as_of_precision)

    @property
    def as_of_value(self) -> str | None:
        return dates.serialize_partial_date(self.as_of, self.as_of_precision)


class Source(PartialDateMixin, models.Model):
    class Kind(models.TextChoices):
        ENCYCLOPEDIA = "encyclopedia", _("Encyclopedia")
        NEWS = "news", _("News")
        ANALYSIS = "analysis", _("Analysis")
        WIRE = "wire", _("Wire")
        OFFICIAL = "official", _("Official")
        ESSAY = "essay", _("Essay")
        OTHER = "other", _("Other")

    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="The date the document speaks as of.")
    as_of_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(
        max_length=10,
        default="en",
        validators=[validate_language_code],
        help_text="ISO 639-1 code, e.g. en, ru, ar, fr.",
    )
    notes = models.TextField(blank=True, help_text="What the text reveals of its origin.")
    text = models.TextField(help_text="The full text, verbatim. Every quote is checked against it.")
    text_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["text_sha256"])

    class Meta:
        ordering = ["title", "id"]
        # Lists page through sources in this order: read fifty rows of the index, not every long row.
        indexes = [models.Index(fields=["title", "id"], name="source_title_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_sha256 = text_digest(self.text)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None and "text" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_sha256"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("source-detail", args=[self.pk])

    direction = direction_of("language")

    @property
    def speaks_as_of(self) -> tuple[dt.date | None, str | None]:
        """``(date, precision)`` the document speaks as of, if it says."""
        if self.as_of:
            return self.as_of, self.as_of_precision
        if self.published:
            return self.published, Precision.DAY
        return None, None


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _source_saved(sender: type[Source], instance: Source, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A statement without its own date is dated by its source: a new date may change claims' newest statement."""
    if raw or created:
        return
    from factcheck.models.assertions import Assertion
    from factcheck.models.claims import Claim, refresh_newest_statements

    refresh_newest_statements(Claim.objects.filter(pk__in=Assertion.objects.filter(source=instance).values("claim_id")))


models.signals.post_save.connect(_source_saved, sender=Source, dispatch_uid="source-saved-newest-statement")
