"""Every write to editors' work: keyword-only, atomic, version-checked where an editor saw a version.

Views, the admin and the corpus import call these functions; each module
holds one kind of write (``base`` says how they lock, check and record):

- ``notes``: annotations, written, edited, deleted and restored;
- ``decisions``: a claim's resolution and who reviews it;
- ``history``: undoing one recorded change;
- ``assertions``: assertions added from evidence suggestions; who said one, and about when;
- ``speakers``: speakers, and the sources a source derives from;
- ``sources``: a source's new text, with the quotes it moves;
- ``imports``: what a corpus import changes in editors' work, when told it may;
- ``tokens``: API tokens, issued, revoked and checked;
- ``suggestions``: editors' decisions on what a document speaks to (accept, reject, a new claim).

``from factcheck import services; services.annotation_create(...)`` and
``from factcheck.services import StaleEdit`` both work: every public name is
here.
"""

from factcheck.services.assertions import AssertionExists, assertion_create
from factcheck.services.base import StaleEdit
from factcheck.services.decisions import (
    MAX_RATIONALE_LENGTH,
    claim_assign,
    resolution_approve,
    resolution_reopen,
    resolution_save,
    resolution_send_back,
)
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
    "resolution_approve",
    "resolution_record_change",
    "resolution_reopen",
    "resolution_save",
    "resolution_send_back",
    "revertible_fields",
    "source_update_text",
]
from factcheck.services.assertion_edits import assertion_remove as assertion_remove  # noqa: E402
from factcheck.services.assertion_edits import assertion_restore as assertion_restore  # noqa: E402
from factcheck.services.assertions import assertion_attribute as assertion_attribute  # noqa: E402
from factcheck.services.assertions import check_timing as check_timing  # noqa: E402
from factcheck.services.assertions import set_attribution as set_attribution  # noqa: E402
from factcheck.services.attach import assertion_attach as assertion_attach  # noqa: E402
from factcheck.services.attach import claim_create_with_assertion as claim_create_with_assertion  # noqa: E402
from factcheck.services.claims import assertion_create_located as assertion_create_located  # noqa: E402
from factcheck.services.claims import assertion_delete as assertion_delete  # noqa: E402
from factcheck.services.claims import assertion_update as assertion_update  # noqa: E402
from factcheck.services.claims import claim_create as claim_create  # noqa: E402
from factcheck.services.claims import claim_delete as claim_delete  # noqa: E402
from factcheck.services.claims import claim_set_kind as claim_set_kind  # noqa: E402
from factcheck.services.claims import claim_update as claim_update  # noqa: E402
from factcheck.services.desk import delivery_delete as delivery_delete  # noqa: E402
from factcheck.services.desk import delivery_retry as delivery_retry  # noqa: E402
from factcheck.services.desk import notification_email_set as notification_email_set  # noqa: E402
from factcheck.services.desk import notifications_mark_read as notifications_mark_read  # noqa: E402
from factcheck.services.desk import watch_set as watch_set  # noqa: E402
from factcheck.services.desk import webhook_delete as webhook_delete  # noqa: E402
from factcheck.services.desk import webhook_save as webhook_save  # noqa: E402
from factcheck.services.erasures import annotation_erase as annotation_erase  # noqa: E402
from factcheck.services.erasures import resolution_delete as resolution_delete  # noqa: E402
from factcheck.services.notify import user_from_token as user_from_token  # noqa: E402
from factcheck.services.source_details import source_create as source_create  # noqa: E402
from factcheck.services.source_details import source_delete as source_delete  # noqa: E402
from factcheck.services.source_details import source_update_details as source_update_details  # noqa: E402
from factcheck.services.speakers import StaleSpeaker as StaleSpeaker  # noqa: E402
from factcheck.services.speakers import derivation_add as derivation_add  # noqa: E402
from factcheck.services.speakers import derivation_remove as derivation_remove  # noqa: E402
from factcheck.services.speakers import derivation_update as derivation_update  # noqa: E402
from factcheck.services.speakers import speaker_create as speaker_create  # noqa: E402
from factcheck.services.speakers import speaker_delete as speaker_delete  # noqa: E402
from factcheck.services.speakers import speaker_fingerprint as speaker_fingerprint  # noqa: E402
from factcheck.services.speakers import speaker_update as speaker_update  # noqa: E402
from factcheck.services.suggestions import SuggestionDecided as SuggestionDecided  # noqa: E402
from factcheck.services.suggestions import suggestion_accept as suggestion_accept  # noqa: E402
from factcheck.services.suggestions import suggestion_create_claim as suggestion_create_claim  # noqa: E402
from factcheck.services.suggestions import suggestion_reject as suggestion_reject  # noqa: E402
from factcheck.services.tokens import api_token_authenticate as api_token_authenticate  # noqa: E402
from factcheck.services.tokens import api_token_issue as api_token_issue  # noqa: E402
from factcheck.services.tokens import api_token_revoke as api_token_revoke  # noqa: E402
from factcheck.services.topics import topic_create as topic_create  # noqa: E402
from factcheck.services.topics import topic_delete as topic_delete  # noqa: E402
from factcheck.services.topics import topic_update as topic_update  # noqa: E402
from factcheck.services.translations import assertion_set_translation as assertion_set_translation  # noqa: E402
from factcheck.services.translations import check_languages as check_languages  # noqa: E402
from factcheck.services.translations import claim_translation_delete as claim_translation_delete  # noqa: E402
from factcheck.services.translations import claim_translation_save as claim_translation_save  # noqa: E402
from factcheck.services.vocabulary import name_alias_delete as name_alias_delete  # noqa: E402
from factcheck.services.vocabulary import name_alias_save as name_alias_save  # noqa: E402
from factcheck.services.vocabulary import synonym_group_delete as synonym_group_delete  # noqa: E402
from factcheck.services.vocabulary import synonym_group_save as synonym_group_save  # noqa: E402
