"""Names with other spellings (NameAlias, seeded by 0019) keep their synonym group in document → claims matching."""

import pytest

from factcheck.analyser import Analyzer
from factcheck.evidence import load_vocabulary
from factcheck.suggestions import match_text
from factcheck.suggestions.matching import ClaimIndex
from tests.conftest import make_claim, make_topic


def _classes(analyzer, text):
    return [(t.cls, t.stem) for t in analyzer.terms(text)]


@pytest.mark.django_db
def test_it_counts_every_spelling_of_moscow_as_russia_when_matching_claims():
    aliases, synonyms = load_vocabulary(None)
    matching = Analyzer(aliases, synonyms, names_as_synonyms=True)
    [(russia, russia_stem)] = _classes(matching, "Russia")
    [(moscow, moscow_stem)] = _classes(matching, "Moscow")
    [(moskva, moskva_stem)] = _classes(matching, "Москва")
    assert moscow == moskva == russia
    # Still its own word: an exact match counts more than the synonym.
    assert moscow_stem == moskva_stem != russia_stem


@pytest.mark.django_db
def test_it_leaves_moscow_a_name_of_its_own_for_the_evidence_finder():
    aliases, synonyms = load_vocabulary(None)
    finder = Analyzer(aliases, synonyms)
    assert _classes(finder, "Moscow")[0][0] != _classes(finder, "Russia")[0][0]
    assert _classes(finder, "Moscow")[0][0] == _classes(finder, "Москва")[0][0]


@pytest.mark.django_db
def test_it_suggests_a_claim_about_russia_for_a_sentence_about_moscow():
    topic = make_topic()
    # Made first, so it would win the tie if Moscow counted for nothing.
    other = make_claim(topic, "Portugal closed its embassy in Lisbon.")
    russia = make_claim(topic, "Russia closed its embassy in Lisbon.")
    [passage] = match_text("Moscow closed its embassy in Lisbon on Monday.")
    assert [m.claim_id for m in passage.matches[:2]] == [russia.pk, other.pk]


@pytest.mark.django_db
def test_it_asks_the_claims_index_for_each_spelling_once_whatever_its_case():
    sql, params = ClaimIndex()._any({"Moscow", "moscow", "Москва", "москва", "Kremlin"})
    if ClaimIndex().pg:
        assert len(params) == 3
    else:
        assert params[0].count('"') == 6
