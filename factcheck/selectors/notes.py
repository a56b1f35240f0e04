"""Editors' notes as the pages show them: with what the reader may do to each, and who deleted it."""

from factcheck.history import deletion_marks
from factcheck.models import Annotation
from factcheck.roles import can_change_note


def decorate_notes(user, notes):
    """Mark what ``user`` may do with each note, and who deleted the deleted ones (one query, if any)."""
    marks = deletion_marks(notes)
    for note in notes:
        note.editable = can_change_note(user, note)
        note.deletable = can_change_note(user, note, "factcheck.delete_annotation")
        note.deleted_by, note.deleted_at = marks.get(note.pk, (None, note.updated_at))
    return notes


def _oldest_first(user, notes):
    return decorate_notes(user, list(notes.select_related("author").order_by("created_at", "id")))


def thread_notes(user, claim, assertion):
    """The notes on the claim itself (``assertion`` None) or on one of its assertions, decorated."""
    return _oldest_first(user, Annotation.objects.filter(claim=claim, assertion=assertion))


def all_claim_notes(user, claim):
    """The notes on the claim and on each of its assertions, decorated, as the claim page shows them."""
    return _oldest_first(user, Annotation.objects.filter(claim=claim))
