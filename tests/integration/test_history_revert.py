"""Reverting one change undoes that change only, and refuses what would undo later ones or
point at what is gone (findings L4 and L5)."""

from django.contrib.auth import get_user_model

from factcheck import services
from factcheck.models import Claim, Resolution, Status
from tests.conftest import make_topic
from tests.editing import JSON, note_by, resolve


def _latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def _revert(client, kind, record, version, headers=None):
    return client.post(f"/history/{kind}/{record.history_id}/revert/", {"version": version}, headers=headers or {})


def _assign(claim, assignee, by):
    return services.claim_assign(claim=claim, assignee=assignee, version=claim.version, by=by)


# L4: a later change is not undone with an older one.


def test_it_refuses_to_undelete_a_note_by_reverting_an_older_edit(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "One.")
    note = services.annotation_update(annotation=note, user=editor, body="Two.", version=1)
    edit = _latest(note)
    note = services.annotation_delete(annotation=note, user=editor, version=2)
    deletion = _latest(note)
    client.force_login(staff)
    response = _revert(client, "annotation", edit, note.version)
    assert response.status_code == 422
    message = response.content.decode()
    assert f"Change #{edit.history_id} cannot be undone on its own" in message
    assert f"#{deletion.history_id} (editor, " in message and "deleted the note" in message
    assert "Nothing was restored." in message
    note.refresh_from_db()
    assert (note.is_deleted, note.body, note.version) == (True, "Two.", 3)
    assert note.history.count() == 3


def test_it_refuses_to_reclose_a_reopened_decision_by_reverting_an_older_revision(
    client, editor, staff, conflict_claim
):
    resolve(editor, conflict_claim, verdict="false", rationale="First.")
    revised = resolve(editor, conflict_claim, verdict="true", rationale="Second.", version=1)
    revision = _latest(revised)
    reopened = services.resolution_reopen(claim=conflict_claim, user=editor, version=2, reason="New reporting")
    client.force_login(staff)
    response = _revert(client, "resolution", revision, reopened.version, headers=JSON)
    assert response.status_code == 422
    error = response.json()["error"]
    assert f"#{_latest(reopened).history_id} (editor, " in error and "reopened the claim" in error
    resolution = Resolution.objects.get()
    assert (resolution.is_open, resolution.verdict, resolution.version) == (True, "true", 3)
    assert Claim.objects.get().status == Status.CONFLICT


def test_it_undoes_only_the_fields_the_change_altered(client, editor, staff, conflict_claim):
    claim = Claim.objects.get()
    claim.text, claim.version = "A reworded claim.", claim.version + 1
    claim.save()
    rewording = _latest(claim)
    claim = _assign(claim, editor, editor)
    client.force_login(staff)
    assert _revert(client, "claim", rewording, claim.version).status_code == 302
    claim = Claim.objects.select_related("assigned_to").get()
    # The later assignment stands; the text is what it was before the rewording.
    assert (claim.text, claim.assigned_to) == ("Syria agreed to let Russia keep its bases.", editor)
    latest = _latest(claim)
    assert (latest.history_user, latest.history_change_reason) == (staff, f"Revert of change #{rewording.history_id}")


def test_it_refuses_when_a_later_change_touched_the_same_field(client, editor, second_editor, staff, conflict_claim):
    claim = _assign(conflict_claim, editor, editor)
    first = _latest(claim)
    claim = _assign(claim, second_editor, second_editor)
    client.force_login(staff)
    response = _revert(client, "claim", first, claim.version)
    assert response.status_code == 422
    assert f"#{_latest(claim).history_id} (editor2, " in response.content.decode()
    assert "changed Assigned to" in response.content.decode()
    assert Claim.objects.get().assigned_to == second_editor


def test_it_undoes_a_revision_whose_decider_a_later_revision_replaced(
    client, editor, second_editor, staff, conflict_claim
):
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    resolve(editor, conflict_claim, verdict="false", rationale="First.", prevailing=[disputes])
    revised = resolve(editor, conflict_claim, verdict="true", rationale="First.", prevailing=[supports], version=1)
    verdict_change = _latest(revised)
    # A later revision by someone else changes only the rationale (and who decided).
    revised = resolve(
        second_editor, conflict_claim, verdict="true", rationale="Second.", prevailing=[supports], version=2
    )
    client.force_login(staff)
    assert _revert(client, "resolution", verdict_change, revised.version).status_code == 302
    resolution = Resolution.objects.select_related("decided_by").get()
    assert (resolution.verdict, resolution.rationale, resolution.decided_by) == ("false", "Second.", second_editor)
    assert list(resolution.prevailing.all()) == [disputes]


# L5: what the earlier state points at may be gone.


def test_it_refuses_to_restore_an_assignment_to_a_deleted_user(client, editor, second_editor, staff, conflict_claim):
    claim = _assign(conflict_claim, editor, editor)
    claim = _assign(claim, second_editor, second_editor)
    reassignment = _latest(claim)
    gone = editor.pk
    get_user_model().objects.filter(pk=gone).delete()
    client.force_login(staff)
    response = _revert(client, "claim", reassignment, claim.version, headers=JSON)
    assert response.status_code == 422
    error = response.json()["error"]
    assert f"Change #{reassignment.history_id} cannot be undone: Assigned to would go back to " in error
    assert f"user #{gone}, whose account has been deleted. Nothing was restored." in error
    claim.refresh_from_db()
    assert (claim.assigned_to, claim.version) == (second_editor, 3)


def test_it_refuses_to_restore_a_topic_that_was_deleted(client, staff, conflict_claim):
    claim = Claim.objects.get()
    old_topic, old_pk = claim.topic, claim.topic_id
    claim.topic, claim.version = make_topic(), claim.version + 1
    claim.save()
    move = _latest(claim)
    old_topic.delete()
    client.force_login(staff)
    response = _revert(client, "claim", move, claim.version, headers=JSON)
    assert response.status_code == 422
    assert f"Topic would go back to topic #{old_pk}, which has been deleted." in response.json()["error"]
    assert Claim.objects.get().topic == claim.topic
