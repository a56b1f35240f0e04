"""Undoing one recorded change: what may be restored, and what a later change forbids."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Q
from django.utils import formats, timezone
from simple_history.models import HistoricalChanges

from factcheck import markdown
from factcheck.history_entries import field_label, user_label
from factcheck.models import Annotation, Assertion, Claim, Resolution
from factcheck.services.base import check_version, save_as
from factcheck.services.decisions import set_prevailing_quietly

# Fields a revert never touches: identity, bookkeeping and what is derived.
# (An assertion's offsets are not editable in forms but are data: they revert
# with its quote.)
_NOT_REVERTED = {"id", "key", "version", "created_at", "updated_at", "body_html", "rationale_html"}
# Nor the desk's own state: whether a decision is published (only an approval
# publishes), who approved it, and a note's visibility and thread, fixed at creation.
_NOT_REVERTED |= {"is_published", "published_by", "published_at", "sent_back_comment", "is_internal", "parent"}


# The models whose changes can be reverted (history.MODELS_WITH_HISTORY). A history
# row is one of django-simple-history's generated Historical* models, typed only as
# HistoricalChanges: the library ships no type information.
Revertible = type[Claim] | type[Assertion] | type[Annotation] | type[Resolution]
# History row id -> the assertion ids that prevailed in that row.
PrevailingByRow = dict[int, set[int]]


def revertible_fields(model: Revertible) -> list[Field[Any, Any]]:
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


def _row_before(record: HistoricalChanges) -> HistoricalChanges | None:
    earlier = Q(history_date__lt=record.history_date) | Q(
        history_date=record.history_date, history_id__lt=record.history_id
    )
    return record.instance_type.history.filter(earlier, id=record.id).order_by("-history_date", "-history_id").first()


def _rows_after(record: HistoricalChanges) -> list[HistoricalChanges]:
    later = Q(history_date__gt=record.history_date) | Q(
        history_date=record.history_date, history_id__gt=record.history_id
    )
    rows = record.instance_type.history.filter(later, id=record.id).select_related("history_user")
    return list(rows.order_by("history_date", "history_id"))


def _prevailing_by_row(rows: list[HistoricalChanges]) -> PrevailingByRow:
    snapshot = Resolution.history.model.prevailing.model
    found: PrevailingByRow = {row.history_id: set() for row in rows}
    for history_id, assertion_id in snapshot.objects.filter(history_id__in=found).values_list(
        "history_id", "assertion_id"
    ):
        found[history_id].add(assertion_id)
    return found


def _fields_changed(
    fields: list[Field[Any, Any]],
    before: HistoricalChanges,
    after: HistoricalChanges,
    prevailing: PrevailingByRow | None,
) -> set[str]:
    changed = {f.name for f in fields if getattr(before, f.attname) != getattr(after, f.attname)}
    if prevailing is not None and prevailing[before.history_id] != prevailing[after.history_id]:
        changed.add("prevailing")
    return changed


def _when_and_who(row: HistoricalChanges) -> str:
    if row.history_user is not None:
        who = row.history_user.get_username()
    else:
        who = user_label(row.history_user_id) if row.history_user_id else "the system"
    return f"{who}, {formats.date_format(timezone.localtime(row.history_date), 'j M Y, H:i')}"


def _later_conflict(
    record: HistoricalChanges, later: HistoricalChanges, fields: list[str], what: str
) -> ValidationError:
    lifecycle = [name for name in fields if name in _LIFECYCLE]
    if lifecycle:
        did = _LIFECYCLE[lifecycle[0]][bool(getattr(later, lifecycle[0]))]
        why = f"undoing #{record.history_id} now would undo that too"
    else:
        did = "changed " + ", ".join(sorted(field_label(name) for name in fields))
        why = f"undoing #{record.history_id} would overwrite that later change"
    return ValidationError(
        {
            "record": (
                f"Change #{record.history_id} cannot be undone on its own: a later change to this {what}, "
                f"#{later.history_id} ({_when_and_who(later)}), {did}, and {why}. Nothing was restored."
            )
        }
    )


def _missing_reference(record: HistoricalChanges, field: Field[Any, Any], pk: object) -> ValidationError | None:
    """The value to restore points at a row that is gone: a ValidationError naming it, else None."""
    related = field.related_model
    if not field.many_to_one or related is None or pk is None or related._base_manager.filter(pk=pk).exists():
        return None
    if related is get_user_model():
        # The timeline's name for it: the bare id, or the name kept for a deleted account.
        who = user_label(pk)
        gone = f"{who if who == f'user #{pk}' else f'{who}, user #{pk}'}, whose account has been deleted"
    else:
        gone = f"{related._meta.verbose_name} #{pk}, which has been deleted"
    return ValidationError(
        {
            "record": (
                f"Change #{record.history_id} cannot be undone: {field_label(field.name)} would go back to {gone}. "
                "Nothing was restored."
            )
        }
    )


def history_revert(
    *, record: HistoricalChanges, user: AbstractBaseUser, version: int
) -> Claim | Assertion | Annotation | Resolution:
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
    model: Revertible = record.instance_type
    previous = _row_before(record) if record.history_type == "~" else None
    if previous is None:
        raise ValidationError({"record": "Only a change can be reverted, not a creation or a deletion."})
    what = "note" if model is Annotation else str(model._meta.verbose_name)
    fields = revertible_fields(model)
    # History rows never change: what to restore is known before any lock is taken.
    # Empty where the model has no such field: only an Annotation's or a Resolution's is ever used.
    body_html: str = markdown.render(previous.body) if model is Annotation else ""
    rationale_html: str = markdown.render(previous.rationale) if model is Resolution else ""
    with transaction.atomic():
        current = check_version(model.objects.select_for_update().filter(pk=record.id).first(), version, what)
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
        if isinstance(current, Annotation) and "body" in restore:
            current.body_html = body_html
        if isinstance(current, Resolution):
            if "rationale" in restore:
                current.rationale_html = rationale_html
            # prevailing is None only for other models; "prevailing" is in restore only when it is not.
            if "prevailing" in restore and prevailing is not None:
                live = set(Assertion.objects.filter(claim_id=current.claim_id).values_list("pk", flat=True))
                set_prevailing_quietly(current, prevailing[previous.history_id] & live)
        current.version += 1
        save_as(current, user, reason=f"Revert of change #{record.history_id}")
    return current
