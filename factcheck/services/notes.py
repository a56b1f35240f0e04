"""Notes (annotations) on a claim or one of its assertions."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from factcheck import markdown
from factcheck.models import Annotation, Assertion, Claim, Event
from factcheck.services.base import check_version, clean_text, save_as
from factcheck.services.notify import notify, short

MAX_NOTE_LENGTH = 10_000


def mentioned_users(body: str) -> dict[str, Any]:
    """``{username: user}`` for each ``@username`` in ``body`` that names an active account (one query, if any)."""
    names = markdown.mentioned_names(body)
    if not names:
        return {}
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return {u.get_username(): u for u in users}


def render_body(body: str, users: dict[str, Any]) -> str:
    return markdown.render_note(body, {name: reverse("person-detail", args=[name]) for name in users})


def annotation_create(
    *,
    claim: Claim,
    author: User,
    body: str,
    assertion: Assertion | None = None,
    internal: bool = False,
    parent: Annotation | None = None,
) -> Annotation:
    """Write a note; ``internal``: for editors and staff only; ``parent``: the note it replies to.

    A reply sits under a top-level note of the same claim (threads are one
    level deep), on the same assertion, and is internal if that note is.
    Mentioned users and the author of the note replied to are notified.
    """
    body = clean_text(body, "body", MAX_NOTE_LENGTH)
    if assertion is not None and assertion.claim_id != claim.pk:
        raise ValidationError({"assertion": _("Assertion %(pk)s belongs to another claim.") % {"pk": assertion.pk}})
    if parent is not None:
        if parent.claim_id != claim.pk:
            raise ValidationError({"parent": _("Note %(pk)s is on another claim.") % {"pk": parent.pk}})
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Note %(pk)s is a reply; answer the note it replies to.") % {"pk": parent.pk}}
            )
        if parent.is_deleted:
            raise ValidationError({"parent": _("Note %(pk)s was deleted; it takes no replies.") % {"pk": parent.pk}})
        assertion = parent.assertion
        internal = internal or parent.is_internal
    users = mentioned_users(body)
    body_html = render_body(body, users)  # before the transaction: no lock held while rendering
    with transaction.atomic():
        note = Annotation(
            claim=claim,
            assertion=assertion,
            author=author,
            body=body,
            body_html=body_html,
            is_internal=internal,
            parent=parent,
        )
        save_as(note, author)
        _notify_note(note, author, users.values(), parent)
    return note


def _notify_note(note: Annotation, author: AbstractBaseUser, mentioned: Any, parent: Annotation | None) -> None:
    claim = note.claim
    where = f"on “{short(claim.text)}”"
    url = f"{claim.get_absolute_url()}#note-{note.pk}"
    kind = "an internal note" if note.is_internal else "a note"
    notify(
        recipients=mentioned,
        event=Event.MENTION,
        claim=claim,
        actor=author,
        text=f"{author.get_username()} mentioned you in {kind} {where}",
        url=url,
    )
    if parent is not None:
        already = {u.pk for u in mentioned}
        notify(
            recipients=[parent.author] if parent.author_id not in already else [],
            event=Event.REPLY,
            claim=claim,
            actor=author,
            text=f"{author.get_username()} replied to your note {where}",
            url=url,
        )


def annotation_update(*, annotation: Annotation, user: AbstractBaseUser, body: str, version: int) -> Annotation:
    body = clean_text(body, "body", MAX_NOTE_LENGTH)
    users = mentioned_users(body)
    body_html = render_body(body, users)
    with transaction.atomic():
        current = check_version(
            Annotation.objects.select_for_update().filter(pk=annotation.pk).first(), version, "note"
        )
        if current.is_deleted:
            raise ValidationError({"body": _("This note has been deleted; it can no longer be edited.")})
        before = set(markdown.mentioned_names(current.body))
        current.body, current.body_html = body, body_html
        current.version += 1
        save_as(current, user, update_fields=["body", "body_html", "version", "updated_at"])
        # Only those the edit newly mentions: an edit is no reason to notify twice.
        _notify_note(current, user, [u for name, u in users.items() if name not in before], None)
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
