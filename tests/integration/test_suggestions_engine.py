"""What a document speaks to: the engine, its cues, and the stored suggestions across recomputes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import Suggestion, SuggestionState, SynonymGroup
from factcheck.suggestions import compute, compute_suggestions, cues, match_text
from tests.conftest import make_assertion, make_claim, make_source, make_speaker, make_topic

TEXT = (
    "Moscow will retain the Tartus naval base for five more decades, officials agreed on Monday. "
    "Kremlin spokesman Dmitry Peskov said that Assad was not granted asylum in Moscow. "
    "According to the farm ministry, wheat output in Syria fell by a third in 2024.\n"
    "The weather in the capital was mild and pleasant that week.\n"
    "On 3 March 2025 the interior minister Karim Haddad told reporters that 40 prisons had been closed."
)


@pytest.fixture
def corpus(db):
    topic = make_topic()
    claims = {
        "base": make_claim(topic, "Russia agreed to keep its naval base at Tartus for another fifty years."),
        "wheat": make_claim(topic, "The wheat harvest in Syria fell by a third in 2024."),
        "border": make_claim(topic, "Turkey closed its border crossings with Syria."),
        "asylum": make_claim(topic, "The Kremlin confirmed that Assad received asylum in Moscow."),
        "oil": make_claim(topic, "Oil exports from the port of Baniyas doubled."),
    }
    peskov = make_speaker("Dmitry Peskov", aliases="Peskov\nKremlin spokesman Peskov")
    return {"claims": claims, "peskov": peskov, "source": make_source(TEXT, title="Wire report")}


def _sentence(results, words):
    return next(p for p in results if words in p.text)


def _claims(passage):
    return [m.claim_id for m in passage.matches]


def test_it_suggests_a_claim_the_passage_restates_in_other_words(corpus):
    SynonymGroup.objects.create(words="keep retain")
    results = match_text(TEXT)
    passage = _sentence(results, "retain the Tartus")
    assert _claims(passage)[0] == corpus["claims"]["base"].pk
    assert passage.matches[0].stance == "supports"


def test_it_suggests_a_denial_as_disputing(corpus):
    passage = _sentence(match_text(TEXT), "Peskov")
    assert _claims(passage)[0] == corpus["claims"]["asylum"].pk
    assert passage.matches[0].stance == "disputes"


def test_it_suggests_the_speaker_a_passage_reports(corpus):
    results = match_text(TEXT)
    assert _sentence(results, "Peskov").speaker_id == corpus["peskov"].pk
    # Named without a reporting verb, or not a known speaker: no speaker.
    assert _sentence(results, "wheat output").speaker_id is None


def test_it_matches_nothing_to_a_sentence_about_nothing_claimed(corpus):
    assert _sentence(match_text(TEXT, min_score=0.08), "weather").matches == []


def test_it_reads_stance_cues_by_polarity_and_hedges():
    assert cues.stance("The base was not handed over.", "The base was handed over.") == "disputes"
    assert cues.stance("Officials denied that the base was handed over.", "The base was handed over.") == "disputes"
    assert cues.stance("The base was never handed over.", "The base was not handed over.") == "supports"
    assert cues.stance("The base may be handed over if talks succeed.", "The base was handed over.") == "qualifies"
    assert cues.stance("Contrary to reports, the base stays Russian.", "The base stays Russian.") == "disputes"
    assert cues.stance("The base was handed over.", "The base was handed over.") == "supports"


def test_it_stores_suggestions_best_first_and_leaves_attached_passages_out(corpus):
    source, claims = corpus["source"], corpus["claims"]
    make_assertion(claims["wheat"], source, "supports", "wheat output in Syria fell by a third in 2024")
    compute_suggestions.enqueue(source.pk)  # no TASKS setting: django-tasks' immediate backend runs it here
    rows = list(Suggestion.objects.filter(source=source, claim__isnull=False))
    assert rows
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    pairs = {(r.claim_id, source.text[r.start : r.end][:20]) for r in rows}
    assert (claims["asylum"].pk, "Kremlin spokesman Dm") in pairs
    assert not any(r.claim_id == claims["wheat"].pk and "wheat" in source.text[r.start : r.end] for r in rows)


def test_it_keeps_a_rejection_across_recomputes(corpus, editor):
    source, claims = corpus["source"], corpus["claims"]
    compute(source)
    peskov = source.text.index("Kremlin spokesman")
    rejected = Suggestion.objects.get(source=source, claim=claims["asylum"], start=peskov)
    rejected.state, rejected.decided_by = SuggestionState.REJECTED, editor
    rejected.save()
    compute(source)
    compute(source)
    on_passage = Suggestion.objects.filter(source=source, claim=claims["asylum"], start=peskov)
    assert list(on_passage.values_list("pk", "state")) == [(rejected.pk, "rejected")]
    assert Suggestion.objects.filter(source=source, state="open").exists()


def test_it_lists_check_worthy_passages_that_match_no_claim_as_possible_new_claims(corpus):
    compute(corpus["source"])
    new = [corpus["source"].text[s.start : s.end] for s in Suggestion.objects.filter(claim__isnull=True)]
    assert any("40 prisons" in text for text in new)
    assert not any("weather" in text for text in new)


def test_it_forgets_suggestions_made_on_an_older_text(corpus):
    source = corpus["source"]
    compute(source)
    source.text = TEXT.replace("Monday", "Tuesday")
    source.save()
    compute(source)
    assert set(Suggestion.objects.filter(source=source).values_list("digest", flat=True)) == {source.text_sha256}


def _queries(text):
    with CaptureQueriesContext(connection) as captured:
        match_text(text)
    return len(captured.captured_queries)


def test_it_runs_as_many_queries_whatever_the_number_of_claims(corpus):
    few = _queries(TEXT)
    topic = make_topic()
    for n in range(60):
        make_claim(topic, f"Claim {n} about the Tartus naval base, wheat, asylum and Moscow in {1950 + n}.")
    # The vocabulary, the speakers, the claims' count, the words' counts (one batch),
    # the candidates (one batch of sentences) and the candidates' other words (one batch).
    assert _queries(TEXT) == few == 6


def test_it_computes_suggestions_from_the_command_line(corpus):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("compute_suggestions", str(corpus["source"].pk), stdout=out)
    assert out.getvalue().startswith("Suggestions for 1 source(s): ")
    assert Suggestion.objects.filter(source=corpus["source"]).exists()
    with pytest.raises(CommandError, match="No source with id 999999"):
        call_command("compute_suggestions", "999999")
    with pytest.raises(CommandError, match="or --all"):
        call_command("compute_suggestions")
