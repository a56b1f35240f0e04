"""Finding evidence: the query's terms, the database round trips for candidates, then ranking."""

import functools
import hashlib
import math
import re

from django.core.cache import caches
from django.db import connection

from factcheck.analyser import Analyzer, _class_surfaces
from factcheck.cache import corpus_cache_key
from factcheck.evidence import postgres
from factcheck.evidence.ranking import QueryTerm, rank
from factcheck.evidence.vocabulary import load_vocabulary
from factcheck.search import index_table
from factcheck.search.base import count_matches
from factcheck.search.stemming import inflection_prefixes

MAX_QUERY_LENGTH = 2000
MAX_LIMIT = 50
DEFAULT_LIMIT = 5
CANDIDATES = 300  # sentences re-ranked per query
RETRIEVAL_TERMS = 12  # rarest query terms used to fetch candidates
# Passages the engine may rank to fetch candidates, whatever the corpus's
# size: rarer terms are taken first until their matches would pass it, and
# when the rarest alone has more, only its newest this many are ranked.
# Ranking a hundred thousand matches of "Russia" to keep 300 costs the engine
# far more than it adds to the candidates, and a share of the corpus would
# make every query's cost grow with it.
RETRIEVAL_BUDGET = 2000


def _query_terms(text, analyzer):
    terms = {}
    order = []
    for t in analyzer.terms(text):
        if t.cls not in terms:
            terms[t.cls] = QueryTerm(cls=t.cls, stems=set(), surfaces=set())
            order.append(t.cls)
        terms[t.cls].stems.add(t.stem)
        terms[t.cls].surfaces.add(t.surface)
    for qt in terms.values():
        exact, related = _class_surfaces(qt.cls, qt.stems, analyzer.aliases, analyzer.synonyms)
        qt.exact = {s for s in qt.surfaces | exact if _words(s)}
        qt.surfaces = qt.exact | {s for s in related if _words(s)}
    return [terms[c] for c in order]


def _words(surface):
    return " ".join(re.findall(r"\w+", surface))


class _Engine:
    """The database round trips: corpus statistics, word statistics, then candidate sentences."""

    def __init__(self, conn):
        self.conn = conn
        self.pg = conn.vendor == "postgresql"
        self.fts = index_table("passages")
        self.rows = None  # the current passages' count, once corpus() has read it
        self.top = None  # and their highest id

    @functools.cached_property
    def version_key(self):
        """Where this corpus version's statistics are cached, or None (not cached: in a transaction)."""
        return corpus_cache_key("evidence", self.conn.alias)

    def _any(self, surface_sets):
        """``(sql, params)``: a match of any of the surfaces (FTS5 string or tsquery).

        A Russian or Arabic word also matches by the prefix its stem gives
        (Москва: москв*, finding Москвы), since the engines do not stem them.
        """
        phrases, prefixes = self._phrases(surface_sets)
        if self.pg:
            # Each phrase stemmed as English and as written (other languages are indexed as written too).
            parts, params = postgres.tsqueries(phrases, prefixes)
            return f"({' || '.join(parts)})", params
        return "%s", [" OR ".join([f'"{p}"' for p in phrases] + [f'"{p}" *' for p in prefixes])]

    @staticmethod
    def _phrases(surface_sets):
        phrases = sorted({_words(s) for surfaces in surface_sets for s in surfaces} - {""})
        return phrases, sorted({p for phrase in phrases for p in inflection_prefixes(phrase)})

    def corpus(self):
        """``(N, average length)`` of the current passages (not those cut from an older text); keeps their top id.

        Reading them walks every passage, so they are kept in the cache under
        the corpus version, which every write to a passage or a source bumps.
        """
        # The highest id apart, under its own key: what was cached before it keeps its meaning.
        keys = (f"{self.version_key}:corpus", f"{self.version_key}:top") if self.version_key else ()
        cached = caches["default"].get_many(keys) if keys else {}
        if len(cached) == 2:
            found, top = cached[keys[0]], cached[keys[1]]
        else:
            with self.conn.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*), coalesce(avg(p.length), 0), max(p.id) FROM factcheck_passage p"
                    " JOIN factcheck_source s ON s.id = p.source_id WHERE p.digest = s.text_sha256"
                )
                n, avgdl, top = cursor.fetchone()
            found = (n, float(avgdl or 0))
            if keys:
                caches["default"].set_many(dict(zip(keys, (found, top), strict=True)))
        self.rows, self.top = found[0], top
        return found

    def document_frequencies(self, qterms):
        """Each term's document frequency: passages holding any of its surfaces, and its exact forms.

        They count every indexed passage (a stale one is rare and only nudges an idf).
        Counting a common word's matches is the costly part, and common words
        recur from query to query: each term's pair is cached under the corpus version.
        """
        keys = {}
        if self.version_key:
            for qt in qterms:
                spec = "\n".join(sorted(qt.surfaces)) + "\n\n" + "\n".join(sorted(qt.exact))
                keys[qt.cls] = f"{self.version_key}:df:{hashlib.blake2b(spec.encode(), digest_size=16).hexdigest()}"
        known = caches["default"].get_many(list(keys.values())) if keys else {}
        missing = [qt for qt in qterms if keys.get(qt.cls) not in known]
        counted = dict(zip((qt.cls for qt in missing), self._count(missing), strict=True)) if missing else {}
        if keys and counted:
            caches["default"].set_many({keys[cls]: pair for cls, pair in counted.items()})
        return [counted[qt.cls] if qt.cls in counted else known[keys[qt.cls]] for qt in qterms]

    def _count(self, qterms):
        # A word without synonyms has the same two sets: each distinct set is counted once.
        distinct = list(dict.fromkeys(frozenset(s) for qt in qterms for s in (qt.surfaces, qt.exact)))
        found = count_matches(self.conn, self.fts, [self._any([surfaces]) for surfaces in distinct])
        counted = dict(zip(distinct, found, strict=True))
        return [(counted[frozenset(qt.surfaces)], counted[frozenset(qt.exact)]) for qt in qterms]

    def candidates(self, qterms, exclude_sources, limit, budget=RETRIEVAL_BUDGET):
        """The ``limit`` best-matching current sentences by the engine's own rank, with their neighbours.

        The engine ranks its matches alone and only the ``limit`` best are
        joined to their passages, sources and neighbours: joining every match
        first (thousands for a common name) costs far more than ranking them.
        Only the newest ``budget`` matches are ranked (all of them, when fewer):
        the engine finds where they start by walking its matches newest first, unscored.
        """
        exclude = ""
        if exclude_sources:
            exclude = f" AND p.source_id NOT IN ({', '.join(['%s'] * len(exclude_sources))})"
        columns = (
            'p.id, p.source_id, p.start, p."end", p.text, s.title, s.publisher,'
            ' prev.text, prev.start, p.gap_before, nxt.text, nxt."end", nxt.gap_before, s.language'
        )
        neighbours = (
            " JOIN factcheck_source s ON s.id = p.source_id"
            " LEFT JOIN factcheck_passage prev ON prev.source_id = p.source_id AND prev.position = p.position - 1"
            " LEFT JOIN factcheck_passage nxt ON nxt.source_id = p.source_id AND nxt.position = p.position + 1"
        )
        if self.pg:
            phrases, prefixes = self._phrases([qt.surfaces for qt in qterms])
            parts, params = postgres.tsqueries(phrases, prefixes)
            # At most this many rows match; exactly this many when one term is over the budget.
            matches = sum(qt.df for qt in qterms)
            walk = postgres.walks(matches, self.rows or matches, budget, len(parts))
            floor = None if walk else postgres.floor(matches, self.rows or matches, self.top, budget)
            while True:
                sql = postgres.candidates_sql(self.fts, parts, exclude, columns, neighbours, walk, floor)
                args = params + ([] if floor is None else [floor]) + list(exclude_sources) + [budget]
                with self.conn.cursor() as cursor:
                    cursor.execute(sql, args + params + [limit])
                    rows = cursor.fetchall()
                # Fewer than the budget above the floor: older matches belong among the newest too.
                if floor is None or (rows and rows[0][-1] >= budget):
                    return [row[:-1] for row in rows]
                floor = None
        else:
            # ORDER BY rank alone lets FTS5 sort its matches itself, so the
            # joins run only for the rows the LIMIT keeps; it honours the rowid
            # bound, so only the matches from the budget's oldest on are ranked.
            q, params = self._any([qt.surfaces for qt in qterms])
            oldest = (
                f"coalesce((SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH {q}"
                " ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0)"
            )
            sql = (
                f"SELECT {columns} FROM {self.fts} m JOIN factcheck_passage p ON p.id = m.rowid{neighbours}"
                f" WHERE {self.fts} MATCH {q} AND m.rowid >= {oldest} AND p.digest = s.text_sha256{exclude}"
                " ORDER BY m.rank LIMIT %s"
            )
            args = params + params + [budget - 1] + list(exclude_sources) + [limit]
        with self.conn.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()


def find_evidence(text, *, limit=DEFAULT_LIMIT, exclude_sources=(), aliases=None, synonyms=None, engine=None):
    """The passages most likely to support or dispute ``text``, best first.

    ``aliases`` and ``synonyms`` default to the editors' tables in the database.
    """
    engine = engine or _Engine(connection)
    if aliases is None or synonyms is None:
        # The vocabulary is cached under the same corpus version as the statistics: one version read for both.
        stored_aliases, stored_synonyms = load_vocabulary(engine.version_key)
        aliases = stored_aliases if aliases is None else aliases
        synonyms = stored_synonyms if synonyms is None else synonyms
    analyzer = Analyzer(aliases, synonyms)
    qterms = _query_terms(text[:MAX_QUERY_LENGTH], analyzer)
    if not qterms:
        return []
    n, avgdl = engine.corpus()
    if n == 0:
        return []
    dfs = engine.document_frequencies(qterms)
    for qt, (df, exact_df) in zip(qterms, dfs, strict=True):
        # The idf is that of the word asked for: a rare word ("Kremlin")
        # stays informative even though its synonyms ("Russia") are common.
        qt.df = df
        idf_df = exact_df or df
        qt.idf = math.log(1 + (n - idf_df + 0.5) / (idf_df + 0.5))
    present = [qt for qt in qterms if qt.df]
    if not present:
        return []
    # Fetch candidates by the rarest terms: a common word would pull in
    # half the corpus and push the informative sentences out.
    retrieval = _retrieval_terms(present)
    rows = engine.candidates(retrieval, exclude_sources, CANDIDATES)
    return rank(rows, qterms, analyzer, avgdl or 1.0, text, limit)


def _retrieval_terms(present, budget=RETRIEVAL_BUDGET):
    """The rarest terms, as many as fit the retrieval budget (always the rarest one)."""
    chosen, matches = [], 0
    for qt in sorted(present, key=lambda qt: qt.df)[:RETRIEVAL_TERMS]:
        if chosen and matches + qt.df > budget:
            break
        chosen.append(qt)
        matches += qt.df
    return chosen
