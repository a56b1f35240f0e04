"""MinHash signatures and LSH bands (factcheck/near_duplicates.py): estimates that track real resemblance."""

from factcheck import near_duplicates as nd

TEXT = " ".join(f"Sentence {n} says the talks on the base continue in round {n * 3}." for n in range(200))


def _jaccard(a, b):
    sa, sb = set(nd.shingle_hashes(a).tolist()), set(nd.shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb)


def test_it_gives_the_same_text_the_same_signature_and_bands():
    assert nd.signature(TEXT) == nd.signature(TEXT)
    assert nd.similarity(nd.signature(TEXT), nd.signature(TEXT)) == 1.0
    assert len(nd.band_keys(nd.signature(TEXT))) == nd.BANDS


def test_it_ignores_case_and_punctuation():
    assert nd.signature(TEXT) == nd.signature(TEXT.upper().replace(".", " ;"))


def test_it_estimates_the_jaccard_similarity_of_the_shingles():
    words = TEXT.split()
    for every in (400, 100, 40, 12):
        changed = " ".join("X" if i % every == 0 else w for i, w in enumerate(words))
        exact = _jaccard(TEXT, changed)
        estimate = nd.similarity(nd.signature(TEXT), nd.signature(changed))
        # 128 hash functions: the estimate's standard error is at most 0.045.
        assert abs(estimate - exact) < 0.15, (every, exact, estimate)


def test_it_puts_a_reprint_in_a_shared_band_and_an_unrelated_text_in_none():
    reprint = TEXT.replace("round 30.", "round thirty.") + " Reprinted by permission."
    other = " ".join(f"Paragraph {n} reports rainfall of {n} mm in the valley." for n in range(200))
    keys = set(nd.band_keys(nd.signature(TEXT)))
    assert keys & set(nd.band_keys(nd.signature(reprint)))
    assert not keys & set(nd.band_keys(nd.signature(other)))
    assert nd.similarity(nd.signature(TEXT), nd.signature(other)) < 0.1


def test_it_signs_a_text_shorter_than_a_shingle_and_an_empty_one():
    assert nd.similarity(nd.signature("Two words"), nd.signature("two words")) == 1.0
    assert nd.signature("") == [2**32 - 1] * nd.PERMUTATIONS
