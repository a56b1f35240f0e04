"""Notes and history entries remembered by what they show: the same HTML, and never a stale value."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from factcheck import render_memo, services
from tests.editing import note_by


@pytest.fixture(autouse=True)
def _empty_memo():
    render_memo.clear()
    yield
    render_memo.clear()


def _notes_and_history(body):
    return body[body.index('id="annotations"') : body.index("</section>", body.index('id="history"'))]


def test_it_renders_the_same_page_from_memory(client, editor, second_editor, conflict_claim):
    note_by(editor, conflict_claim, "First *note*.")
    note_by(second_editor, conflict_claim, "Second note, see https://example.org/.")
    url = f"/claims/{conflict_claim.pk}/"
    first = client.get(url).content.decode()
    assert render_memo._blocks  # the notes and the entries were kept

    again = client.get(url).content.decode()

    assert _notes_and_history(again) == _notes_and_history(first)


def test_it_shows_a_renamed_authors_new_name(client, editor, conflict_claim):
    note_by(editor, conflict_claim, "Checked with the port authority.")
    url = f"/claims/{conflict_claim.pk}/"
    assert "<strong>editor</strong>" in client.get(url).content.decode()

    get_user_model().objects.filter(pk=editor.pk).update(username="renamed")
    page = _notes_and_history(client.get(url).content.decode())

    assert "<strong>editor</strong>" not in page
    assert page.count("<strong>renamed</strong>") == 2  # the note, and its entry in the history


def test_it_shows_an_edit_and_a_deletion(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "First draft.")
    url = f"/claims/{conflict_claim.pk}/"
    client.get(url)

    note = services.annotation_update(annotation=note, user=editor, body="Second draft.", version=1)
    edited = client.get(url).content.decode()
    services.annotation_delete(annotation=note, user=editor, version=2)
    deleted = client.get(url).content.decode()

    assert "Second draft." in edited and "edited" in edited
    assert "Note deleted by editor" in deleted
    assert "Second draft." not in deleted  # withheld from the history too


def test_it_never_keeps_a_note_with_controls(client, editor, conflict_claim):
    note_by(editor, conflict_claim, "Mine to edit.")
    client.force_login(editor)

    page = client.get(f"/claims/{conflict_claim.pk}/").content.decode()

    assert 'name="csrfmiddlewaretoken"' in page[page.index('id="note-') :]
    assert not any("csrfmiddlewaretoken" in html for html in render_memo._blocks.values())


def test_it_keeps_one_copy_per_language():
    calls = []

    def render():
        calls.append(translation.get_language())
        return f"<p>{translation.get_language()}</p>"

    with translation.override("fr"):
        assert render_memo.rendered(("k",), render) == "<p>fr</p>"
        assert render_memo.rendered(("k",), render) == "<p>fr</p>"
    with translation.override("ru"):
        assert render_memo.rendered(("k",), render) == "<p>ru</p>"

    assert calls == ["fr", "ru"]


def test_it_renders_every_time_without_a_key():
    calls = []
    for key in (None, ""):
        for _ in range(2):
            render_memo.rendered(key, lambda key=key: calls.append(key) or "<p></p>")

    assert calls == [None, None, "", ""]
    assert not render_memo._blocks


def test_it_stays_within_its_bytes(monkeypatch):
    monkeypatch.setattr(render_memo, "MAX_BYTES", 100)
    for i in range(10):
        render_memo.rendered(("block", i), lambda: "x" * 30)

    assert render_memo._size[0] == sum(map(len, render_memo._blocks.values())) <= 100
    assert list(render_memo._blocks) == [render_memo._digest(("block", i)) for i in (7, 8, 9)]
