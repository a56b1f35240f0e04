"""Rendered HTML remembered by what it shows, for the parts of a page rendered again and again unchanged.

After each note the claim page is rendered again, and with it every other
note and the twenty newest history entries, most of them as they were. Their
HTML is a function of the values they show, the interface language and the
time zone: ``{% memo key %}…{% endmemo %}`` (``page_tags``) keeps it in
this process under a digest of ``key`` (which must hold every value the
block shows: ``note_key`` and ``entry_key`` below) with the language and
time zone, so nothing is ever invalidated: a changed value is another key.
``None`` as the key renders as usual and keeps nothing (a block with a CSRF
token, or controls that depend on the reader's permissions).

Bounded: at most ``MAX_BYTES`` of HTML per process, oldest dropped first,
and no block longer than ``MAX_BLOCK``.
"""

import hashlib
import threading
from collections import OrderedDict

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone, translation

MAX_BYTES = 4 * 1024 * 1024
MAX_BLOCK = 32 * 1024

_lock = threading.Lock()
_blocks: "OrderedDict[str, str]" = OrderedDict()
_size = [0]


def _digest(key):
    raw = repr((translation.get_language(), timezone.get_current_timezone_name(), key))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def rendered(key, render):
    """``render()``'s HTML, from memory when a block of the same ``key`` was rendered before."""
    if not key:  # None, or no key at all (a template variable not set)
        return render()
    digest = _digest(key)
    with _lock:
        html = _blocks.get(digest)
        if html is not None:
            _blocks.move_to_end(digest)
            return html
    html = render()
    if len(html) <= MAX_BLOCK:
        with _lock:
            if digest not in _blocks:
                _blocks[digest] = html
                _size[0] += len(html)
                while _size[0] > MAX_BYTES:
                    _size[0] -= len(_blocks.popitem(last=False)[1])
    return html


def clear():
    with _lock:
        _blocks.clear()
        _size[0] = 0


def _user_name(user):
    return None if user is None else user.get_username()


def note_key(note):
    """What ``_annotation.html`` shows of ``note`` (decorated by ``selectors.notes``); None if it has controls."""
    if getattr(note, "editable", True) or getattr(note, "deletable", True):
        return None  # its forms carry the reader's CSRF token
    return (
        "note",
        note.pk,
        note.is_deleted,
        note.is_internal,
        note.parent_id,
        note.version,
        note.created_at,
        note.body_html,
        _user_name(note.author),
        _user_name(note.deleted_by),
        note.deleted_at,
    )


def entry_key(entry, claim_url):
    """What ``_history.html`` shows of one history entry; None for one with a revert form."""
    if entry.revertible:
        return None
    record = entry.record
    try:
        user = record.history_user
    except ObjectDoesNotExist:
        user = None
    if user is None and record.history_user_id is not None:
        return None  # a deleted account: its name is read as the entry renders
    changes = tuple((c.field, c.label, c.old, c.new, c.old_html, c.new_html) for c in entry.changes)
    return (
        "history-entry",
        claim_url,
        entry.kind,
        entry.action,
        entry.history_id,
        entry.when,
        record.history_user_id,
        _user_name(user),
        entry.anchor,
        entry.description,
        entry.reason,
        entry.summary,
        entry.summary_html,
        changes,
    )
