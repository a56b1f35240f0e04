"""Internal notes, replies, mentions and links; and nothing internal or deleted reaches anonymous readers."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from factcheck import services
from factcheck.models import Annotation, Event, Notification, Verdict
from tests.editing import resolve
from tests.urlwalk import concrete_urls, walk_corpus

SECRET = "ZEBRA-INTERNAL-7731"
GONE = "WALRUS-DELETED-4410"
ADMIN_GONE = "OTTER-ADMIN-DELETED-9021"
BULK_GONE = "HERON-BULK-DELETED-5532"


def _post_note(client, claim, **data):
    return client.post(reverse("annotation-create", args=[claim.pk]), data)


def test_it_shows_an_internal_note_to_editors_and_staff_only(client, editor, reader, staff, conflict_claim):
    client.force_login(editor)
    assert _post_note(client, conflict_claim, body=f"Check {SECRET}.", internal="on").status_code == 302
    note = Annotation.objects.get()
    assert note.is_internal
    page = client.get(conflict_claim.get_absolute_url()).content.decode()
    assert SECRET in page and "badge-internal" in page
    for who in (None, reader):
        other = Client()
        if who:
            other.force_login(who)
        for url in (conflict_claim.get_absolute_url(), reverse("claim-history", args=[conflict_claim.pk])):
            assert SECRET not in other.get(url).content.decode(), (who, url)
        # Its own address is a 404 to them, as if it did not exist.
        assert other.get(reverse("annotation-detail", args=[note.pk]), HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(staff)
    assert SECRET in client.get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()


def test_it_threads_replies_one_level_deep_and_notifies_the_author(client, editor, second_editor, conflict_claim):
    parent = services.annotation_create(claim=conflict_claim, author=editor, body="Is July right?")
    client.force_login(second_editor)
    assert _post_note(client, conflict_claim, body="Yes, per Beta.", parent=parent.pk).status_code == 302
    reply = Annotation.objects.get(parent=parent)
    page = client.get(conflict_claim.get_absolute_url()).content.decode()
    thread = page[page.index(f'id="note-{parent.pk}"') :]
    assert thread.index("Yes, per Beta.") < thread.index("</section>")
    assert 'class="note-thread"' in page and "note-reply" in page
    # Replying to a reply is refused, with the reason.
    response = _post_note(client, conflict_claim, body="Deeper.", parent=reply.pk)
    assert response.status_code == 422 and "is a reply; answer the note it replies to" in response.content.decode()
    assert Annotation.objects.count() == 2
    [notice] = Notification.objects.filter(recipient=editor)
    assert notice.event == Event.REPLY and "editor2 replied to your note" in notice.text


def test_a_reply_to_an_internal_note_is_internal(editor, second_editor, conflict_claim):
    parent = services.annotation_create(claim=conflict_claim, author=editor, body="Internal.", internal=True)
    reply = services.annotation_create(claim=conflict_claim, author=second_editor, body="Agreed.", parent=parent)
    assert reply.is_internal


def test_it_links_mentions_of_users_and_bare_urls_and_leaves_unknown_names_plain(editor, second_editor, conflict_claim):
    note = services.annotation_create(
        claim=conflict_claim,
        author=editor,
        body="@editor2 see https://example.org/report?id=1. Ask @nobody_here. <script>x()</script>",
    )
    assert '<a href="/people/editor2/" class="mention" rel="nofollow noopener">@editor2</a>' in note.body_html
    assert '<a href="https://example.org/report?id=1" rel="nofollow noopener">' in note.body_html
    assert "@nobody_here" in note.body_html and "/people/nobody_here/" not in note.body_html
    assert "<script" not in note.body_html
    [notice] = Notification.objects.all()
    assert (notice.recipient, notice.event, notice.actor) == (second_editor, Event.MENTION, editor)
    assert notice.url.endswith(f"#note-{note.pk}")


def test_it_notifies_only_names_an_edit_newly_mentions(editor, second_editor, publisher, conflict_claim):
    note = services.annotation_create(claim=conflict_claim, author=editor, body="@editor2 look.")
    services.annotation_update(annotation=note, user=editor, body="@editor2 and @publisher look.", version=1)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["editor2", "publisher"]


def test_the_history_shows_notes_rendered_not_as_markdown(client, editor, conflict_claim):
    note = services.annotation_create(claim=conflict_claim, author=editor, body="First **bold** draft.")
    services.annotation_update(annotation=note, user=editor, body="Then *italic*.", version=1)
    body = client.get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()
    assert "<strong>bold</strong>" in body and "<em>italic</em>" in body
    assert "**bold**" not in body and "*italic*" not in body


def test_it_withholds_a_deleted_notes_text_whoever_deleted_it_and_however(
    client, staff_client, staff, editor, conflict_claim
):
    site = services.annotation_create(claim=conflict_claim, author=editor, body=f"{GONE} first.")
    site = services.annotation_update(annotation=site, user=editor, body=f"{GONE} edited.", version=1)
    services.annotation_delete(annotation=site, user=staff, version=site.version)
    one = services.annotation_create(claim=conflict_claim, author=editor, body=f"{ADMIN_GONE} text.")
    assert (
        staff_client.post(reverse("admin:factcheck_annotation_delete", args=[one.pk]), {"post": "yes"}).status_code
        == 302
    )
    bulk = services.annotation_create(claim=conflict_claim, author=editor, body=f"{BULK_GONE} text.")
    response = staff_client.post(
        reverse("admin:factcheck_annotation_changelist"),
        {"action": "delete_selected", "_selected_action": [bulk.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Annotation.objects.filter(pk__in=[one.pk, bulk.pk]).exists()
    anonymous = Client()
    for url in (conflict_claim.get_absolute_url(), reverse("claim-history", args=[conflict_claim.pk])):
        body = anonymous.get(url).content.decode()
        for marker in (GONE, ADMIN_GONE, BULK_GONE):
            assert marker not in body, (url, marker)
    assert "text withheld" in anonymous.get(reverse("claim-history", args=[conflict_claim.pk])).content.decode()


@pytest.fixture
def leaky_corpus(editor, second_editor, conflict_claim):
    """A claim with a published decision, an internal note, a reply, a deleted note; and a claim with a draft."""
    claim = conflict_claim
    public = services.annotation_create(claim=claim, author=editor, body="A public note.")
    services.annotation_create(claim=claim, author=editor, body=f"{SECRET} internal.", internal=True)
    services.annotation_create(claim=claim, author=second_editor, body=f"{SECRET} reply.", parent=public, internal=True)
    services.annotation_create(
        claim=claim,
        author=second_editor,
        body=f"{SECRET} on a quote.",
        internal=True,
        assertion=claim.assertions.first(),
    )
    gone = services.annotation_create(claim=claim, author=editor, body=f"{GONE} soon gone.")
    services.annotation_delete(annotation=gone, user=editor, version=1)
    resolve(editor, claim, Verdict.MIXED, "Both.")
    return walk_corpus(claim, public, assertion=claim.assertions.first())


def test_no_public_page_feed_or_api_answer_holds_an_internal_or_deleted_note(leaky_corpus, reader):
    """Every GET an anonymous reader (and a logged-in reader) can make, searched for the markers."""
    urls = [u for u in concrete_urls(leaky_corpus) if not u.route.startswith("admin/")]
    extra = [
        "/search/?q=ZEBRA",
        "/search/?q=WALRUS&kind=notes",
        f"/api/claims/?topic={leaky_corpus['topic'].slug}",
        "/api/claimreview/",
        f"/claims/{leaky_corpus['claim'].pk}/history/?page=1",
    ]
    checked = 0
    for who in (None, reader):
        client = Client()
        if who:
            client.force_login(who)
        for path in [u.path for u in urls] + extra:
            response = client.get(path, HTTP_ACCEPT="text/html,application/json")
            for variant in (response, client.get(path, HTTP_HX_REQUEST="true")):
                raw = b"".join(variant.streaming_content) if variant.streaming else variant.content
                body = raw.decode(errors="replace")
                assert SECRET not in body, (who, path)
                assert GONE not in body, (who, path)
            checked += 1
    assert checked > 40


def test_the_search_never_finds_internal_notes(client, editor, conflict_claim):
    services.annotation_create(claim=conflict_claim, author=editor, body=f"{SECRET} internal okapi.", internal=True)
    services.annotation_create(claim=conflict_claim, author=editor, body="A public okapi.")
    client.force_login(editor)
    body = client.get("/search/", {"q": "okapi"}).content.decode()
    assert "public <mark>okapi</mark>" in body or "A public" in body
    assert SECRET not in body


def test_the_person_page_is_for_editors(client, editor, reader, conflict_claim):
    services.claim_assign(claim=conflict_claim, assignee=editor, version=conflict_claim.version, by=editor)
    client.force_login(reader)
    assert client.get("/people/editor/").status_code == 403
    client.force_login(editor)
    body = client.get("/people/editor/").content.decode()
    assert conflict_claim.text in body
    assert client.get("/people/no-such-user/").status_code == 404
    assert re.search(r"<h1>editor</h1>", body)
    assert get_user_model().objects.filter(username="editor").exists()
