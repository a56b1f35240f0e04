"""Every editor action: anonymous → login, reader → 403, editor → allowed; CSRF on every POST."""

import pytest

from factcheck.models import Annotation, Claim, Resolution
from tests.editing import HTMX, JSON, csrf_client, note_by, resolve

# Each action: (name, method, setup) where setup(editor, claim) returns (url, data).


def _create_note(editor, claim):
    return f"/claims/{claim.pk}/annotations/", {"body": "A new note."}


def _edit_note_page(editor, claim):
    note = note_by(editor, claim)
    return f"/annotations/{note.pk}/edit/", None


def _edit_note(editor, claim):
    note = note_by(editor, claim)
    return f"/annotations/{note.pk}/edit/", {"body": "Edited.", "version": note.version}


def _delete_note(editor, claim):
    note = note_by(editor, claim)
    return f"/annotations/{note.pk}/delete/", {"version": note.version}


def _resolve_page(editor, claim):
    return f"/claims/{claim.pk}/resolve/", None


def _resolve(editor, claim):
    return f"/claims/{claim.pk}/resolve/", {"verdict": "mixed", "rationale": "Both are right in part.", "version": 0}


def _reopen(editor, claim):
    resolution = resolve(editor, claim)
    return f"/claims/{claim.pk}/reopen/", {"version": resolution.version}


def _assign(editor, claim):
    return f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": "me"}


def _review_queue(editor, claim):
    return "/review/", None


EDITOR_ACTIONS = [
    ("create note", "post", _create_note),
    ("edit note page", "get", _edit_note_page),
    ("edit note", "post", _edit_note),
    ("delete note", "post", _delete_note),
    ("resolve page", "get", _resolve_page),
    ("resolve", "post", _resolve),
    ("reopen", "post", _reopen),
    ("assign", "post", _assign),
    ("review queue", "get", _review_queue),
]
POST_ACTIONS = [action for action in EDITOR_ACTIONS if action[1] == "post"]
IDS = [action[0] for action in EDITOR_ACTIONS]


def _request(client, method, url, data):
    return client.post(url, data or {}) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method", "setup"), EDITOR_ACTIONS, ids=IDS)
def test_it_sends_anonymous_visitors_to_the_login_page(client, editor, conflict_claim, name, method, setup):
    url, data = setup(editor, conflict_claim)
    response = _request(client, method, url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "method", "setup"), EDITOR_ACTIONS, ids=IDS)
def test_it_refuses_a_reader_without_the_editor_role(client, editor, reader, conflict_claim, name, method, setup):
    url, data = setup(editor, conflict_claim)
    client.force_login(reader)
    response = _request(client, method, url, data)
    assert response.status_code == 403
    assert "not in the Editors group" in response.content.decode()


@pytest.mark.parametrize(("name", "method", "setup"), EDITOR_ACTIONS, ids=IDS)
def test_it_lets_an_editor_act(client, editor, conflict_claim, name, method, setup):
    url, data = setup(editor, conflict_claim)
    client.force_login(editor)
    response = _request(client, method, url, data)
    expected = 302 if method == "post" else 200
    assert response.status_code == expected, response.content.decode()[:500]


def test_it_writes_nothing_for_a_refused_reader(client, editor, reader, conflict_claim):
    client.force_login(reader)
    client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "Sneaky."})
    client.post(f"/claims/{conflict_claim.pk}/resolve/", {"verdict": "true", "rationale": "x", "version": 0})
    assert not Annotation.objects.exists()
    assert not Resolution.objects.exists()


def test_it_brings_a_logged_out_poster_back_to_the_claim_page(client, conflict_claim):
    # A POST-only URL would answer 405 after logging in; the form says where it was posted from.
    url = f"/claims/{conflict_claim.pk}/annotations/"
    response = client.post(url, {"body": "x", "next": f"/claims/{conflict_claim.pk}/"})
    assert response["Location"] == f"/accounts/login/?next=/claims/{conflict_claim.pk}/"


def test_it_asks_htmx_to_redirect_the_whole_page_to_the_login(client, conflict_claim):
    response = client.post(
        f"/claims/{conflict_claim.pk}/annotations/",
        {"body": "x"},
        headers={**HTMX, "HX-Current-URL": f"http://testserver/claims/{conflict_claim.pk}/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_it_answers_json_clients_without_a_login_with_401(client, conflict_claim):
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "x"}, headers=JSON)
    assert response.status_code == 401
    assert response.json()["error"].startswith("Log in first")


# Reverting history is for staff only: editors are refused too.


def _revert_target(editor, claim):
    note = note_by(editor, claim, body="First.")
    from factcheck import services

    services.annotation_update(annotation=note, user=editor, body="Second.", version=1)
    record = note.history.order_by("-history_date").first()
    return f"/history/annotation/{record.history_id}/revert/", {"version": 2}


def test_it_sends_anonymous_revert_to_the_login_page(client, editor, conflict_claim):
    url, data = _revert_target(editor, conflict_claim)
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_it_refuses_revert_to_anyone_but_staff(client, request, editor, conflict_claim, who):
    url, data = _revert_target(editor, conflict_claim)
    client.force_login(request.getfixturevalue(who))
    response = client.post(url, data)
    assert response.status_code == 403
    assert "staff only" in response.content.decode()
    assert Annotation.objects.get().body == "Second."


def test_it_lets_staff_revert(client, editor, staff, conflict_claim):
    url, data = _revert_target(editor, conflict_claim)
    client.force_login(staff)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Annotation.objects.get().body == "First."


# CSRF: a browser-like client is refused without the token and served with it.


@pytest.mark.parametrize(("name", "method", "setup"), POST_ACTIONS, ids=[a[0] for a in POST_ACTIONS])
def test_it_enforces_csrf_on_every_editor_post(editor, conflict_claim, name, method, setup):
    url, data = setup(editor, conflict_claim)
    client, token = csrf_client(editor, page=f"/claims/{conflict_claim.pk}/")
    before = Claim.history.count() + Annotation.history.count() + Resolution.history.count()
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    assert Claim.history.count() + Annotation.history.count() + Resolution.history.count() == before
    accepted = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302, accepted.content.decode()[:500]


def test_it_enforces_csrf_on_revert(editor, staff, conflict_claim):
    url, data = _revert_target(editor, conflict_claim)
    client, token = csrf_client(staff, page=f"/claims/{conflict_claim.pk}/")
    assert client.post(url, data).status_code == 403
    assert Annotation.objects.get().body == "Second."
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Annotation.objects.get().body == "First."


def test_it_accepts_the_token_htmx_sends_as_a_header(editor, conflict_claim):
    client, token = csrf_client(editor, page=f"/claims/{conflict_claim.pk}/")
    response = client.post(
        f"/claims/{conflict_claim.pk}/annotations/", {"body": "Via htmx."}, headers={**HTMX, "X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "Via htmx." in response.content.decode()


def test_it_puts_the_csrf_token_on_the_page_for_htmx(client, editor, conflict_claim):
    client.force_login(editor)
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
