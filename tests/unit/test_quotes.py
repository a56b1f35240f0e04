from factcheck import quotes

TEXT = (
    "Al Sharaa said that Syria will \u201crespect all agreements\u201d of the two\n"
    "   countries. It\u2019s a pragmatic turn."
)


def test_it_matches_straight_quotes_against_typographic_ones():
    [occ] = quotes.find_occurrences(TEXT, 'Syria will "respect all agreements"')
    assert TEXT[occ.start : occ.end] == "Syria will \u201crespect all agreements\u201d"


def test_it_matches_an_apostrophe_either_way():
    [occ] = quotes.find_occurrences(TEXT, "It's a pragmatic turn")
    assert TEXT[occ.start : occ.end] == "It\u2019s a pragmatic turn"
    assert quotes.find_occurrences("It's here", "It\u2019s here")


def test_it_ignores_differences_in_whitespace():
    [occ] = quotes.find_occurrences(TEXT, "  of the two countries.  ")
    assert TEXT[occ.start : occ.end] == "of the two\n   countries."


def test_it_does_not_forgive_anything_else():
    assert quotes.find_occurrences(TEXT, "respect all the agreements") == []
    assert quotes.find_occurrences(TEXT, "RESPECT ALL AGREEMENTS") == []
    assert quotes.find_occurrences(TEXT, "   ") == []


def test_it_finds_every_occurrence_of_a_repeated_quote():
    text = "The base stays. Later: the base stays. End."
    found = quotes.find_occurrences(text, "the base stays")
    assert [(o.start, o.end) for o in found] == [(23, 37)]
    found = quotes.find_occurrences(text.lower(), "the base stays")
    assert [(o.start, o.end) for o in found] == [(0, 14), (23, 37)]


def test_it_suggests_the_nearest_passage():
    text = "First sentence here. Russia pulled its troops back from the coast. Unrelated last one."
    assert quotes.nearest_passage(text, "Russia pulled all troops back from the coast") == (
        "Russia pulled its troops back from the coast."
    )


def test_it_shows_a_passage_in_its_sentence():
    text = "One. Two is the quote here, in the middle. Three."
    start = text.index("the quote")
    before, passage, after = quotes.in_context(text, start, start + len("the quote"))
    assert (before, passage, after) == ("Two is ", "the quote", " here, in the middle.")


def test_it_cuts_text_at_every_span_boundary():
    class Span:
        def __init__(self, start, end):
            self.start, self.end = start, end

    outer, inner = Span(0, 10), Span(2, 5)
    segs = quotes.segments("0123456789xyz", [outer, inner])
    assert [(s.text, [id(x) for x in s.spans]) for s in segs] == [
        ("01", [id(outer)]),
        ("234", [id(inner), id(outer)]),
        ("56789", [id(outer)]),
        ("xyz", []),
    ]
