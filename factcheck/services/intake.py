"""Bringing a document in: store the upload by its digest, read it in the background, save it as a source.

One pipeline for the site (/sources/add/) and the command line
(``manage.py import_source``):

1. ``intake_upload`` / ``intake_paste``: the same bytes already stored answer
   ``AlreadyStored`` before any work; otherwise the original is stored as
   ``originals/<sha256><ext>`` and a queued ``IntakeJob`` is made;
2. ``intake_run`` (the task ``factcheck.tasks.intake_extract``): extraction
   (factcheck.intake), with progress written to the job; a refused document
   fails with its ``IntakeError`` and its stored file is deleted; the same
   text as a stored source fails as a duplicate; a reprint is noted;
3. ``intake_save``: the source, its original and segments, and (for a reprint
   the editor confirmed) its derivation, in one transaction, with history.

A worker killed mid-read leaves the job "extracting" with an old heartbeat:
``intake_retry`` queues it again.
"""

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from factcheck.field_names import SOURCE_DETAILS
from factcheck.intake import MAX_BYTES, Extracted, IntakeError, extract, extract_pasted
from factcheck.models import IntakeJob, Source, SourceDerivation, SourceOriginal, text_digest
from factcheck.models.intake import original_name
from factcheck.services.base import save_as
from factcheck.source_fingerprints import find_near_duplicate

logger = logging.getLogger(__name__)
State = IntakeJob.State


class AlreadyStored(Exception):
    """The same file or text is stored already, as ``source``."""

    def __init__(self, source: Source, what: str = "file") -> None:
        self.source = source
        message = (
            _("The same text is already stored as #%(number)s “%(title)s”.")
            if what == "text"
            else _("The same file is already stored as #%(number)s “%(title)s”.")
        )
        super().__init__(message % {"number": source.pk, "title": source.title})


class IntakeRefused(Exception):
    """The job is not in a state that allows what was asked (saving a failed job, retrying a running one)."""


def intake_upload(
    *,
    user: AbstractBaseUser | None,
    upload: File,
    filename: str,
    content_type: str = "",
    max_bytes: int = MAX_BYTES,
    run_now: bool = False,
) -> IntakeJob:
    """Store ``upload`` by its digest and queue it for reading (``run_now``: read it here, as the CLI does).

    ``AlreadyStored`` when a source holds the same bytes; ``IntakeError``
    ("too-big", "empty") before anything is stored.
    """
    size = upload.size or 0
    if size > max_bytes:
        raise IntakeError(
            "too-big",
            _("%(name)s is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"name": filename, "size": f"{size:,}", "limit": f"{max_bytes:,}"},
        )
    if size == 0:
        raise IntakeError("empty", _("%(name)s is empty.") % {"name": filename})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    same = SourceOriginal.objects.filter(sha256=sha256).select_related("source").first()
    if same is not None:
        raise AlreadyStored(same.source)
    name = original_name(sha256, filename)
    if not default_storage.exists(name):
        upload.seek(0)
        name = default_storage.save(name, upload)
    job = IntakeJob.objects.create(
        created_by_id=user.pk if user is not None else None,
        filename=filename[:255],
        size=size,
        sha256=sha256,
        content_type=content_type[:100],
        original=name,
    )
    return _start(job, run_now)


def intake_paste(*, user: AbstractBaseUser | None, text: str, run_now: bool = False) -> IntakeJob:
    """Queue pasted ``text`` for reading (it is normalised as a file's text is)."""
    if not text.strip():
        raise IntakeError("empty", _("The pasted text is empty."))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise IntakeError("too-big", _("The pasted text is longer than %(limit)s bytes.") % {"limit": f"{MAX_BYTES:,}"})
    job = IntakeJob.objects.create(
        created_by_id=user.pk if user is not None else None, pasted=text, size=len(text.encode("utf-8"))
    )
    return _start(job, run_now)


def _start(job: IntakeJob, run_now: bool) -> IntakeJob:
    if run_now:
        return intake_run(job_id=job.pk)
    from factcheck.tasks import intake_extract

    # The worker writes the stages and refusals the editor reads: in the language they asked in.
    intake_extract.enqueue(job.pk, translation.get_language())
    job.refresh_from_db()  # an immediate backend (tests) has run it already
    return job


def intake_run(*, job_id: int) -> IntakeJob:
    """Read the job's document, writing progress as it goes; returns the job in its final state (or as found)."""
    now = timezone.now()
    with transaction.atomic():
        job = IntakeJob.objects.select_for_update().get(pk=job_id)
        if job.state != State.QUEUED:
            return job  # another worker took it, or it is done
        job.state, job.attempts = State.EXTRACTING, job.attempts + 1
        job.started_at = job.heartbeat = now
        job.stage, job.progress_done, job.progress_total = _("Starting"), 0, 0
        job.save(
            update_fields=["state", "attempts", "started_at", "heartbeat", "stage", "progress_done", "progress_total"]
        )
    attempt = job.attempts
    try:
        if job.original:
            with job.original.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
            extracted = extract(data, filename=job.filename, progress=_progress_writer(job.pk, attempt))
        else:
            extracted = extract_pasted(job.pasted)
    except IntakeError as exc:
        return _fail(job, attempt, exc.code, exc.message)
    except Exception:
        logger.exception("intake job %s: reading %s failed", job.pk, job.label)
        return _fail(job, attempt, "internal", f"Reading {job.label} failed unexpectedly; the error was logged.")
    return _finish(job, attempt, extracted)


def _progress_writer(job_id: int, attempt: int) -> Any:
    last: list[str] = []

    def write(done: int, total: int, stage: str) -> None:
        # One write per stage label ("Reading page 3 of 12"): a page, not a character, is the unit.
        if last and last[0] == stage:
            return
        last[:] = [stage]
        _current(job_id, attempt).update(
            progress_done=max(0, done), progress_total=max(0, total), stage=stage[:200], heartbeat=timezone.now()
        )

    return write


def _current(job_id: int, attempt: int) -> Any:
    # A worker writes only while the job is still its attempt: after a retry, a slow first worker changes nothing.
    return IntakeJob.objects.filter(pk=job_id, attempts=attempt, state=State.EXTRACTING)


def _finish(job: IntakeJob, attempt: int, extracted: Extracted) -> IntakeJob:
    same = Source.objects.filter(text_sha256=text_digest(extracted.text)).first()
    if same is not None:
        return _fail(job, attempt, "duplicate", str(AlreadyStored(same, "text")), duplicate_of=same)
    near = find_near_duplicate(extracted.text)
    now = timezone.now()
    _current(job.pk, attempt).update(
        state=State.READY,
        text=extracted.text,
        kind=extracted.kind,
        segments=[{"start": s.start, "end": s.end, "label": s.label} for s in extracted.segments],
        metadata=dict(extracted.metadata),
        warnings=list(extracted.warnings),
        near_duplicate_of_id=near.source_id if near else None,
        near_similarity=near.similarity if near else None,
        stage=_("Ready"),
        heartbeat=now,
        finished_at=now,
    )
    job.refresh_from_db()
    return job


def _fail(job: IntakeJob, attempt: int, code: str, message: str, *, duplicate_of: Source | None = None) -> IntakeJob:
    now = timezone.now()
    if _current(job.pk, attempt).update(
        state=State.FAILED,
        error_code=code,
        error_message=message,
        duplicate_of=duplicate_of,
        stage=_("Failed"),
        heartbeat=now,
        finished_at=now,
    ):
        _discard_original(job)
    job.refresh_from_db()
    return job


def _discard_original(job: IntakeJob) -> None:
    """Delete a failed job's stored file, unless a source or another live job holds the same bytes."""
    name = job.original.name
    if not name:
        return
    IntakeJob.objects.filter(pk=job.pk).update(original="")
    others = IntakeJob.objects.filter(original=name).exclude(Q(pk=job.pk) | Q(state=State.FAILED))
    if not SourceOriginal.objects.filter(file=name).exists() and not others.exists():
        default_storage.delete(name)


def intake_retry(*, job: IntakeJob, user: AbstractBaseUser) -> IntakeJob:
    """Queue again a job whose worker died mid-read (``IntakeRefused`` for any other)."""
    with transaction.atomic():
        job = IntakeJob.objects.select_for_update().get(pk=job.pk)
        if not job.is_stalled:
            raise IntakeRefused(
                _("Only a stalled job can be retried; this one is %(state)s.")
                % {"state": job.get_state_display().lower()}
            )
        job.state, job.stage, job.progress_done, job.progress_total = State.QUEUED, _("Queued again"), 0, 0
        job.heartbeat = None
        job.save(update_fields=["state", "stage", "progress_done", "progress_total", "heartbeat"])
    logger.info("intake job %s retried by %s after attempt %s", job.pk, user, job.attempts)
    return _start(job, run_now=False)


def unique_source_key(title: str) -> str:
    """A free ``Source.key`` made from ``title``: its slug, numbered when taken."""
    base = slugify(title)[:90].strip("-") or "source"
    taken = set(Source.objects.filter(key__startswith=base).values_list("key", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# What a download of the original is served as, from what extraction found it to be (the
# browser's claim at upload is not trusted).
KIND_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pdf-ocr": "application/pdf",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}

SOURCE_FIELDS = (*SOURCE_DETAILS, "notes", "key")


def intake_save(
    *,
    job: IntakeJob,
    user: AbstractBaseUser | None,
    fields: Mapping[str, Any],
    confirm_reprint: bool = False,
    reason: str = "",
) -> Source:
    """Save a ready job as a source: its text, ``fields`` (see ``SOURCE_FIELDS``), original and segments.

    ``AlreadyStored`` if the same bytes or text were stored meanwhile;
    ``ValidationError`` (on ``confirm_reprint``) for a reprint not confirmed,
    or on the fields; ``IntakeRefused`` unless the job is ready. Nothing is
    written unless all of it is.
    """
    with transaction.atomic():
        job = IntakeJob.objects.select_for_update().get(pk=job.pk)
        if job.state == State.SAVED and job.source is not None:
            raise AlreadyStored(job.source)
        if job.state != State.READY:
            raise IntakeRefused(
                _("This document cannot be saved: it is %(state)s.") % {"state": job.get_state_display().lower()}
            )
        same = Source.objects.filter(text_sha256=text_digest(job.text)).first()
        if same is not None:
            raise AlreadyStored(same, "text")
        same_file = SourceOriginal.objects.filter(sha256=job.sha256).select_related("source").first()
        if job.sha256 and same_file is not None:
            raise AlreadyStored(same_file.source)
        near = find_near_duplicate(job.text)
        twin = Source.objects.filter(pk=near.source_id).first() if near else None
        if twin is not None and near is not None and not confirm_reprint:
            raise ValidationError(
                {
                    "confirm_reprint": _(
                        "This text is %(percent)s the same as #%(number)s “%(title)s”: "
                        "tick “save anyway as a reprint of #%(number)s” to save it."
                    )
                    % {"percent": f"{near.similarity:.0%}", "number": twin.pk, "title": twin.title}
                }
            )
        values = {name: fields[name] for name in SOURCE_FIELDS if name in fields}
        if not values.get("key"):
            values["key"] = unique_source_key(str(values.get("title") or ""))
        source = Source(text=job.text, **values)
        source.full_clean(exclude=["text_sha256"])
        save_as(source, user, reason=(reason or f"added from {job.label}")[:100])
        SourceOriginal.objects.create(
            source=source,
            file=job.original.name or "",
            filename=job.filename,
            sha256=job.sha256,
            size=job.size,
            content_type=KIND_CONTENT_TYPES.get(job.kind, "application/octet-stream") if job.sha256 else "",
            kind=job.kind,
            segments=job.segments,
        )
        if twin is not None and near is not None:
            derivation = SourceDerivation(
                source=source,
                origin_source=twin,
                relation=SourceDerivation.Relation.REPUBLISHES,
                note=f"{near.similarity:.0%} the same text (found when it was added)",
            )
            save_as(derivation, user)
        job.state, job.source, job.stage = State.SAVED, source, _("Saved")
        job.save(update_fields=["state", "source", "stage"])
        transaction.on_commit(lambda: after_source_saved(source))
    return source


def after_source_saved(source: Source) -> None:
    """Runs once a source added through intake is committed (site and command line alike).

    Matching the new text against the claims ("what this document speaks to")
    is queued as a background task: the editor lands on the source page at
    once, and its suggestions appear when the worker has read it.
    """
    from factcheck.services.suggestions import matching_queue

    matching_queue(source=source)
