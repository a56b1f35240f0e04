"""Editors manage a claim's assertions in place: a new stance moves the card, a removal is undone exactly."""

import re

from django.forms.models import model_to_dict
from django.test import Client

from factcheck import services
from factcheck.models import Annotation, Assertion, Claim, Status
from tests.conftest import row_counts
from tests.editing import HTMX, JSON, csrf_client, note_by, resolve


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _disputing(claim):
    return claim.assertions.get(stance="disputes")


def _row(assertion):
    """Every stored field of the row, read back from the database."""
    fresh = Assertion.objects.get(pk=assertion.pk)
    return {**model_to_dict(fresh), "id": fresh.pk, "created_at": fresh.created_at, "start": fresh.start}


def _stance_form(a, stance):
    return {"stance": stance, "speaker": "", "stated_on": "", "period_from": "", "period_to": "", "version": a.version}


def test_it_sends_anonymous_to_login_and_refuses_readers(reader, conflict_claim):
    a = _disputing(conflict_claim)
    before = row_counts()
    for url, data in (
        (f"/assertions/{a.pk}/remove/", {"version": a.version}),
        (f"/assertions/{a.pk}/restore/", {"removal": 1}),
    ):
        anonymous = _client().post(url, data)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        assert _client(reader).post(url, data).status_code == 403
        assert _client(reader).get(url).status_code == 405
    assert row_counts() == before


def test_it_refuses_a_removal_without_the_csrf_token(editor, conflict_claim):
    a = _disputing(conflict_claim)
    client, token = csrf_client(editor)
    assert client.post(f"/assertions/{a.pk}/remove/", {"version": a.version}).status_code == 403
    assert Assertion.objects.filter(pk=a.pk).exists()
    response = client.post(f"/assertions/{a.pk}/remove/", {"version": a.version}, headers={"X-CSRFToken": token})
    # Without JavaScript: a page with the Undo button, rather than a redirect that would lose it.
    assert response.status_code == 200
    assert not Assertion.objects.filter(pk=a.pk).exists()
    removal = a.history.filter(history_type="-").get().history_id
    assert f'action="/assertions/{a.pk}/restore/"' in response.content.decode()
    undo = client.post(f"/assertions/{a.pk}/restore/", {"removal": removal}, headers={"X-CSRFToken": token})
    assert undo.status_code == 302 and undo["Location"] == f"/claims/{a.claim_id}/#assertion-{a.pk}"
    assert Assertion.objects.filter(pk=a.pk).exists()


def test_it_removes_and_undoes_to_the_identical_row_with_both_in_history(editor, second_editor, conflict_claim):
    a = _disputing(conflict_claim)
    services.assertion_attribute(
        assertion=a, user=editor, version=a.version, speaker=None, stated_on="2025-07", period_from="2025"
    )
    a = Assertion.objects.get(pk=a.pk)
    note = note_by(editor, conflict_claim, body="This source is careful.", assertion=a)
    reply = services.annotation_create(claim=conflict_claim, author=second_editor, body="Agreed.", parent=note)
    row = _row(a)
    assert conflict_claim.status == Status.CONFLICT
    topic = conflict_claim.topic

    response = _client(editor).post(f"/assertions/{a.pk}/remove/", {"version": a.version}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Removed: the passage of “Beta”" in html and "Undo" in html
    assert 'id="column-count-disputes" hx-swap-oob="true">(0)' in html
    assert 'id="column-count-supports" hx-swap-oob="true">(1)' in html
    assert not Assertion.objects.filter(pk=a.pk).exists()
    assert not Annotation.objects.filter(pk__in=[note.pk, reply.pk]).exists()
    claim = Claim.objects.get(pk=conflict_claim.pk)
    assert claim.status == Status.SINGLE
    topic.refresh_from_db()
    assert topic.conflict_count == 0
    removal = a.history.filter(history_type="-").get().history_id
    assert f'name="removal" value="{removal}"' in html

    # Another editor may undo it: the same row, id, offsets and attribution; the note with it.
    response = _client(second_editor).post(f"/assertions/{a.pk}/restore/", {"removal": removal}, headers=HTMX)
    assert response.status_code == 200
    assert f'id="assertion-{a.pk}"' in response.content.decode()
    assert 'id="column-count-disputes" hx-swap-oob="true">(1)' in response.content.decode()
    assert _row(a) == row
    restored_note = Annotation.objects.get(pk=note.pk)
    assert (restored_note.body, restored_note.assertion_id, restored_note.author_id) == (
        "This source is careful.",
        a.pk,
        editor.pk,
    )
    assert "careful" in restored_note.body_html
    assert Annotation.objects.get(pk=reply.pk).parent_id == note.pk
    assert Claim.objects.get(pk=claim.pk).status == Status.CONFLICT
    topic.refresh_from_db()
    assert topic.conflict_count == 1
    kinds = list(Assertion.history.filter(id=a.pk).order_by("history_id").values_list("history_type", "history_user"))
    assert kinds[-2:] == [("-", editor.pk), ("+", second_editor.pk)]
    # The claim page shows the card again, in its column.
    page = _client(editor).get(f"/claims/{claim.pk}/").content.decode()
    assert f'id="assertion-{a.pk}"' in page


def test_it_refuses_an_undo_twice_and_a_stale_removal(editor, conflict_claim):
    a = _disputing(conflict_claim)
    client = _client(editor)
    stale = client.post(f"/assertions/{a.pk}/remove/", {"version": a.version + 1}, headers=HTMX)
    assert stale.status_code == 409
    assert "changed while you were editing it" in stale.content.decode()
    assert Assertion.objects.filter(pk=a.pk).exists()
    removal = client.post(f"/assertions/{a.pk}/remove/", {"version": a.version}, headers=JSON).json()["removal"]
    assert client.post(f"/assertions/{a.pk}/restore/", {"removal": removal}).status_code == 302
    before = row_counts()
    again = client.post(f"/assertions/{a.pk}/restore/", {"removal": removal}, headers=HTMX)
    assert again.status_code == 409
    assert "Nothing to undo" in again.content.decode()
    # Gone since the page was shown: removing it again is a 409 saying so.
    services.assertion_remove(assertion=a, user=editor, version=a.version)
    gone = client.post(f"/assertions/{a.pk}/remove/", {"version": a.version}, headers=JSON)
    assert gone.status_code == 404
    assert row_counts() != before  # the service's removal above; the refused requests wrote nothing


def test_it_names_the_missing_field(editor, conflict_claim):
    a = _disputing(conflict_claim)
    before = row_counts()
    for url in (f"/assertions/{a.pk}/remove/", f"/assertions/{a.pk}/restore/"):
        response = _client(editor).post(url, {}, headers=JSON)
        assert response.status_code == 422
        assert ("version" if "remove" in url else "removal") in response.json()["error"]
    assert _client(editor).post(f"/assertions/{a.pk}/restore/", {"removal": 10**6}, headers=JSON).status_code == 422
    assert row_counts() == before


def test_it_will_not_remove_a_statement_that_prevails_in_the_decision(editor, conflict_claim):
    a = _disputing(conflict_claim)
    resolve(editor, conflict_claim, prevailing=[a])
    before = row_counts()
    response = _client(editor).post(f"/assertions/{a.pk}/remove/", {"version": a.version}, headers=HTMX)
    assert response.status_code == 422
    assert "prevails in the editors" in response.content.decode()
    assert row_counts() == before


def test_it_moves_the_card_to_its_new_column_when_the_stance_changes(editor, conflict_claim):
    a = _disputing(conflict_claim)
    response = _client(editor).post(f"/assertions/{a.pk}/attribution/", _stance_form(a, "qualifies"), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-swap-oob="beforeend:#column-qualifies"' in html
    assert f'id="assertion-{a.pk}"' in html
    assert 'id="column-count-disputes" hx-swap-oob="true">(0)' in html
    assert 'id="column-count-qualifies" hx-swap-oob="true">(1)' in html
    a.refresh_from_db()
    assert (a.stance, a.version) == ("qualifies", 2)
    assert Claim.objects.get(pk=a.claim_id).status == Status.QUALIFIED
    assert a.history.latest().history_user_id == editor.pk
    # Stale: the version moved on; nothing changes.
    stale = _client(editor).post(f"/assertions/{a.pk}/attribution/", _stance_form(a, "supports") | {"version": 1})
    assert stale.status_code == 409
    a.refresh_from_db()
    assert a.stance == "qualifies"


def test_it_refuses_a_stance_that_is_not_one(editor, conflict_claim):
    a = _disputing(conflict_claim)
    response = _client(editor).post(f"/assertions/{a.pk}/attribution/", _stance_form(a, "agrees"), headers=JSON)
    assert response.status_code == 422
    assert "stance" in response.json()["fields"]
    assert Assertion.objects.get(pk=a.pk).stance == "disputes"


def test_it_shows_editors_the_controls_and_readers_none(editor, reader, conflict_claim):
    url = f"/claims/{conflict_claim.pk}/"
    editor_page = _client(editor).get(url).content.decode()
    assert "Remove from this claim" in editor_page
    assert 'id="column-count-supports"' in editor_page
    for client in (_client(reader), _client()):
        page = client.get(url).content.decode()
        assert "Remove from this claim" not in page and "/remove/" not in page


def test_it_shows_readers_the_removal_and_the_undo_at_once_and_in_the_history(editor, conflict_claim):
    a = _disputing(conflict_claim)
    url = f"/claims/{conflict_claim.pk}/"
    anonymous = _client()
    assert f'id="assertion-{a.pk}"' in anonymous.get(url).content.decode()  # and now in the page cache
    removal = services.assertion_remove(assertion=a, user=editor, version=a.version)
    assert f'id="assertion-{a.pk}"' not in anonymous.get(url).content.decode()
    services.assertion_restore(assertion_id=a.pk, removal=removal, user=editor)
    assert f'id="assertion-{a.pk}"' in anonymous.get(url).content.decode()
    history = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _client(editor).get(f"{url}history/").content.decode()))
    assert "editor removed the disputes quote from Beta" in history
    assert f"editor attached the disputes quote from Beta (Undo of removal #{removal})" in history
