"""Editorial writes: annotations, resolutions, assignment and history reverts.

Every write that an editor bases on something they saw is optimistic-locked:
the caller passes the ``version`` the editor's form was built from; inside
one transaction the row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; on
SQLite the IMMEDIATE transaction mode already holds the database's write lock
from ``BEGIN``), the versions are compared, and a stale edit raises
``StaleEdit`` with the current object instead of overwriting someone else's
change. A fresh edit bumps the version and goes through ``save()`` so that
django-simple-history records it with its author: nothing here uses
``update()`` on a tracked field.

Views and the admin both call these functions.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone

from factcheck import excerpts, markdown, quotes
from factcheck.history import field_label, user_label
from factcheck.models import Annotation, Assertion, Claim, Resolution, Stance, Verdict

MAX_NOTE_LENGTH = 10_000
MAX_RATIONALE_LENGTH = 20_000


class StaleEdit(Exception):
    """The edit was based on ``submitted_version``; ``current`` has moved on (or is gone: ``None``)."""

    def __init__(self, current, submitted_version, what):
        self.current = current
        self.submitted_version = submitted_version
        self.what = what
        now = f"version {current.version}" if current is not None else "deleted"
        super().__init__(
            f"This {what} changed while you were editing it: you edited version {submitted_version}, "
            f"it is now {now}. Nothing was saved."
        )


def _check_version(current, version, what):
    if current is None or current.version != version:
        raise StaleEdit(current, version, what)


def _save_as(obj, user, reason=None, **kwargs):
    """``save()`` with the history row attributed to ``user`` even outside a request."""
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save(**kwargs)


def _clean_text(value, field, max_length):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: "Write something: this cannot be empty."})
    if len(value) > max_length:
        raise ValidationError({field: f"At most {max_length:,} characters; this has {len(value):,}."})
    return value


# Annotations


def annotation_create(*, claim, author, body, assertion=None):
    body = _clean_text(body, "body", MAX_NOTE_LENGTH)
    if assertion is not None and assertion.claim_id != claim.pk:
        raise ValidationError({"assertion": f"Assertion {assertion.pk} belongs to another claim."})
    body_html = markdown.render(body)  # before the transaction: no lock held while rendering
    with transaction.atomic():
        note = Annotation(claim=claim, assertion=assertion, author=author, body=body, body_html=body_html)
        _save_as(note, author)
    return note


def annotation_update(*, annotation, user, body, version):
    body = _clean_text(body, "body", MAX_NOTE_LENGTH)
    body_html = markdown.render(body)
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        _check_version(current, version, "note")
        if current.is_deleted:
            raise ValidationError({"body": "This note has been deleted; it can no longer be edited."})
        current.body, current.body_html = body, body_html
        current.version += 1
        _save_as(current, user, update_fields=["body", "body_html", "version", "updated_at"])
    return current


def annotation_delete(*, annotation, user, version):
    """Tombstone the note: the row stays, and history keeps every version of its text."""
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        _check_version(current, version, "note")
        if current.is_deleted:
            return current
        current.is_deleted = True
        current.version += 1
        _save_as(current, user, update_fields=["is_deleted", "version", "updated_at"])
    return current


# Resolutions


def _prevailing_ids(claim, prevailing):
    ids = {a.pk if isinstance(a, Assertion) else int(a) for a in prevailing}
    found = set(Assertion.objects.filter(claim=claim, pk__in=ids).values_list("pk", flat=True))
    if ids - found:
        missing = ", ".join(str(i) for i in sorted(ids - found))
        raise ValidationError({"prevailing": f"Assertion {missing} does not belong to this claim."})
    return found


def _snapshot_prevailing(resolution):
    """Give the creation's history row its prevailing assertions.

    simple-history writes a row on ``save()`` and another on every m2m change;
    one decision should be one row. On revision the m2m is set (with history
    off) before the saving, so the one row sees it. A new resolution needs its
    row to exist before the m2m can be set, so its history row is written by
    ``save()`` and the m2m snapshot added to that row here, as simple-history
    itself does for the rows it writes.
    """
    record = resolution.history.order_by("-history_date", "-history_id").first()
    snapshot = type(record).prevailing.model
    rows = Resolution.prevailing.through.objects.filter(resolution=resolution)
    snapshot.objects.bulk_create(
        snapshot(history=record, id=row.pk, resolution_id=row.resolution_id, assertion_id=row.assertion_id)
        for row in rows
    )


def _set_prevailing_quietly(resolution, ids):
    resolution.skip_history_when_saving = True
    try:
        resolution.prevailing.set(ids)
    finally:
        del resolution.skip_history_when_saving


def resolution_save(*, claim, user, verdict, rationale, prevailing, version):
    """Resolve the claim, or revise (or re-close) its resolution.

    ``version`` is the resolution's version the editor saw, 0 when the claim
    had none: two editors resolving the same claim at once cannot both win.
    """
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"“{verdict}” is not a verdict; choose one of {', '.join(Verdict.values)}."})
    rationale = _clean_text(rationale, "rationale", MAX_RATIONALE_LENGTH)
    rationale_html = markdown.render(rationale)
    with transaction.atomic():
        # Lock the claim first: it serialises the first resolution of a claim,
        # when there is no resolution row yet to lock.
        Claim.objects.select_for_update().filter(pk=claim.pk).first()
        current = Resolution.objects.select_for_update().filter(claim_id=claim.pk).first()
        if current is None and version == 0:
            ids = _prevailing_ids(claim, prevailing)
            resolution = Resolution(
                claim_id=claim.pk, verdict=verdict, rationale=rationale, rationale_html=rationale_html, decided_by=user
            )
            _save_as(resolution, user)
            _set_prevailing_quietly(resolution, ids)
            _snapshot_prevailing(resolution)
            return resolution
        _check_version(current, version, "resolution")
        ids = _prevailing_ids(claim, prevailing)
        current.verdict, current.rationale, current.rationale_html = verdict, rationale, rationale_html
        current.decided_by = user
        current.is_open = False
        current.version += 1
        _set_prevailing_quietly(current, ids)
        _save_as(current, user)
    return current


def resolution_reopen(*, claim, user, version, reason=""):
    """The verdict no longer stands; the claim's status goes back to what its sources say."""
    with transaction.atomic():
        current = Resolution.objects.select_for_update().filter(claim_id=claim.pk).first()
        _check_version(current, version, "resolution")
        if current.is_open:
            return current
        current.is_open = True
        current.version += 1
        _save_as(current, user, reason=(reason or "").strip()[:100] or None)
    return current


# Claims


def claim_assign(*, claim, assignee, version, by):
    """Put ``assignee`` (``None``: nobody) in charge of reviewing the claim."""
    with transaction.atomic():
        current = Claim.objects.select_for_update().filter(pk=claim.pk).first()
        _check_version(current, version, "claim")
        if current.assigned_to_id == (assignee.pk if assignee else None):
            return current
        current.assigned_to = assignee
        current.version += 1
        _save_as(current, by, update_fields=["assigned_to", "version", "updated_at"])
    return current


# History

# Fields a revert never touches: identity, bookkeeping and what is derived.
# (An assertion's offsets are not editable in forms but are data: they revert
# with its quote.)
_NOT_REVERTED = {"id", "key", "version", "created_at", "updated_at", "body_html", "rationale_html"}


def revertible_fields(model):
    tracked = {f.name for f in model.history.model.tracked_fields}
    return [f for f in model._meta.concrete_fields if f.name in tracked and f.name not in _NOT_REVERTED]


# A change to these is a change of the object's state of life, not of its
# content: after one, undoing an older change would bring back or close what
# someone later deleted, restored, reopened or resolved again.
_LIFECYCLE = {
    "is_deleted": ("restored the note", "deleted the note"),
    "is_open": ("resolved the claim again", "reopened the claim"),
}
# Who decided: restored with the change it came with, unless a later decision
# replaced it; a later decision by someone else is no conflict in itself.
_ATTRIBUTION = {"decided_by"}


def _row_before(record):
    earlier = Q(history_date__lt=record.history_date) | Q(
        history_date=record.history_date, history_id__lt=record.history_id
    )
    return record.instance_type.history.filter(earlier, id=record.id).order_by("-history_date", "-history_id").first()


def _rows_after(record):
    later = Q(history_date__gt=record.history_date) | Q(
        history_date=record.history_date, history_id__gt=record.history_id
    )
    rows = record.instance_type.history.filter(later, id=record.id).select_related("history_user")
    return list(rows.order_by("history_date", "history_id"))


def _prevailing_by_row(rows):
    snapshot = Resolution.history.model.prevailing.model
    found = {row.history_id: set() for row in rows}
    for history_id, assertion_id in snapshot.objects.filter(history_id__in=found).values_list(
        "history_id", "assertion_id"
    ):
        found[history_id].add(assertion_id)
    return found


def _fields_changed(fields, before, after, prevailing):
    changed = {f.name for f in fields if getattr(before, f.attname) != getattr(after, f.attname)}
    if prevailing is not None and prevailing[before.history_id] != prevailing[after.history_id]:
        changed.add("prevailing")
    return changed


def _when_and_who(row):
    if row.history_user is not None:
        who = row.history_user.get_username()
    else:
        who = user_label(row.history_user_id) if row.history_user_id else "the system"
    return f"{who}, {formats.date_format(timezone.localtime(row.history_date), 'j M Y, H:i')}"


def _later_conflict(record, later, fields, what):
    lifecycle = [name for name in fields if name in _LIFECYCLE]
    if lifecycle:
        did = _LIFECYCLE[lifecycle[0]][bool(getattr(later, lifecycle[0]))]
        why = f"undoing #{record.history_id} now would undo that too"
    else:
        did = "changed " + ", ".join(sorted(field_label(name) for name in fields))
        why = f"undoing #{record.history_id} would overwrite that later change"
    return ValidationError({"record": (
        f"Change #{record.history_id} cannot be undone on its own: a later change to this {what}, "
        f"#{later.history_id} ({_when_and_who(later)}), {did}, and {why}. Nothing was restored."
    )})


def _missing_reference(record, field, pk):
    """The value to restore points at a row that is gone: a ValidationError naming it, else None."""
    if not field.many_to_one or pk is None or field.related_model._base_manager.filter(pk=pk).exists():
        return None
    if field.related_model is get_user_model():
        # The timeline's name for it: the bare id, or the name kept for a deleted account.
        who = user_label(pk)
        gone = f"{who if who == f'user #{pk}' else f'{who}, user #{pk}'}, whose account has been deleted"
    else:
        gone = f"{field.related_model._meta.verbose_name} #{pk}, which has been deleted"
    return ValidationError({"record": (
        f"Change #{record.history_id} cannot be undone: {field_label(field.name)} would go back to {gone}. "
        "Nothing was restored."
    )})


def history_revert(*, record, user, version):
    """Undo one recorded change, and only it: the fields it changed go back to their values before it.

    Refused (``ValidationError`` on ``record``, nothing written) when a later
    change touched one of those fields or changed the object's state of life
    (deleted or restored a note, reopened or re-closed a decision): undoing
    this one would silently undo that one too. Refused as well when a value
    to restore points at a row since deleted (a user account, a topic...).
    The restore is an ordinary save — version bumped, derived HTML
    re-rendered, claim status recomputed by the usual signals — so it is
    itself recorded.
    """
    model = record.instance_type
    previous = _row_before(record) if record.history_type == "~" else None
    if previous is None:
        raise ValidationError({"record": "Only a change can be reverted, not a creation or a deletion."})
    what = {Annotation: "note"}.get(model, model._meta.verbose_name)
    fields = revertible_fields(model)
    # History rows never change: what to restore is known before any lock is taken.
    body_html = markdown.render(previous.body) if model is Annotation else None
    rationale_html = markdown.render(previous.rationale) if model is Resolution else None
    with transaction.atomic():
        current = model.objects.select_for_update().filter(pk=record.id).first()
        _check_version(current, version, what)
        later = _rows_after(record)
        prevailing = _prevailing_by_row([previous, record, *later]) if model is Resolution else None
        changed = _fields_changed(fields, previous, record, prevailing)
        restore, before = set(changed), record
        for row in later:
            touched = _fields_changed(fields, before, row, prevailing)
            clash = [name for name in touched if name in _LIFECYCLE] or sorted((touched & changed) - _ATTRIBUTION)
            if clash:
                raise _later_conflict(record, row, clash, what)
            restore -= touched
            before = row
        if not restore:
            raise ValidationError({"record": f"Change #{record.history_id} changed nothing a revert can restore."})
        for field in fields:
            if field.name in restore:
                value = getattr(previous, field.attname)
                if (missing := _missing_reference(record, field, value)) is not None:
                    raise missing
                setattr(current, field.attname, value)
        if isinstance(current, Assertion) and not current.matches_source():
            raise ValidationError(
                {"record": f"The earlier quote no longer occurs at its place in “{current.source.title}”."}
            )
        if "body" in restore:
            current.body_html = body_html
        if isinstance(current, Resolution):
            if "rationale" in restore:
                current.rationale_html = rationale_html
            if "prevailing" in restore:
                live = set(Assertion.objects.filter(claim_id=current.claim_id).values_list("pk", flat=True))
                _set_prevailing_quietly(current, prevailing[previous.history_id] & live)
        current.version += 1
        _save_as(current, user, reason=f"Revert of change #{record.history_id}")
    return current


# Assertions added from evidence suggestions


class AssertionExists(Exception):
    """The claim already has an assertion on exactly this passage of the source."""


def assertion_create(*, claim, source, start, end, stance, as_of=None, user):
    """Make ``source``'s passage ``start``–``end`` an assertion of ``claim``, as ``user``.

    The offsets must pass ``excerpts.check`` (within one suggested passage,
    on word boundaries, a few words at least). ``as_of`` is a
    ``(date, precision)`` pair from ``dates.parse_partial_date``, or None.
    Raises ``ValidationError`` keyed by parameter, or ``AssertionExists``.
    The history row is this write, now, by ``user``.
    """
    if stance not in Stance.values:
        raise ValidationError({"stance": f"“{stance}” is not a stance; choose one of {', '.join(Stance.values)}."})
    start, end = excerpts.check(source, start, end)
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=source.text[start:end])
    if as_of:
        assertion.as_of, assertion.as_of_precision = as_of
    # Offsets come from locate(), like every other assertion's: the occurrence
    # of the quote that starts where the passage does.
    occurrences = quotes.find_occurrences(source.text, assertion.quote)
    assertion.locate(next((n for n, o in enumerate(occurrences, 1) if o.start >= start), None))
    with transaction.atomic():
        if Assertion.objects.filter(claim=claim, source=source, start=assertion.start, end=assertion.end).exists():
            raise AssertionExists(source)
        try:
            _save_as(assertion, user)
        except IntegrityError:  # added by someone else since the check: the transaction is rolled back
            raise AssertionExists(source) from None
    return assertion
