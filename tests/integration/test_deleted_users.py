"""Deleting a user (H1): backups still run, history still names them, and their id is never given out again."""

import json
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from factcheck import services
from factcheck.backup import restore_backup
from factcheck.models import Claim, DeletedUser
from tests.integration.test_backup import fresh_database

User = get_user_model()


def _history(body):
    return body[body.index('id="history"') :]


def _assign_to_self(user, claim):
    client = Client()
    client.force_login(user)
    claim = Claim.objects.get(pk=claim.pk)
    response = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "me"})
    assert response.status_code == 302


def _delete_in_admin(staff, user):
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content[:500]
    assert not User.objects.filter(pk=user.pk).exists()


def test_it_backs_up_after_an_assigned_editor_is_deleted(editor, staff, conflict_claim, tmp_path):
    """The review's repro: assign to self, staff delete the account in the admin, back up."""
    _assign_to_self(editor, conflict_claim)
    _delete_in_admin(staff, editor)

    path = tmp_path / "backup.json"
    call_command("backup", output=str(path), stdout=open(os.devnull, "w"))

    rows = json.loads(path.read_text())
    assignment = next(r for r in rows if r["model"] == "factcheck.historicalclaim" and r["fields"]["assigned_to"])
    # The deleted account is written as its bare id, for the history row and for who made it.
    assert assignment["fields"]["assigned_to"] == editor.pk
    assert assignment["fields"]["history_user"] == editor.pk
    assert [(r["pk"], r["fields"]["username"]) for r in rows if r["model"] == "factcheck.deleteduser"] == [
        (editor.pk, "editor")
    ]
    # Live accounts are still written by natural key (the admin's log of the deletion, say).
    assert [r["fields"]["user"] for r in rows if r["model"] == "admin.logentry"] == [["staff"]]
    assert Claim.objects.get(pk=conflict_claim.pk).assigned_to is None


def test_it_still_names_a_deleted_user_in_history(client, editor, staff, conflict_claim):
    _assign_to_self(editor, conflict_claim)
    _delete_in_admin(staff, editor)

    body = _history(client.get(f"/claims/{conflict_claim.pk}/history/").content.decode())
    assert "<strong>editor (deleted account)</strong>" in body
    assert "<dt>Assigned to</dt><dd><del>nobody</del>" in body and "<ins>editor (deleted account)</ins>" in body


@pytest.mark.parametrize("how", ["instance", "queryset", "admin bulk action"])
def test_it_records_a_deleted_user_whatever_the_path(how, editor, second_editor, staff):
    pk = editor.pk
    if how == "instance":
        editor.delete()
    elif how == "queryset":
        User.objects.filter(pk__in=[editor.pk, second_editor.pk]).delete()
    else:
        client = Client()
        client.force_login(staff)
        response = client.post(
            "/admin/auth/user/", {"action": "delete_selected", "_selected_action": [editor.pk], "post": "yes"}
        )
        assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert str(DeletedUser.objects.get(pk=pk)) == "editor (deleted account)"


def test_it_never_gives_a_deleted_users_id_to_a_new_account_after_restore(editor, staff, conflict_claim, tmp_path):
    latecomer = User.objects.create_user("latecomer")
    services.claim_assign(claim=conflict_claim, assignee=latecomer, version=conflict_claim.version, by=latecomer)
    gone = latecomer.pk
    latecomer.delete()
    assert gone > max(User.objects.values_list("pk", flat=True))
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path), stdout=open(os.devnull, "w"))

    fresh_database()
    restore_backup(path)

    newcomer = User.objects.create_user("newcomer")
    assert newcomer.pk > gone
    assert DeletedUser.objects.get(pk=gone).username == "latecomer"
    row = Claim.history.filter(id=conflict_claim.pk, assigned_to_id__isnull=False).get()
    assert (row.assigned_to_id, row.history_user_id) == (gone, gone)
