"""Removing an assertion from a claim, and undoing that removal exactly.

Removal is a real delete, recorded by django-simple-history, rather than a
``removed_at`` flag: every query, count, trigger, export and the API then
keeps ignoring removed rows without being told, and the derived state
(claim status, topic counts, search index, cache tags) follows through the
same signals and triggers as any other delete. Undo re-creates the row from
its deletion record, with the same id, quote, offsets and attribution, and
that too is an ordinary save, so history reads "removed", then "added".

The notes on the assertion would go with it (their foreign key cascades);
they are deleted first, by name, with a reason that marks them as removed
with it, and come back with it. An assertion that prevails in the editors'
decision is not removed: the decision would silently change; revise it first.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from factcheck.models import Annotation, Assertion, Claim, Source, Speaker
from factcheck.services.assertions import AssertionExists
from factcheck.services.base import StaleEdit, attribute_to, check_version, save_as
from factcheck.services.notes import mentioned_users, render_body


def _removed_with(assertion_id: int) -> str:
    return f"Removed with assertion #{assertion_id}"


def assertion_remove(*, assertion: Assertion, user: AbstractBaseUser, version: int) -> int:
    """Delete ``assertion`` (at ``version``) and its notes; the id of the history row to undo it with.

    ``StaleEdit`` if it changed or went since ``version``; ``ValidationError``
    keyed ``assertion`` if it prevails in the claim's decision.
    """
    with transaction.atomic():
        current = check_version(
            Assertion.objects.select_for_update().filter(pk=assertion.pk).first(), version, "assertion"
        )
        if current.prevailing_in.exists():
            raise ValidationError(
                {
                    "assertion": _(
                        "This statement prevails in the editors’ decision on the claim; "
                        "revise the decision before removing it."
                    )
                }
            )
        pk = current.pk
        notes = list(Annotation.objects.filter(assertion_id=pk).order_by("pk"))
        # Replies first: deleting a note they answer would cascade to them, without the reason.
        for note in sorted(notes, key=lambda n: n.parent_id is None):
            attribute_to(note, user, _removed_with(pk))
            note.delete()
        attribute_to(current, user, "Removed from the claim")
        current.delete()
        record = Assertion.history.filter(id=pk, history_type="-").order_by("-history_id").first()
        assert record is not None  # just written by the delete above
    return int(record.history_id)


def assertion_restore(*, assertion_id: int, removal: int, user: AbstractBaseUser) -> Assertion:
    """Bring back the assertion that the history row ``removal`` deleted, exactly as it was, with its notes.

    ``StaleEdit`` (current: the assertion, or None) when ``removal`` is not the
    latest record of that assertion: it was restored already or changed
    since. ``ValidationError`` keyed ``removal`` when the claim, the source or
    the speaker it pointed at is gone, or the source's text has moved under
    the quote; ``AssertionExists`` if the same passage was attached again.
    """
    with transaction.atomic():
        latest = Assertion.history.filter(id=assertion_id).order_by("-history_date", "-history_id").first()
        if latest is None or latest.history_id != removal or latest.history_type != "-":
            if not Assertion.history.filter(id=assertion_id, history_id=removal, history_type="-").exists():
                raise ValidationError(
                    {
                        "removal": _("#%(removal)s is not a removal of assertion %(assertion)s.")
                        % {"removal": removal, "assertion": assertion_id}
                    }
                )
            current = Assertion.objects.filter(pk=assertion_id).first()
            raise StaleEdit(current, removal, "assertion")
        missing = [
            what
            for what, model, pk in (
                (_("the claim"), Claim, latest.claim_id),
                (_("the source"), Source, latest.source_id),
                (_("the speaker"), Speaker, latest.speaker_id),
            )
            if pk is not None and not model.objects.filter(pk=pk).exists()
        ]
        if missing:
            raise ValidationError(
                {
                    "removal": _("What this statement belonged to is gone (%(what)s); it cannot come back.")
                    % {"what": ", ".join(missing)}
                }
            )
        restored = latest.instance  # every tracked field as it was, the same id
        if not restored.matches_source():
            raise ValidationError(
                {
                    "removal": _("The text of “%(title)s” changed since: the quote is no longer in place.")
                    % {"title": restored.source.title}
                }
            )
        if Assertion.objects.filter(
            claim_id=restored.claim_id, source_id=restored.source_id, start=restored.start, end=restored.end
        ).exists():
            raise AssertionExists(restored.source)
        try:
            _insert_as_it_was(restored, user, f"Undo of removal #{removal}")
        except IntegrityError:  # attached again by someone else since the check: the transaction is rolled back
            raise AssertionExists(restored.source) from None
        _restore_notes(assertion_id, user)
    return restored


def _restore_notes(assertion_id: int, user: AbstractBaseUser) -> None:
    rows = Annotation.history.filter(
        assertion_id=assertion_id, history_type="-", history_change_reason=_removed_with(assertion_id)
    ).order_by("-history_id")
    latest: dict[int, Any] = {}  # each note as its last removal left it (it may have come back and changed since)
    for row in rows:
        latest.setdefault(row.id, row)
    gone = set(latest) - set(Annotation.objects.filter(pk__in=latest).values_list("pk", flat=True))
    # Notes before the replies that point at them.
    for row in sorted((latest[pk] for pk in gone), key=lambda r: (r.parent_id is not None, r.id)):
        note = row.instance
        note.body_html = render_body(note.body, mentioned_users(note.body))  # not kept in history
        _insert_as_it_was(note, user, f"Restored with assertion #{assertion_id}")


def _insert_as_it_was(obj: Assertion | Annotation, user: AbstractBaseUser, reason: str) -> None:
    """Insert ``obj`` (rebuilt from a history row) with its id, and its creation time rather than now.

    ``auto_now_add`` overwrites ``created_at`` on every insert; the original is
    put back on the row and on the history row the insert wrote (neither
    update is a change anyone made).
    """
    created_at = obj.created_at
    save_as(obj, user, reason=reason, force_insert=True)
    type(obj)._default_manager.filter(pk=obj.pk).update(created_at=created_at)
    record = type(obj).history.filter(id=obj.pk).order_by("-history_id").first()
    if record is not None:
        type(obj).history.filter(history_id=record.history_id).update(created_at=created_at)
    obj.created_at = created_at
