"""The interface in English, French, Russian and Arabic: chosen by cookie or browser, never by URL.

Each locale's pages show its own words (checked against strings written
here, not read back from the catalogues), Arabic pages run right to left, the
switcher sets the cookie and returns to the page, the page cache keeps the
languages apart, and the JSON API stays English whatever the browser asks.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import get_language_info

from factcheck.suggestions import compute
from tests.conftest import make_claim, make_source, make_topic

committed = pytest.mark.django_db(transaction=True)

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."

# What each locale's pages must say: the main navigation, and a word from the claim's columns.
WORDS = {
    "en": {"nav": ">Claims</a>", "sources": ">Sources</a>", "column": "Supports", "search": ">Search</button>"},
    "fr": {
        "nav": ">Affirmations</a>",
        "sources": ">Sources</a>",
        "column": "Confirme",
        "search": ">Rechercher</button>",
    },
    "ru": {
        "nav": ">Утверждения</a>",
        "sources": ">Источники</a>",
        "column": "Подтверждает",
        "search": ">Поиск</button>",
    },
    "ar": {"nav": ">الادعاءات</a>", "sources": ">المصادر</a>", "column": "يؤيد", "search": ">بحث</button>"},
}
DIRECTION = {"en": "ltr", "fr": "ltr", "ru": "ltr", "ar": "rtl"}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """LocaleMiddleware leaves the last request's language active in the thread: later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def corpus(db):
    topic = make_topic(title="Russian bases in Syria")
    alpha = make_source(title="Alpha", published=dt.date(2025, 10, 15))
    beta = make_source(title="Beta")
    claim = make_claim(
        topic=topic,
        text="Syria agreed to let Russia keep its bases.",
        assertions=[(alpha, "supports", Q1), (beta, "disputes", Q2)],
    )
    return {"topic": topic, "claim": claim, "source": alpha}


def _pages(corpus):
    return {
        "home": "/",
        "claim list": "/claims/",
        "claim": corpus["claim"].get_absolute_url(),
        "source": corpus["source"].get_absolute_url(),
    }


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["en", "fr", "ru", "ar"])
def test_it_renders_each_page_in_the_chosen_language(client, corpus, language):
    words = WORDS[language]
    for name, url in _pages(corpus).items():
        body = _in(client, language).get(url).content.decode()
        assert f'<html lang="{language}" dir="{DIRECTION[language]}">' in body, name
        assert words["nav"] in body and words["sources"] in body and words["search"] in body, name
    claim_page = client.get(corpus["claim"].get_absolute_url()).content.decode()
    assert words["column"] in claim_page


def test_it_writes_the_language_s_own_phrases_and_plurals(client, corpus):
    claim_list = _in(client, "ru").get("/claims/").content.decode()
    assert "1 утверждение" in claim_list and "2 источника" in claim_list
    source_page = _in(client, "fr").get(corpus["source"].get_absolute_url()).content.decode()
    # The date in French words and order; the untranslated English is gone.
    assert "15 octobre 2025" in source_page and "15 October 2025" not in source_page
    assert "Texte intégral" in source_page and "Full text" not in source_page
    arabic = _in(client, "ar").get(corpus["claim"].get_absolute_url()).content.decode()
    assert "مصدران" in arabic  # "two sources": Arabic's dual form


def test_it_follows_the_browser_when_no_language_was_chosen(client, corpus):
    assert ">Affirmations</a>" in client.get("/claims/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").content.decode()
    # A language the site does not offer falls back to English, the default.
    body = client.get("/claims/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="en" dir="ltr">' in body and ">Claims</a>" in body
    # The cookie the switcher sets wins over the browser.
    body = _in(client, "ru").get("/claims/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Утверждения</a>" in body


def test_it_says_which_language_a_response_is_in(client, corpus):
    response = _in(client, "ar").get("/claims/")
    assert response["Content-Language"] == "ar"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_it_offers_a_labelled_switcher_that_keeps_the_page(client, corpus):
    body = _in(client, "fr").get("/claims/?status=conflict").content.decode()
    assert '<form class="language-switcher" action="/i18n/setlang/" method="post">' in body
    assert '<label for="language-select">Langue</label>' in body
    assert '<input type="hidden" name="next" value="/claims/?status=conflict">' in body
    assert '<option value="fr" lang="fr" selected>français</option>' in body.lower()
    assert f'<option value="ar" lang="ar">{get_language_info("ar")["name_local"]}</option>' in body


def test_the_switcher_sets_the_cookie_and_returns_to_the_page(client, corpus):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/claims/"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"] == "/claims/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ar" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 'dir="rtl"' in client.get("/claims/").content.decode()


def test_the_switcher_refuses_other_sites_and_other_hosts(client, corpus):
    refused = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403 and settings.LANGUAGE_COOKIE_NAME not in refused.cookies
    refused = client.post("/i18n/setlang/", {"language": "fr"}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    # A "next" elsewhere is not followed: the reader lands on the home page.
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    # A language the site does not offer sets nothing.
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/i18n/setlang/").status_code == 405


def test_the_api_stays_english_whatever_the_browser_asks(client, corpus):
    claim = corpus["claim"]
    french = client.get(f"/api/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    english = client.get(f"/api/claims/{claim.pk}/").json()
    assert french == english
    error = _in(client, "ru").get("/api/claims/?status=bogus")
    assert error.status_code == 400
    assert error.json()["error"].startswith("Bad parameter — status: Select a valid choice.")


def test_it_keeps_the_query_count_of_a_page_in_every_language(client, corpus):
    counts = {}
    for language in ("en", "ar"):
        with CaptureQueriesContext(connection) as queries:
            assert _in(client, language).get(corpus["claim"].get_absolute_url()).status_code == 200
        counts[language] = len(queries)
    assert counts["ar"] == counts["en"]


@committed
def test_the_page_cache_never_serves_one_language_to_another(client):
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_claim(
        text="Syria agreed to let Russia keep its bases.", assertions=[(a, "supports", Q1), (b, "disputes", Q2)]
    )
    url = claim.get_absolute_url()
    english = client.get(url)
    assert english["X-Page-Cache"] == "miss"
    french = _in(client, "fr").get(url)
    assert french["X-Page-Cache"] == "miss" and ">Affirmations</a>" in french.content.decode()
    again = _in(client, "fr").get(url)
    assert again["X-Page-Cache"] == "hit" and ">Affirmations</a>" in again.content.decode()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    back = client.get(url)
    assert back["X-Page-Cache"] == "hit" and ">Claims</a>" in back.content.decode()
    # Chosen by the browser rather than the cookie: the same rule.
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic["X-Page-Cache"] == "miss" and 'dir="rtl"' in arabic.content.decode()


@committed
def test_the_shared_fragments_never_mix_languages(client, editor):
    # An editor's pages are never cached whole, but their assertion cards and source text are fragments.
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_claim(
        text="Syria agreed to let Russia keep its bases.", assertions=[(a, "supports", Q1), (b, "disputes", Q2)]
    )
    client.force_login(editor)
    english = client.get(claim.get_absolute_url()).content.decode()
    russian = _in(client, "ru").get(claim.get_absolute_url()).content.decode()
    assert "Read this passage in the source" in english
    assert "Прочитать этот фрагмент в источнике" in russian and "Read this passage in the source" not in russian


class _Page:
    """A page of no rows from a long list: what the result count shows, without 12,345 claims."""

    def __init__(self, count):
        self.paginator = type("Paginator", (), {"count": count, "num_pages": 1})()

    def __iter__(self):
        return iter(())


@pytest.mark.parametrize(
    "language, shown",
    [("en", "12,345 claims"), ("fr", "12\xa0345 affirmations"), ("ru", "12\xa0345 утверждений")],
)
def test_it_groups_counts_as_each_language_writes_them(rf, language, shown):
    with translation.override(language):
        html = render_to_string("factcheck/_claim_results.html", {"page": _Page(12345)}, request=rf.get("/claims/"))
    assert f'<p class="result-count">{shown}</p>' in html


# The features added with intake, suggestions, select-to-attach, remove/undo and narrowing, seen by an editor
# in French: each asserts words of the page and of a message, written here rather than read from the catalogue.
SELECTED = "the naval base at Tartus would stay under Russian control"
WIRE = (
    "Moscow said the naval base at Tartus would stay under Russian control.\n\n"
    "Damascus answered that all agreements signed under Assad were being reviewed."
)


def _editor_in_french(client, editor):
    client.force_login(editor)
    return _in(client, "fr")


def test_it_shows_the_intake_pages_in_french(client, editor):
    client = _editor_in_french(client, editor)
    page = client.get("/sources/add/").content.decode()
    assert "<h1>Ajouter une source</h1>" in page and "<strong>Déposez un document ici</strong>" in page
    assert "Ou collez le texte" in page and ">Le lire</button>" in page
    refused = client.post("/sources/add/", {"text": ""})
    assert refused.status_code == 422
    assert "Déposez ou choisissez un fichier, ou collez un texte : l’un des deux." in refused.content.decode()
    job = client.post("/sources/add/", {"text": WIRE}, follow=True).content.decode()
    assert ">Enregistrer la source</button>" in job and "Parle à la date du" in job
    assert "<h1>Ajout de texte collé</h1>" in job and "(texte collé, " in job


def test_it_shows_a_document_s_suggestions_in_french(client, editor):
    topic = make_topic(slug="russian-bases", title="Does Russia keep its bases?")
    make_claim(topic, "Russia agreed to keep its naval base at Tartus for another fifty years.")
    text = (
        "Russia will keep its naval base at Tartus for another fifty years, the two governments agreed.\n"
        "On 3 March 2025 the interior minister Karim Haddad told reporters that 40 prisons had been closed."
    )
    source = make_source(text, title="Wire")
    compute(source)
    page = _editor_in_french(client, editor).get(f"/sources/{source.pk}/suggestions/").content.decode()
    assert "<h1>Ce dont parle ce document</h1>" in page
    assert ">Accepter<" in page and ">Rejeter<" in page
    assert "Nouvelles affirmations possibles" in page and ">Pas une affirmation</button>" in page


def test_it_shows_the_attach_form_and_its_refusals_in_french(client, editor):
    source = make_source(WIRE, title="Wire")
    client = _editor_in_french(client, editor)
    start = WIRE.index(SELECTED)
    selection = {"start": start, "end": start + len(SELECTED), "quote": SELECTED}
    page = client.get(f"/sources/{source.pk}/attach/", selection).content.decode()
    assert "Rattacher le passage sélectionné à une affirmation" in page
    assert "confirme l’affirmation</label>" in page and ">Rattacher à cette affirmation</button>" in page
    short = client.get(f"/sources/{source.pk}/attach/", {"start": start, "end": start + 3, "quote": "the"})
    assert short.status_code == 422
    assert "La sélection compte 3 caractères ; une citation en compte au moins 12" in short.content.decode()


def test_it_shows_the_removal_and_its_undo_in_french(client, editor):
    alpha = make_source(title="Alpha")
    claim = make_claim(text="Syria agreed to let Russia keep its bases.", assertions=[(alpha, "supports", Q1)])
    assertion = claim.assertions.get()
    client = _editor_in_french(client, editor)
    page = client.post(f"/assertions/{assertion.pk}/remove/", {"version": assertion.version}).content.decode()
    assert "<h1>Retiré de l’affirmation</h1>" in page
    assert "Retiré : le passage de « Alpha »." in page and ">Annuler<" in page


def test_it_shows_the_narrowing_controls_and_the_stance_field_in_french(client, editor):
    text = "Russia keeps its naval base at Tartus. Officials in Damascus said the agreements will be respected."
    make_source(title="Bases report", text=text)
    attached = make_source(title="Attached", text="Russia keeps its naval base at Tartus, officials said.")
    claim = make_claim(text="Russia keeps its naval base at Tartus.", assertions=[(attached, "supports", Q1[:37])])
    client = _editor_in_french(client, editor)
    finder = client.get(f"/claims/{claim.pk}/evidence/", headers={"HX-Request": "true"}).content.decode()
    assert "N’en ajouter qu’une partie : sélectionnez les mots, ou déplacez" in finder
    assert 'data-whole="Le passage entier."' in finder and ">passage entier</button>" in finder
    assertion = claim.assertions.get()
    form = client.get(f"/assertions/{assertion.pk}/attribution/").content.decode()
    assert "Position : le passage…</label>" in form and ">confirme l’affirmation</option>" in form


def test_it_reads_a_document_in_the_language_of_the_editor_who_queued_it(client, editor):
    """The worker stores the refusal and stages as the editor will read them, whatever the worker's own language."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from factcheck.models import IntakeJob
    from factcheck.tasks import intake_extract

    client = _editor_in_french(client, editor)
    upload = SimpleUploadedFile("notes.pdf", b"Plain words in a file named as a PDF.", content_type="application/pdf")
    page = client.post("/sources/add/", {"file": upload}, follow=True).content.decode()
    assert "« notes.pdf » est du texte brut, pas un document PDF ; renommez-le en .txt et réessayez" in page
    assert "Rien n’a été enregistré." in page
    job = IntakeJob.objects.create(created_by=editor, pasted="   ", size=3)
    intake_extract.call(job.pk, "ru")
    job.refresh_from_db()
    assert (job.state, job.error_message, job.stage) == ("failed", "вставленный текст пуст", "Ошибка")
