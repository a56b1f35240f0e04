"""A claim's wordings in other languages are found by search; a source's language re-indexes its rows."""

import pytest
from django.db import connection

from factcheck import derived, services
from factcheck.models import ClaimTranslation
from factcheck.search import search
from factcheck.search_index import index_counts
from tests.conftest import make_claim, make_source

RU_WORDING = "Россия сохранит базы в Тартусе и Хмеймиме."
FR_WORDING = "La Russie gardera ses bases à Tartous."


def _ids(raw, **kwargs):
    return [hit.id for hit in search(raw, kinds=["claims"], **kwargs).kinds["claims"].hits]


@pytest.fixture
def claim(db):
    return make_claim(text="Russia keeps its Syrian bases.")


def test_it_finds_a_claim_by_its_translated_wording(claim, editor):
    assert _ids("сохранит") == []
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    services.claim_translation_save(claim=claim, user=editor, language="fr", text=FR_WORDING)
    assert _ids("сохранит") == [claim.pk]
    assert _ids("gardera") == [claim.pk]
    # The claim's own text is still found, once, whatever its wordings.
    assert _ids("Syrian bases") == [claim.pk]


def test_it_finds_a_russian_wording_in_another_grammatical_case(claim, editor):
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    assert _ids("Тартус") == [claim.pk]


def test_an_edited_or_removed_wording_is_no_longer_found(claim, editor):
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    services.claim_translation_save(claim=claim, user=editor, language="ru", text="Россия уходит из Сирии.")
    assert _ids("сохранит") == []
    assert _ids("уходит") == [claim.pk]
    services.claim_translation_delete(translation=ClaimTranslation.objects.get(claim=claim), user=editor)
    assert _ids("уходит") == []
    assert _ids("Syrian") == [claim.pk]


def test_a_deleted_claim_leaves_no_index_row_behind(claim, editor):
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    claim.delete()
    documents, indexed = index_counts()["claims"]
    assert documents == indexed
    assert _ids("сохранит") == []


def test_the_rebuilt_index_holds_the_wordings(claim, editor):
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    derived.recompute_all()
    assert _ids("сохранит") == [claim.pk]
    assert derived.problems() == []


RU_TEXT = "Представитель Кремля сказал: базы в Тартусе останутся российскими. Переговоры продолжаются."


def test_a_sources_passages_and_quotes_follow_a_change_of_its_language(client, editor):
    """Search finds the Russian passage by another form of the name once the source is Russian.

    PostgreSQL indexes each passage in its language's configuration, so the
    change re-indexes them (checked in the stored lexemes too); SQLite's index
    is the same for every language and needs nothing.
    """
    source = make_source(text=RU_TEXT, language="en", title="Kremlin statement")
    make_claim(text="Russia keeps Tartus.", assertions=[(source, "supports", "базы в Тартусе останутся российскими")])

    def lexemes(kind, where):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(vec::text, ' ') FROM factcheck_fts_{kind} m WHERE m.id IN ({where})", [source.pk]
            )
            return cursor.fetchone()[0]

    passages = "SELECT id FROM factcheck_passage WHERE source_id = %s"
    quotes = "SELECT id FROM factcheck_assertion WHERE source_id = %s"
    postgres = connection.vendor == "postgresql"
    if postgres:  # indexed as English, the Russian words are only as written: no Russian stem
        assert "'тартус'" not in lexemes("passages", passages)
        assert "'тартус'" not in lexemes("quotes", quotes)
    source.language = "ru"
    services.source_update_details(source=source, user=editor)
    if postgres:
        assert "'тартус'" in lexemes("passages", passages)
        assert "'тартус'" in lexemes("quotes", quotes)
    found = client.get("/search/", {"q": "Тартус", "kind": "quotes"}).content.decode()
    assert "Kremlin statement" in found


def test_the_claim_page_shows_each_wording_in_its_language_and_direction(client, claim, editor):
    services.claim_translation_save(claim=claim, user=editor, language="ar", text="روسيا تحتفظ بقاعدة طرطوس.")
    services.claim_translation_save(claim=claim, user=editor, language="ru", text="<b>Россия</b> сохранит базы.")
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert '<dd lang="ar" dir="rtl">روسيا تحتفظ بقاعدة طرطوس.</dd>' in html
    assert '<dd lang="ru" dir="ltr">&lt;b&gt;Россия&lt;/b&gt; сохранит базы.</dd>' in html
    assert "<dt>Arabic</dt>" in html and "<dt>Russian</dt>" in html


def test_a_claim_without_wordings_shows_no_wordings_list(client, claim):
    assert 'class="claim-wordings"' not in client.get(f"/claims/{claim.pk}/").content.decode()


def test_the_claim_json_lists_its_wordings_and_keeps_its_fields(client, claim, editor):
    before = client.get(f"/api/claims/{claim.pk}/").json()
    assert before["translations"] == []
    services.claim_translation_save(claim=claim, user=editor, language="ru", text=RU_WORDING)
    services.claim_translation_save(claim=claim, user=editor, language="fr", text=FR_WORDING)
    after = client.get(f"/api/claims/{claim.pk}/").json()
    assert after["translations"] == [{"language": "fr", "text": FR_WORDING}, {"language": "ru", "text": RU_WORDING}]
    assert {k: v for k, v in after.items() if k != "translations"} == {
        k: v for k, v in before.items() if k != "translations"
    }
    listed = client.get("/api/claims/").json()["results"]
    assert [c["translations"] for c in listed if c["id"] == claim.pk] == [after["translations"]]


def test_an_editor_adds_replaces_and_removes_a_wording_on_the_claim_page(client, claim, editor):
    client.force_login(editor)
    url = f"/claims/{claim.pk}/wordings/"
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"language": "ru", "text": RU_WORDING})
    assert response.status_code == 302 and response["Location"] == claim.get_absolute_url()
    client.post(url, {"language": "ru", "text": "Россия уходит из Сирии."})
    assert list(claim.translations.values_list("language", "text")) == [("ru", "Россия уходит из Сирии.")]
    assert _ids("уходит") == [claim.pk]
    response = client.post(url, {"language": "ru", "remove": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'class="claim-wordings"' not in response.content.decode()
    assert not claim.translations.exists()
    # Added, changed, removed: each recorded with its editor.
    history = ClaimTranslation.history.filter(claim_id=claim.pk).order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [("+", editor), ("~", editor), ("-", editor)]


def test_it_refuses_a_bad_language_or_an_empty_wording_naming_the_field(client, claim, editor):
    client.force_login(editor)
    url = f"/claims/{claim.pk}/wordings/"
    response = client.post(url, {"language": "Russian", "text": RU_WORDING})
    assert response.status_code == 422
    assert "language" in response.content.decode() and "“ru”" in response.content.decode()
    response = client.post(url, {"language": "ru", "text": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Write the claim as a reader of that language would read it." in response.content.decode()
    assert not claim.translations.exists()


def test_readers_cannot_word_a_claim_and_see_no_form(client, claim, reader):
    client.force_login(reader)
    assert "/wordings/" not in client.get(f"/claims/{claim.pk}/").content.decode()
    assert client.post(f"/claims/{claim.pk}/wordings/", {"language": "ru", "text": RU_WORDING}).status_code == 403
    assert not claim.translations.exists()
