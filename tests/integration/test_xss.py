"""Every payload of tests/xss_payloads.py, through every field that echoes user text, comes back inert.

"Inert" is read off the HTML as a browser's parser would see it (tests/html_safety.py):
no script but our own static files, no event-handler or htmx-handler attribute,
no javascript:/data: URL, no iframe/object/embed/svg/base/style/meta-refresh.
Where a field is shown as plain text, the payload must also be there, escaped,
so a field that silently dropped its content cannot pass for a safe one.
The browser-tests issue renders the same corpus in Chromium and watches for dialogs.

The sweeps that only read (reader pages, echoed parameters, the JSON API) share
one corpus holding every payload, written once for the module (``corpus``); the
others write through the forms, the admin and the import, one payload after another.
"""

import itertools
import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from factcheck.corpus import import_corpus
from factcheck.models import Annotation, Assertion, Claim, Source, Speaker, Topic
from tests.conftest import make_claim, make_source, make_topic, rows_for_the_module
from tests.html_safety import unsafe_parts
from tests.xss_payloads import PAYLOADS

# A whole-site sweep: make test and CI run it, make test-fast leaves it out (docs/development.md).
pytestmark = [pytest.mark.sweep, pytest.mark.django_db]

ADMIN_ALLOW = ("svg",)  # the admin's own icons
_speakers = itertools.count(1)


class _Text(HTMLParser):
    """Text and attribute values of a page, entities decoded: what the reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(v for _, v in attrs if v)


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def shown_as_text(html, payload):
    parser = _Text()
    parser.feed(html)
    return _squash(payload) in _squash(" ".join(parser.parts)) or _squash(payload) in _squash("".join(parser.parts))


class Tally:
    """Payloads tried and pages read; every unsafe reflection is kept, reported together at the end."""

    def __init__(self):
        self.pages = 0
        self.unsafe = []

    def check(self, response, payload, allow=()):
        self.pages += 1
        path = response.request["PATH_INFO"]
        if response.status_code >= 500:
            self.unsafe.append((payload, path, f"status {response.status_code}"))
            return
        found = unsafe_parts(response.content.decode(), allow=allow)
        if found:
            self.unsafe.append((payload, path, found))

    def assert_clean(self, what):
        print(f"{what}: {len(PAYLOADS)} payloads, {self.pages} responses read, {len(self.unsafe)} unsafe")
        assert self.unsafe == []


def _corpus_with(payload):
    """A topic, two sources and a conflicting claim whose every text field carries the payload."""
    topic = make_topic(title=f"{payload} ?", description=payload)
    text = f"Opening sentence. {payload} Closing sentence with Tartus."
    a = make_source(text=text, title=payload, publisher=payload, author=payload, notes=payload)
    b = make_source(text=f"Another text. {payload} Denied at Tartus.", title=f"B {payload}")
    quote_a = payload.strip() if payload.strip() else "Opening sentence."
    specs = []
    for source, stance, quote, fallback in (
        (a, "supports", quote_a, "Opening sentence."),
        (b, "disputes", quote_a, "Denied at Tartus."),
    ):
        assertion = Assertion(claim=None, source=source, stance=stance, quote=quote)
        try:
            assertion.locate()
        except Exception:  # a payload made only of whitespace-like characters: quote the plain sentence
            quote = fallback
        specs.append((source, stance, quote))
    claim = make_claim(topic=topic, text=payload, assertions=specs)
    # B reports a speaker whose name and aliases are the payload: shown on the card, the source, the speaker pages.
    speaker = Speaker.objects.create(slug=f"xss-{next(_speakers)}", name=payload[:200], aliases=f"{payload}\nAlias")
    reported = claim.assertions.get(source=b)
    reported.speaker = speaker
    reported.save()
    return topic, claim, a, b


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Every payload's topic, sources and claim (``_corpus_with``), and a claim about it that search finds."""
    with rows_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            built = [(payload, _corpus_with(payload)) for payload in PAYLOADS]
            for payload in PAYLOADS:
                make_claim(text=f"About {payload} and Tartus.")
        yield built


def _routed(paths):
    """The paths, each checked to be served by this URLconf: a renamed URL fails the sweep, never leaves it."""
    unrouted = []
    for path in paths:
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            unrouted.append(path)
    assert unrouted == [], f"not routed, so not swept: {unrouted}"
    return paths


def test_it_fails_the_sweep_when_a_path_is_no_longer_routed():
    assert _routed(["/claims/1/", "/search/?q=x"]) == ["/claims/1/", "/search/?q=x"]
    with pytest.raises(AssertionError, match="/no-such-page/"):
        _routed(["/claims/1/", "/no-such-page/?q=x"])


def _reader_pages(topic, claim, a, b):
    speaker = claim.assertions.get(source=b).speaker
    return _routed(
        [
            f"/speakers/{speaker.slug}/",
            f"/topics/{topic.slug}/",
            f"/claims/{claim.pk}/",
            f"/sources/{a.pk}/",
            f"/sources/{b.pk}/",
            f"/compare/?a={a.pk}&b={b.pk}",
            f"/claims/{claim.pk}/history/",
        ]
    )


def test_it_escapes_corpus_text_on_every_reader_page(client, corpus):
    tally, dropped = Tally(), []
    for payload, (topic, claim, a, b) in corpus:
        for path in _reader_pages(topic, claim, a, b):
            response = client.get(path)
            assert response.status_code == 200, path
            tally.check(response, payload)
        # Shown, not dropped: the claim page carries the claim text, the source page the source title.
        speaker = claim.assertions.get(source=b).speaker
        for path in (f"/claims/{claim.pk}/", f"/sources/{a.pk}/", f"/speakers/{speaker.slug}/"):
            if not shown_as_text(client.get(path).content.decode(), payload):
                dropped.append((payload, path))
    for path in ("/", "/claims/", "/sources/", "/speakers/", "/?page=2", "/claims/?page=2", "/claims/?page=3"):
        tally.check(client.get(path), "the lists, many payloads at once")
    tally.assert_clean("reader pages")
    assert dropped == []


def test_it_renders_notes_and_rationales_inert_wherever_they_appear(client, editor, second_editor):
    """Markdown from editors: posted through the editors' own forms, read back on every page that shows it."""
    tally = Tally()
    other = Client()
    other.force_login(second_editor)
    client.force_login(editor)
    topic = make_topic()
    a = make_source(title="Alpha")
    b = make_source(title="Beta")
    for n, payload in enumerate(PAYLOADS):
        claim = make_claim(
            topic=topic,
            text=f"Plain claim text {n}.",
            assertions=[
                (a, "supports", "Russia keeps its naval base at Tartus."),
                (b, "disputes", "Talks about the bases are active as of July 2025."),
            ],
        )
        assertion = claim.assertions.first()
        for data in ({"body": payload}, {"body": payload, "assertion": assertion.pk}):
            response = client.post(f"/claims/{claim.pk}/annotations/", data, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.content[:300]
            tally.check(response, payload)
        note = Annotation.objects.filter(claim=claim).order_by("pk").first()
        response = client.post(
            f"/claims/{claim.pk}/resolve/",
            {"verdict": "mixed", "rationale": payload, "prevailing": [assertion.pk], "version": 0},
        )
        assert response.status_code == 302
        # A second editor's stale save: the 409 page shows both versions, theirs rendered from Markdown.
        response = other.post(
            f"/claims/{claim.pk}/resolve/",
            {"verdict": "false", "rationale": payload, "no_prevailing_reason": "None does.", "version": 0},
        )
        assert response.status_code == 409
        tally.check(response, payload)
        client_note = client.post(
            f"/annotations/{note.pk}/edit/", {"body": payload, "version": 0}, HTTP_HX_REQUEST="true"
        )
        assert client_note.status_code == 409
        tally.check(client_note, payload)
        # Edited (history shows the change), then the edit form shows the raw Markdown in its textarea.
        client.post(f"/annotations/{note.pk}/edit/", {"body": payload + " (edited)", "version": note.version})
        for path in (f"/claims/{claim.pk}/", f"/claims/{claim.pk}/history/", f"/annotations/{note.pk}/edit/"):
            response = client.get(path)
            assert response.status_code == 200, path
            tally.check(response, payload)
    tally.check(client.get("/review/"), "all payloads")
    tally.check(client.get(f"/claims/{claim.pk}/resolve/"), "last payload")
    client.logout()
    tally.check(client.get("/search/?q=edited"), "all payloads")
    tally.assert_clean("notes and rationales")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_it_escapes_speakers_in_the_editors_attribution_and_speaker_forms(corpus, editor_client):
    tally = Tally()
    for payload, (_topic, claim, _a, b) in corpus:
        reported = claim.assertions.get(source=b)
        # The form's pick list names every speaker: every payload at once.
        tally.check(editor_client.get(f"/assertions/{reported.pk}/attribution/"), payload)
        tally.check(editor_client.get(f"/assertions/{reported.pk}/attribution/", HTTP_HX_REQUEST="true"), payload)
        tally.check(editor_client.get(f"/speakers/{reported.speaker.slug}/edit/"), payload)
        tally.check(editor_client.get(f"/claims/{claim.pk}/"), payload)
    tally.assert_clean("editors' attribution forms")


def test_it_escapes_suggestions_and_what_their_forms_echo(corpus, editor_client):
    """The source page's suggestions (claim, passage, speaker, topics) and the refusals that quote the editor."""
    from factcheck.models import Suggestion

    tally = Tally()
    for payload, (_topic, claim, a, b) in corpus:
        speaker = claim.assertions.get(source=b).speaker
        at = a.text.index("Closing")
        made = [
            Suggestion.objects.create(
                source=a,
                claim=claim,
                start=0,
                end=17,
                stance="supports",
                speaker=speaker,
                score=0.5,
                digest=a.text_sha256,
            ),
            Suggestion.objects.create(source=a, start=at, end=len(a.text), speaker=speaker, digest=a.text_sha256),
        ]
        for path in _routed([f"/sources/{a.pk}/suggestions/", f"/sources/{a.pk}/"]):
            tally.check(editor_client.get(path), payload)
            tally.check(editor_client.get(path, HTTP_HX_REQUEST="true"), payload)
        for data in ({"passage": "0:17", "stance": "supports", "speaker": payload[:200]}, {"passage": payload[:25]}):
            tally.check(editor_client.post(f"/suggestions/{made[0].pk}/accept/", data, HTTP_HX_REQUEST="true"), payload)
        api = editor_client.get(f"/api/sources/{a.pk}/suggestions/")
        assert api["Content-Type"] == "application/json" and api.json()["results"][0]["claim"]["text"] == payload
        for s in made:
            s.delete()
    tally.assert_clean("suggestions")


def test_it_escapes_the_search_query_and_bad_parameters_it_echoes(client, corpus):
    tally = Tally()
    for payload in PAYLOADS:
        for path, params in [
            ("/search/", {"q": payload}),
            ("/claims/", {"q": payload}),
            ("/claims/", {"page": payload}),
            ("/claims/", {"status": payload}),
            ("/claims/", {"topic": payload}),
            ("/compare/", {"a": payload, "b": "1"}),
            ("/review/", {"topic": payload}),
            ("/speakers/", {"q": payload}),
        ]:
            _routed([path])
            tally.check(client.get(path, params), payload)
            if "q" in params:  # the as-you-type partials
                tally.check(client.get(path, params, HTTP_HX_REQUEST="true"), payload)
        assert shown_as_text(client.get("/search/", {"q": payload}).content.decode(), payload.strip()[:500]), payload
    tally.assert_clean("query parameters")


# The API's query parameters that its error messages may echo back.
API_ECHOES = [("/api/claims/", "q"), ("/api/claims/", "page"), ("/api/evidence/", "q"), ("/api/compare/", "a")]


def test_it_answers_json_api_echoes_as_json_never_html(client, corpus):
    _routed([path for path, _name in API_ECHOES])
    for payload in PAYLOADS:
        for path, name in API_ECHOES:
            response = client.get(path, {name: payload})
            assert response.status_code < 500
            assert response["Content-Type"].startswith("application/json"), path
            assert response["X-Content-Type-Options"] == "nosniff"
            json.loads(response.content)


def test_it_escapes_the_username_on_the_login_error_and_lockout_pages(client, settings):
    settings.AXES_FAILURE_LIMIT = 2  # one error page, then the lockout page, per payload
    tally = Tally()
    for payload in PAYLOADS:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = client.post("/accounts/login/", {"username": payload, "password": "wrong"})
            tally.check(response, payload)
        assert response.status_code == 429, payload  # the lockout page names the username too
    tally.assert_clean("login username")


def test_it_escapes_text_entered_in_the_admin(client, staff):
    client.force_login(staff)
    tally = Tally()
    for n, payload in enumerate(PAYLOADS):
        response = client.post(
            "/admin/factcheck/topic/add/", {"slug": f"xss-{n}", "title": payload, "description": payload}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        topic = Topic.objects.get(slug=f"xss-{n}")
        response = client.post(
            "/admin/factcheck/source/add/",
            {
                "key": f"xss-{n}",
                "title": payload,
                "notes": payload,
                "text": f"Start. {payload} End.",
                "kind": "news",
                "language": "en",
                "as_of_precision": "day",
                "publisher": payload,
                "author": payload,
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        source = Source.objects.get(key=f"xss-{n}")
        claim = make_claim(topic=topic, text=payload, assertions=[(source, "supports", "Start.")])
        for path in (
            f"/admin/factcheck/topic/{topic.pk}/change/",
            f"/admin/factcheck/source/{source.pk}/change/",
            f"/admin/factcheck/claim/{claim.pk}/change/",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            tally.check(response, payload, allow=ADMIN_ALLOW)
        tally.check(client.get(f"/claims/{claim.pk}/"), payload)
    # The lists and the recent-actions box show many payloads at once.
    for path in (
        "/admin/",
        "/admin/factcheck/topic/",
        "/admin/factcheck/source/",
        "/admin/factcheck/claim/",
        f"/admin/factcheck/source/{source.pk}/history/",
    ):
        tally.check(client.get(path), "admin lists", allow=ADMIN_ALLOW)
    tally.assert_clean("admin text fields")


def test_it_escapes_everything_an_import_brings_in(client, tmp_path):
    """One corpus file carrying every payload in every text field, imported, then every page read."""
    data = {"format": "factcheck-corpus/1", "sources": [], "topics": [], "claims": []}
    for n, payload in enumerate(PAYLOADS):
        quote = payload.strip()
        data["sources"].append(
            {
                "key": f"xss-source-{n}",
                "title": payload,
                "publisher": payload,
                "author": payload,
                "notes": payload,
                "kind": "news",
                "language": "en",
                "text": f"Start {n}. {payload} End {n}.",
            }
        )
        data["topics"].append({"slug": f"xss-topic-{n}", "title": payload, "description": payload})
        data["claims"].append(
            {
                "key": f"xss-claim-{n}",
                "topic": f"xss-topic-{n}",
                "text": payload,
                "assertions": [
                    {"source": f"xss-source-{n}", "stance": "supports", "quote": f"Start {n}."},
                    {"source": f"xss-source-{n}", "stance": "disputes", "quote": quote},
                ],
            }
        )
    result = import_corpus(data, base_dir=tmp_path, label="xss.json")
    assert result.created["claims"] == len(PAYLOADS)
    tally = Tally()
    for n, payload in enumerate(PAYLOADS):
        claim = Claim.objects.get(key=f"xss-claim-{n}")
        source = Source.objects.get(key=f"xss-source-{n}")
        for path in (f"/claims/{claim.pk}/", f"/sources/{source.pk}/", f"/topics/xss-topic-{n}/"):
            response = client.get(path)
            assert response.status_code == 200
            tally.check(response, payload)
        assert shown_as_text(client.get(f"/claims/{claim.pk}/").content.decode(), payload), payload
    for path in ("/", "/claims/", "/sources/", "/search/?q=Start"):
        tally.check(client.get(path), "all payloads")
    tally.assert_clean("import")


def test_it_escapes_what_the_admin_import_page_echoes(client, staff):
    """Import through the admin: its problem list, its dry-run summary and its change list all quote the file."""
    client.force_login(staff)
    tally = Tally()

    def upload(data, name="corpus.json", **extra):
        from django.core.files.uploadedfile import SimpleUploadedFile

        body = json.dumps(data).encode() if not isinstance(data, bytes) else data
        response = client.post("/admin/factcheck/claim/import/", {"file": SimpleUploadedFile(name, body), **extra})
        if response.status_code == 302:
            response = client.get(response["Location"])
        tally.check(response, f"import {name}", allow=ADMIN_ALLOW)
        return response

    bad = {"format": "factcheck-corpus/1", "sources": [], "topics": [], "claims": []}
    good = {"format": "factcheck-corpus/1", "sources": [], "topics": [], "claims": []}
    for n, payload in enumerate(PAYLOADS):
        # Every kind of reference that the problem list names back: unknown keys, bad stances, absent quotes.
        bad["claims"].append(
            {
                "key": f"bad-{n}",
                "topic": payload,
                "text": payload,
                "assertions": [{"source": payload, "stance": payload, "quote": payload}],
            }
        )
        good["sources"].append(
            {
                "key": f"good-{n}",
                "title": payload,
                "notes": payload,
                "kind": "news",
                "text": f"Good {n}. {payload} Done.",
            }
        )
        good["topics"].append({"slug": f"good-{n}", "title": payload, "description": payload})
        good["claims"].append(
            {
                "key": f"good-{n}",
                "topic": f"good-{n}",
                "text": payload,
                "assertions": [{"source": f"good-{n}", "stance": "supports", "quote": f"Good {n}."}],
            }
        )
    response = upload(bad)
    assert response.status_code == 400 and b"bad-0" in response.content
    assert upload(good, dry_run="on").status_code == 200
    assert upload(good).status_code == 200
    assert Claim.objects.filter(key__startswith="good-").count() == len(PAYLOADS)
    for payload in PAYLOADS[:20]:  # the uploaded file's own name is echoed too
        upload(b"not json", name=f"{payload.replace('/', '_')[:80]}.json")
    upload("text,claim\n".join(PAYLOADS).encode(), name="claims.csv")
    tally.assert_clean("admin import")
