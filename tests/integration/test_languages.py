"""Languages as data: a quote's language, the language filters, right-to-left display, old free text normalised."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from factcheck import services
from factcheck.models import Assertion, Claim, Source
from tests.conftest import make_claim, make_source, make_topic

RU_TEXT = "Министерство обороны России заявило, что корабли флота останутся в Тартусе до конца года."
AR_TEXT = "قالت الحكومة السورية إن القاعدة البحرية في طرطوس ستبقى تحت السيطرة الروسية مؤقتا."
FR_TEXT = "Selon le ministère, la flotte russe quittera la base navale de Tartous au printemps."
EN_RU_QUOTE = (
    "Moscow confirmed on Thursday that its navy would stay in Syria, at least for now, after weeks of talks with "
    "the new authorities in Damascus about the future of both Russian bases on the coast. "
    "The ministry's statement read: “Корабли флота останутся в Тартусе до конца года, как и было договорено.” "
    "Officials gave no further detail, and the Syrian foreign ministry did not respond to a request for comment."
)


@pytest.fixture
def corpus(db):
    topic = make_topic()
    ru, ar, fr = (make_source(text=t, language=code) for t, code in ((RU_TEXT, "ru"), (AR_TEXT, "ar"), (FR_TEXT, "fr")))
    en = make_source()
    claims = {
        "ru": make_claim(topic=topic, text="Ships stay in Tartus.", assertions=[(ru, "supports", RU_TEXT[:40])]),
        "ar": make_claim(topic=topic, text="The base stays Russian.", assertions=[(ar, "supports", AR_TEXT[:40])]),
        "fr": make_claim(topic=topic, text="The fleet leaves Tartus.", assertions=[(fr, "supports", FR_TEXT[:40])]),
        "en": make_claim(
            topic=topic, text="Russia keeps Tartus.", assertions=[(en, "supports", "Russia keeps its naval base")]
        ),
    }
    return {"topic": topic, "sources": {"ru": ru, "ar": ar, "fr": fr, "en": en}, "claims": claims}


# A quote's language


def test_a_quote_in_another_script_than_its_source_gets_its_language(db, editor):
    source = make_source(text=EN_RU_QUOTE, language="en")
    claim = make_claim()
    quote = "Корабли флота останутся в Тартусе до конца года, как и было договорено."
    assertion = Assertion(claim=claim, source=source, stance="supports", quote=quote)
    assertion.locate()
    services.assertion_create_located(assertion=assertion, user=editor)
    assertion.refresh_from_db()
    assert (assertion.language, assertion.quote_language, assertion.quote_direction) == ("ru", "ru", "ltr")


def test_a_quote_in_its_sources_script_is_left_to_the_editor(db, editor):
    # A French sentence in an English article: one script, and short texts are easily mistaken.
    text = "The minister was blunt. “La flotte russe restera à Tartous jusqu'à la fin de l'année,” he said in Paris."
    source = make_source(text=text, language="en")
    assertion = Assertion(
        claim=make_claim(), source=source, stance="supports", quote="La flotte russe restera à Tartous jusqu'à la fin"
    )
    assertion.locate()
    services.assertion_create_located(assertion=assertion, user=editor)
    assert Assertion.objects.get(pk=assertion.pk).language == ""


def test_a_quote_in_its_sources_language_keeps_a_blank_language(corpus):
    a = corpus["claims"]["ar"].assertions.get()
    assert (a.language, a.quote_language, a.quote_direction) == ("", "ar", "rtl")


def test_it_refuses_a_language_that_is_not_a_code_naming_the_code_meant(corpus, editor):
    a = corpus["claims"]["ru"].assertions.select_related("source").get()
    a.language = "Russian"
    with pytest.raises(ValidationError) as exc:
        services.assertion_update(assertion=a, user=editor, version=a.version)
    assert "use the code “ru”" in exc.value.message_dict["language"][0]
    assert Assertion.objects.get(pk=a.pk).language == ""


# Filters


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_the_claims_api_filters_by_the_language_quoted(client, corpus):
    claims = corpus["claims"]
    assert _ids(client.get("/api/claims/", {"language": "ru"})) == {claims["ru"].pk}
    assert _ids(client.get("/api/claims/", {"language": "ar"})) == {claims["ar"].pk}
    assert _ids(client.get("/api/claims/", {"language": "de"})) == set()
    assert _ids(client.get("/api/claims/")) == {c.pk for c in claims.values()}


def test_a_quote_in_its_own_language_counts_for_that_language_not_its_sources(client, corpus):
    a = corpus["claims"]["en"].assertions.get()
    Assertion.objects.filter(pk=a.pk).update(language="ru")
    assert _ids(client.get("/api/claims/", {"language": "ru"})) == {corpus["claims"]["ru"].pk, a.claim_id}
    assert a.claim_id not in _ids(client.get("/api/claims/", {"language": "en"}))


def test_the_sources_api_filters_by_language(client, corpus):
    assert _ids(client.get("/api/sources/", {"language": "fr"})) == {corpus["sources"]["fr"].pk}


def test_the_claims_and_sources_pages_filter_by_language(client, corpus):
    page = client.get("/claims/", {"language": "ar"}).content.decode()
    assert "The base stays Russian." in page and "Ships stay in Tartus." not in page
    page = client.get("/sources/", {"language": "ru"}).content.decode()
    assert corpus["sources"]["ru"].title in page and corpus["sources"]["fr"].title not in page


def test_search_filters_each_kind_by_language(client, corpus):
    page = client.get("/search/", {"q": "Tartus", "language": "fr"}).content.decode()
    assert corpus["sources"]["fr"].title in page
    assert corpus["sources"]["ru"].title not in page and corpus["sources"]["en"].title not in page


def test_compare_keeps_only_claims_quoted_in_the_language(client, corpus):
    s = corpus["sources"]
    both = make_claim(topic=corpus["topic"], text="Both speak.", assertions=[(s["en"], "disputes", "Tartus")])
    data = client.get("/api/compare/", {"s": [s["ru"].pk, s["en"].pk], "language": "ru"}).json()
    assert {row["id"] for row in data["results"]} == {corpus["claims"]["ru"].pk}
    data = client.get("/api/compare/", {"s": [s["ru"].pk, s["en"].pk]}).json()
    assert {row["id"] for row in data["results"]} == {corpus["claims"]["ru"].pk, corpus["claims"]["en"].pk, both.pk}


@pytest.mark.parametrize(
    "url", ["/claims/", "/api/claims/", "/sources/", "/api/sources/", "/search/?q=Tartus", "/api/compare/?a=1&b=2"]
)
def test_a_bad_language_is_a_400_naming_the_code(client, corpus, url):
    response = client.get(url, {"language": "Russian"})
    assert response.status_code == 400
    said = response.json()["error"] if url.startswith("/api/") else response.content.decode()
    assert "“Russian” is not an ISO 639-1 language code; use the code “ru”" in said


@pytest.mark.parametrize(
    "url, expected",
    [
        # count + page (claims joined to topics; the language a subquery of it)
        ("/claims/?language=ru", 2),
        # count + claims + assertions + their sources + the sources' root origins + the claims' wordings
        ("/api/claims/?language=ru", 6),
        # count + page + the page's assertion counts
        ("/sources/?language=ru", 3),
        ("/api/sources/?language=ru", 3),
    ],
)
def test_a_language_filter_keeps_the_query_count_constant(client, corpus, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    ru = corpus["sources"]["ru"]
    for n in range(15):
        make_claim(topic=corpus["topic"], assertions=[(ru, "disputes", RU_TEXT[:40])])
        make_source(text=f"{RU_TEXT} ({n})", language="ru")
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# Display direction


def test_an_arabic_source_text_reads_right_to_left(client, corpus):
    page = client.get(corpus["sources"]["ar"].get_absolute_url()).content.decode()
    assert '<div class="source-text" lang="ar" dir="rtl">' in page
    page = client.get(corpus["sources"]["ru"].get_absolute_url()).content.decode()
    assert '<div class="source-text" lang="ru" dir="ltr">' in page


def test_an_arabic_quote_reads_right_to_left_in_the_claim_columns_and_the_grid(client, corpus):
    claim = corpus["claims"]["ar"]
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'class="in-context" cite="' in page and 'lang="ar" dir="rtl">' in page
    grid = client.get(f"/topics/{corpus['topic'].slug}/").content.decode()
    assert '<blockquote lang="ar" dir="rtl">' in grid
    assert '<blockquote lang="ru" dir="ltr">' in grid


def test_a_quote_in_its_own_language_is_marked_inside_its_sources_context(client, db, editor):
    source = make_source(text=EN_RU_QUOTE, language="en")
    claim = make_claim(assertions=[(source, "supports", "Корабли флота останутся в Тартусе")])
    Assertion.objects.filter(claim=claim).update(language="ru")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert '<mark class="hl hl-supports" lang="ru" dir="ltr">' in page
    # And in the source reader, inside the English text.
    reader = client.get(source.get_absolute_url()).content.decode()
    assert f'data-claims="{claim.pk}" lang="ru" dir="ltr"><a ' in reader


# Migration 0015: free text that older versions stored


def test_the_migration_turns_unambiguous_language_names_into_codes_and_reports_the_rest(db, capsys):
    sources = [make_source() for _ in range(4)]
    for source, value in zip(sources, ["English", "RU", "en-GB", "Klingon"], strict=True):
        Source.objects.filter(pk=source.pk).update(language=value)
    migration = importlib.import_module("factcheck.migrations.0019_languages")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.normalise_source_languages(apps, editor)
    languages = [Source.objects.get(pk=s.pk).language for s in sources]
    assert languages == ["en", "ru", "en", "Klingon"]
    assert f"source {sources[3].pk}: 'Klingon'" in capsys.readouterr().out


def test_the_claim_quoted_in_a_language_is_found_once_however_many_quotes(corpus):
    ru = corpus["sources"]["ru"]
    claim = corpus["claims"]["ru"]
    make_claim(topic=corpus["topic"], assertions=[(ru, "qualifies", RU_TEXT[:20])])
    assert list(Claim.objects.in_language("ru").filter(pk=claim.pk)) == [claim]
