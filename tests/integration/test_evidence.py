"""The evidence finder: passages, the API, suggestions on a claim's page, adding one, and its measured quality."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from factcheck import evidence
from factcheck.models import Assertion, Passage, Source
from tests.conftest import make_claim, make_source, make_topic
from tools.eval_evidence import DEFAULT_SET, load_questions, run

API = reverse("api-evidence")

BASES_TEXT = (
    "Russia keeps its naval base at Tartus. Officials in Damascus said the agreements will be respected.\n\n"
    "Mr. Putin did not agree to extradite Assad. He was granted asylum in Moscow in December 2024.\n"
    "The Khmeimim Air Base at Latakia stays in Russian hands."
)


@pytest.fixture
def sources(db):
    return {
        "bases": make_source(title="Bases report", text=BASES_TEXT),
        "other": make_source(title="Trade note", text="Wheat and steel reach Syria from Russia. Trade grew in 2024."),
    }


# Passages


def test_it_splits_a_text_into_sentences_with_exact_offsets():
    spans = evidence.split_passages(BASES_TEXT)
    texts = [BASES_TEXT[s:e] for s, e in spans]
    assert texts == [
        "Russia keeps its naval base at Tartus.",
        "Officials in Damascus said the agreements will be respected.",
        "Mr. Putin did not agree to extradite Assad.",  # “Mr.” does not end a sentence
        "He was granted asylum in Moscow in December 2024.",
        "The Khmeimim Air Base at Latakia stays in Russian hands.",
    ]


def test_it_keeps_quotes_footnotes_and_initials_with_their_sentence():
    text = "He said: “Friendship needs no treaty.” [4] Then R. Politik wrote a note.[2] It was dated 27 October."
    texts = [text[s:e] for s, e in evidence.split_passages(text)]
    assert texts == [
        "He said: “Friendship needs no treaty.” [4]",
        "Then R. Politik wrote a note.[2]",
        "It was dated 27 October.",
    ]


def test_it_stores_passages_and_recuts_them_when_the_text_changes(sources):
    source = sources["bases"]
    assert [p.text for p in source.passages.all()][0] == "Russia keeps its naval base at Tartus."
    source.text = "A wholly new text. With two sentences."
    source.save()
    passages = list(source.passages.all())
    assert [(p.start, p.end, p.text) for p in passages] == [
        (0, 18, "A wholly new text."),
        (19, 38, "With two sentences."),
    ]
    assert all(p.digest == source.text_sha256 for p in passages)


def test_it_keeps_what_stands_between_neighbouring_passages(sources):
    source = sources["bases"]
    passages = list(source.passages.order_by("position"))
    assert [p.gap_before for p in passages] == ["", " ", "\n\n", " ", "\n"]
    for previous, passage in itertools.pairwise(passages):
        assert source.text[previous.end : passage.start] == passage.gap_before


def test_it_joins_sentences_of_one_paragraph_but_never_across_paragraphs(db):
    text = "Tartus is a port. Its naval base hosts Russian ships.\n\nNothing else here mentions ships."
    source = make_source(text=text)
    found = evidence.find_evidence("naval base at Tartus ships", limit=3)
    assert found[0].text == "Tartus is a port. Its naval base hosts Russian ships."  # one unit, two sentences
    assert all("\n" not in e.text for e in found)
    for e in found:
        assert source.text[e.start : e.end] == e.text


def test_it_never_serves_passages_cut_from_an_older_text(sources):
    source = sources["bases"]
    # update() bypasses save() and its signal: the passages are now stale.
    Source.objects.filter(pk=source.pk).update(text="Tartus. " + BASES_TEXT, text_sha256="changed")
    found = evidence.find_evidence("naval base Tartus")
    assert all(e.source_id != source.pk for e in found)
    assert list(evidence.stale_sources()) == [source]
    assert evidence.refresh_all_passages() == 1
    source.refresh_from_db()
    found = evidence.find_evidence("naval base Tartus")
    assert found[0].source_id == source.pk
    assert source.text[found[0].start : found[0].end] == found[0].text


def test_it_finds_passages_by_meaning_not_only_by_words(sources):
    # “hand … over” is “extradite”; the next sentence, saying where Assad is, comes along.
    found = evidence.find_evidence("Moscow refused to hand Assad over", limit=1)
    assert found[0].text.startswith("Mr. Putin did not agree to extradite Assad.")
    found = evidence.find_evidence("Hmeimim airbase", limit=1)  # an alias and a compound
    assert found[0].text == "The Khmeimim Air Base at Latakia stays in Russian hands."


def test_it_excludes_the_sources_asked_for(sources):
    found = evidence.find_evidence("Russia", exclude_sources=[sources["bases"].pk])
    assert {e.source_id for e in found} == {sources["other"].pk}


# The API


def test_its_api_returns_ranked_passages_whose_offsets_point_into_the_source(client, sources):
    response = client.get(API, {"q": "Was Assad extradited by Russia?"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"query", "count", "results"}
    assert 1 <= len(data["results"]) <= 5
    first = data["results"][0]
    assert set(first) >= {"source", "text", "start", "end", "score"}
    assert set(first["source"]) >= {"id", "title"}
    assert "Mr. Putin did not agree to extradite Assad." in first["text"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    for r in data["results"]:
        assert Source.objects.get(pk=r["source"]["id"]).text[r["start"] : r["end"]] == r["text"]


def test_its_api_honours_the_limit(client, db):
    make_source(text=" ".join(f"Tartus sentence number {n}." for n in range(80)))
    assert len(client.get(API, {"q": "Tartus"}).json()["results"]) == 5
    assert len(client.get(API, {"q": "Tartus", "limit": 2}).json()["results"]) == 2
    assert len(client.get(API, {"q": "Tartus", "limit": 50}).json()["results"]) == 50


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "q: This field is required."),
        ({"q": "   "}, "q: This field is required."),
        ({"q": "x" * 2001}, "q: Ensure this value has at most 2000 characters (it has 2001)."),
        ({"q": "Tartus", "limit": "0"}, "limit: Ensure this value is greater than or equal to 1."),
        ({"q": "Tartus", "limit": "51"}, "limit: Ensure this value is less than or equal to 50."),
        ({"q": "Tartus", "limit": "five"}, "limit: Enter a whole number."),
    ],
)
def test_its_api_refuses_bad_parameters_with_json_reasons(client, db, params, message):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response.json() == {"error": f"Bad parameter — {message}", "status": 400}


@pytest.mark.parametrize(
    "q", ['"', "NEAR(a b)", "*", "-", "x:y", "Tartus\x00base", "روسيا", "Российско", "俄罗斯", "🙂", "a " * 900]
)
def test_its_api_answers_hostile_text_without_error(client, sources, q):
    response = client.get(API, {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


# Suggestions on a claim's page


@pytest.fixture
def claim(sources):
    attached = make_source(title="Attached", text="Russia refused to extradite Assad to Syria, officials said.")
    return make_claim(
        topic=make_topic(),
        text="Russia refused to extradite Assad.",
        assertions=[(attached, "supports", "Russia refused to extradite Assad to Syria")],
    )


def test_it_shows_editors_a_lazy_slot_on_the_claim_page(client, claim, editor, reader):
    url = reverse("claim-detail", args=[claim.pk])
    evidence_url = reverse("claim-evidence", args=[claim.pk])
    assert evidence_url not in client.get(url).content.decode()
    client.force_login(reader)
    assert evidence_url not in client.get(url).content.decode()
    client.force_login(editor)
    body = client.get(url).content.decode()
    assert f'hx-get="{evidence_url}"' in body and f'href="{evidence_url}"' in body
    assert "did not agree to extradite" not in body  # nothing is searched until the slot loads


def test_its_suggestions_need_an_editor(client, claim, reader):
    url = reverse("claim-evidence", args=[claim.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(reader)
    assert client.get(url).status_code == 403


def test_it_suggests_passages_of_sources_not_yet_attached(client, claim, editor, sources):
    client.force_login(editor)
    url = reverse("claim-evidence", args=[claim.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"<html" in page.content
    partial = client.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert b"<html" not in partial.content
    assert "Mr. Putin did not agree to extradite Assad." in body
    assert "Attached" not in body  # already a source of this claim
    assert 'name="csrfmiddlewaretoken"' in body and 'name="stance"' in body


def test_its_suggestions_query_count_does_not_grow_with_the_corpus(client, claim, editor, django_assert_num_queries):
    for n in range(20):
        make_source(title=f"Extra {n}", text=f"Assad stayed in Moscow, report {n} says. Russia will not extradite him.")
    client.force_login(editor)
    url = reverse("claim-evidence", args=[claim.pk])
    # session + the user with their permissions (one query, auth_backends.py)
    # + claim with topic + attached source ids + aliases + corpus statistics
    # (passages, average length; cached outside a transaction) + word statistics
    # + candidate sentences with their neighbours
    with django_assert_num_queries(8):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.content.decode().count('class="evidence-suggestion"') == 5


def _suggestion(claim, source, text):
    start = source.text.index(text)
    return {"source": source.pk, "start": start, "end": start + len(text)}


def test_adding_a_suggestion_needs_an_editor(client, claim, reader, sources):
    url = reverse("claim-evidence-add", args=[claim.pk])
    data = {**_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."), "stance": "supports"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(reader)
    assert client.post(url, data).status_code == 403
    assert claim.assertions.count() == 1


def test_adding_a_suggestion_needs_the_csrf_token(claim, editor, sources):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = {**_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."), "stance": "supports"}
    assert client.post(reverse("claim-evidence-add", args=[claim.pk]), data).status_code == 403
    assert claim.assertions.count() == 1


def test_an_editor_adds_a_suggestion_as_an_assertion_in_one_step(client, claim, editor, sources):
    client.force_login(editor)
    source = sources["bases"]
    data = {
        **_suggestion(claim, source, "Mr. Putin did not agree to extradite Assad."),
        "stance": "supports",
        "as_of": "2025-10",
    }
    response = client.post(reverse("claim-evidence-add", args=[claim.pk]), data)
    added = Assertion.objects.get(claim=claim, source=source)
    assert response.status_code == 302
    assert response["Location"] == f"{claim.get_absolute_url()}#assertion-{added.pk}"
    assert (added.stance, added.quote, added.as_of_value) == (
        "supports",
        "Mr. Putin did not agree to extradite Assad.",
        "2025-10",
    )
    assert source.text[added.start : added.end] == added.quote
    assert added.history.count() == 1 and added.history.get().history_user == editor
    claim.refresh_from_db()
    assert claim.source_count == 2


def test_with_htmx_the_suggestion_turns_into_a_confirmation(client, claim, editor, sources):
    client.force_login(editor)
    data = {**_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."), "stance": "disputes"}
    response = client.post(reverse("claim-evidence-add", args=[claim.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Added:" in body and "Disputes" in body.title()
    assert Assertion.objects.get(claim=claim, source=sources["bases"]).stance == "disputes"


def test_adding_the_same_passage_twice_is_refused_with_409(client, claim, editor, sources):
    client.force_login(editor)
    url = reverse("claim-evidence-add", args=[claim.pk])
    data = {**_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."), "stance": "supports"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 409
    assert "already an assertion of this claim" in again.content.decode()
    htmx = client.post(url, data, headers={"HX-Request": "true"})
    assert htmx.status_code == 409 and "already an assertion" in htmx.content.decode()
    assert claim.assertions.count() == 2


@pytest.mark.parametrize(
    "field, value, status, message",
    [
        ("stance", "agrees", 400, "stance: Select a valid choice. agrees is not one of the available choices."),
        ("stance", "", 400, "stance: choose whether the passage supports, disputes or qualifies the claim."),
        ("as_of", "July 2025", 400, "as_of: &#x27;July 2025&#x27; is not a date"),
        ("start", "-1", 400, "start: Ensure this value is greater than or equal to 0."),
        ("end", "99999", 400, "is not within “Bases report”"),
        ("source", "987654", 404, "There is no source with id 987654."),
    ],
)
def test_adding_a_suggestion_refuses_bad_input_and_writes_nothing(
    client, claim, editor, sources, field, value, status, message
):
    client.force_login(editor)
    data = {**_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."), "stance": "supports"}
    response = client.post(reverse("claim-evidence-add", args=[claim.pk]), {**data, field: value})
    assert response.status_code == status
    assert message in response.content.decode()
    assert claim.assertions.count() == 1


def test_with_htmx_a_correctable_mistake_comes_back_beside_the_button(client, claim, editor, sources):
    client.force_login(editor)
    data = {
        **_suggestion(claim, sources["bases"], "Mr. Putin did not agree to extradite Assad."),
        "stance": "supports",
        "as_of": "2025/07",
    }
    response = client.post(reverse("claim-evidence-add", args=[claim.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 422  # swapped in (base.html's htmx-config), as the editors' forms are
    body = response.content.decode()
    # Only the message: the form around it keeps the passage, stance and date the editor chose.
    assert "is not a date" in body and 'role="alert"' in body and "<html" not in body and "<form" not in body


# Quality


def test_the_evidence_finder_keeps_its_measured_quality(db):
    """A regression guard on tests/evidence_eval/questions.json (the README gives the full figures)."""
    report = run(load_questions(DEFAULT_SET))
    assert len(report.outcomes) >= 40
    assert report.recall(5) >= 0.9
    assert report.recall(5) > report.recall(5, baseline=True)
    assert Passage.objects.count() == 0  # the run rolls back what it added


# Retrieval at scale: statistics cached by corpus version, rare terms first


def _terms(**dfs):
    return [evidence.QueryTerm(cls=name, stems={name}, surfaces={name}, df=df) for name, df in dfs.items()]


def test_it_fetches_candidates_by_the_rarest_terms_within_its_budget():
    terms = _terms(russia=90_000, tartus=3_000, wheat=800, base=12_000)
    chosen = [qt.cls for qt in evidence._retrieval_terms(terms)]
    # Rarest first, and a term found in a third of a large corpus is not worth fetching by.
    assert chosen == ["wheat", "tartus", "base", "russia"][: len(chosen)]
    assert "wheat" in chosen and "russia" not in chosen
    # The budget is a number of matches, not a share of the corpus: a larger budget fetches by more terms.
    assert [qt.cls for qt in evidence._retrieval_terms(terms, budget=200_000)] == ["wheat", "tartus", "base", "russia"]
    counts = [len(evidence._retrieval_terms(terms, budget=b)) for b in (1_000, 5_000, 20_000, 200_000)]
    assert counts == sorted(counts)
    # A small corpus (the seed's) ranks every term's matches, as before.
    small = _terms(russia=900, tartus=40, wheat=8)
    assert [qt.cls for qt in evidence._retrieval_terms(small)] == ["wheat", "tartus", "russia"]
    # The rarest term is always fetched, however common it is.
    assert [qt.cls for qt in evidence._retrieval_terms(_terms(russia=200_000))] == ["russia"]


@pytest.mark.django_db(transaction=True)
def test_its_cached_statistics_follow_every_write():
    """Outside a transaction (as in production) the statistics are cached under the corpus version."""
    from django.core.cache import caches
    from django.db import connection

    caches["default"].clear()
    make_source(text="Latakia hosts a Russian airbase. The port is busy.")
    engine = evidence._Engine(connection)
    assert engine.version_key is not None
    analyzer = evidence.Analyzer(None)
    qterms = evidence._query_terms("Latakia airbase", analyzer)
    assert engine.corpus()[0] == 2
    assert engine.document_frequencies(qterms) == [(1, 1), (1, 1)]
    assert caches["default"].get(f"{engine.version_key}:corpus") == engine.corpus()

    make_source(text="Latakia again. A third sentence. And a fourth about the airbase.")
    engine = evidence._Engine(connection)  # a new request reads the new version
    assert engine.corpus()[0] == 5
    assert engine.document_frequencies(qterms) == [(2, 2), (2, 2)]
