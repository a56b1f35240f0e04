"""The history page a page at a time, cached for readers (finding L6); and a deleted note's
words withheld on it however the note was deleted (the reader's report)."""

import contextlib
import re

import pytest
from django.db.models.signals import post_init

from factcheck import services
from factcheck.history import MODELS_WITH_HISTORY, history_keys
from factcheck.history_entries import WITHHELD
from factcheck.models import Annotation
from factcheck.selectors.claims import TIMELINE_ON_CLAIM_PAGE
from factcheck.views.history import HISTORY_PAGE_SIZE
from tests.editing import HTMX, note_by

committed = pytest.mark.django_db(transaction=True)


def _toggle(claim, editor, times):
    for _ in range(times):
        claim = services.claim_assign(
            claim=claim, assignee=None if claim.assigned_to_id else editor, version=claim.version, by=editor
        )
    return claim


def _shown(html):
    """``(kind, history_id)`` of each entry on the page, in page order."""
    return [(kind, int(pk)) for kind, pk in re.findall(r'id="change-(\w+)-(\d+)"', html)]


def _newest_first(claim):
    return [(kind, pk) for kind, pk, _when, _object in history_keys(claim.pk)]


@contextlib.contextmanager
def _history_rows_read():
    """A list that gets one item per history row read from the database (as a model instance)."""
    historical = {model.history.model for model in MODELS_WITH_HISTORY.values()}
    read = []

    def count(sender, **kwargs):
        if sender in historical:
            read.append(sender)

    post_init.connect(count, weak=False)
    try:
        yield read
    finally:
        post_init.disconnect(count)


# Pages


def test_it_reads_only_the_rows_a_page_shows_and_the_ones_before_them(client, editor, conflict_claim):
    claim = _toggle(conflict_claim, editor, 300)
    for url, shown in [
        (f"/claims/{claim.pk}/", TIMELINE_ON_CLAIM_PAGE),
        (f"/claims/{claim.pk}/history/", HISTORY_PAGE_SIZE),
        (f"/claims/{claim.pk}/history/?page=4", HISTORY_PAGE_SIZE),
    ]:
        with _history_rows_read() as read:
            response = client.get(url)
        assert response.status_code == 200
        assert len(_shown(response.content.decode())) == shown
        # Each change shown, and the row before it to say what it changed.
        assert shown < len(read) <= 2 * shown, url


def test_an_editors_claim_page_reads_only_the_history_it_shows(client, editor, conflict_claim):
    claim = _toggle(conflict_claim, editor, 300)
    client.force_login(editor)  # the desk's timeline: internal notes and drafts too, another fragment

    with _history_rows_read() as read:
        response = client.get(f"/claims/{claim.pk}/")

    assert len(_shown(response.content.decode())) == TIMELINE_ON_CLAIM_PAGE
    assert TIMELINE_ON_CLAIM_PAGE < len(read) <= 2 * TIMELINE_ON_CLAIM_PAGE


def test_it_says_who_last_deleted_a_note_without_reading_its_every_edit(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "v0")
    for version in range(1, 61):
        note = services.annotation_update(annotation=note, user=editor, body=f"v{version}", version=version)
    note = services.annotation_delete(annotation=note, user=editor, version=note.version)
    client.force_login(staff)
    deletion = note.history.latest("history_date")
    response = client.post(f"/history/annotation/{deletion.history_id}/revert/", {"version": note.version})
    assert response.status_code == 302
    client.logout()
    note.refresh_from_db()
    services.annotation_delete(annotation=note, user=staff, version=note.version)
    with _history_rows_read() as read:
        page = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    assert "Note deleted by staff on" in page
    # The timeline's newest and the rows before them, and the two deletions.
    assert len(read) <= 2 * TIMELINE_ON_CLAIM_PAGE + 2


def test_it_pages_the_history_newest_first_in_pages_of_the_page_size(client, editor, conflict_claim):
    claim = _toggle(conflict_claim, editor, HISTORY_PAGE_SIZE + 7)
    total = 3 + HISTORY_PAGE_SIZE + 7
    url = f"/claims/{claim.pk}/history/"
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert len(_shown(first)) == HISTORY_PAGE_SIZE and len(_shown(second)) == total - HISTORY_PAGE_SIZE
    # Newest first, each change on exactly one page, the claim's creation last.
    assert _shown(first) + _shown(second) == _newest_first(claim)
    assert len(set(_shown(first) + _shown(second))) == total
    assert _shown(second)[-1] == ("claim", claim.history.earliest("history_date").history_id)
    assert f"({total} changes)" in first
    assert 'rel="next" href="?page=2"' in first and "Page 1 of 2" in first
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second
    partial = client.get(url, {"page": 2}, headers=HTMX).content.decode()
    assert "<html" not in partial and _shown(partial) == _shown(second)


def test_it_answers_a_page_past_the_end_with_404_and_a_bad_page_with_400(client, editor, conflict_claim):
    url = f"/claims/{conflict_claim.pk}/history/"
    past = client.get(url, {"page": 2})
    assert past.status_code == 404
    assert "Page 2 does not exist; there are 1 pages." in past.content.decode()
    for bad, message in [("x", "page: &#x27;x&#x27; is not a whole number."), ("0", "page: must be between 1 and")]:
        response = client.get(url, {"page": bad})
        assert response.status_code == 400
        assert message in response.content.decode()


def test_it_shows_the_newest_on_the_claim_page_and_links_to_the_rest(client, editor, conflict_claim):
    claim = _toggle(conflict_claim, editor, TIMELINE_ON_CLAIM_PAGE + 5)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert _shown(page) == _newest_first(claim)[:TIMELINE_ON_CLAIM_PAGE]
    assert f'<a href="/claims/{claim.pk}/history/">See all {TIMELINE_ON_CLAIM_PAGE + 8} changes</a>' in page
    assert 'rel="next"' not in page


def test_it_names_who_reopened_the_claim_when_the_reopening_is_off_the_claim_page(client, editor, conflict_claim):
    from tests.editing import resolve

    resolve(editor, conflict_claim)
    services.resolution_reopen(claim=conflict_claim, user=editor, version=1, reason="New reporting")
    claim = _toggle(conflict_claim, editor, TIMELINE_ON_CLAIM_PAGE)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "reopened the claim" not in page[page.index('id="history"') :]
    assert "editor reopened this claim on" in page and ": “New reporting”." in page


# The page cache


@committed
def test_it_caches_the_history_page_for_readers_until_the_next_change(client, editor, staff, conflict_claim):
    claim = _toggle(conflict_claim, editor, HISTORY_PAGE_SIZE)
    url = f"/claims/{claim.pk}/history/"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    # Another page is another page, not the first one from the cache.
    second = client.get(url, {"page": 2})
    assert second["X-Page-Cache"] == "miss" and _shown(second.content.decode()) != _shown(first.content.decode())
    claim = _toggle(claim, editor, 1)
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert _shown(fresh.content.decode())[0] == ("claim", claim.history.latest("history_date").history_id)
    client.force_login(staff)
    assert client.get(url)["X-Page-Cache"] == "bypass"


# A deleted note's words, however it was deleted


def _edited_note(editor, claim):
    note = note_by(editor, claim, "First draft.")
    return services.annotation_update(annotation=note, user=editor, body="Second draft.", version=1)


def _public_pages(client, claim):
    return {url: client.get(url).content.decode() for url in (f"/claims/{claim.pk}/", f"/claims/{claim.pk}/history/")}


@pytest.mark.parametrize("how", ["admin delete", "admin bulk action", "admin tombstone", "site"])
def test_it_withholds_every_version_of_a_deleted_note_from_readers(client, editor, staff, conflict_claim, how):
    note = _edited_note(editor, conflict_claim)
    admin = client.__class__()
    admin.force_login(staff)
    if how == "admin delete":
        response = admin.post(f"/admin/factcheck/annotation/{note.pk}/delete/", {"post": "yes"})
    elif how == "admin bulk action":
        response = admin.post(
            "/admin/factcheck/annotation/", {"action": "delete_selected", "_selected_action": [note.pk], "post": "yes"}
        )
    elif how == "admin tombstone":
        response = admin.post(
            f"/admin/factcheck/annotation/{note.pk}/change/",
            {
                "body": note.body,
                "is_deleted": "on",
                "base_version": note.version,
            },
        )
    else:
        response = admin.post(f"/annotations/{note.pk}/delete/", {"version": note.version})
    assert response.status_code == 302
    assert not Annotation.objects.filter(pk=note.pk, is_deleted=False).exists()
    for who in ("anonymous", "editor"):
        if who == "editor":
            client.force_login(editor)
        for url, body in _public_pages(client, conflict_claim).items():
            assert "First draft." not in body and "Second draft." not in body, (who, url)
        history = _public_pages(client, conflict_claim)[f"/claims/{conflict_claim.pk}/history/"]
        # What was written, and what it was changed from and to.
        assert history.count(WITHHELD) == 3
    # Staff still read it in the history, as they could before.
    history = admin.get(f"/claims/{conflict_claim.pk}/history/").content.decode()
    assert "First draft." in history and "Second draft." in history


def test_it_shows_a_restored_notes_history_to_readers_again(client, editor, staff, conflict_claim):
    note = _edited_note(editor, conflict_claim)
    note = services.annotation_delete(annotation=note, user=editor, version=2)
    client.force_login(staff)
    assert (
        client.post(
            f"/history/annotation/{note.history.latest('history_date').history_id}/revert/", {"version": note.version}
        ).status_code
        == 302
    )
    client.logout()
    history = client.get(f"/claims/{conflict_claim.pk}/history/").content.decode()
    assert "First draft." in history and "Second draft." in history and WITHHELD not in history
