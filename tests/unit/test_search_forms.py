"""Site search reads words with the evidence finder's analyser: word forms, compounds, phrasal verbs."""

from factcheck.analyser import Analyzer, search_forms
from factcheck.search import parse_query


def _alternatives(raw):
    return [[" ".join(alt).lower() for alt in g.alternatives] for g in parse_query(raw).groups]


def test_it_gives_a_demonym_and_its_country_the_same_forms():
    assert set(search_forms(["russian"], 0)[1]) == set(search_forms(["russia"], 0)[1]) >= {"russia", "russian"}


def test_it_agrees_with_the_evidence_analyser_on_every_form():
    analyzer = Analyzer(None)
    for word in ("russian", "syria", "took", "twelve", "sept", "defence"):
        stems = {analyzer.terms(form)[0].stem for form in search_forms([word], 0)[1]}
        assert stems == {analyzer.terms(word)[0].stem}, word


def test_it_reads_a_phrasal_verb_as_its_meaning_and_keeps_the_verb():
    length, forms = search_forms(["hand", "over", "assad"], 0)
    assert length == 2
    assert forms[0] == "hand"  # what the engines found before ("over" is a stop word)
    assert "extradite" in forms


def test_it_reads_a_compound_written_either_way():
    assert {"air base", "airbase", "airfield"} <= set(search_forms(["air", "base"], 0)[1])


def test_it_expands_typed_words_with_their_forms():
    assert _alternatives("Russian bases Syria") == [
        ["russian", "russia", "russians"],
        ["bases"],
        ["syria", "syrian", "syrians"],
    ]
    assert _alternatives("hand over Assad")[0] == ["hand", "extradite"]


def test_it_keeps_hyphenated_words_and_quoted_phrases_as_written():
    assert _alternatives("al-Assad") == [["al assad"]]
    assert _alternatives('"Russian bases"') == [["russian bases"]]


def test_it_still_matches_the_last_word_as_a_prefix():
    assert parse_query("Russian bases Syr").groups[-1].prefix == "Syr"
    assert parse_query("bases Russian").groups[-1].prefix == "Russian"
