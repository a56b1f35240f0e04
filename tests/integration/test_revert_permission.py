"""Reverting history needs a permission of its own (L3), not merely a staff account."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client

from factcheck import services
from factcheck.models import Annotation
from factcheck.roles import EDITORS, MODERATORS, PUBLISHERS, ensure_editor_group, ensure_moderator_group
from tests.editing import note_by

REVERT_BUTTON = "Restore what this change replaced"


@pytest.fixture
def edited_note(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Right.")
    return services.annotation_update(annotation=note, user=editor, body="Wrong.", version=1)


def _staff(username, *groups):
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(*groups)
    return user


def _revert(user, note):
    client = Client()
    if user is not None:
        client.force_login(user)
    edit = note.history.filter(history_type="~").latest("history_date")
    return client.post(f"/history/annotation/{edit.history_id}/revert/", {"version": note.version})


def _claim_page(user, note):
    client = Client()
    client.force_login(user)
    return client.get(f"/claims/{note.claim_id}/").content.decode()


def test_it_refuses_staff_without_the_permission_and_says_why(edited_note):
    bare = _staff("bare")
    response = _revert(bare, edited_note)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Reverting history needs the permission “factcheck.revert_history”" in body
    assert f"add you to the {MODERATORS} group" in body
    assert Annotation.objects.get(pk=edited_note.pk).body == "Wrong."
    assert REVERT_BUTTON not in _claim_page(bare, edited_note)


def test_it_lets_moderators_revert_and_shows_them_the_button(edited_note):
    moderator = _staff("moderator", ensure_moderator_group())
    assert REVERT_BUTTON in _claim_page(moderator, edited_note)
    response = _revert(moderator, edited_note)
    assert response.status_code == 302
    assert Annotation.objects.get(pk=edited_note.pk).body == "Right."


def test_it_lets_staff_given_the_permission_alone_revert(edited_note):
    granted = _staff("granted")
    granted.user_permissions.add(Permission.objects.get(codename="revert_history"))
    assert _revert(granted, edited_note).status_code == 302
    assert Annotation.objects.get(pk=edited_note.pk).body == "Right."


def test_it_lets_superusers_revert(edited_note, staff):
    assert staff.is_superuser
    assert _revert(staff, edited_note).status_code == 302


def test_it_refuses_editors_and_sends_anonymous_to_log_in(edited_note, editor):
    assert _revert(editor, edited_note).status_code == 403
    response = _revert(None, edited_note)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Annotation.objects.get(pk=edited_note.pk).body == "Wrong."


def test_it_keeps_the_permission_out_of_the_editors_group(db):
    """Editors change only their own notes and add quotes; a revert could restore anyone's."""
    codenames = set(ensure_editor_group().permissions.values_list("codename", flat=True))
    assert "revert_history" not in codenames
    assert set(ensure_moderator_group().permissions.values_list("codename", flat=True)) == {"revert_history"}


def test_it_sets_up_the_moderators_group_for_the_demo(db):
    call_command("setup_demo", "--no-accounts", stdout=open(os.devnull, "w"))
    assert set(Group.objects.values_list("name", flat=True)) == {EDITORS, MODERATORS, PUBLISHERS}
    assert Group.objects.get(name=PUBLISHERS).permissions.filter(codename="publish_decision").exists()
    assert Group.objects.get(name=MODERATORS).permissions.filter(codename="revert_history").exists()
