"""Notes (annotations) on a claim or one of its assertions."""

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck import markdown
from factcheck.models import Annotation, Assertion, Claim
from factcheck.services.base import check_version, clean_text, save_as

MAX_NOTE_LENGTH = 10_000


def annotation_create(*, claim: Claim, author: User, body: str, assertion: Assertion | None = None) -> Annotation:
    body = clean_text(body, "body", MAX_NOTE_LENGTH)
    if assertion is not None and assertion.claim_id != claim.pk:
        raise ValidationError({"assertion": f"Assertion {assertion.pk} belongs to another claim."})
    body_html = markdown.render(body)  # before the transaction: no lock held while rendering
    with transaction.atomic():
        note = Annotation(claim=claim, assertion=assertion, author=author, body=body, body_html=body_html)
        save_as(note, author)
    return note


def annotation_update(*, annotation: Annotation, user: AbstractBaseUser, body: str, version: int) -> Annotation:
    body = clean_text(body, "body", MAX_NOTE_LENGTH)
    body_html = markdown.render(body)
    with transaction.atomic():
        current = check_version(
            Annotation.objects.select_for_update().filter(pk=annotation.pk).first(), version, "note"
        )
        if current.is_deleted:
            raise ValidationError({"body": "This note has been deleted; it can no longer be edited."})
        current.body, current.body_html = body, body_html
        current.version += 1
        save_as(current, user, update_fields=["body", "body_html", "version", "updated_at"])
    return current


def annotation_delete(*, annotation: Annotation, user: AbstractBaseUser, version: int) -> Annotation:
    """Tombstone the note: the row stays, and history keeps every version of its text."""
    return _set_deleted(annotation, user, version, deleted=True)


def annotation_restore(*, annotation: Annotation, user: AbstractBaseUser, version: int) -> Annotation:
    """Bring a deleted note back, text and history as they were: a staff power the editors' pages do not have."""
    return _set_deleted(annotation, user, version, deleted=False)


def _set_deleted(annotation: Annotation, user: AbstractBaseUser, version: int, *, deleted: bool) -> Annotation:
    with transaction.atomic():
        current = check_version(
            Annotation.objects.select_for_update().filter(pk=annotation.pk).first(), version, "note"
        )
        if current.is_deleted == deleted:
            return current
        current.is_deleted = deleted
        current.version += 1
        save_as(current, user, update_fields=["is_deleted", "version", "updated_at"])
    return current
