"""Editors' notes: written in place (htmx) or by plain form, Markdown sanitised, own-only edits, tombstones."""

import re

import pytest

from factcheck import services
from factcheck.markdown import render
from factcheck.models import Annotation
from tests.conftest import make_claim, make_source
from tests.editing import HTMX, JSON, note_by
from tests.html_safety import unsafe_parts


def _page(client, claim):
    return client.get(f"/claims/{claim.pk}/").content.decode()


def test_it_saves_a_note_from_a_plain_form_and_shows_it_on_the_claim_page(client, editor, conflict_claim):
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "The *Kremlin* denied it."})
    note = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{conflict_claim.pk}/#note-{note.pk}"
    assert (note.author, note.claim, note.assertion) == (editor, conflict_claim, None)
    assert note.body_html == "<p>The <em>Kremlin</em> denied it.</p>"
    body = _page(client, conflict_claim)
    notes_section = body[body.index('id="annotations"') :]
    assert f'id="note-{note.pk}"' in notes_section
    assert "The <em>Kremlin</em> denied it." in notes_section
    assert "Your note is saved." in body


def test_it_answers_htmx_with_the_notes_partial_only(client, editor, conflict_claim):
    note_by(editor, conflict_claim, "An earlier note.")
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "Posted in place."}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="notes" id="annotations"')
    assert "<html" not in body and "site-header" not in body
    assert body.count('class="note"') == 2
    assert "An earlier note." in body and "Posted in place." in body
    # A fresh form to write the next one, swapped in with the list.
    assert '<textarea id="note-body-claim" name="body"' in body
    assert re.search(r'<textarea id="note-body-claim"[^>]*>\s*</textarea>', body)


def test_it_puts_a_note_on_an_assertion_under_that_assertions_card(client, editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    client.force_login(editor)
    response = client.post(
        f"/claims/{conflict_claim.pk}/annotations/", {"body": "This quote is from 2024.", "assertion": supports.pk}
    )
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert note.assertion == supports
    body = _page(client, conflict_claim)
    card = body.index(f'id="assertion-{supports.pk}"')
    card_end = body.index("</article>", body.index(f'id="notes-a-{supports.pk}"'))
    assert card < body.index("This quote is from 2024.") < body.index('id="col-disputes"')
    assert body.index("This quote is from 2024.") < card_end
    # ...and not among the notes on the claim itself.
    assert "This quote is from 2024." not in body[body.index('id="annotations"') : body.index('id="history"')]


def test_it_answers_htmx_for_an_assertion_note_with_that_assertions_notes_only(client, editor, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    note_by(editor, conflict_claim, "On the claim.")
    client.force_login(editor)
    body = client.post(
        f"/claims/{conflict_claim.pk}/annotations/", {"body": "On the card.", "assertion": supports.pk}, headers=HTMX
    ).content.decode()
    assert body.lstrip().startswith(f'<section class="notes notes-on-assertion" id="notes-a-{supports.pk}"')
    assert "On the card." in body and "On the claim." not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Write the note: it cannot be empty."),
        ({"body": "   "}, "Write the note: it cannot be empty."),
        ({"body": "x" * 10_001}, "Ensure this value has at most 10000 characters (it has 10001)."),
        ({"body": "ok", "assertion": "abc"}, "Enter a whole number."),
    ],
)
def test_it_refuses_a_bad_note_with_a_clear_422_and_writes_nothing(client, editor, conflict_claim, data, message):
    client.force_login(editor)
    for headers in ({}, HTMX):
        response = client.post(f"/claims/{conflict_claim.pk}/annotations/", data, headers=headers)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_refuses_a_note_on_another_claims_assertion(client, editor, conflict_claim):
    other = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])
    foreign = other.assertions.get()
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "x", "assertion": foreign.pk})
    assert response.status_code == 422
    assert f"Assertion {foreign.pk} is not one of this claim&#x27;s assertions." in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_keeps_the_text_of_a_refused_note_in_the_form(client, editor, conflict_claim):
    client.force_login(editor)
    body = client.post(
        f"/claims/{conflict_claim.pk}/annotations/", {"body": "y" * 10_001}, headers=HTMX
    ).content.decode()
    assert "y" * 10_001 in body


def test_it_answers_json_with_the_new_note(client, editor, conflict_claim):
    client.force_login(editor)
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "**JSON**"}, headers=JSON)
    assert response.status_code == 201
    data = response.json()
    assert data["body"] == "**JSON**" and data["body_html"] == "<p><strong>JSON</strong></p>"
    assert data["version"] == 1 and data["author"] == "editor"


def test_it_answers_404_for_a_note_on_a_missing_claim(client, editor, db):
    client.force_login(editor)
    response = client.post("/claims/999999/annotations/", {"body": "x"})
    assert response.status_code == 404
    assert "There is no claim with id 999999." in response.content.decode()


# Editing and deleting


def test_it_lets_an_author_edit_their_note_in_place(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Draft.")
    client.force_login(editor)
    form = client.get(f"/annotations/{note.pk}/edit/", headers=HTMX).content.decode()
    assert form.lstrip().startswith(f'<form class="note note-editing" id="note-{note.pk}"')
    assert '<input type="hidden" name="version" value="1">' in form
    assert ">Draft.</textarea>" in form
    response = client.post(f"/annotations/{note.pk}/edit/", {"body": "Final.", "version": 1}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article class="note" id="note-{note.pk}">')
    assert "<p>Final.</p>" in body and "edited" in body
    note.refresh_from_db()
    assert (note.body, note.version) == ("Final.", 2)


def test_it_lets_an_author_edit_without_javascript(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Draft.")
    client.force_login(editor)
    page = client.get(f"/annotations/{note.pk}/edit/")
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(f"/annotations/{note.pk}/edit/", {"body": "Final.", "version": 1})
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{conflict_claim.pk}/#note-{note.pk}"


def test_it_cancels_an_edit_back_to_the_note(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Unchanged.")
    client.force_login(editor)
    body = client.get(f"/annotations/{note.pk}/", headers=HTMX).content.decode()
    assert body.lstrip().startswith(f'<article class="note" id="note-{note.pk}">') and "Unchanged." in body
    response = client.get(f"/annotations/{note.pk}/")
    assert response["Location"] == f"/claims/{conflict_claim.pk}/#note-{note.pk}"


@pytest.mark.parametrize("action", ["edit-page", "edit", "delete"])
def test_it_forbids_editing_or_deleting_someone_elses_note(client, editor, second_editor, conflict_claim, action):
    note = note_by(editor, conflict_claim, "Mine.")
    client.force_login(second_editor)
    if action == "edit-page":
        response = client.get(f"/annotations/{note.pk}/edit/")
    elif action == "edit":
        response = client.post(f"/annotations/{note.pk}/edit/", {"body": "Theirs.", "version": 1})
    else:
        response = client.post(f"/annotations/{note.pk}/delete/", {"version": 1})
    assert response.status_code == 403
    assert "Only the note’s author (editor) or staff can change it." in response.content.decode()
    note.refresh_from_db()
    assert (note.body, note.is_deleted, note.version) == ("Mine.", False, 1)


def test_it_shows_edit_and_delete_only_on_ones_own_notes(client, editor, second_editor, conflict_claim):
    mine = note_by(editor, conflict_claim, "Mine.")
    theirs = note_by(second_editor, conflict_claim, "Theirs.")
    client.force_login(editor)
    body = _page(client, conflict_claim)
    assert f'href="/annotations/{mine.pk}/edit/"' in body
    assert f'href="/annotations/{theirs.pk}/edit/"' not in body
    assert f'action="/annotations/{theirs.pk}/delete/"' not in body


def test_it_lets_staff_moderate_any_note(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "Off-topic.")
    client.force_login(staff)
    assert client.post(f"/annotations/{note.pk}/delete/", {"version": 1}).status_code == 302
    assert Annotation.objects.get().is_deleted


def test_it_keeps_a_tombstone_for_a_deleted_note(client, editor, second_editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Withdrawn remark.")
    client.force_login(editor)
    response = client.post(f"/annotations/{note.pk}/delete/", {"version": 1}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Note deleted by editor on" in body and "Withdrawn remark." not in body
    note.refresh_from_db()
    assert note.is_deleted and note.version == 2
    # The row and every version of its text stay in history.
    assert [h.is_deleted for h in note.history.order_by("history_date")] == [False, True]
    assert note.history.earliest("history_date").body == "Withdrawn remark."
    # Everyone sees the tombstone, not the text, on the claim page.
    client.force_login(second_editor)
    page = _page(client, conflict_claim)
    assert "Note deleted by editor on" in page
    assert "Withdrawn remark." not in page[: page.index('id="history"')]


def test_it_says_who_deleted_a_note_when_staff_did(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "Spam.")
    services.annotation_delete(annotation=note, user=staff, version=1)
    assert "Note deleted by staff on" in _page(client, conflict_claim)


def test_it_refuses_to_edit_a_deleted_note(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "Gone.")
    services.annotation_delete(annotation=note, user=editor, version=1)
    client.force_login(editor)
    response = client.post(f"/annotations/{note.pk}/edit/", {"body": "Back?", "version": 2})
    assert response.status_code == 410
    assert f"Note {note.pk} was deleted; it can no longer be edited." in response.content.decode()
    assert Annotation.objects.get().body == "Gone."


def test_it_refuses_a_delete_without_a_version(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim)
    client.force_login(editor)
    response = client.post(f"/annotations/{note.pk}/delete/", {})
    assert response.status_code == 422
    assert "version: The form did not say which version it was based on" in response.content.decode()
    assert not Annotation.objects.get().is_deleted


# Markdown is rendered, and whatever an editor types renders inert.

HOSTILE = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="#" onclick="alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="javascript&colon;alert(1)">x</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0">overlay</p>',
    '<form action="https://evil.example"><input name=q></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<div>raw <b>html</b></div>",
    '"><script>alert(1)</script>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<!--<script>alert(1)//-->",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_it_renders_a_hostile_note_inert_on_the_claim_page(client, editor, conflict_claim, payload):
    supports = conflict_claim.assertions.get(stance="supports")
    note_by(editor, conflict_claim, f"Before {payload} after")
    note_by(editor, conflict_claim, payload, assertion=supports)
    client.force_login(editor)
    body = _page(client, conflict_claim)
    assert unsafe_parts(body) == []
    # Every note, on the claim and under the card; the history below quotes the
    # typed text, escaped, as the unsafe_parts check above shows.
    notes = body[body.index("<main") : body.index('id="history"')]
    for marker in (
        "<script",
        "onerror=",
        "onload=",
        "onclick=",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<style",
        "style=",
        "<img",
        "data:",
        '<form action="https',
        "<meta",
        "<base",
        "vbscript:",
    ):
        assert marker not in notes.lower(), marker
    # What the editor typed is kept verbatim for history and editing.
    assert Annotation.objects.filter(body=payload).exists()


def test_it_makes_links_safe_and_nofollow():
    html = render("[report](https://example.org/a) and [mail](mailto:desk@example.org) [bad](ftp://x)")
    assert '<a href="https://example.org/a" rel="nofollow noopener">report</a>' in html
    assert '<a href="mailto:desk@example.org" rel="nofollow noopener">mail</a>' in html
    assert 'href="ftp' not in html


def test_it_renders_the_allowed_markdown(db):
    html = render("# Heading\n\n**bold** *it* `code`\n\n- one\n- two\n\n> quoted\n\n```\n<b>x</b>\n```")
    assert "<h4>Heading</h4>" in html
    assert "<strong>bold</strong> <em>it</em> <code>code</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<blockquote>" in html
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt;" in html


def test_it_records_every_note_save_in_history(editor, conflict_claim):
    note = note_by(editor, conflict_claim, "One.")
    services.annotation_update(annotation=note, user=editor, body="Two.", version=1)
    services.annotation_delete(annotation=note, user=editor, version=2)
    rows = list(note.history.order_by("history_date").values_list("history_type", "body", "is_deleted", "version"))
    assert rows == [("+", "One.", False, 1), ("~", "Two.", False, 2), ("~", "Two.", True, 3)]
    assert {h.history_user for h in note.history.all()} == {editor}


def test_it_keeps_the_notes_partial_constant_in_queries(client, editor, conflict_claim, django_assert_num_queries):
    for i in range(2):
        note_by(editor, conflict_claim, f"Note {i}.")
    client.force_login(editor)
    client.get("/")  # load the session once, outside the count

    def post():
        return client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": "More."}, headers=HTMX)

    # session + the user with the editor's permissions (one query, auth_backends.py) + claim
    # joined to topic and assignee + SAVEPOINT, note INSERT, its history
    # INSERT, RELEASE + the target's notes joined to authors
    with django_assert_num_queries(8):
        assert post().status_code == 200
    for i in range(30):
        note_by(editor, conflict_claim, f"Note {i}.")
    with django_assert_num_queries(8):
        assert post().status_code == 200
