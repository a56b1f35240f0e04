"""Finding a quote in a source text.

Editors paste quotes from browsers, PDFs and word processors, which change
whitespace and turn straight quotes into typographic ones (or back). Matching
forgives exactly those two differences and nothing else, and reports offsets
in the *original* text so the stored passage is always the source's own words.
"""

import difflib
import functools
import itertools
import re
from dataclasses import dataclass

# Typographic quotes and apostrophes mapped to their straight forms.
_QUOTE_MAP = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark / apostrophe
    "\u201a": "'",  # single low-9
    "\u201b": "'",  # single high-reversed-9
    "\u2032": "'",  # prime
    "\u02bc": "'",  # modifier letter apostrophe
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
}

CONTEXT_CHARS = 240

_LAST_SPACE = re.compile(r"\s+\S*$")

# A source's footnote markers ("bases [1][3]."): part of the stored text, so
# quotes keep them and still verify, but a reader's quote reads without them.
FOOTNOTE_MARKERS = re.compile(r"[ \u00a0]?(?:\[\d{1,3}\])+")


def without_footnotes(text):
    """``text`` as a reader sees a quote: footnote markers left out."""
    return FOOTNOTE_MARKERS.sub("", text) if "[" in text else text


def clip_words(text, limit):
    """``text`` cut to at most ``limit`` characters before a word, with “…”: never “were all in Mo…”.

    A first word longer than ``limit`` is the one case cut inside a word.
    """
    text = without_footnotes(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        whole = _LAST_SPACE.sub("", cut)
        cut = whole or cut
    return cut.rstrip(" \t\n,;:—–-") + "…"


_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”’)\]])|\n")


def normalize(text):
    """Return ``(normalized, index_map)``.

    ``normalized`` has each whitespace run collapsed to one space and quotes
    made straight; ``index_map[i]`` is the offset in ``text`` of the
    character that became ``normalized[i]``.
    """
    out = []
    index_map = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index_map.append(i)
            in_space = True
            continue
        in_space = False
        out.append(_QUOTE_MAP.get(ch, ch))
        index_map.append(i)
    return "".join(out), index_map


def normalize_quote(quote):
    return normalize(quote.strip())[0]


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int


@functools.lru_cache(maxsize=16)
def _normalized_source(text):
    # Imports and exports look up hundreds of quotes in the same few texts;
    # normalising a long text once instead of per quote keeps them fast.
    # Callers only read the result.
    return normalize(text)


def find_occurrences(text, quote):
    """Every place ``quote`` occurs in ``text``, as offsets into ``text``."""
    needle = normalize_quote(quote)
    if not needle:
        return []
    haystack, index_map = _normalized_source(text)
    found = []
    pos = haystack.find(needle)
    while pos != -1:
        start = index_map[pos]
        end = index_map[pos + len(needle) - 1] + 1
        found.append(Occurrence(start, end))
        pos = haystack.find(needle, pos + len(needle))
    return found


def matches_at(text, quote, start, end):
    """True when ``text[start:end]`` is ``quote`` up to whitespace and quote style."""
    if not (0 <= start < end <= len(text)):
        return False
    return normalize_quote(text[start:end]) == normalize_quote(quote)


def _candidate_windows(text, size):
    """Sentence-aligned windows roughly ``size`` characters long."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    bounds = sorted(set(bounds))
    for i, start in enumerate(bounds[:-1]):
        for end in bounds[i + 1 :]:
            yield start, end
            if end - start >= size:
                break


def nearest_passage(text, quote, limit=300):
    """The passage of ``text`` that most resembles ``quote``, for error messages.

    A cheap shortlist by shared words, then difflib on the best few, keeps this
    fast on long texts.
    """
    needle = normalize_quote(quote).lower()
    if not needle or not text.strip():
        return ""
    words = set(re.findall(r"\w+", needle))
    scored = []
    for start, end in _candidate_windows(text, len(needle)):
        window = normalize(text[start:end])[0].strip()
        if not window:
            continue
        overlap = len(words & set(re.findall(r"\w+", window.lower())))
        scored.append((overlap, -(end - start), start, end, window))
    scored.sort(reverse=True)
    best_ratio, best = -1.0, ""
    for _overlap, _neg_len, _start, _end, window in scored[:25]:
        ratio = difflib.SequenceMatcher(None, needle, window.lower(), autojunk=False).ratio()
        if ratio > best_ratio:
            best_ratio, best = ratio, window
    return clip_words(best, limit)


def sentence_bounds(text, start, end, limit=CONTEXT_CHARS):
    """Offsets of the sentence(s) around ``text[start:end]``, at most ``limit`` chars each side."""
    left = max(0, start - limit)
    before = text[left:start]
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    ctx_start = left + ends[-1] if ends else left
    after = text[end : end + limit]
    m = _SENTENCE_END.search(after)
    ctx_end = end + (m.end() if m else len(after))
    return ctx_start, ctx_end


def in_context(text, start, end):
    """``(before, passage, after)`` with the passage's surrounding sentence."""
    ctx_start, ctx_end = sentence_bounds(text, start, end)
    before = text[ctx_start:start].lstrip()
    after = text[end:ctx_end].rstrip()
    if ctx_start > 0 and ctx_start == max(0, start - CONTEXT_CHARS):
        before = "…" + before
    if ctx_end < len(text) and ctx_end == end + CONTEXT_CHARS:
        after = after + "…"
    return before, text[start:end], after


@dataclass
class Segment:
    text: str
    start: int
    spans: list  # the spans covering this segment, innermost first
    opening: list  # the spans that begin here


def segments(text, spans):
    """Cut ``text`` at every span boundary, for highlighting overlapping passages.

    ``spans`` are objects with ``start`` and ``end``; each segment lists the
    spans covering it, so nested and overlapping quotes all stay reachable.
    """
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    points = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    result = []
    # One sweep: the spans open at a point are those begun at or before it
    # and not yet ended, which covers the whole segment up to the next point.
    active, waiting = [], iter(spans)
    upcoming = next(waiting, None)
    for lo, hi in itertools.pairwise(points):
        active = [s for s in active if s.end > lo]
        opening = []
        while upcoming is not None and upcoming.start == lo:
            opening.append(upcoming)
            upcoming = next(waiting, None)
        active += opening
        covering = sorted(active, key=lambda s: s.end - s.start)
        result.append(Segment(text[lo:hi], lo, covering, opening))
    return result
