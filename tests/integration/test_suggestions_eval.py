"""Leave-one-source-out on the seed corpus (tools/eval_intake.py, docs/search.md#matching), as a floor."""

import pytest
from django.db import connection

from factcheck.corpus import import_corpus, read_corpus_file
from tools.eval_intake import SEED, SourceReport, run, table


@pytest.mark.django_db
def test_it_finds_nine_in_ten_claims_a_seed_source_was_attached_to():
    data, base_dir = read_corpus_file(SEED)
    import_corpus(data, base_dir=base_dir, label="seed corpus")
    reports = run()
    assert len(reports) == 5
    everything = SourceReport("all")
    for r in reports:
        everything.claim_ranks.update({(r.title, c): rank for c, rank in r.claim_ranks.items()})
        assert r.recall(10) > 0.7, table(reports)
    # docs/search.md gives 0.905 on SQLite and 0.882 on PostgreSQL, whose candidate retrieval ranks
    # with its own text-search configurations: below the 0.9 there, and a known gap, not
    # a floor to lower further. Each floor leaves room for a tie that moves, not for a worse method.
    floor = 0.88 if connection.vendor == "postgresql" else 0.9
    assert everything.recall(10) >= floor, table(reports)
    assert everything.recall(5) <= everything.recall(10)
