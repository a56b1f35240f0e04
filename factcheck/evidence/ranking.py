"""Ranking candidate sentences: BM25 with synonyms, query coverage, neighbouring words, answer types."""

import itertools
import math
import re
from dataclasses import dataclass

from factcheck.analyser import _stem
from factcheck.language import MONTHS

# BM25 and the re-ranking weights.
K1, B = 1.2, 0.75
SYNONYM_WEIGHT = 0.7  # a synonym counts for less than the word itself
WINDOW_FACTOR = 0.8  # two sentences must score this much better than one to be shown instead
PAIR_BONUS = 0.25  # two query words side by side, per pair, times their idf
COVERAGE_POWER = 1.0

# Questions that ask for a number or a date: passages holding one answer them.
_ASKS_NUMBER = re.compile(
    r"\b(how (many|much|long|far|large|big)|what (share|percentage|proportion|number|amount))\b", re.I
)
_ASKS_DATE = re.compile(r"\b(when|what (year|date|month|day)|since when)\b", re.I)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_MONTH_STEMS = frozenset(_stem(m) for m in MONTHS.values()) | {_stem("may")}
ANSWER_TYPE_BOOST = 1.3


@dataclass
class QueryTerm:
    cls: str
    stems: set
    surfaces: set  # the query's words, their other forms and their synonyms: what candidates may hold
    exact: set = None  # the query's words and their other forms: what the idf is measured on
    df: int = 0
    idf: float = 0.0


@dataclass
class Evidence:
    passage_id: int
    source_id: int
    source_title: str
    source_publisher: str
    text: str
    start: int
    end: int
    score: float


def _answer_type(query_text):
    if _ASKS_NUMBER.search(query_text):
        return "number"
    if _ASKS_DATE.search(query_text):
        return "date"
    return None


def _has_answer_type(terms, wants, by_cls):
    """A number (or a year or month) in the passage that the question itself does not give."""
    for t in terms:
        if t.cls in by_cls:
            continue
        if wants == "number" and t.stem[:1].isdigit() and not _YEAR.match(t.stem):
            return True
        if wants == "date" and (_YEAR.match(t.stem) or t.stem in _MONTH_STEMS):
            return True
    return False


def rank(rows, qterms, analyzer, avgdl, query_text="", limit=None):
    """Score candidate sentences, and each with its neighbour, and return Evidence, best first.

    A pair of adjacent sentences of one paragraph competes with single ones
    (discounted by WINDOW_FACTOR): it wins when the second sentence adds what
    the question asks — the answer often follows the sentence naming who.
    Results never overlap one another; ``limit`` of them at most.
    """
    by_cls = {qt.cls: qt for qt in qterms}
    total_idf = sum(qt.idf for qt in qterms) or 1.0
    order = [qt.cls for qt in qterms]
    pairs = {frozenset((a, b)) for a, b in itertools.pairwise(order) if a != b}
    cache = {}
    wants = _answer_type(query_text)

    def sentence(text, language):
        # A sentence's terms, and the few of them the query asks for: ``(terms, length, query terms)``.
        if (text, language) not in cache:
            terms = analyzer.terms(text, language)
            cache[text, language] = (terms, len(terms), _query_hits(terms, by_cls))
        return cache[text, language]

    units = {}
    for row in rows:
        pid, source_id, start, end, text, title, publisher, ptext, pstart, pgap, ntext, nend, ngap = row[:13]
        language = row[13] if len(row) > 13 else ""  # the source's, which its passages are written in
        here = sentence(text, language)
        units[(source_id, start, end)] = (pid, title, publisher, (text,), (here,), 1.0)
        if ptext is not None and pgap is not None and "\n" not in pgap:
            units.setdefault(
                (source_id, pstart, end),
                (pid, title, publisher, (ptext, pgap, text), (sentence(ptext, language), here), WINDOW_FACTOR),
            )
        if ntext is not None and ngap is not None and "\n" not in ngap:
            units.setdefault(
                (source_id, start, nend),
                (pid, title, publisher, (text, ngap, ntext), (here, sentence(ntext, language)), WINDOW_FACTOR),
            )
    scored = []
    for key, (_pid, _title, _publisher, _texts, parts, factor) in units.items():
        if len(parts) == 1:
            length, hits = parts[0][1], parts[0][2]
        else:
            # The second sentence's terms stand after the first's.
            first = parts[0][1]
            length = first + parts[1][1]
            hits = parts[0][2] + [(i + first, c, w) for i, c, w in parts[1][2]]
        # fsum: the set's order follows string hashing, which differs between processes, and a
        # plain sum's last bit with it; equal passages must rank alike in every worker.
        covered = math.fsum(by_cls[c].idf for c in {c for _, c, _ in hits}) / total_idf
        score = _bm25(hits, by_cls, length, avgdl) * covered**COVERAGE_POWER
        score = (score + _pair_bonus(hits, pairs, by_cls)) * factor
        if wants and _has_answer_type([t for part in parts for t in part[0]], wants, by_cls):
            score *= ANSWER_TYPE_BOOST
        source_id, start, end = key
        scored.append((-score, end - start, source_id, start, end))
    scored.sort()
    chosen, by_source = [], {}
    for negative, _length, source_id, start, end in scored:
        same_source = by_source.setdefault(source_id, [])
        if not any(c.start < end and start < c.end for c in same_source):
            pid, title, publisher, texts, _parts, _factor = units[source_id, start, end]
            e = Evidence(pid, source_id, title, publisher, "".join(texts), start, end, -negative)
            chosen.append(e)
            same_source.append(e)
            if len(chosen) == limit:
                break
    return chosen


def _query_hits(terms, by_cls):
    """``[(position, class, weight)]`` of the terms of a query's classes: all that BM25 and the pairs read."""
    return [
        (i, t.cls, 1.0 if t.stem in by_cls[t.cls].stems else SYNONYM_WEIGHT)
        for i, t in enumerate(terms)
        if t.cls in by_cls
    ]


def _bm25(hits, by_cls, length, avgdl):
    tf = {}
    for _, c, w in hits:
        tf[c] = tf.get(c, 0.0) + w
    norm = K1 * (1 - B + B * length / avgdl)
    return sum(by_cls[c].idf * f * (K1 + 1) / (f + norm) for c, f in tf.items())


def _pair_bonus(hits, pairs, by_cls):
    """Query words that stand next to each other, or one word apart (in either order), in the passage too.

    ``hits``: the passage's query terms with their positions; ``pairs``: the
    query's neighbouring words, as frozensets of two classes.
    """
    if not pairs:
        return 0.0
    found = set()
    for n, (i, c, _) in enumerate(hits):
        for j, d, _ in hits[n + 1 : n + 3]:
            if j - i > 2:
                break
            if d != c:
                pair = frozenset((c, d))
                if pair in pairs:
                    found.add(pair)
    return PAIR_BONUS * math.fsum(min(by_cls[c].idf for c in pair) for pair in found)  # as ``covered``


# ---------------------------------------------------------------------------
# The baseline, for comparison in eval_evidence: plain BM25 over sentences.


class PlainBM25:
    """Plain BM25 over ``passages`` (``(key, text)``): lower-cased words, no stemming, no stop words."""

    def __init__(self, passages):
        self.docs = []
        self.df = {}
        for key, text in passages:
            counts = {}
            words = re.findall(r"\w+", text.lower())
            for w in words:
                counts[w] = counts.get(w, 0) + 1
            for w in counts:
                self.df[w] = self.df.get(w, 0) + 1
            self.docs.append((key, counts, len(words)))
        self.avgdl = sum(n for _, _, n in self.docs) / max(len(self.docs), 1)

    def search(self, query, limit):
        n = len(self.docs)
        q = re.findall(r"\w+", query.lower())
        idf = {w: math.log(1 + (n - self.df[w] + 0.5) / (self.df[w] + 0.5)) for w in q if w in self.df}
        scored = []
        for key, counts, length in self.docs:
            norm = K1 * (1 - B + B * length / self.avgdl)
            s = sum(idf[w] * counts[w] * (K1 + 1) / (counts[w] + norm) for w in q if w in idf and w in counts)
            if s > 0:
                scored.append((s, key))
        scored.sort(key=lambda x: -x[0])
        return [key for _, key in scored[:limit]]
