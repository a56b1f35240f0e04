"""Search and the evidence finder in Russian, Arabic and French, with every alias spelling.

The texts are tests/multilingual_eval/set.json's, written for the tests.
"""

import pytest

from factcheck import evidence
from factcheck.search import search
from tools.eval_multilingual import add_documents, load_set, measure

SET = load_set()
DOCUMENT_LANGUAGE = {d["key"]: d["language"] for d in SET["documents"]}


@pytest.fixture
def documents(db):
    return add_documents(SET["documents"])


@pytest.mark.parametrize("case", SET["search"], ids=lambda c: c["query"])
def test_it_finds_every_document_naming_a_place_or_person_in_any_spelling(documents, case):
    hits = search(case["query"], kinds=("sources",), limit=50).kinds["sources"].hits
    key_of = {s.pk: key for key, s in documents.items()}
    assert {key_of[h.id] for h in hits} == set(case["answers"])


@pytest.mark.parametrize("case", SET["evidence"], ids=lambda c: c["query"])
def test_the_evidence_finder_finds_passages_in_every_language_for_a_claim(documents, case):
    found = {e.source_id for e in evidence.find_evidence(case["query"], limit=5)}
    assert {documents[key].pk for key in case["answers"]} <= found


def test_it_finds_inflected_russian_forms_of_an_alias(documents):
    # The Russian text says "в Тартусе" and "в Москву": forms the alias table does not list.
    assert documents["ru-tartus"].pk in {h.id for h in search("Tartus", kinds=("sources",)).kinds["sources"].hits}
    assert documents["ru-hmeimim"].pk in {h.id for h in search("Moscow", kinds=("sources",)).kinds["sources"].hits}


def test_it_finds_an_arabic_name_with_a_proclitic(db):
    source = add_documents([{"key": "ar-bi", "language": "ar", "text": "رست السفن بطرطوس منذ عقود طويلة."}])["ar-bi"]
    found = evidence.find_evidence("ships at Tartus", limit=3)
    assert [e.source_id for e in found] == [source.pk]


def test_it_ignores_arabic_vowel_marks_and_russian_stress_in_the_query(documents):
    for query in ("طَرْطُوس", "Та́ртус"):
        hits = search(query, kinds=("sources",)).kinds["sources"].hits
        assert documents["ar-tartus"].pk in {h.id for h in hits}, query


def test_it_finds_a_russian_word_in_another_grammatical_case(documents):
    # "пшеница" (nominative) in the query, "пшеницы" (genitive) in the text: the Russian stem joins them.
    hits = search("пшеница", kinds=("sources",)).kinds["sources"].hits
    assert [h.id for h in hits] == [documents["ru-latakia"].pk]


def test_the_recall_report_counts_each_language(db):
    result = measure(SET)
    assert set(result["evidence"]) == {"ar", "en", "fr", "ru"}
    wanted = sum(len(c["answers"]) for c in SET["evidence"])
    assert sum(w for _, w in result["evidence"].values()) == wanted
    assert result["misses"] == []
