"""Translations beside verified originals: a quote's translation, a claim's wordings, a translated source."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from factcheck import corpus, services
from factcheck.models import Assertion, Claim, ClaimTranslation
from factcheck.search import search
from factcheck.services import StaleEdit
from tests.conftest import make_claim, make_source, make_topic
from tests.corpus_docs import claim_record, corpus_doc, quote_record

RU_TEXT = "Представитель Кремля сказал: базы в Тартусе и Хмеймиме останутся российскими. Переговоры продолжаются."
RU_QUOTE = "базы в Тартусе и Хмеймиме останутся российскими"
EN_TRANSLATION = "the bases at Tartus and Hmeimim will remain Russian"


@pytest.fixture
def quoted(db):
    source = make_source(text=RU_TEXT, language="ru", title="Izvestia interview")
    claim = make_claim(text="Russia keeps its bases.", assertions=[(source, "supports", RU_QUOTE)])
    return claim.assertions.select_related("source").get()


def _translate(assertion, user, **fields):
    values = {"translation": EN_TRANSLATION, "translation_language": "en", "translator": "Anna Petrova", **fields}
    return services.assertion_set_translation(assertion=assertion, user=user, version=assertion.version, **values)


def test_a_translation_keeps_the_verified_original_and_its_offsets(quoted, editor):
    before = (quoted.quote, quoted.start, quoted.end)
    saved = _translate(quoted, editor)
    assert (saved.quote, saved.start, saved.end) == before
    assert (saved.translation, saved.translation_language, saved.translator) == (EN_TRANSLATION, "en", "Anna Petrova")
    assert saved.version == quoted.version + 1
    latest = saved.history.latest()
    assert (latest.history_user, latest.translation) == (editor, EN_TRANSLATION)


def test_the_translator_defaults_to_the_editor_and_blank_removes_the_translation(quoted, editor):
    saved = _translate(quoted, editor, translator="")
    assert saved.translator == "editor"
    cleared = services.assertion_set_translation(
        assertion=saved, user=editor, version=saved.version, translation="", translation_language="en", translator="x"
    )
    assert (cleared.translation, cleared.translation_language, cleared.translator) == ("", "", "")


def test_it_refuses_a_translation_without_its_language_or_on_a_stale_version(quoted, editor):
    with pytest.raises(ValidationError) as exc:
        _translate(quoted, editor, translation_language="")
    assert "translation_language" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _translate(quoted, editor, translation_language="English")
    assert "use the code “en”" in exc.value.message_dict["translation_language"][0]
    _translate(quoted, editor)
    with pytest.raises(StaleEdit):
        _translate(quoted, editor, translator="Someone else")
    assert Assertion.objects.get(pk=quoted.pk).translator == "Anna Petrova"


def test_the_claim_page_shows_the_translation_beneath_the_original(client, quoted, editor):
    _translate(quoted, editor)
    page = client.get(quoted.claim.get_absolute_url()).content.decode()
    original, translation = page.index(RU_QUOTE), page.index(EN_TRANSLATION)
    assert original < translation
    assert '<blockquote lang="en" dir="ltr"><p>the bases at Tartus' in page
    assert "Translation by <bdi>Anna Petrova</bdi>" in page


def test_an_arabic_translation_reads_right_to_left(client, quoted, editor):
    _translate(quoted, editor, translation="ستبقى القواعد روسية", translation_language="ar")
    page = client.get(quoted.claim.get_absolute_url()).content.decode()
    assert '<blockquote lang="ar" dir="rtl"><p>ستبقى القواعد روسية</p></blockquote>' in page


def test_search_finds_a_quote_by_its_original_and_by_its_translation(quoted, editor):
    _translate(quoted, editor)
    for query in ("останутся российскими", "remain Russian", "Хмеймим"):
        assert [h.id for h in search(query, kinds=("quotes",)).kinds["quotes"].hits] == [quoted.pk], query
    # Found by its translation, the quote is still shown in the verified original's words.
    (hit,) = search("remain Russian", kinds=("quotes",)).kinds["quotes"].hits
    assert "останутся российскими" in hit.snippet and "remain" not in hit.snippet


def test_the_api_gives_the_quotes_language_and_translation(client, quoted, editor):
    _translate(quoted, editor)
    (assertion,) = client.get(f"/api/claims/{quoted.claim_id}/").json()["assertions"]
    assert assertion["language"] is None  # the source's: Russian
    assert assertion["translation"] == {"text": EN_TRANSLATION, "language": "en", "translator": "Anna Petrova"}


# A claim's wordings in other languages


def test_a_claim_has_one_wording_per_language(db, editor):
    claim = make_claim()
    services.claim_translation_save(claim=claim, user=editor, language="ru", text="Россия сохраняет базы.")
    services.claim_translation_save(claim=claim, user=editor, language="ru", text="Россия сохранит базы.")
    services.claim_translation_save(claim=claim, user=editor, language="ar", text="روسيا تحتفظ بقواعدها.")
    assert dict(claim.translations.values_list("language", "text")) == {
        "ru": "Россия сохранит базы.",
        "ar": "روسيا تحتفظ بقواعدها.",
    }
    assert ClaimTranslation.history.filter(claim_id=claim.pk, language="ru").count() == 2
    with pytest.raises(ValidationError) as exc:
        services.claim_translation_save(claim=claim, user=editor, language="xx", text="?")
    assert "language" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.claim_translation_save(claim=claim, user=editor, language="fr", text="   ")


def test_editors_add_a_claims_wording_in_the_admin_inline(client, staff, db):
    claim = make_claim()
    client.force_login(staff)
    url = f"/admin/factcheck/claim/{claim.pk}/change/"
    data = {
        "topic": claim.topic_id,
        "text": claim.text,
        "kind": claim.kind,
        "assigned_to": "",
        "base_version": claim.version,
        "assertions-TOTAL_FORMS": 0,
        "assertions-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 1,
        "translations-INITIAL_FORMS": 0,
        "translations-0-language": "fr",
        "translations-0-text": "La Russie garde ses bases.",
    }
    assert client.post(url, data).status_code == 302
    row = ClaimTranslation.objects.get(claim=claim)
    assert (row.language, row.text, row.history.get().history_user) == ("fr", "La Russie garde ses bases.", staff)
    data["translations-0-language"] = "French"
    response = client.post(url, {**data, "translations-0-language": "French"})
    assert response.status_code == 200 and "use the code “fr”" in response.content.decode()


def test_the_assertion_admin_refuses_a_translation_without_a_translator(client, staff, quoted):
    client.force_login(staff)
    url = f"/admin/factcheck/assertion/{quoted.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        claim=quoted.claim_id,
        source=quoted.source_id,
        stance=quoted.stance,
        quote=quoted.quote,
        translation=EN_TRANSLATION,
        translation_language="en",
        translator="",
        speaker="",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Name who translated it" in response.content.decode()
    assert Assertion.objects.get(pk=quoted.pk).translation == ""


# A translated source and its original are one origin


def test_a_source_and_its_translation_count_as_one_independent_origin(db, editor):
    original = make_source(text="Le ministère a confirmé que la flotte reste à Tartous pour l'instant.", language="fr")
    translated = make_source(text="The ministry confirmed that the fleet stays in Tartus for now.", language="en")
    claim = make_claim(
        assertions=[(original, "supports", "la flotte reste à Tartous"), (translated, "supports", "the fleet stays")]
    )
    assert Claim.objects.get(pk=claim.pk).origin_count == 2
    services.derivation_add(source=translated, user=editor, origin_source=original, relation="translates")
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.source_count, claim.origin_count) == (2, 1)


# Corpus format 2


# Outside a test transaction: PostgreSQL refuses flush's TRUNCATE inside one.
@pytest.mark.django_db(transaction=True)
def test_translations_round_trip_through_export_and_import(tmp_path, editor):
    source = make_source(text=RU_TEXT, language="ru", key="izvestia")
    claim = make_claim(topic=make_topic(slug="bases"), text="Russia keeps its bases.")
    a = Assertion(claim=claim, source=source, stance="supports", quote=RU_QUOTE)
    a.locate()
    services.assertion_create_located(assertion=a, user=editor)
    _translate(Assertion.objects.get(pk=a.pk), editor)
    services.claim_translation_save(claim=claim, user=editor, language="ru", text="Россия сохраняет базы.")
    first = corpus.export_corpus()
    (exported,) = first["claims"]
    assert exported["translations"] == [{"language": "ru", "text": "Россия сохраняет базы."}]
    assert exported["assertions"][0]["translation"] == {
        "text": EN_TRANSLATION,
        "language": "en",
        "translator": "Anna Petrova",
    }
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")

    call_command("flush", interactive=False, verbosity=0)
    call_command("import_corpus", str(path), stdout=io.StringIO())

    assert corpus.export_corpus() == first
    imported = Assertion.objects.get()
    assert (imported.start, imported.end, imported.quote) == (a.start, a.end, RU_QUOTE)
    assert not corpus.import_corpus(json.loads(path.read_text(encoding="utf-8"))).changed


def test_an_import_names_a_bad_translation(db):
    doc = corpus_doc(
        claim_record(
            "c",
            "Russia keeps its bases.",
            quote_record("s", RU_QUOTE, translation={"text": "x", "language": "en"}),
            translations=[{"language": "Russian", "text": "Россия"}],
        ),
        sources=[{"key": "s", "title": "S", "language": "ru", "text": RU_TEXT}],
        format="factcheck-corpus/2",
    )
    with pytest.raises(corpus.CorpusError) as exc:
        corpus.import_corpus(doc)
    problems = " ".join(exc.value.problems)
    assert "translations[0].language': “Russian” is not an ISO 639-1 language code" in problems
    assert "field 'translation.translator' is required" in problems
    assert not Claim.objects.exists()


def test_the_write_api_adds_a_quote_with_its_translation_and_refuses_one_without_translator(client, editor):
    secret = services.api_token_issue(user=editor, name="desk")[1]
    source = make_source(text=RU_TEXT, language="ru")
    claim = make_claim()
    url = f"/api/claims/{claim.pk}/assertions/"
    body = {"source": source.pk, "stance": "supports", "quote": RU_QUOTE, "translation": EN_TRANSLATION}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    refused = client.post(url, json.dumps({**body, "translation_language": "en"}), "application/json", **auth)
    assert refused.status_code == 400 and "translator" in refused.json()["fields"]
    assert not claim.assertions.exists()
    body.update(translation_language="en", translator="Desk")
    response = client.post(url, json.dumps(body), "application/json", **auth)
    assert response.status_code == 201, response.content
    (added,) = response.json()["assertions"]
    assert added["translation"] == {"text": EN_TRANSLATION, "language": "en", "translator": "Desk"}


# Editors on the site (the admin is for staff): the attribution form


def _attribution(assertion, **fields):
    data = {"speaker": "", "stated_on": "", "period_from": "", "period_to": "", "version": assertion.version}
    return {**data, "language": "", "translation": "", "translation_language": "", "translator": "", **fields}


def test_an_editor_adds_a_translation_on_the_site(client, quoted, editor):
    client.force_login(editor)
    url = f"/assertions/{quoted.pk}/attribution/"
    form = client.get(url).content.decode()
    assert 'name="translation"' in form and 'name="language"' in form
    response = client.post(url, _attribution(quoted, translation=EN_TRANSLATION, translation_language="en"))
    assert response.status_code == 302
    saved = Assertion.objects.get(pk=quoted.pk)
    assert (saved.translation, saved.translator, saved.version) == (EN_TRANSLATION, "editor", quoted.version + 1)
    assert saved.history.latest().history_user == editor


def test_the_site_form_names_a_bad_language_and_saves_nothing(client, quoted, editor):
    client.force_login(editor)
    before = Assertion.objects.get(pk=quoted.pk).version
    response = client.post(
        f"/assertions/{quoted.pk}/attribution/",
        _attribution(quoted, translation=EN_TRANSLATION, translation_language="English"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "use the code “en”" in response.content.decode()
    assert Assertion.objects.get(pk=quoted.pk).version == before


def test_a_form_without_the_language_fields_leaves_the_translation_alone(client, quoted, editor):
    _translate(quoted, editor)
    client.force_login(editor)
    current = Assertion.objects.get(pk=quoted.pk)
    data = {"speaker": "", "stated_on": "2025", "period_from": "", "period_to": "", "version": current.version}
    assert client.post(f"/assertions/{quoted.pk}/attribution/", data).status_code == 302
    assert Assertion.objects.get(pk=quoted.pk).translation == EN_TRANSLATION
