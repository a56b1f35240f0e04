"""The analyser keeps each word's term once it has read it: what a sentence means must not change by it."""

from factcheck import analyser
from factcheck.analyser import Analyzer, SynonymTable
from factcheck.search.aliases import AliasTable

TEXT = "The air base near Тартусе; Bashar al-Assad will not hand him over. An attack, strikes. Assad in Tartous"


def _analyzer():
    aliases = AliasTable({"Tartus": ["Tartus", "Tartous", "Тартус"], "Bashar al-Assad": ["Bashar al-Assad", "Assad"]})
    return Analyzer(aliases, SynonymTable([["strike", "attack"]]))


def _surfaces(analyzer, text, language=""):
    return [(t.cls, t.surface) for t in analyzer._terms(text, language)]


def test_it_reads_a_sentence_alike_whatever_words_it_read_before():
    fresh = _surfaces(_analyzer(), TEXT)
    seasoned = _analyzer()
    # Each word alone first, the words that begin a compound, a name or a phrasal verb among them.
    for word in ("air", "base", "near", "bashar", "al", "assad", "hand", "him", "over", "attack", "тартусе", "tartous"):
        seasoned._terms(word)
    assert _surfaces(seasoned, TEXT) == fresh
    tartus = _surfaces(seasoned, "Tartus")[0][0]
    assert fresh == [
        ("airbas", "air base"),
        ("near", "near"),
        (tartus, "тартусе"),  # an inflected spelling of the name
        (_surfaces(seasoned, "Assad")[0][0], "bashar al assad"),
        ("extradit", "hand him over"),
        ("strike", "attack"),
        ("strike", "strikes"),
        (_surfaces(seasoned, "Assad")[0][0], "assad"),
        (tartus, "tartous"),
    ]


def test_it_keeps_a_words_term_per_language():
    words = _analyzer()
    assert [t.stem for t in words._terms("running")] == ["run"]
    assert [t.stem for t in words._terms("running", "fr")] == ["running"]
    assert [t.stem for t in words._terms("running")] == ["run"]


def test_it_keeps_a_bounded_number_of_words(monkeypatch):
    monkeypatch.setattr(analyser, "MAX_WORDS", 50)
    words = _analyzer()
    made_up = ["zq" + chr(97 + n // 26) + chr(97 + n % 26) for n in range(500)]  # zqaa … zqtf
    words._terms(" ".join(made_up))
    assert 0 < len(words._words[""]) <= 50
    # Forgetting costs only time: the words read again are the same terms.
    assert _surfaces(words, "zqaa zqtf") == [("zqaa", "zqaa"), ("zqtf", "zqtf")]


def test_it_cuts_words_alike_by_its_shortcuts_and_by_unicode_rules():
    """Punctuation as spaces, ASCII patterns: only where they give the tokens full folding gives."""
    cases = {
        "“Tartus,” he said — twice…": ["tartus", "he", "said", "twice"],
        "9\u20246 per cent, 9.6% and 50,000 troops": ["9.6", "per", "cent", "9.6", "percent", "and", "50000", "troops"],
        "\u2116 5 \u2122 in T\u00fcrkiye": ["No", "5", "TM", "in", "turkiye"],  # folded, yet capitals
        "Тартус\u2019s base": ["тартус", "s", "base"],
        # Digits of any script around a comma, a per cent sign in Cyrillic text, commas beside one digit only.
        "\u0663,\u0664\u0660\u0660 tonnes, \u201cwheat\u201d": ["\u0663\u0664\u0660\u0660", "tonnes", "wheat"],
        "Рост 5% в 2024, 3,5 млн": ["рост", "5", "percent", "в", "2024", "3,5", "млн"],
        "a, b,1 2, 3": ["a", "b", "1", "2", "3"],
    }
    for text, expected in cases.items():
        assert analyser._raw_tokens(text) == expected, text
