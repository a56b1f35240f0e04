"""No lost edit: a save based on a stale version is refused with 409 and the current state.

Two editors load the same version; the first save wins, the second gets the
conflict answer (the current state for htmx and JSON, both versions side by
side and a form to re-apply for a plain form post), and nothing is
overwritten. Real concurrency — many processes at once, on SQLite and on
PostgreSQL — is exercised by tests/integration/test_concurrency.py against the same
services.
"""

import re

import pytest
from django.test import Client

from factcheck import services
from factcheck.models import Annotation, Claim, Resolution, Status
from tests.editing import HTMX, JSON, note_by, resolve

# A true or false verdict with nothing prevailing says why (issue 14).
REASON = "Every source is right in part."


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _version_in(html):
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def _history_rows():
    return Claim.history.count() + Annotation.history.count() + Resolution.history.count()


def test_it_lets_exactly_one_of_two_editors_resolving_from_the_same_version_win(editor, second_editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    first, second = _client(editor), _client(second_editor)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    seen_first = _version_in(first.get(url).content.decode())
    seen_second = _version_in(second.get(url).content.decode())
    assert seen_first == seen_second == 0

    won = first.post(
        url, {"verdict": "false", "rationale": "No deal.", "prevailing": [disputes.pk], "version": seen_first}
    )
    assert won.status_code == 302
    rows = _history_rows()
    lost = second.post(
        url, {"verdict": "true", "rationale": "A deal.", "prevailing": [supports.pk], "version": seen_second}
    )
    assert lost.status_code == 409
    body = lost.content.decode()
    # Both versions side by side, and a form to apply theirs on top of the current one.
    current = body[body.index("conflict-current") : body.index("conflict-mine")]
    mine = body[body.index("conflict-mine") : body.index("conflict-reapply")]
    assert "Now (version 1)" in current and "<strong>False</strong>" in current and "No deal." in current
    assert "based on version 0" in mine and "<strong>True</strong>" in mine and "A deal." in mine
    reapply = body[body.index("conflict-reapply") :]
    assert '<input type="hidden" name="version" value="1">' in reapply
    assert 'value="true" id="id_verdict_0" required checked' in reapply
    assert ">\nA deal.</textarea>" in reapply
    # Nothing was overwritten, nothing was recorded.
    resolution = Resolution.objects.get()
    assert (resolution.verdict, resolution.rationale, resolution.decided_by, resolution.version) == (
        "false",
        "No deal.",
        editor,
        1,
    )
    assert list(resolution.prevailing.all()) == [disputes]
    assert _history_rows() == rows


def test_it_lets_the_loser_reapply_their_change_on_top(editor, second_editor, conflict_claim):
    resolve(editor, conflict_claim, verdict="false", rationale="No deal.")
    second = _client(second_editor)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    lost = second.post(url, {"verdict": "true", "rationale": "A deal.", "version": 0, "no_prevailing_reason": REASON})
    version = _version_in(lost.content.decode()[lost.content.decode().index("conflict-reapply") :])
    again = second.post(
        url, {"verdict": "true", "rationale": "A deal, after all.", "version": version, "no_prevailing_reason": REASON}
    )
    assert again.status_code == 302
    resolution = Resolution.objects.get()
    assert (resolution.verdict, resolution.version, resolution.decided_by) == ("true", 2, second_editor)
    # The first editor's decision is not lost: it is in the history.
    assert [r.rationale for r in resolution.history.order_by("history_date")] == ["No deal.", "A deal, after all."]


def test_it_lets_one_of_two_revisions_from_the_same_version_win(editor, second_editor, conflict_claim):
    resolve(editor, conflict_claim)
    url = f"/claims/{conflict_claim.pk}/resolve/"
    assert _client(editor).post(url, {"verdict": "mixed", "rationale": "Mixed.", "version": 1}).status_code == 302
    lost = _client(second_editor).post(
        url, {"verdict": "true", "rationale": "True.", "version": 1, "no_prevailing_reason": REASON}
    )
    assert lost.status_code == 409
    assert Resolution.objects.get().verdict == "mixed"


def test_it_answers_a_stale_json_resolution_with_the_current_state(editor, second_editor, conflict_claim):
    disputes = conflict_claim.assertions.get(stance="disputes")
    resolve(editor, conflict_claim, verdict="false", rationale="No deal.", prevailing=[disputes])
    response = _client(second_editor).post(
        f"/claims/{conflict_claim.pk}/resolve/",
        {"verdict": "true", "rationale": "A deal.", "version": 0, "no_prevailing_reason": REASON},
        headers=JSON,
    )
    assert response.status_code == 409
    data = response.json()
    assert data["status"] == 409 and data["your_version"] == 0
    assert "you edited version 0, it is now version 1. Nothing was saved." in data["error"]
    current = data["current"]
    assert (current["verdict"], current["rationale"], current["prevailing"], current["version"]) == (
        "false",
        "No deal.",
        [disputes.pk],
        1,
    )
    assert current["decided_by"] == "editor"


def test_it_shows_both_versions_of_a_stale_note_edit(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Original.")
    tab_one, tab_two = _client(editor), _client(editor)
    url = f"/annotations/{note.pk}/edit/"
    assert _version_in(tab_one.get(url).content.decode()) == _version_in(tab_two.get(url).content.decode()) == 1
    assert tab_one.post(url, {"body": "From tab one.", "version": 1}).status_code == 302
    rows = _history_rows()
    lost = tab_two.post(url, {"body": "From *tab two*.", "version": 1})
    assert lost.status_code == 409
    body = lost.content.decode()
    assert "<html" in body
    assert "<p>From tab one.</p>" in body[body.index("conflict-current") : body.index("conflict-mine")]
    assert "<p>From <em>tab two</em>.</p>" in body[body.index("conflict-mine") : body.index("conflict-reapply")]
    reapply = body[body.index("conflict-reapply") :]
    assert '<input type="hidden" name="version" value="2">' in reapply and ">From *tab two*.</textarea>" in reapply
    assert Annotation.objects.get().body == "From tab one."
    assert _history_rows() == rows


def test_it_answers_a_stale_htmx_note_edit_with_the_conflict_in_place(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Original.")
    services.annotation_update(annotation=note, user=editor, body="Newer.", version=1)
    response = _client(editor).post(f"/annotations/{note.pk}/edit/", {"body": "Older.", "version": 1}, headers=HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert body.lstrip().startswith(f'<section class="conflict note" id="note-{note.pk}"')
    assert "<html" not in body
    assert "<p>Newer.</p>" in body and "<p>Older.</p>" in body
    assert f'hx-post="/annotations/{note.pk}/edit/"' in body


def test_it_answers_a_stale_json_note_edit_with_the_current_note(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Original.")
    services.annotation_update(annotation=note, user=editor, body="Newer.", version=1)
    response = _client(editor).post(f"/annotations/{note.pk}/edit/", {"body": "Older.", "version": 1}, headers=JSON)
    assert response.status_code == 409
    assert response.json()["current"]["body"] == "Newer." and response.json()["current"]["version"] == 2


def test_it_refuses_a_stale_delete_until_confirmed(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Original.")
    services.annotation_update(annotation=note, user=editor, body="Edited meanwhile.", version=1)
    client = _client(editor)
    lost = client.post(f"/annotations/{note.pk}/delete/", {"version": 1})
    assert lost.status_code == 409
    body = lost.content.decode()
    assert "Edited meanwhile." in body and "Delete the note." in body and "Delete it anyway" in body
    assert not Annotation.objects.get().is_deleted
    assert client.post(f"/annotations/{note.pk}/delete/", {"version": 2}).status_code == 302
    assert Annotation.objects.get().is_deleted


def test_it_offers_no_reapply_for_a_note_deleted_meanwhile(editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "Original.")
    services.annotation_delete(annotation=note, user=staff, version=1)
    response = _client(staff).post(f"/annotations/{note.pk}/delete/", {"version": 1})
    assert response.status_code == 409
    assert "The note has been deleted." in response.content.decode()
    assert "Delete it anyway" not in response.content.decode()


def test_it_refuses_a_stale_reopen(editor, second_editor, conflict_claim):
    resolve(editor, conflict_claim, verdict="false")
    resolve(editor, conflict_claim, verdict="true", version=1)
    response = _client(second_editor).post(f"/claims/{conflict_claim.pk}/reopen/", {"version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "<strong>True</strong>" in body and "Reopen it anyway" in body
    assert not Resolution.objects.get().is_open
    assert Claim.objects.get().status == Status.RESOLVED


def test_it_lets_one_of_two_editors_assigning_themselves_at_once_win(editor, second_editor, conflict_claim):
    version = conflict_claim.version
    url = f"/claims/{conflict_claim.pk}/assign/"
    assert _client(editor).post(url, {"version": version, "assignee": "me"}, headers=HTMX).status_code == 200
    lost = _client(second_editor).post(url, {"version": version, "assignee": "me"}, headers=HTMX)
    assert lost.status_code == 409
    body = lost.content.decode()
    assert "Assigned to editor" in body and "Assign it to you." in body and "<html" not in body
    assert Claim.objects.get().assigned_to == editor


def test_it_treats_a_vanished_object_as_a_conflict(editor, conflict_claim):
    note = note_by(editor, conflict_claim)
    Annotation.objects.filter(pk=note.pk).delete()
    with pytest.raises(services.StaleEdit, match="it is now deleted") as caught:
        services.annotation_update(annotation=note, user=editor, body="x", version=1)
    assert caught.value.current is None
