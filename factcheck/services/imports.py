"""Writes a corpus import makes to editors' work, when it is told it may.

An import matches records by key and gives a claim exactly the assertions
its file lists. Removing an assertion would otherwise cascade: its notes
deleted outright, and it silently cut from the prevailing set of the claim's
resolution, changing the published ClaimReview with no record. These
functions make those changes the way the site's own edits are made: a new
version, saved through ``save()`` so that django-simple-history writes a row
with its author and a reason.

They are not optimistic-locked like the editors' services: no editor saw a
version to compare with. The import runs them inside its own transaction,
after its caller agreed to replace editors' work (``--replace-editorial``,
or the admin's checkbox).
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from factcheck.models import Annotation, Resolution
from factcheck.services.base import MAX_HISTORY_REASON_LENGTH, save_as
from factcheck.services.decisions import set_prevailing_quietly


def annotation_retire(*, annotation: Annotation, user: AbstractBaseUser | None, reason: str) -> Annotation:
    """Tombstone a note whose assertion is about to be deleted, and keep the row.

    Like ``annotation_delete`` the note becomes a deleted note whose
    history keeps every version of its text; it also moves from the
    assertion to its claim, since the row would otherwise go with the
    assertion (on_delete=CASCADE). Its history rows still name the assertion.
    """
    with transaction.atomic():
        current = Annotation.objects.select_for_update().get(pk=annotation.pk)
        current.is_deleted = True
        current.assertion = None
        current.version += 1
        fields = ["is_deleted", "assertion", "version", "updated_at"]
        save_as(current, user, reason[:MAX_HISTORY_REASON_LENGTH], update_fields=fields)
    return current


def resolution_record_change(
    *, resolution: Resolution, user: AbstractBaseUser | None, reason: str, prevailing: Iterable[int]
) -> Resolution:
    """A new version of a decision whose evidence an import changed.

    ``prevailing`` is the set of assertion ids that prevail from now on
    (the old set less the assertions the import removes). The verdict,
    rationale and who decided stay; the history row carries ``reason``,
    so the decision's history says why its published review changed.
    """
    with transaction.atomic():
        current = Resolution.objects.select_for_update().get(pk=resolution.pk)
        # As resolution_save: the one row written by save() holds the new prevailing set.
        set_prevailing_quietly(current, prevailing)
        current.version += 1
        save_as(current, user, reason[:MAX_HISTORY_REASON_LENGTH])
    return current
