"""Reprints: texts that are mostly the same, found by MinHash over word shingles, looked up through LSH bands.

Two texts' resemblance is the Jaccard similarity of their sets of
``SHINGLE``-word shingles. A MinHash signature (``PERMUTATIONS`` minima of
as many hash functions) estimates it: the share of positions where two
signatures agree. To find candidates without reading every stored text, a
signature is cut into ``BANDS`` bands of ``ROWS`` values; each band is hashed
to one 63-bit key, stored in an indexed column (``FingerprintBand.key``).
Two texts at Jaccard *s* share at least one band with probability
1 − (1 − s^ROWS)^BANDS: 0.9999 at s = 0.9, 0.06 at s = 0.5, so a lookup
reads the rows of at most a few sources, whatever the corpus' size.
"""

import hashlib
import re
from collections.abc import Sequence

import numpy as np

SHINGLE = 5
PERMUTATIONS = 128
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.9
# Hashing happens in blocks of this many shingles: memory stays bounded on a long text.
_BLOCK = 32_768
_WORD = re.compile(r"\w+")
# Fixed, so that signatures computed today compare with those stored yesterday.
_RNG = np.random.default_rng(20_160_916)
# Multiply-shift hashing (Dietzfelbinger): odd multipliers, arithmetic modulo 2**64.
_A = _RNG.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.uint64(2**32 - 1)


def shingle_hashes(text: str) -> "np.ndarray[tuple[int], np.dtype[np.uint64]]":
    """The distinct 64-bit hashes of the text's word shingles (case-folded, punctuation ignored)."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    digests = {hashlib.blake2b(g.encode(), digest_size=8).digest() for g in grams}
    return np.frombuffer(b"".join(sorted(digests)), dtype=np.uint64)


def signature(text: str) -> list[int]:
    """The text's MinHash signature: ``PERMUTATIONS`` integers below 2**32."""
    hashes = shingle_hashes(text)
    mins = np.full(PERMUTATIONS, _EMPTY, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(hashes), _BLOCK):
            block = hashes[start : start + _BLOCK]
            values = (_A[:, None] * block[None, :] + _B[:, None]) >> np.uint64(32)
            np.minimum(mins, values.min(axis=1), out=mins)
    return [int(v) for v in mins]


def band_keys(sig: Sequence[int]) -> list[int]:
    """One signed 63-bit key per band; the band's number is hashed in, so equal rows in different bands differ."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        data = band.to_bytes(2, "big") + b"".join(int(v).to_bytes(4, "big") for v in rows)
        keys.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1)
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The estimated Jaccard similarity of the two texts whose signatures these are."""
    if len(a) != len(b) or not a:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
