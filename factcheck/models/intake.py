"""Bringing a document in: the job that reads it, the original it came from, the fingerprint that finds reprints.

The original and the segments live beside ``Source`` (``SourceOriginal``,
one-to-one) rather than on it: ``Source`` is history-tracked, exported and
read by every page, while how a text came in is written once, by intake
only; sources added in the admin or by a corpus import simply have none.
"""

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from factcheck.models.sources import Source

ORIGINALS = "originals"
# A job still "extracting" whose worker has not written for this long is taken for dead (killed, OOM, reboot).
STALL_AFTER = dt.timedelta(minutes=5)


def original_name(sha256: str, filename: str) -> str:
    """The storage name of an original: its digest, with the uploaded file's extension (lower case)."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 8:
        suffix = ""
    return f"{ORIGINALS}/{sha256}{suffix}"


class IntakeJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        EXTRACTING = "extracting", "Reading"
        READY = "ready", "Ready to save"
        FAILED = "failed", "Failed"
        SAVED = "saved", "Saved"

    FINAL = (State.FAILED, State.SAVED)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The upload; blank for pasted text, which waits in ``pasted`` instead.
    filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    original = models.FileField(max_length=200, blank=True)
    pasted = models.TextField(blank=True)

    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error_code = models.CharField(max_length=30, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # What extraction found (factcheck.intake.Extracted).
    text = models.TextField(blank=True)
    kind = models.CharField(max_length=20, blank=True)
    segments = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # A stored source with the same text (the job then fails), or a reprint of one (saved only when confirmed).
    duplicate_of = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    near_duplicate_of = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    near_similarity = models.FloatField(null=True, blank=True)

    source = models.OneToOneField(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_job")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"intake #{self.pk} {self.filename or 'pasted text'} ({self.state})"

    @property
    def label(self) -> str:
        return self.filename or "pasted text"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL

    @property
    def is_stalled(self) -> bool:
        """Reading, but its worker stopped writing long ago: it died, and the job may be retried."""
        if self.state != self.State.EXTRACTING:
            return False
        last = self.heartbeat or self.started_at
        return last is None or timezone.now() - last > STALL_AFTER

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class SourceOriginal(models.Model):
    """The file a source's text was read from (none for pasted text), and where each part of the text came from."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="original")
    file = models.FileField(max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    # How the text was read: pdf, pdf-ocr, html, docx, txt, paste.
    kind = models.CharField(max_length=20, blank=True)
    # [{"start", "end", "label"}] into Source.text: "page 3", "page 4 (OCR)", "body".
    segments = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            # Same bytes, one source: "already stored" is also the database's answer to a race.
            models.UniqueConstraint(fields=["sha256"], condition=~Q(sha256=""), name="original_unique_sha256"),
        ]

    def __str__(self) -> str:
        return self.filename or "pasted text"


class SourceFingerprint(models.Model):
    """A source text's MinHash signature (factcheck/near_duplicates.py), and the digest of the text it was made from."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="fingerprint")
    text_sha256 = models.CharField(max_length=64)
    signature = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"fingerprint of source {self.source_id}"


class FingerprintBand(models.Model):
    """One LSH band of a source's signature: sources sharing a key are candidate reprints of each other."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="fingerprint_band_key_idx")]

    def __str__(self) -> str:
        return f"band {self.key} of source {self.source_id}"


def segments_of(value: Any) -> list[dict[str, Any]]:
    """Stored segments as a list of ``{"start", "end", "label"}``; anything malformed is left out."""
    found = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
            found.append({"start": item["start"], "end": item["end"], "label": str(item.get("label", ""))})
    return found
