"""The benchmark corpus with a share of Russian, French and Arabic sources (bench_data --foreign-share)."""

import pytest
from django.core.management import CommandError, call_command

from factcheck import evidence
from factcheck.models import Assertion, Source
from factcheck.search import search
from tools import bench_data
from tools.bench_data import Plan, build_corpus


@pytest.mark.django_db
def test_it_writes_a_share_of_sources_in_other_languages_whose_quotes_are_real_passages():
    build_corpus(Plan(claims=200, sources=40, seed=4, foreign_share=0.5))
    languages = list(Source.objects.values_list("language", flat=True))
    assert {"en", "ru", "fr", "ar"} <= set(languages)
    assert 0.3 < sum(code != "en" for code in languages) / len(languages) < 0.7
    texts = dict(Source.objects.values_list("id", "text"))
    for quote, start, end, source_id in Assertion.objects.values_list("quote", "start", "end", "source_id"):
        assert texts[source_id][start:end] == quote
    assert Assertion.objects.filter(source__language="ar").exists()


@pytest.mark.django_db
def test_its_foreign_sources_are_found_by_search_and_evidence_in_every_spelling():
    build_corpus(Plan(claims=100, sources=30, seed=3, foreign_share=0.6))
    foreign = set(Source.objects.exclude(language="en").values_list("id", flat=True))
    for query in ("Tartus", "Тартус", "طرطوس", "Tartous"):
        hits = search(query, kinds=("sources",), limit=50).kinds["sources"].hits
        assert foreign <= {h.id for h in hits}, query
    # An English claim reaches the passages of each language by the names they share.
    for language in ("ru", "fr", "ar"):
        others = list(Source.objects.exclude(language=language).values_list("id", flat=True))
        found = evidence.find_evidence("the Russian fleet stays at Tartus", limit=5, exclude_sources=others)
        assert found and all("Тартус" in e.text or "Tartous" in e.text or "طرطوس" in e.text for e in found), language


@pytest.mark.django_db
def test_the_default_corpus_is_all_english():
    build_corpus(Plan(claims=30, seed=2))
    assert set(Source.objects.values_list("language", flat=True)) == {"en"}


def test_it_refuses_a_share_outside_zero_to_one(db):
    with pytest.raises(CommandError, match="--foreign-share must be between 0 and 1"):
        call_command(bench_data.Command(), "--claims", "10", "--foreign-share", "1.5", verbosity=0)
