"""The claim's history: a timeline of every change, revertible by staff, in constant queries;
and the demo journey an editor takes from the pages alone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from factcheck import services
from factcheck.corpus import import_corpus, read_corpus_file
from factcheck.history import history_keys
from factcheck.models import Annotation, Claim, Resolution, Status
from factcheck.roles import ensure_publisher_group
from factcheck.selectors.claims import TIMELINE_ON_CLAIM_PAGE
from factcheck.views.history import HISTORY_PAGE_SIZE
from tests.conftest import make_assertion, make_claim, make_source, make_topic
from tests.editing import HTMX, JSON, note_by, resolve

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"


def _history(body):
    return body[body.index('id="history"') :]


def test_it_shows_every_change_newest_first_with_who_and_what(client, editor, second_editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "First draft.")
    services.annotation_update(annotation=note, user=editor, body="Second draft.", version=1)
    resolve(second_editor, conflict_claim, verdict="false", rationale="Not signed.")
    services.resolution_reopen(claim=conflict_claim, user=editor, version=1, reason="New reporting")
    services.annotation_delete(annotation=note, user=editor, version=2)
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    expected = [
        'editor</strong>\n        <a href="/claims/{pk}/#note-{note}">deleted a note</a>',
        'editor</strong>\n        <a href="/claims/{pk}/#resolution">reopened the claim</a> '
        '<span class="history-reason">(New reporting)</span>',
        'editor2</strong>\n        <a href="/claims/{pk}/#resolution">resolved the claim: False</a>',
        'editor</strong>\n        <a href="/claims/{pk}/#note-{note}">edited a note</a>',
        'editor</strong>\n        <a href="/claims/{pk}/#note-{note}">wrote a note</a>',
        "attached the disputes quote from Beta",
        "attached the supports quote from Alpha",
        "added the claim",
    ]
    positions = [body.index(e.format(pk=conflict_claim.pk, note=note.pk)) for e in expected]
    assert positions == sorted(positions)
    assert "Prevailing: none. Not signed." in body
    assert "(8 changes)" in body
    # The deleted note's words are withheld from the public timeline...
    assert "First draft." not in body and "Second draft." not in body
    assert body.count("(text withheld: the note was deleted)") == 3
    # ...while staff, who may restore it, see what changed, from what to what.
    client.force_login(staff)
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    assert '<dt>Note</dt><dd><del class="rendered-note"><p>First draft.</p></del>' in body
    assert '<ins class="rendered-note"><p>Second draft.</p></ins>' in body


def test_it_shows_what_changed_in_a_live_note_to_everyone(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "First draft.")
    services.annotation_update(annotation=note, user=editor, body="Second draft.", version=1)
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    assert '<dt>Note</dt><dd><del class="rendered-note"><p>First draft.</p></del>' in body
    assert '<ins class="rendered-note"><p>Second draft.</p></ins>' in body


def test_it_records_the_user_and_one_row_for_every_save(editor, staff, conflict_claim):
    before = Claim.history.count()
    claim = services.claim_assign(claim=conflict_claim, assignee=editor, version=conflict_claim.version, by=editor)
    services.claim_assign(claim=claim, assignee=None, version=claim.version, by=staff)
    rows = list(Claim.history.filter(id=conflict_claim.pk).order_by("history_date"))[-2:]
    assert Claim.history.count() == before + 2
    assert [(r.assigned_to_id, r.history_user) for r in rows] == [(editor.pk, editor), (None, staff)]


def test_it_shows_assignment_changes_by_name(client, editor, conflict_claim):
    services.claim_assign(claim=conflict_claim, assignee=editor, version=conflict_claim.version, by=editor)
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    assert "edited the claim" in body
    assert "<dt>Assigned to</dt><dd><del>nobody</del>" in body and "<ins>editor</ins>" in body


def test_it_shows_the_newest_entries_on_the_claim_page_and_all_on_the_history_page(client, editor, conflict_claim):
    note = note_by(editor, conflict_claim, "v1")
    for version in range(1, TIMELINE_ON_CLAIM_PAGE + 2):
        note = services.annotation_update(annotation=note, user=editor, body=f"v{version + 1}", version=version)
    total = 3 + 1 + TIMELINE_ON_CLAIM_PAGE + 1
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    assert body.count('<li class="history-entry') == TIMELINE_ON_CLAIM_PAGE
    assert f'<a href="/claims/{conflict_claim.pk}/history/">See all {total} changes</a>' in body
    page = client.get(f"/claims/{conflict_claim.pk}/history/").content.decode()
    assert page.count('<li class="history-entry') == total and "<html" in page
    partial = client.get(f"/claims/{conflict_claim.pk}/history/", headers=HTMX).content.decode()
    assert partial.lstrip().startswith('<section id="history"') and "<html" not in partial
    assert partial.count('<li class="history-entry') == total


def test_it_answers_404_for_the_history_of_a_missing_claim(client, db):
    response = client.get("/claims/999999/history/")
    assert response.status_code == 404
    assert "There is no claim with id 999999." in response.content.decode()


# Revert (staff only)


def _revert(client, kind, record, version):
    return client.post(f"/history/{kind}/{record.history_id}/revert/", {"version": version})


def test_it_reverts_a_note_edit_through_the_normal_save(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "**Right**.")
    note = services.annotation_update(annotation=note, user=editor, body="Wrong.", version=1)
    edit = note.history.latest("history_date")
    client.force_login(staff)
    response = _revert(client, "annotation", edit, note.version)
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{conflict_claim.pk}/#history"
    note.refresh_from_db()
    assert (note.body, note.body_html, note.version) == ("**Right**.", "<p><strong>Right</strong>.</p>", 3)
    # The revert is itself recorded, by whom, and why.
    latest = note.history.latest("history_date")
    assert (latest.body, latest.history_user, latest.history_change_reason) == (
        "**Right**.",
        staff,
        f"Revert of change #{edit.history_id}",
    )
    assert note.history.count() == 3
    body = _history(client.get(f"/claims/{conflict_claim.pk}/").content.decode())
    assert f"(Revert of change #{edit.history_id})" in body


def test_it_reverts_a_deletion_bringing_the_note_back(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "Keep me.")
    note = services.annotation_delete(annotation=note, user=editor, version=1)
    client.force_login(staff)
    assert _revert(client, "annotation", note.history.latest("history_date"), 2).status_code == 302
    note.refresh_from_db()
    assert not note.is_deleted
    assert "Keep me." in client.get(f"/claims/{conflict_claim.pk}/").content.decode()


def test_it_reverts_a_resolution_revision_with_its_prevailing_sources(client, editor, staff, conflict_claim):
    supports = conflict_claim.assertions.get(stance="supports")
    disputes = conflict_claim.assertions.get(stance="disputes")
    resolve(editor, conflict_claim, verdict="false", rationale="First.", prevailing=[disputes])
    revised = resolve(editor, conflict_claim, verdict="true", rationale="Second.", prevailing=[supports], version=1)
    client.force_login(staff)
    assert _revert(client, "resolution", revised.history.latest("history_date"), 2).status_code == 302
    resolution = Resolution.objects.get()
    assert (resolution.verdict, resolution.rationale, resolution.version) == ("false", "First.", 3)
    assert list(resolution.prevailing.all()) == [disputes]
    assert resolution.history.latest("history_date").prevailing.get().assertion_id == disputes.pk


def test_it_reverts_a_reopening_and_the_claim_is_resolved_again(client, editor, staff, conflict_claim):
    resolve(editor, conflict_claim)
    reopened = services.resolution_reopen(claim=conflict_claim, user=editor, version=1)
    assert Claim.objects.get().status == Status.CONFLICT
    client.force_login(staff)
    assert _revert(client, "resolution", reopened.history.latest("history_date"), 2).status_code == 302
    assert Claim.objects.get().status == Status.RESOLVED


def test_it_reverts_a_claim_text_change(client, staff, conflict_claim):
    claim = Claim.objects.get()
    claim.text, claim.version = "A reworded claim.", claim.version + 1
    claim.save()
    client.force_login(staff)
    assert _revert(client, "claim", claim.history.latest("history_date"), claim.version).status_code == 302
    assert Claim.objects.get().text == "Syria agreed to let Russia keep its bases."


def test_it_refuses_to_revert_a_creation(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim)
    client.force_login(staff)
    response = _revert(client, "annotation", note.history.get(), 1)
    assert response.status_code == 422
    assert "Only a change can be reverted, not a creation or a deletion." in response.content.decode()
    assert Annotation.objects.get().version == 1


def test_it_refuses_a_stale_revert_with_the_current_state(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "One.")
    note = services.annotation_update(annotation=note, user=editor, body="Two.", version=1)
    edit = note.history.latest("history_date")
    services.annotation_update(annotation=note, user=editor, body="Three.", version=2)
    client.force_login(staff)
    response = client.post(f"/history/annotation/{edit.history_id}/revert/", {"version": 2}, headers=JSON)
    assert response.status_code == 409
    assert response.json()["current"]["body"] == "Three."
    page = _revert(client, "annotation", edit, 2)
    assert page.status_code == 409 and "Restore it anyway" in page.content.decode()
    assert Annotation.objects.get().body == "Three."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/history/widget/1/revert/", "There is no history of “widget”"),
        ("/history/annotation/999999/revert/", "There is no annotation history entry with history_id 999999."),
    ],
)
def test_it_answers_404_for_an_unknown_history_entry(client, staff, url, message):
    client.force_login(staff)
    response = client.post(url, {"version": 1})
    assert response.status_code == 404
    assert message in response.content.decode()


def test_it_offers_revert_only_to_staff_and_only_for_changes(client, editor, staff, conflict_claim):
    note = note_by(editor, conflict_claim, "One.")
    services.annotation_update(annotation=note, user=editor, body="Two.", version=1)
    client.force_login(editor)
    assert "Restore what this change replaced" not in client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    client.force_login(staff)
    body = client.get(f"/claims/{conflict_claim.pk}/").content.decode()
    assert body.count("Restore what this change replaced") == 1
    assert '<input type="hidden" name="version" value="2">' in body[body.index('class="revert-form"') :]


# Query counts: the claim page and the history page do not grow with the history.


def _claim_with_history(editor, second_editor, rows):
    """A claim with ``rows`` history rows: assignment toggles, then one change of every kind on top.

    However many toggles lie underneath, the newest entries are the same five
    kinds of change, so a page reads the same kinds of rows: only the length
    of the history differs.
    """
    claim = make_claim(text="Syria agreed to let Russia keep its bases.")
    for i in range(rows - 5):
        claim = services.claim_assign(
            claim=claim, assignee=(editor, second_editor)[i % 2], version=claim.version, by=editor
        )
    make_assertion(claim, make_source(title="Alpha"), "supports", "Russia keeps its naval base at Tartus.")
    beta = make_assertion(
        claim, make_source(title="Beta"), "disputes", "Talks about the bases are active as of July 2025."
    )
    note_by(second_editor, claim, "Only Beta is dated.", assertion=beta)
    resolve(editor, claim, prevailing=[beta])
    assert _history_length(claim) == rows
    return claim


def _history_length(claim):
    return history_keys(claim.pk).count()


@pytest.mark.parametrize("who", ["anonymous", "editor", "staff"])
def test_it_keeps_the_claim_page_constant_in_queries(
    client, request, editor, second_editor, django_assert_num_queries, who
):
    short = _claim_with_history(editor, second_editor, 5)
    long = _claim_with_history(editor, second_editor, 300)
    logged_in = 0
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
        client.get("/")
        # + whether the editor watches the claim
        logged_in = 2 + 1
    # (logged in: session + user, an editor's with their permissions; a superuser's are not read)
    # claim joined to topic, resolution, decider and assignee + assertions
    # joined to sources + notes joined to authors + the prevailing
    # assertions + the keys of the newest twenty with the number of changes
    # (one query) + those rows (each with the row before it) of the claim,
    # its assertions, notes and resolution: four + the resolution rows'
    # prevailing sets + the names of the users the timeline mentions + the
    # claim's wordings
    expected = logged_in + 12
    for claim in (short, long):
        with django_assert_num_queries(expected):
            response = client.get(f"/claims/{claim.pk}/")
        assert response.status_code == 200
        assert _history(response.content.decode()).count('<li class="history-entry') == min(
            _history_length(claim), TIMELINE_ON_CLAIM_PAGE
        )


def test_it_keeps_the_history_page_constant_in_queries(client, editor, second_editor, django_assert_num_queries):
    short = _claim_with_history(editor, second_editor, 5)
    long = _claim_with_history(editor, second_editor, 300)
    for claim in (short, long):
        for headers in ({}, HTMX):
            # claim joined to topic and assignee + the number of changes + the
            # keys of the page's fifty + those rows (each with the row before
            # it) of the claim, its assertions, notes and resolution: four +
            # the resolution rows' prevailing sets + the sources of the
            # assertions that notes and prevailing sets mention + the names of
            # the users and of the sources it mentions
            with django_assert_num_queries(11):
                response = client.get(f"/claims/{claim.pk}/history/", headers=headers)
            assert response.status_code == 200
            assert response.content.decode().count('<li class="history-entry') == min(
                _history_length(claim), HISTORY_PAGE_SIZE
            )


# The demo journey: log in as the editor, annotate the extradition claim,
# resolve the bases conflict, see both in the timeline — from the pages alone.


def _hand_built_corpus():
    topic = make_topic(slug="assad", title="Did Syria ask Russia to extradite Assad?")
    a = make_source(title="Analysis", text="Al-Sharaa asked Putin to extradite Assad during the October visit.")
    b = make_source(title="Wire", text="The Kremlin said no extradition of Assad was discussed in October.")
    make_claim(
        topic=topic,
        text="Al-Sharaa asked Putin to extradite Assad.",
        assertions=[
            (a, "supports", "Al-Sharaa asked Putin to extradite Assad"),
            (b, "disputes", "no extradition of Assad was discussed"),
        ],
    )
    make_claim(
        text="Syria agreed to let Russia keep its bases.",
        assertions=[
            (make_source(title="Alpha"), "supports", "Russia keeps its naval base at Tartus."),
            (make_source(title="Beta"), "disputes", "Talks about the bases are active as of July 2025."),
        ],
    )


def _claim_links(html):
    return [int(pk) for pk in re.findall(r'class="claim-text" href="/claims/(\d+)/"', html)]


def _find(client, words):
    """The first unresolved conflict mentioning ``words`` in the review queue, else in the claim list."""
    found = _claim_links(client.get("/review/", {"q": words}).content.decode())
    return found[0] if found else _claim_links(client.get("/claims/", {"q": words}).content.decode())[0]


def test_it_walks_the_demo_editors_journey_from_the_pages_alone(editor, second_editor, db):
    if SEED.exists():
        data, base_dir = read_corpus_file(SEED)
        import_corpus(data, base_dir=base_dir, label=str(SEED))
    else:
        _hand_built_corpus()
    client = Client(enforce_csrf_checks=True)

    # Log in through the login form.
    login = client.get("/accounts/login/?next=/review/")
    assert login.status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {
            "username": "editor",
            "password": "editor-password-123",
            "next": "/review/",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/review/"
    queue = client.get("/review/").content.decode()
    assert "conflict" in queue and "Assign to me" in queue
    token = client.cookies["csrftoken"].value

    # Annotate the extradition claim, with the form its page shows.
    extradition = _find(client, "extradit")
    page = client.get(f"/claims/{extradition}/").content.decode()
    assert "extradit" in page[page.index("<h1") : page.index("</h1>")].lower()
    assert f'action="/claims/{extradition}/annotations/"' in page
    response = client.post(
        f"/claims/{extradition}/annotations/",
        {
            "body": "The Kremlin **denied** that extradition was discussed; only one source says it was asked.",
            "next": f"/claims/{extradition}/",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The Kremlin <strong>denied</strong> that extradition was discussed" in page

    # Resolve the bases conflict with the form its page links to.
    bases = _find(client, "bases")
    page = client.get(f"/claims/{bases}/").content.decode()
    assert "bases" in page[page.index("<h1") : page.index("</h1>")].lower()
    assert f'href="/claims/{bases}/resolve/"' in page
    form = client.get(f"/claims/{bases}/resolve/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    choices = re.findall(r'name="prevailing" value="(\d+)"', form)
    assert choices
    response = client.post(
        f"/claims/{bases}/resolve/",
        {
            "verdict": "mostly-false",
            "rationale": "The sources speak of **talks**, not of an agreement.",
            "prevailing": choices[:1],
            "version": version,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    # A draft until a second editor approves it.
    assert "Draft decision" in page and Claim.objects.get(pk=bases).status != Status.RESOLVED
    second_editor.groups.add(ensure_publisher_group())
    approver = Client()
    approver.force_login(second_editor)
    version = Resolution.objects.get(claim_id=bases).version
    response = approver.post(f"/claims/{bases}/approve/", {"action": "approve", "version": version})
    assert response.status_code == 302
    page = client.get(f"/claims/{bases}/").content.decode()
    assert 'Editors’ verdict: <span class="verdict verdict-mostly-false">Mostly false</span>' in page
    assert "status-resolved" in page
    assert Claim.objects.get(pk=bases).status == Status.RESOLVED

    # Both are in their claims' timelines, attributed to the editor.
    timeline = _history(client.get(f"/claims/{extradition}/").content.decode())
    assert re.search(r"<strong>editor</strong>\s*<a href=\"[^\"]+#note-\d+\">wrote a note</a>", timeline)
    timeline = _history(client.get(f"/claims/{bases}/").content.decode())
    assert re.search(
        r"<strong>editor</strong>\s*<a href=\"[^\"]+#resolution\">resolved the claim: Mostly false</a>", timeline
    )
    # And the resolved conflict has left the review queue.
    assert bases not in _claim_links(client.get("/review/", {"q": "bases"}).content.decode())
