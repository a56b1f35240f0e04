"""Editors' notes as the pages show them: with what the reader may do to each, and who deleted it."""

from factcheck import compiled_queries, render_memo
from factcheck.history import deletion_marks
from factcheck.models import Annotation
from factcheck.roles import can_change_note, is_desk


def decorate_notes(user, notes):
    """Mark what ``user`` may do with each note, and who deleted the deleted ones (one query, if any)."""
    marks = deletion_marks(notes)
    for note in notes:
        note.editable = can_change_note(user, note)
        note.deletable = can_change_note(user, note, "factcheck.delete_annotation")
        note.deleted_by, note.deleted_at = marks.get(note.pk, (None, note.updated_at))
        note.memo_key = render_memo.note_key(note)
    return notes


def visible_notes(user, notes):
    """``notes`` without the internal ones unless ``user`` is an editor or staff."""
    return notes if is_desk(user) else notes.filter(is_internal=False)


def _oldest_first(user, notes):
    """Top-level notes, oldest first, each with its ``thread`` of replies (decorated too): one query."""
    return _threaded(decorate_notes(user, list(_in_order(visible_notes(user, notes)))))


def _in_order(notes):
    return notes.select_related("author").order_by("created_at", "id")


def _threaded(rows):
    replies = {}
    for note in rows:
        if note.parent_id is not None:
            replies.setdefault(note.parent_id, []).append(note)
    top = []
    for note in rows:
        if note.parent_id is None:
            note.thread = replies.get(note.pk, [])
            top.append(note)
    return top


def thread_notes(user, claim, assertion):
    """The notes on the claim itself (``assertion`` None) or on one of its assertions, decorated."""
    return _oldest_first(user, Annotation.objects.filter(claim=claim, assertion=assertion))


def all_claim_notes(user, claim):
    """The notes on the claim and on each of its assertions, decorated, as the claim page shows them.

    The claim page's query, compiled once per process (compiled_queries.py):
    the page is rendered again after every note.
    """
    desk = is_desk(user)
    rows = compiled_queries.fetch(
        ("claim notes", desk),
        lambda: _in_order(visible_notes(user, Annotation.objects.filter(claim_id=compiled_queries.ID))),
        {compiled_queries.ID: claim.pk},
    )
    return _threaded(decorate_notes(user, rows))
