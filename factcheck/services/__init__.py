"""Every write to editors' work: keyword-only, atomic, version-checked where an editor saw a version.

Views, the admin and the corpus import call these functions; each module
holds one kind of write (``base`` says how they lock, check and record):

- ``notes``: annotations, written, edited, deleted and restored;
- ``decisions``: a claim's resolution and who reviews it;
- ``history``: undoing one recorded change;
- ``assertions``: assertions added from evidence suggestions;
- ``sources``: a source's new text, with the quotes it moves;
- ``imports``: what a corpus import changes in editors' work, when told it may.

``from factcheck import services; services.annotation_create(...)`` and
``from factcheck.services import StaleEdit`` both work: every public name is
here.
"""

from factcheck.services.assertions import AssertionExists, assertion_create
from factcheck.services.base import StaleEdit
from factcheck.services.decisions import MAX_RATIONALE_LENGTH, claim_assign, resolution_reopen, resolution_save
from factcheck.services.history import history_revert, revertible_fields
from factcheck.services.imports import annotation_retire, resolution_record_change
from factcheck.services.notes import (
    MAX_NOTE_LENGTH,
    annotation_create,
    annotation_delete,
    annotation_restore,
    annotation_update,
)
from factcheck.services.sources import source_update_text

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_RATIONALE_LENGTH",
    "AssertionExists",
    "StaleEdit",
    "annotation_create",
    "annotation_delete",
    "annotation_restore",
    "annotation_retire",
    "annotation_update",
    "assertion_create",
    "claim_assign",
    "history_revert",
    "resolution_record_change",
    "resolution_reopen",
    "resolution_save",
    "revertible_fields",
    "source_update_text",
]
