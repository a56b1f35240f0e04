"""Full-text search: stemming, phrases, aliases, filters, hostile input, index upkeep, query counts."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from factcheck import corpus, search_index
from factcheck.models import Annotation, Claim, Source
from factcheck.search import parse_query, search
from tests.conftest import make_claim, make_source, make_topic
from tests.corpus_docs import claim_record, corpus_doc, quote_record

URL = reverse("search")


def _kinds(q, **filters):
    return {kind: [h.id for h in found.hits] for kind, found in search(q, **filters).kinds.items()}


@pytest.fixture
def corpus_bits(db):
    # A user without a password: hashing one costs more than the rest of the fixture.
    author = get_user_model().objects.create(username="note-author")
    topic = make_topic(title="Bases", slug="bases")
    other = make_topic(title="Extradition", slug="extradition")
    source = make_source(
        title="Coastal report",
        text="Russia keeps its naval base at Tartus. Moscow is extraditing nobody. The base at Hmeimim is busy.",
    )
    bases = make_claim(
        topic=topic,
        text="Russia keeps the naval base in Syria.",
        assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")],
    )
    extradition = make_claim(topic=other, text="Putin refused to extradite Assad.")
    note = Annotation.objects.create(claim=extradition, author=author, body="Check the **extradition** request date.")
    return {"topic": topic, "other": other, "source": source, "bases": bases, "extradition": extradition, "note": note}


def test_it_finds_other_forms_of_a_word(corpus_bits):
    found = _kinds("extradite")
    assert found["claims"] == [corpus_bits["extradition"].pk]
    assert found["sources"] == [corpus_bits["source"].pk]  # “extraditing”
    assert found["notes"] == [corpus_bits["note"].pk]  # “extradition”


def test_it_matches_a_quoted_phrase_only_as_a_phrase(corpus_bits):
    make_claim(text="The base is not naval but an air base.")
    assert _kinds('"naval base"')["claims"] == [corpus_bits["bases"].pk]
    assert len(_kinds("naval base")["claims"]) == 2


def test_it_needs_every_word_but_falls_back_to_any(corpus_bits):
    results = search("naval Putin")
    assert results.any_word
    assert {h.id for h in results.kinds["claims"].hits} == {corpus_bits["bases"].pk, corpus_bits["extradition"].pk}
    assert not search("naval Russia").any_word


def test_it_treats_alias_spellings_as_one_name(corpus_bits):
    assert _kinds("Khmeimim")["sources"] == [corpus_bits["source"].pk]
    assert _kinds("Tartous")["quotes"] == [corpus_bits["bases"].assertions.get().pk]


def test_it_highlights_matches_and_escapes_everything_else(db):
    claim = make_claim(text='<script>alert("x")</script> <b onclick=1>Tartus</b> & co')
    response = Client_get(f"{URL}?q=Tartus")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in body and "<b onclick" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<mark>Tartus</mark>" in body
    assert reverse("claim-detail", args=[claim.pk]) in body


def Client_get(url, **headers):
    from django.test import Client

    return Client().get(url, **headers)


HOSTILE = [
    '"',
    '""',
    '"unbalanced phrase',
    "*",
    "Tartus*",
    "(",
    "())(",
    "NEAR(Tartus Hmeimim, 2)",
    "Tartus NEAR Hmeimim",
    "-Tartus",
    "Tartus -base",
    "text:Tartus",
    "title : base",
    "AND OR NOT",
    "Tartus AND",
    "{col1 col2}: x",
    "^Tartus",
    "'; DROP TABLE factcheck_claim; --",
    "\\",
    "%_%",
    "Tartus\x00base",
    "\x00",
    "\u200b\u200e\ufeff",
    "روسيا وسوريا",
    "Российско-сирийские отношения",
    "俄罗斯和叙利亚的关系",
    "🙂🚢 Tartus 🇸🇾",
    "Ünïcödé Türkiye",
    "a" * 499,
    "Tartus " * 70,
    "x" * 300,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_it_answers_hostile_queries_without_error(client, corpus_bits, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    response = client.get(URL, {"q": q, "kind": "sources"}, headers={"HX-Request": "true"})
    assert response.status_code == 200


def _refused(client, params, status=400):
    """The text of the search page for ``params``, once it is clear the page refused them with ``status``."""
    response = client.get(URL, params)
    assert response.status_code == status
    return response.content.decode()


def test_it_refuses_a_query_longer_than_the_form_allows_with_a_clear_message(client, db):
    assert "q: Ensure this value has at most 500 characters (it has 10000)" in _refused(client, {"q": "x" * 10_000})


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "a", "kind": "bogus"}, "kind: Select a valid choice"),
        ({"q": "a", "status": "bogus"}, "status: Select a valid choice"),
        ({"q": "a", "page": "x"}, "page: Enter a whole number"),
        ({"q": "a", "topic": "no such topic!"}, "topic: Enter a valid"),
    ],
)
def test_it_refuses_bad_filters_with_a_clear_message(client, db, params, message):
    assert message in _refused(client, params)


def test_it_answers_an_unknown_topic_with_404(client, db):
    assert "There is no topic with slug nowhere" in _refused(client, {"q": "a", "topic": "nowhere"}, status=404)


@pytest.mark.parametrize(
    "q",
    ["Российско-сирийские", "отношения", "العلاقات", "الروسية", "俄罗斯和叙利亚的关系"],
)
def test_it_finds_words_in_non_latin_scripts(db, q):
    source = make_source(
        title="Multilingual",
        text="Russia–Syria relations (Российско-сирийские отношения; العلاقات الروسية السورية). 俄罗斯和叙利亚的关系",
    )
    assert _kinds(q)["sources"] == [source.pk]


def test_it_filters_by_kind_topic_and_status(corpus_bits):
    assert set(_kinds("base", kinds=["claims"])) == {"claims"}
    assert _kinds("Russia", topic=corpus_bits["other"])["claims"] == []
    assert _kinds("Russia", topic=corpus_bits["topic"])["claims"] == [corpus_bits["bases"].pk]
    # A source belongs to a topic through the claims quoting it.
    assert _kinds("Tartus", topic=corpus_bits["topic"])["sources"] == [corpus_bits["source"].pk]
    assert _kinds("Tartus", topic=corpus_bits["other"])["sources"] == []
    assert _kinds("Russia", status="single")["claims"] == [corpus_bits["bases"].pk]
    assert _kinds("Russia", status="conflict")["claims"] == []


def test_it_serves_the_page_and_the_htmx_partial(client, corpus_bits):
    page = client.get(URL, {"q": "base"})
    assert page.status_code == 200
    assert b"<html" in page.content and b'id="search-results"' in page.content
    partial = client.get(URL, {"q": "base"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b"<html" not in partial.content and b'id="search-results"' not in partial.content
    assert b"<mark>base</mark>" in partial.content


def test_it_pages_through_one_kind(client, db):
    topic = make_topic()
    for n in range(23):
        make_claim(topic=topic, text=f"Tartus claim number {n}.")
    first = client.get(URL, {"q": "Tartus", "kind": "claims"}).content.decode()
    assert "Page 1 of 2" in first and first.count('class="search-hit ') == 20
    second = client.get(URL, {"q": "Tartus", "kind": "claims", "page": 2}).content.decode()
    assert second.count('class="search-hit ') == 3
    overview = client.get(URL, {"q": "Tartus"}).content.decode()
    assert "All 23 claims" in overview


def test_it_counts_every_match_beyond_the_page_with_and_without_filters(db):
    """Totals past a full page come from a count query: the index's matches alone when unfiltered."""
    author = get_user_model().objects.create(username="counting-author")
    bases, other = make_topic(), make_topic()
    source = make_source(text="Tartus harbour. " + " ".join(f"Tartus pier {n} is busy." for n in range(12)))
    for n in range(12):
        make_claim(
            topic=bases if n < 9 else other,
            text=f"Tartus claim number {n}.",
            assertions=[(source, "supports", f"Tartus pier {n} is busy.")],
        )
    notes = [
        Annotation.objects.create(claim=Claim.objects.first(), author=author, body=f"Tartus note {n}.")
        for n in range(7)
    ]
    Annotation.objects.filter(pk__in=[n.pk for n in notes[:2]]).update(is_deleted=True)

    found = search("Tartus", limit=5)
    assert {kind: r.total for kind, r in found.kinds.items()} == {"claims": 12, "quotes": 12, "notes": 5, "sources": 1}
    in_topic = search("Tartus", topic=bases, limit=5)
    assert (in_topic.kinds["claims"].total, in_topic.kinds["quotes"].total) == (9, 9)
    assert search("Tartus", status="single", limit=5).kinds["claims"].total == 12
    assert search("Tartus", status="conflict", limit=5).kinds["claims"].total == 0


def test_it_keeps_the_index_current_through_every_write_path(corpus_bits):
    claim, source = corpus_bits["bases"], corpus_bits["source"]
    claim.text = "Moscow holds the Latakia airfield."
    claim.save()
    assert _kinds("Latakia")["claims"] == [claim.pk]
    assert _kinds("naval")["claims"] == []
    # Bulk updates bypass save() and signals; the triggers still see them.
    Claim.objects.filter(pk=claim.pk).update(text="Quneitra incursions continue.")
    assert _kinds("Quneitra")["claims"] == [claim.pk]
    Source.objects.filter(pk=source.pk).update(title="Renamed dispatch")
    assert _kinds("dispatch")["sources"] == [source.pk]
    Annotation.objects.filter(pk=corpus_bits["note"].pk).update(is_deleted=True)
    assert _kinds("request")["notes"] == []
    corpus_bits["extradition"].delete()
    assert _kinds("Putin")["claims"] == []


def test_it_indexes_what_the_corpus_import_writes(db):
    data = corpus_doc(
        claim_record(
            "goznak", "Russia prints Syrian banknotes.", quote_record("wire", "Goznak prints the Syrian pound")
        ),
        sources=[{"key": "wire", "title": "Wire", "text": "Goznak prints the Syrian pound in Moscow."}],
        topic=("money", "Money?"),
    )
    corpus.import_corpus(data)
    found = _kinds("Goznak")
    assert len(found["sources"]) == 1 and len(found["quotes"]) == 1
    assert len(_kinds("banknotes")["claims"]) == 1


def test_it_rebuilds_triggers_lost_in_a_table_remake(db):
    claim = make_claim(text="Qamishli hosts a Russian base.")
    if connection.vendor == "sqlite":
        # Django remakes a SQLite table to alter it, which drops its triggers.
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER factcheck_fts_claims_au")
            cursor.execute("DELETE FROM factcheck_fts_claims")
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER factcheck_fts_claims_sync ON factcheck_claim")
            cursor.execute("TRUNCATE factcheck_fts_claims")
    assert _kinds("Qamishli")["claims"] == []
    assert search_index.ensure_search_schema() == ["claims"]
    assert _kinds("Qamishli")["claims"] == [claim.pk]
    claim.text = "Palmyra hosted one."
    claim.save()
    assert _kinds("Palmyra")["claims"] == [claim.pk]
    assert search_index.ensure_search_schema() == []


def test_it_parses_queries_into_quoted_safe_terms(db):
    query = parse_query('  "naval  base" Tartus* NEAR( -x :y  "open')
    assert [g.alternatives for g in query.groups] == [
        [("naval", "base")],
        [("Tartus",)],
        [("NEAR",)],
        [("x",)],
        [("y",)],
        [("open",)],
    ]
    assert query.groups[-1].prefix == "open"


def test_its_query_count_does_not_grow_with_the_corpus(client, db, django_assert_num_queries):
    topic = make_topic()
    for n in range(30):
        source = make_source(title=f"Tartus source {n}", text=f"Tartus report {n}: the base at Tartus is busy.")
        make_claim(topic=topic, text=f"Tartus claim {n}.", assertions=[(source, "supports", f"Tartus report {n}")])
    # aliases + one page of each of four kinds (claims, quotes, notes, sources)
    # + a count for each kind whose page is full (claims, quotes, sources)
    # + the first speakers whose name or alias holds the words
    with django_assert_num_queries(9):
        client.get(URL, {"q": "Tartus"})
    # aliases + one page of claims + their count
    with django_assert_num_queries(3):
        client.get(URL, {"q": "claim", "kind": "claims"}, headers={"HX-Request": "true"})


def test_rebuild_search_index_checks_and_repairs(db):
    from django.core.management import CommandError, call_command

    source = make_source(text="Latakia hosts the base. Tartus hosts the fleet.")
    call_command("rebuild_search_index", "--check", stdout=StringIO())
    Source.objects.filter(pk=source.pk).update(text="Changed behind the app's back.", text_sha256="stale")
    make_claim(text="Indexed after the loss.")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM factcheck_fts_claims")  # an index emptied by hand
    with pytest.raises(CommandError) as exc:
        call_command("rebuild_search_index", "--check", stdout=StringIO())
    assert "claims: 1 documents, 0 indexed" in str(exc.value)
    assert "passages: 1 source(s) with missing or outdated passages" in str(exc.value)
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Re-cut passages of 1 source(s)" in out.getvalue()
    call_command("rebuild_search_index", "--check", stdout=StringIO())
    assert _kinds("Indexed")["claims"]


@pytest.mark.parametrize("q", ["", "   ", "the of and"])
def test_it_answers_an_empty_query_with_a_hint(client, corpus_bits, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Type a word" in body or "Nothing to search for" in body
    assert 'class="search-hit' not in body
