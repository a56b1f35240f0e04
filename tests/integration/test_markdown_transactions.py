"""Editors' Markdown is never rendered while a write transaction is open.

Render time is bounded (tests/unit/test_markdown.py), but a slow render inside
the transaction would hold the database's write lock (on SQLite, the whole
database's) for as long as it takes.
"""

import pytest
from django.db import connection
from django.test import Client

from factcheck import markdown, services
from factcheck.models import Annotation, Resolution
from tests.editing import note_by, resolve


@pytest.fixture
def render_calls(monkeypatch):
    """Every render, with whether a transaction was open on the default connection at the time."""
    calls, real, real_note = [], markdown.render, markdown.render_note

    def recording(text):
        calls.append((text, connection.in_atomic_block))
        return real(text)

    # Notes render with their mentions and bare links linked.
    def recording_note(text, mentions=None):
        calls.append((text, connection.in_atomic_block))
        return real_note(text, mentions)

    monkeypatch.setattr(markdown, "render", recording)
    monkeypatch.setattr(markdown, "render_note", recording_note)
    return calls


# Without the test's own wrapping transaction, so that in_atomic_block is the service's alone.
@pytest.mark.django_db(transaction=True)
def test_it_renders_before_opening_the_write_transaction(editor, conflict_claim, render_calls):
    note = note_by(editor, conflict_claim, "First *draft*.")
    note = services.annotation_update(annotation=note, user=editor, body="Second *draft*.", version=note.version)
    resolution = resolve(editor, conflict_claim, rationale="Both **half** right.", verdict="mixed")
    resolve(editor, conflict_claim, rationale="Revised **rationale**.", version=resolution.version)
    assert render_calls == [
        ("First *draft*.", False),
        ("Second *draft*.", False),
        ("Both **half** right.", False),
        ("Revised **rationale**.", False),
    ]
    assert Annotation.objects.get(pk=note.pk).body_html == "<p>Second <em>draft</em>.</p>"
    assert Resolution.objects.get().rationale_html == "<p>Revised <strong>rationale</strong>.</p>"


@pytest.mark.django_db(transaction=True)
def test_it_renders_the_conflict_pages_previews_outside_any_transaction(editor, conflict_claim, render_calls):
    note = note_by(editor, conflict_claim, "Theirs.")
    resolve(editor, conflict_claim, rationale="Theirs.")
    client = Client()
    client.force_login(editor)
    render_calls.clear()
    stale_note = client.post(f"/annotations/{note.pk}/edit/", {"body": "Mine, *stale*.", "version": 0})
    stale_resolution = client.post(
        f"/claims/{conflict_claim.pk}/resolve/",
        {"verdict": "false", "rationale": "Mine, **stale**.", "no_prevailing_reason": "Both sides err.", "version": 0},
    )
    assert stale_note.status_code == stale_resolution.status_code == 409
    assert "Mine, <em>stale</em>." in stale_note.content.decode()
    assert "Mine, <strong>stale</strong>." in stale_resolution.content.decode()
    # Each text twice: by the service before its transaction, then by the view for the preview.
    assert render_calls == [("Mine, *stale*.", False)] * 2 + [("Mine, **stale**.", False)] * 2
