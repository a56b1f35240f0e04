"""Keys for data derived from the whole corpus (``cache.corpus_cache_key``): what moves them and what does not.

Committed writes (``transaction=True``): inside a transaction there is no key.
"""

import pytest
from django.db import transaction

from factcheck import cache
from factcheck.models import Annotation, Source, Watch
from tests.conftest import make_claim, make_source

committed = pytest.mark.django_db(transaction=True)

QUOTE = "Russia keeps its naval base at Tartus."


@committed
def test_a_watch_leaves_the_corpus_key_alone_though_it_moves_star(editor):
    claim = make_claim(
        text="Syria agreed to let Russia keep its bases.", assertions=[(make_source(), "supports", QUOTE)]
    )
    before, star = cache.corpus_cache_key("evidence"), cache.corpus_version()

    Watch.objects.create(user=editor, claim=claim)

    assert cache.corpus_version() > star  # the editor's own copies of pages still go
    assert cache.corpus_cache_key("evidence") == before


@committed
def test_a_write_to_the_corpus_or_a_bump_moves_the_key(editor):
    claim = make_claim(
        text="Syria agreed to let Russia keep its bases.", assertions=[(make_source(), "supports", QUOTE)]
    )
    keys = [cache.corpus_cache_key("evidence")]

    Source.objects.filter(pk=claim.assertions.get().source_id).update(title="Renamed")
    keys.append(cache.corpus_cache_key("evidence"))
    Annotation.objects.create(claim=claim, author=editor, body="A note is part of the corpus.")
    keys.append(cache.corpus_cache_key("evidence"))
    cache.bump()
    keys.append(cache.corpus_cache_key("evidence"))

    assert None not in keys and len(set(keys)) == len(keys)
    assert cache.corpus_cache_key("api") != keys[-1]  # one name's key is not another's


@committed
def test_there_is_no_key_inside_a_transaction():
    with transaction.atomic():
        assert cache.corpus_cache_key("evidence") is None
