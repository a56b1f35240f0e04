"""Every URL × every method × anonymous, reader, editor, other editor, publisher, staff, against an explicit table.

Requests that the table refuses carry *valid* data for the write they attempt
(a real note body, the current version...), and the database must come out
unchanged; requests the table allows carry empty data, so they stop at
validation and the database stays the same for the next request. After every
single request the whole database is compared with its state before.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from factcheck.models import Annotation, Assertion, Claim, Resolution, Speaker, Suggestion, Verdict
from factcheck.services import (
    annotation_create,
    annotation_update,
    resolution_save,
    speaker_create,
    speaker_fingerprint,
)
from tests.conftest import make_claim, make_source
from tests.editing import resolve
from tests.urlwalk import _admin_model, concrete_urls, model_fingerprint

# "staff" is a superuser; "bare_staff" a staff account given no permission at all
# (the admin's index opens to it, nothing inside; staff status alone grants no write).
# "second_editor" is another editor than the one who wrote the corpus' note and decision;
# "publisher" an editor who may also approve decisions (factcheck.publish_decision).
ROLES = ["anonymous", "reader", "editor", "second_editor", "publisher", "staff", "bare_staff"]
# HEAD is what load balancers probe with: wherever GET answers, HEAD answers the same.
METHODS = ["get", "head", "post", "put", "patch", "delete"]

# What each named URL is. A URL missing here fails the test: decide what it should be.
READ = {
    "home",
    "topic-detail",
    "claim-list",
    "claim-detail",
    "source-list",
    "source-detail",
    "search",
    "api-evidence",
    "api-claims",
    "api-claim",
    "api-sources",
    "api-source",
    "compare",
    "api-compare",
    "api-topic-timeline",
    "api-claimreview",
    "claim-history",
    "annotation-detail",
    "healthz",
    "speaker-list",
    "speaker-detail",
    "api-speakers",
    "api-speaker",
    "favicon",
    "api-openapi",
    "api-docs",
    "embed-claim",
    "embed-topic",
    "card-png",
    "sitemap",
    "robots-txt",
    "feed-decisions",
    "feed-conflicts",
    "feed-topic-conflicts",
    # The header's unread count: 0 for anyone not on the desk.
    "inbox-badge",
    # A source's stored original, for everyone who can read the source.
    "source-original",
}
# Written with POST and an API token only (the write API): a session's POST, whoever's, is 401.
TOKEN_POST = {"api-claims", "api-claim", "api-sources", "api-claim-assertions"}
EDITOR_POST = {
    "annotation-create",
    "annotation-delete",
    "claim-reopen",
    "claim-assign",
    "claim-evidence-add",
    "claim-evidence-dismiss",
    "claim-kind",
    "claim-wordings",
    "suggestion-accept",
    "suggestion-reject",
    "suggestion-create-claim",
    "source-match",
    "assertion-remove",
    "assertion-restore",
    "inbox-read",
    "watch",
    # Queue again an intake job whose worker died (factcheck/views/intake.py).
    "intake-retry",
}
# GET: the no-JavaScript confirmation page (reopen), or the form.
EDITOR_GET_POST = {
    "annotation-edit",
    "claim-resolve",
    "assertion-attribution",
    "speaker-edit",
    "claim-reopen",
    # GET: the form for a passage selected on the source page; POST: attach it, or make a claim of it.
    "source-attach",
    "source-new-claim",
    # Add a source: the upload form, and the job's page with its metadata form.
    "source-add",
    "intake-job",
}
EDITOR_GET = {
    "review-queue",
    "claim-evidence",
    "inbox",
    "person-detail",
    "source-suggestions",
    "source-attach-claims",
}
# Editors' JSON reads, by session or API token: anonymous 401 (no login page for a JSON client), readers 403.
EDITOR_API_GET = {"api-source-suggestions"}
# Only the note's author (the corpus' "editor") or staff: other editors get 403.
OWNER_ONLY = {"annotation-edit", "annotation-delete"}
# Editors holding factcheck.publish_decision (the Publishers group, superusers).
PUBLISHER_POST = {"claim-approve"}
# Staff holding factcheck.revert_history (superusers, the Moderators group); staff without it: 403.
# GET: the confirmation page saying what the restore will change.
STAFF_GET_POST = {"history-revert"}
# The email's unsubscribe link: no login, the signed token is the key; the walk's token is forged.
TOKEN_GET_POST = {"notifications-unsubscribe"}
AUTH = {"login", "logout"}
# The interface language switcher: anyone may POST; it sets a cookie and writes nothing.
ANYONE_POST = {"set_language"}
# Admin pages anyone may reach: its login page (which redirects a logged-in
# staff member onwards) and logout (POST).
ADMIN_PUBLIC = {"login", "logout"}


@pytest.fixture
def bare_staff(db):
    return get_user_model().objects.create_user("bare-staff", password="bare-staff-password-123", is_staff=True)


@pytest.fixture
def corpus(editor, second_editor, publisher, staff, conflict_claim):
    claim = conflict_claim
    assertion = claim.assertions.first()
    note = annotation_create(claim=claim, author=editor, body="First thoughts.")
    note = annotation_update(annotation=note, user=editor, body="Second thoughts.", version=note.version)
    resolution = resolve(editor, claim, Verdict.MIXED, "Both have a point.", [assertion])
    record = note.history.filter(history_type="~").first()
    spare = make_source(title="Spare")
    return {
        "claim": claim,
        "source": assertion.source,
        "topic": claim.topic,
        "note": note,
        "resolution": resolution,
        "history": ("annotation", record.history_id),
        "assertion": assertion,
        "spare_source": spare,
        "speaker": speaker_create(name="The Kremlin", kind="government", user=editor),
        # A suggestion a refused request would accept: the spare source's first 38 characters, for the claim.
        "suggestion": Suggestion.objects.create(
            source=spare, claim=claim, start=0, end=38, stance="supports", digest=spare.text_sha256
        ),
    }


def _valid_data(name, corpus):
    """What a real client would send to make the write happen."""
    note = Annotation.objects.get(pk=corpus["note"].pk)
    resolution = Resolution.objects.get(pk=corpus["resolution"].pk)
    claim = Claim.objects.get(pk=corpus["claim"].pk)
    spare = corpus["spare_source"]
    assertion = Assertion.objects.get(pk=corpus["assertion"].pk)
    speaker = Speaker.objects.get(pk=corpus["speaker"].pk)
    suggestion = corpus["suggestion"]
    suggestion.passage = f"{suggestion.start}:{suggestion.end}"
    selection = {"start": 0, "end": 38, "quote": corpus["source"].text[:38]}
    return {
        "annotation-create": {"body": "Sneaky note."},
        "annotation-edit": {"body": "Sneaky edit.", "version": note.version},
        "annotation-delete": {"version": note.version},
        "claim-resolve": {"verdict": "false", "rationale": "Sneaky.", "version": resolution.version},
        "claim-reopen": {"version": resolution.version},
        "claim-approve": {"version": resolution.version, "action": "send-back", "comment": "Sneaky."},
        "inbox-read": {},
        "watch": {"claim": claim.pk},
        "claim-assign": {"version": claim.version, "assignee": "me"},
        "claim-evidence-add": {"source": spare.pk, "start": 0, "end": 38, "stance": "supports"},
        "claim-evidence-dismiss": {"dismiss": f"{spare.pk}:0:38"},
        "suggestion-accept": {"passage": suggestion.passage, "stance": "supports"},
        "suggestion-reject": {"passage": suggestion.passage},
        "source-match": {"seen": "none"},
        "suggestion-create-claim": {
            "passage": suggestion.passage,
            "stance": "supports",
            "topic": claim.topic.slug,
            "text": "Sneaky claim.",
        },
        "history-revert": {"version": note.version},
        "assertion-attribution": {"speaker": speaker.name, "period_from": "2020", "version": assertion.version},
        "claim-kind": {"kind": "state", "version": claim.version},
        "claim-wordings": {"language": "fr", "text": "Sneaky."},
        "assertion-remove": {"version": assertion.version},
        "source-attach": {**selection, "claim": claim.pk, "stance": "supports"},
        "source-new-claim": {
            **selection,
            "text": "Sneaky.",
            "topic": claim.topic_id,
            "kind": "event",
            "stance": "supports",
        },
        "assertion-restore": {"removal": 1},
        "speaker-edit": {"name": "Sneaky", "kind": "person", "seen": speaker_fingerprint(speaker)},
        "source-add": {"text": "Sneaky pasted text."},
        "intake-job": {"title": "Sneaky", "kind": "news", "language": "en"},
    }.get(name, {"post": "yes", "title": "Sneaky", "slug": "sneaky", "text": "Sneaky", "body": "Sneaky"})


def _clients(users):
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _to_login(response):
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _to_admin_login(response):
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def expected(url, role, method):
    """A predicate on the response, and its description, from the table above."""
    name = url.name
    allowed = (lambda r: r.status_code < 500 and r.status_code not in (403, 405) and not _to_login(r), "allowed")
    login = (_to_login, "login redirect")
    forbidden = (lambda r: r.status_code == 403, "403")
    not_allowed = (lambda r: r.status_code == 405, "405")

    def status(code):
        return (lambda r: r.status_code == code, str(code))

    if url.route.startswith("admin/"):
        if name in ADMIN_PUBLIC:
            return (lambda r: r.status_code in (200, 302, 405), "login page")
        if role == "bare_staff":
            if _admin_model(name) is not None:
                return (lambda r: r.status_code == 403, "403 (no permission on the model)")
            return (lambda r: r.status_code < 500 and not _to_admin_login(r), "staff page without models")
        if role != "staff":
            return (_to_admin_login, "admin login redirect")
        if name in ("factcheck_delivery_add", "django_tasks_database_dbtaskresult_add"):
            return (lambda r: r.status_code == 403, "403 (the delivery log and the task queue are read-only)")
        if name == "autocomplete" or (name or "").startswith("axes_") and name.endswith("_add"):
            # Autocomplete without its parameters, and adding django-axes' log rows by hand: refused even to staff.
            return (lambda r: r.status_code in (403, 405), "403/405 (nothing to do)")
        return (lambda r: r.status_code < 500 and r.status_code != 403 and not _to_admin_login(r), "staff allowed")
    if method == "head":
        method = "get"
    if name in TOKEN_POST and method == "post":
        return status(401)
    if name in READ:
        if method != "get":
            return not_allowed
        return status(302) if name == "annotation-detail" else status(200)
    if name == "login":
        # LoginView is a FormView: PUT is handled as POST; PATCH and DELETE are not.
        return (
            (lambda r: r.status_code in (200, 302), "login form") if method in ("get", "post", "put") else not_allowed
        )
    if name == "logout":
        return status(302) if method == "post" else not_allowed
    if name in ANYONE_POST:
        return (lambda r: r.status_code in (204, 302), "redirect") if method == "post" else not_allowed
    if name in TOKEN_POST:
        return not_allowed
    if name in EDITOR_API_GET:
        if method != "get":
            return not_allowed
        if role == "anonymous":
            return status(401)
        return forbidden if role in ("reader", "bare_staff") else status(200)
    if name in TOKEN_GET_POST:
        return forbidden if method in ("get", "post") else not_allowed
    methods = {
        **{n: {"post"} for n in EDITOR_POST | PUBLISHER_POST},
        **{n: {"get", "post"} for n in EDITOR_GET_POST | STAFF_GET_POST},
        **{n: {"get"} for n in EDITOR_GET},
    }.get(name)
    if methods is None:
        raise AssertionError(f"{name} ({url.route}) is not in the permission table")
    if method not in methods:
        return not_allowed
    if role == "anonymous":
        return login
    if name in STAFF_GET_POST:
        return allowed if role == "staff" else forbidden
    if name in PUBLISHER_POST:
        return allowed if role in ("publisher", "staff") else forbidden
    if name in OWNER_ONLY and role in ("second_editor", "publisher"):
        return forbidden
    return forbidden if role in ("reader", "bare_staff") else allowed


def _params(url, corpus):
    if url.name in ("compare", "api-compare"):
        return {"a": corpus["source"].pk, "b": corpus["spare_source"].pk}
    if url.name == "api-evidence":
        return {"q": "naval base"}
    return {}


@pytest.mark.sweep
@pytest.mark.django_db
def test_it_answers_every_url_method_and_role_as_the_table_says(
    corpus, reader, editor, second_editor, publisher, staff, bare_staff
):
    users = {
        "reader": reader,
        "editor": editor,
        "second_editor": second_editor,
        "publisher": publisher,
        "staff": staff,
        "bare_staff": bare_staff,
    }
    urls = concrete_urls(corpus)
    assert len({u.name for u in urls if not u.route.startswith("admin/")}) >= 25
    before = model_fingerprint()
    clients = _clients(users)
    wrong, checked = [], 0
    for url in urls:
        # The admin's gate is one wrapper (admin_view) whatever the method: GET and POST show it.
        methods = ["get", "post"] if url.route.startswith("admin/") else METHODS
        for role in ROLES:
            for method in methods:
                check, described = expected(url, role, method)
                client = clients[role]
                if role != "anonymous" and url.name == "logout":
                    client.force_login(users[role])  # the last request may have logged it out
                refused = described not in ("allowed", "staff allowed", "200", "302", "login form", "login page")
                data = _valid_data(url.name, corpus) if refused else {}
                try:
                    if method in ("get", "head"):
                        response = getattr(client, method)(url.path, _params(url, corpus))
                    elif method == "post":
                        response = client.post(url.path, data)
                    else:
                        response = getattr(client, method)(url.path)
                except Exception as exc:  # a crash is a 500 the table never allows
                    wrong.append(f"{method.upper()} {url.path} as {role}: raised {type(exc).__name__}: {exc}")
                    continue
                checked += 1
                if role != "anonymous" and url.name == "logout":
                    client.force_login(users[role])
                if not check(response):
                    wrong.append(
                        f"{method.upper()} {url.path} as {role}: expected {described}, "
                        f"got {response.status_code} {response.get('Location', '')}"
                    )
                if method == "post" and model_fingerprint() != before:
                    wrong.append(f"POST {url.path} as {role} changed the database ({described})")
                    before = model_fingerprint()
        if model_fingerprint() != before:
            wrong.append(f"a GET, PUT, PATCH or DELETE of {url.path} changed the database")
            before = model_fingerprint()
    print(f"\npermission matrix: {len(urls)} URLs x {len(METHODS)} methods x {len(ROLES)} roles = {checked} requests")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_it_lets_editors_actually_write_with_valid_data(corpus, editor, second_editor):
    """The other half of the table: "allowed" really is allowed, for each editor action."""
    client = Client()
    client.force_login(second_editor)
    claim = corpus["claim"]
    note = annotation_create(claim=claim, author=second_editor, body="Mine.")
    steps = [
        (f"/claims/{claim.pk}/annotations/", {"body": "A new note."}),
        (f"/annotations/{note.pk}/edit/", {"body": "Edited.", "version": note.version}),
        (f"/annotations/{note.pk}/delete/", {"version": note.version + 1}),
        (
            f"/claims/{claim.pk}/resolve/",
            {
                "verdict": "true",
                "rationale": "Settled.",
                "no_prevailing_reason": "Every source is right in part.",
                "version": corpus["resolution"].version,
            },
        ),
        (f"/claims/{claim.pk}/reopen/", {"version": corpus["resolution"].version + 1}),
        (f"/claims/{claim.pk}/assign/", {"version": Claim.objects.get(pk=claim.pk).version, "assignee": "me"}),
        (lambda: (f"/claims/{claim.pk}/kind/", {"kind": "state", "version": Claim.objects.get(pk=claim.pk).version})),
        (
            lambda: (
                f"/assertions/{corpus['assertion'].pk}/attribution/",
                {
                    "speaker": "The Kremlin",
                    "period_from": "2011",
                    "period_to": "2012",
                    "version": Assertion.objects.get(pk=corpus["assertion"].pk).version,
                },
            )
        ),
        (
            lambda: (
                f"/speakers/{corpus['speaker'].slug}/edit/",
                {
                    "name": "The Kremlin",
                    "kind": "government",
                    "aliases": "Kremlin",
                    "seen": speaker_fingerprint(Speaker.objects.get(pk=corpus["speaker"].pk)),
                },
            )
        ),
    ]
    for step in steps:
        # Steps after the first writes read the version they base on when they run.
        path, data = step() if callable(step) else step
        before = model_fingerprint()
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.status_code, response.content[:500])
        assert model_fingerprint() != before, path


@pytest.mark.django_db
def test_it_keeps_objects_out_of_reach_of_guessed_ids(corpus, editor, second_editor, reader, client):
    note = corpus["note"]
    client.force_login(second_editor)
    # Another editor's note: neither its edit form nor a save nor a delete.
    assert client.get(f"/annotations/{note.pk}/edit/").status_code == 403
    assert (
        client.post(f"/annotations/{note.pk}/edit/", {"body": "Mine now.", "version": note.version}).status_code == 403
    )
    assert client.post(f"/annotations/{note.pk}/delete/", {"version": note.version}).status_code == 403
    assert Annotation.objects.get(pk=note.pk).body == "Second thoughts."
    # Reverting history is staff's, whoever the editor.
    kind, history_id = corpus["history"]
    assert client.post(f"/history/{kind}/{history_id}/revert/", {"version": note.version}).status_code == 403
    # Admin objects by id: a redirect to the admin login, never the object.
    for path in (
        f"/admin/factcheck/annotation/{note.pk}/change/",
        f"/admin/auth/user/{editor.pk}/change/",
        f"/admin/factcheck/resolution/{corpus['resolution'].pk}/history/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), path
        assert b"Second thoughts" not in response.content
    # A note on another claim's assertion cannot be attached by guessing the assertion's id
    # (a real one, on a claim the editor may annotate), nor by an id that does not exist.
    elsewhere = make_claim(assertions=[(corpus["spare_source"], "supports", "Russia keeps its naval base at Tartus.")])
    other = elsewhere.assertions.get()
    notes = Annotation.objects.count()
    for guessed in (other.pk, 10**6):
        response = client.post(f"/claims/{corpus['claim'].pk}/annotations/", {"body": "x", "assertion": guessed})
        assert response.status_code == 422, guessed
        assert f"Assertion {guessed} is not one of this claim" in response.content.decode(), guessed
    assert Annotation.objects.count() == notes
    assert not Annotation.objects.filter(assertion=other).exists()
    # Ids that do not exist are 404s that say so, never 500s.
    for path in (
        "/claims/999999/",
        "/sources/999999/",
        "/annotations/999999/",
        "/api/claims/999999/",
        "/claims/99999999999999999999999/",
        "/annotations/999999/edit/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db
def test_it_never_shows_a_deleted_notes_text(corpus, editor, client):
    note = corpus["note"]
    client.force_login(editor)
    assert client.post(f"/annotations/{note.pk}/delete/", {"version": note.version}).status_code == 302
    client.logout()
    # Where the note stood, a tombstone; its text stays only in the claim's history (by design, revertible by staff).
    page = client.get(f"/claims/{corpus['claim'].pk}/").content.decode()
    article = re.search(rf'<article class="note note-deleted" id="note-{note.pk}">.*?</article>', page, re.S)
    assert article and "Note deleted by editor" in article.group() and "thoughts" not in article.group()
    for path in (f"/api/claims/{corpus['claim'].pk}/", "/search/?q=thoughts"):
        assert "Second thoughts" not in client.get(path).content.decode(), path
    response = client.get(f"/annotations/{note.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Second thoughts" not in response.content.decode()
    # Nor can it be edited back into view.
    client.force_login(editor)
    response = client.post(f"/annotations/{note.pk}/edit/", {"body": "Back again.", "version": note.version + 1})
    assert response.status_code in (409, 410, 422) and Annotation.objects.get(pk=note.pk).is_deleted


@pytest.mark.django_db
def test_it_lets_the_desk_actually_write_with_valid_data(corpus, editor, second_editor, publisher):
    """The new desk actions, allowed in the table, really write: approve (publisher), watch, mark read."""
    claim = corpus["claim"]
    draft = resolution_save(
        claim=claim, user=second_editor, verdict=Verdict.FALSE, rationale="No.", prevailing=[], version=1
    )
    assert draft.is_draft
    steps = [
        (publisher, f"/claims/{claim.pk}/approve/", {"version": draft.version}),
        (editor, "/watch/", {"claim": claim.pk}),
    ]
    for user, path, data in steps:
        client = Client()
        client.force_login(user)
        before = model_fingerprint()
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.status_code, response.content[:300])
        assert model_fingerprint() != before, path
    # Marking read changes a date, which the fingerprint (row counts and ids) does not see.
    unread = second_editor.notifications.filter(read_at__isnull=True)
    assert unread.count() == 1
    client = Client()
    client.force_login(second_editor)
    assert client.post("/inbox/read/", {}).status_code == 302
    assert unread.count() == 0
