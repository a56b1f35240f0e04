"""Cutting text for display: before a word, never inside one; footnote markers left out of quotes."""

from factcheck.quotes import clip_words, without_footnotes


def test_it_cuts_before_a_word_not_inside_one():
    text = "The bases were all in Moscow's hands until the agreement of 2017."
    assert clip_words(text, 25) == "The bases were all in…"
    assert clip_words(text, len(text)) == text


def test_it_drops_the_punctuation_it_would_leave_dangling():
    assert clip_words("Russia, Syria, and Iran agreed.", 15) == "Russia, Syria…"


def test_it_cuts_a_single_overlong_word_as_the_only_way_to_fit():
    assert clip_words("Supercalifragilistic", 10) == "Supercali…"


def test_it_leaves_footnote_markers_out_of_quotes():
    assert (
        without_footnotes("bases in Tartus and Hmeimim [1][3]. Talks [4] go on.")
        == "bases in Tartus and Hmeimim. Talks go on."
    )
    assert clip_words("Bases [1][3][4] remain", 40) == "Bases remain"
