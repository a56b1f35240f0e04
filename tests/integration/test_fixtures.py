"""The seed corpus: every quote verbatim at its offsets, and the coverage promised."""

import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from factcheck.corpus import import_corpus, read_corpus_file
from factcheck.models import Assertion, Claim, Source, Status, Topic
from tests.conftest import rows_for_the_module

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"
SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"


@pytest.fixture(scope="module")
def _seed_corpus(django_db_setup, django_db_blocker):
    """The seed corpus, imported once for the module; every test reads it, none keeps a change to it."""
    with rows_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            data, base_dir = read_corpus_file(SEED)
            import_corpus(data, base_dir=base_dir, label=str(SEED))
        yield data


@pytest.fixture
def seeded(_seed_corpus, db):
    return _seed_corpus


def test_it_quotes_every_passage_verbatim_from_the_seed_files():
    data = json.loads(SEED.read_text(encoding="utf-8"))
    texts = {s["key"]: (SEEDS_DIR.parent / s["text_file"]).read_text(encoding="utf-8") for s in data["sources"]}
    for claim in data["claims"]:
        for a in claim["assertions"]:
            # Verbatim: an exact substring, not merely a match up to quote style.
            assert a["quote"] in texts[a["source"]], (claim["key"], a["quote"])


def test_it_stores_every_quote_exactly_at_its_offsets(seeded):
    assertions = Assertion.objects.select_related("source")
    assert assertions.count() == sum(len(c["assertions"]) for c in seeded["claims"])
    for a in assertions:
        assert a.source.text[a.start : a.end] == a.quote, a.pk


def test_it_keeps_the_seed_texts_byte_for_byte(seeded):
    for source in Source.objects.all():
        data_source = next(s for s in seeded["sources"] if s["key"] == source.key)
        assert source.text == (SEEDS_DIR.parent / data_source["text_file"]).read_text(encoding="utf-8")


def test_it_passes_verify_quotes(seeded, capsys):
    call_command("verify_quotes")
    assert "quotes match their sources" in capsys.readouterr().out


def test_it_covers_what_the_first_corpus_promises(seeded):
    assert Source.objects.count() == 5
    assert Topic.objects.count() >= 15
    assert Claim.objects.count() >= 60
    assert Claim.objects.filter(source_count__gte=2).count() >= 25
    # Conflicts between two different sources, not only a source against itself.
    between_sources = 0
    for claim in Claim.objects.filter(status=Status.CONFLICT).prefetch_related("assertions"):
        sides = defaultdict(set)
        for a in claim.assertions.all():
            sides[a.stance].add(a.source_id)
        if any(s != d for s in sides["supports"] for d in sides["disputes"]):
            between_sources += 1
    assert between_sources >= 10
    # Only a state can change over time; the corpus has some, and every one is a state.
    changed = Claim.objects.filter(status=Status.CHANGED)
    assert changed.count() >= 3
    assert set(changed.values_list("kind", flat=True)) == {"state"}


def test_it_rests_no_agreement_on_a_single_origin(seeded):
    agreements = Claim.objects.filter(status=Status.AGREEMENT)
    assert agreements.count() >= 25
    assert not agreements.filter(origin_count__lt=2).exists()


def test_it_passes_the_corpus_audit(seeded, capsys):
    # Every finding left is justified, with its reason, in fixtures/AUDIT.md.
    call_command("audit_corpus")
    assert "Audit clean" in capsys.readouterr().out


def test_it_leaves_unseen_metadata_blank(seeded):
    for source in Source.objects.all():
        assert source.url == "" and source.published is None
        # A publisher only where the text names it ("Markov tells TRT World").
        assert source.publisher == "" or source.publisher in source.text
    trt = Source.objects.get(key="sofuoglu-assad-out-delicate-ties")
    assert (trt.author, trt.publisher) == ("Murat Sofuoglu", "TRT World")


@pytest.mark.parametrize("key", ["syria-agreed-russia-keep-bases", "sharaa-asked-putin-to-extradite-assad"])
def test_it_shows_the_two_headline_disagreements(seeded, key):
    claim = Claim.objects.get(key=key)
    assert claim.status == Status.CONFLICT
    stances = defaultdict(set)
    for a in claim.assertions.all():
        stances[a.stance].add(a.source_id)
        assert a.as_of is not None
    assert stances["supports"] and stances["disputes"]


def test_it_never_dates_a_statement_by_its_document_alone(seeded):
    # Undated is allowed and shown as such; what the audit forbids is an event claim
    # left undated without a reason (test_it_passes_the_corpus_audit).
    undated = Assertion.objects.filter(as_of=None)
    assert undated.exists()
    assert Assertion.objects.exclude(as_of=None).count() > undated.count()


def test_reimporting_the_seed_changes_nothing(seeded):
    data, base_dir = read_corpus_file(SEED)
    assert not import_corpus(data, base_dir=base_dir).changed
