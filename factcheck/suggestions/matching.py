"""Document → claims: for each sentence of a text, the existing claims it may speak to, best first.

The claims' full-text index (the one search uses) finds the candidates;
nothing scans the claims. The round trips are fixed by the document, not
by the corpus: the editors' vocabulary and the speakers (one query each),
the number of claims holding each of the document's words (one query per
BATCH_TERMS words), then the CANDIDATES best claims of each sentence by the
engine's own rank, fetched with their text (one query per BATCH_PASSAGES
sentences), and the counts of the candidates' other words (one query per
BATCH_TERMS). Each sentence asks only for its rarest words, within a
budget of matches, so a common word never makes the engine rank half the
corpus.

Python then scores each (sentence, candidate) pair with the evidence
finder's analyser (stems, aliases, synonyms): how much of the claim's
weight (idf over the claims) the sentence holds — its own words, and at a
discount the previous sentence's of the same paragraph, where a pronoun's
antecedent often is.
"""

import math
import re
from dataclasses import dataclass, field

from django.db import connection

from factcheck.analyser import Analyzer, _class_surfaces
from factcheck.evidence import load_vocabulary, split_passages
from factcheck.search import index_table
from factcheck.search.base import count_matches
from factcheck.suggestions import cues

MAX_PASSAGES = 3000  # sentences matched per document: a book-length text is matched on its first 3,000
MAX_SENTENCE = 2000  # characters of one sentence analysed
CANDIDATES = 50  # claims the index ranks per sentence
RETRIEVAL_TERMS = 20  # the rarest words of a sentence used to fetch candidates
# Claims the index may rank per sentence, as a share of all claims (at least RETRIEVAL_FLOOR):
# rarer words are taken first until their matches would pass it.
RETRIEVAL_SHARE = 0.01
RETRIEVAL_FLOOR = 300
BATCH_TERMS = 200
BATCH_PASSAGES = 50
SYNONYM_WEIGHT = 0.7  # a synonym or a form of the word counts for less than the word itself
CONTEXT_WEIGHT = 0.45  # a word only a neighbouring sentence holds
SATURATION = 6.0  # matched weight at which a match is half as sure as it can be


@dataclass
class Match:
    claim_id: int
    claim_text: str
    score: float
    stance: str


@dataclass
class PassageMatches:
    start: int
    end: int
    text: str
    speaker_id: int | None
    matches: list[Match] = field(default_factory=list)


@dataclass
class _Term:
    stems: set[str]
    surfaces: set[str] = field(default_factory=set)
    df: int = 0
    idf: float = 0.0


def _words(surface: str) -> str:
    return " ".join(re.findall(r"\w+", surface))


class ClaimIndex:
    """The round trips to the claims' full-text index (SQLite FTS5 or PostgreSQL)."""

    def __init__(self, conn=None):
        self.conn = conn or connection
        self.pg = self.conn.vendor == "postgresql"
        self.fts = index_table("claims")

    def _any(self, surfaces):
        # One phrase per spelling the index tells apart: "Moscow" and "moscow" twice
        # would count the name twice in the engine's rank and push other claims out.
        phrases = sorted({_words(s).casefold(): _words(s) for s in sorted(surfaces) if _words(s)}.values())
        if self.pg:
            return "(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases)) + ")", phrases
        return "%s", [" OR ".join(f'"{p}"' for p in phrases)]

    def _all(self, groups):
        """A match of every group (each: any of its surfaces)."""
        if len(groups) == 1:
            return self._any(groups[0])
        if self.pg:
            parts = [self._any(g) for g in groups]
            return "(" + " && ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]
        ors = [self._any(g)[1][0] for g in groups]
        return "%s", [" AND ".join(f"({o})" for o in ors)]

    def count_claims(self):
        with self.conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM factcheck_claim")
            return cursor.fetchone()[0]

    def document_frequencies(self, terms):
        """Each term's number of claims holding any of its surfaces, BATCH_TERMS terms a query."""
        items = [(cls, t) for cls, t in terms.items() if t.surfaces]
        for i in range(0, len(items), BATCH_TERMS):
            batch = items[i : i + BATCH_TERMS]
            found = count_matches(self.conn, self.fts, [self._any(t.surfaces) for _cls, t in batch])
            for (_cls, t), df in zip(batch, found, strict=True):
                t.df = df

    def candidates(self, queries, limit):
        """``{sentence number: [(claim id, claim text), ...]}``, each the ``limit`` best by the index's rank."""
        found = {}
        for i in range(0, len(queries), BATCH_PASSAGES):
            parts, params = [], []
            for n, groups in queries[i : i + BATCH_PASSAGES]:
                q, qparams = self._all(groups)
                if self.pg:
                    parts.append(
                        f"(SELECT %s::integer AS n, m.id AS id FROM {self.fts} m WHERE m.vec @@ {q}"
                        f" ORDER BY ts_rank(m.vec, {q}) DESC, m.id LIMIT %s)"
                    )
                    params += [n, *qparams, *qparams, limit]
                else:
                    parts.append(
                        f"SELECT * FROM (SELECT %s AS n, rowid AS id FROM {self.fts}"
                        f" WHERE {self.fts} MATCH {q} ORDER BY rank LIMIT %s)"
                    )
                    params += [n, *qparams, limit]
            sql = (
                f"SELECT hits.n, c.id, c.text FROM ({' UNION ALL '.join(parts)}) hits"
                " JOIN factcheck_claim c ON c.id = hits.id"
            )
            with self.conn.cursor() as cursor:
                cursor.execute(sql, params)
                for n, claim_id, text in cursor.fetchall():
                    found.setdefault(n, []).append((claim_id, text))
        return found


def load_speakers():
    from factcheck.models import Speaker

    return cues.SpeakerNames.build(list(Speaker.objects.order_by("id").values_list("id", "name", "aliases")))


def match_text(text, *, limit=3, min_score=0.0, skip=None, index=None, speakers=None, vocabulary=None):
    """``[PassageMatches, ...]`` for the sentences of ``text``, in order, each with up to ``limit`` claims.

    ``skip(claim_id, start, end)``: pairs to leave out (already attached,
    rejected) before the best ``limit`` are kept. ``min_score`` (0–1) drops
    weaker matches.
    """
    index = index or ClaimIndex()
    aliases, synonyms = vocabulary or load_vocabulary(None)
    analyzer = Analyzer(aliases, synonyms, names_as_synonyms=True)
    speakers = speakers if speakers is not None else load_speakers()
    spans = split_passages(text)[:MAX_PASSAGES]
    sentences = [text[s:e][:MAX_SENTENCE] for s, e in spans]
    analysed = [analyzer.terms(s) for s in sentences]
    terms: dict[str, _Term] = {}
    for ts in analysed:
        for t in ts:
            terms.setdefault(t.cls, _Term(set())).stems.add(t.stem)
            terms[t.cls].surfaces.add(t.surface)
    _add_surfaces(terms, analyzer)
    n_claims = index.count_claims()
    if not n_claims or not terms:
        return [PassageMatches(s, e, text[s:e], speakers.reported(text[s:e])) for s, e in spans]
    index.document_frequencies(terms)
    budget = max(RETRIEVAL_FLOOR, RETRIEVAL_SHARE * n_claims)
    # A sentence's neighbours of the same paragraph: where a pronoun's antecedent, or what "it" did, is.
    context = [_neighbours(text, spans, analysed, n) for n in range(len(spans))]
    queries = []
    for n, ts in enumerate(analysed):
        own = {t.cls for t in ts if terms[t.cls].df}
        near = {t.cls for t in context[n] if terms[t.cls].df} - own
        # The sentence's own words first, rarest first; the neighbours' after them.
        present = sorted(own, key=lambda c: (terms[c].df, c)) + sorted(near, key=lambda c: (terms[c].df, c))
        if not present:
            continue
        if terms[present[0]].df > budget:
            # Even the rarest word is common: ranking all its claims would cost
            # the most and tell the least, so ask for claims holding the two rarest.
            if len(present) > 1:
                queries.append((n, [terms[c].surfaces for c in present[:2]]))
            continue
        chosen, matches = [], 0
        for cls in present[:RETRIEVAL_TERMS]:
            if chosen and matches + terms[cls].df > budget:
                break
            chosen.append(cls)
            matches += terms[cls].df
        queries.append((n, [set().union(*(terms[c].surfaces for c in chosen))]))
    found = index.candidates(queries, CANDIDATES)
    claim_terms = {cid: analyzer.terms(ctext) for hits in found.values() for cid, ctext in hits}
    missing: dict[str, _Term] = {}
    for ts in claim_terms.values():
        for t in ts:
            if t.cls not in terms:
                missing.setdefault(t.cls, _Term(set())).stems.add(t.stem)
                missing[t.cls].surfaces.add(t.surface)
    _add_surfaces(missing, analyzer)
    index.document_frequencies(missing)
    terms.update(missing)
    for t in terms.values():
        df = max(t.df, 1)
        t.idf = math.log(1 + (n_claims - df + 0.5) / (df + 0.5))
    results = []
    for n, (start, end) in enumerate(spans):
        passage = PassageMatches(start, end, text[start:end], speakers.reported(text[start:end]))
        results.append(passage)
        hits = found.get(n)
        if not hits:
            continue
        weights = _weights(analysed[n], context[n])
        scored = []
        for claim_id, claim_text in hits:
            if skip is not None and skip(claim_id, start, end):
                continue
            score = _score(claim_terms[claim_id], weights, terms)
            if score > min_score:
                scored.append((score, claim_id, claim_text))
        scored.sort(key=lambda s: (-s[0], s[1]))
        passage.matches = [
            Match(cid, ctext, round(score, 4), cues.stance(passage.text, ctext)) for score, cid, ctext in scored[:limit]
        ]
    return results


def _neighbours(text, spans, analysed, n):
    """The terms of the sentences before and after ``n`` in its paragraph (a newline ends one)."""
    out = []
    if n and "\n" not in text[spans[n - 1][1] : spans[n][0]]:
        out += analysed[n - 1]
    if n + 1 < len(spans) and "\n" not in text[spans[n][1] : spans[n + 1][0]]:
        out += analysed[n + 1]
    return out


def _add_surfaces(terms, analyzer):
    """Every form the database may hold a term in: its own words, other forms, synonyms."""
    for cls, t in terms.items():
        exact, related = _class_surfaces(cls, t.stems, analyzer.aliases, analyzer.synonyms, analyzer.alias_classes)
        t.surfaces = {s for s in t.surfaces | exact | related if _words(s)}


def _weights(own, context):
    """``{class: (weight, stems)}``: what the sentence holds, and the previous sentence at a discount."""
    weights = {}
    for t in context:
        weights.setdefault(t.cls, [CONTEXT_WEIGHT, set()])[1].add(t.stem)
    for t in own:
        entry = weights.setdefault(t.cls, [1.0, set()])
        entry[0] = 1.0
        entry[1].add(t.stem)
    return weights


def _score(claim_terms, weights, terms):
    """0–1: the share of the claim's weight the sentence holds, times how much weight that is."""
    total = matched = 0.0
    seen = set()
    for t in claim_terms:
        if t.cls in seen:
            continue
        seen.add(t.cls)
        idf = terms[t.cls].idf
        total += idf
        held = weights.get(t.cls)
        if held is not None:
            weight, stems = held
            matched += idf * weight * (1.0 if t.stem in stems else SYNONYM_WEIGHT)
    if not total:
        return 0.0
    return (matched / total) * (matched / (matched + SATURATION))
