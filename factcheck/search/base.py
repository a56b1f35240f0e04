"""What both engines share: the index tables, and each kind's joins and filters."""

import heapq

from factcheck.search.results import COUNT_CAP, KindResults, _hits

# A topic with at most this many claims has its documents' ids read first, and
# each match is looked up among them before any join; a larger topic's matches
# are joined to their claims and tested there.
TOPIC_PROBE = 2000

# Each kind of document: the table it lives in, the indexed columns, and how
# its rows join the claim (for the topic and status filters).
INDEXED = {
    # A claim is found by its wordings in other languages too (search_index: kept by triggers on both tables).
    "claims": {"table": "factcheck_claim", "columns": ["text"], "wordings": "factcheck_claimtranslation"},
    # An editor's translation is found as the quote it translates.
    # (PostgreSQL also reindexes when a language changes: it picks the configuration.)
    "quotes": {
        "table": "factcheck_assertion",
        "columns": ["quote", "translation"],
        "languages": ["language", "translation_language"],
        "source_language": True,  # a quote without its own language is in its source's
    },
    "notes": {"table": "factcheck_annotation", "columns": ["body"]},
    "sources": {"table": "factcheck_source", "columns": ["title", "text"], "languages": ["language"]},
    "passages": {"table": "factcheck_passage", "columns": ["text"], "source_language": True},
}


def index_table(kind):
    return f"factcheck_fts_{kind}"


def count_matches(conn, table, matches):
    """How many rows of the index ``table`` each match finds, all in one round trip.

    ``matches``: ``(sql, params)`` pairs, each an FTS5 string or a tsquery as the engine's own query builder makes it.
    """
    selects, params = [], []
    for q, qparams in matches:
        if conn.vendor == "postgresql":
            selects.append(f"(SELECT count(*) FROM {table} m WHERE m.vec @@ {q})")
        else:
            selects.append(f"(SELECT count(*) FROM {table} WHERE {table} MATCH {q})")
        params += qparams
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return cursor.fetchone()


class _Backend:
    NO_INDEX = ""  # what makes a column's test a plain check on each row, not a way in
    # What the filters below read the claim and assertion tables through (an engine may name an index).
    CLAIM_INDEX = ASSERTION_INDEX = ""

    def __init__(self, conn):
        self.conn = conn

    # SQL shared by both engines: the joins and filters of each kind. ``{m}``
    # is the index table's alias, ``{id}`` its document-id column, ``{join}``
    # the engine's inner join: SQLite's CROSS JOIN keeps the index table the
    # outer loop, where its planner would otherwise walk a filter's index (every
    # claim in conflict) and probe the full-text index once per row (1.2 s).
    SELECTS = {
        "claims": (
            "SELECT c.id, {score}, {snip_body}, c.id, c.text, NULL, '', t.slug, t.title, c.status, '', '', ''",
            "FROM {fts} {m} {join} factcheck_claim c ON c.id = {m}.{id} {join} factcheck_topic t ON t.id = c.topic_id",
            "",
        ),
        "quotes": (
            "SELECT a.id, {score}, {snip_body}, c.id, c.text, s.id, s.title, t.slug, t.title, c.status,"
            " a.stance, '', ''",
            "FROM {fts} {m} {join} factcheck_assertion a ON a.id = {m}.{id}"
            " {join} factcheck_claim c ON c.id = a.claim_id {join} factcheck_topic t ON t.id = c.topic_id"
            " {join} factcheck_source s ON s.id = a.source_id",
            "",
        ),
        "notes": (
            "SELECT n.id, {score}, {snip_body}, c.id, c.text, NULL, '', t.slug, t.title, c.status, '', u.username, ''",
            "FROM {fts} {m} {join} factcheck_annotation n ON n.id = {m}.{id}"
            " {join} factcheck_claim c ON c.id = n.claim_id {join} factcheck_topic t ON t.id = c.topic_id"
            " {join} {users} u ON u.id = n.author_id",
            # Search is public: internal notes are never in it, for editors either.
            "AND n.is_deleted = {false} AND n.is_internal = {false}",
        ),
        "sources": (
            "SELECT s.id, {score}, {snip_body}, NULL, '', s.id, s.title, '', '', '', '', '', {snip_title}",
            "FROM {fts} {m} {join} factcheck_source s ON s.id = {m}.{id}",
            "",
        ),
    }

    # What the filters (and the notes' deleted flag) read, joined to the index
    # table ``m``: the document, and the claim it belongs to.
    FILTER_JOINS = {
        "claims": "{join} factcheck_claim c{claim_index} ON c.id = {m}.{id}",
        "quotes": "{join} factcheck_assertion a{assertion_index} ON a.id = {m}.{id}"
        " {join} factcheck_claim c{claim_index} ON c.id = a.claim_id",
        "notes": "{join} factcheck_annotation n ON n.id = {m}.{id}"
        " {join} factcheck_claim c{claim_index} ON c.id = n.claim_id",
        "sources": "{join} factcheck_source s ON s.id = {m}.{id}",
    }
    # The documents of a (small) topic: each match is checked against them (see _filtered).
    ON_TOPIC = {
        "claims": "SELECT t1.id FROM factcheck_claim t1 WHERE t1.topic_id = %s",
        "quotes": "SELECT t1.id FROM factcheck_assertion t1 JOIN factcheck_claim t2 ON t2.id = t1.claim_id"
        " WHERE t2.topic_id = %s",
        "notes": "SELECT t1.id FROM factcheck_annotation t1 JOIN factcheck_claim t2 ON t2.id = t1.claim_id"
        " WHERE t2.topic_id = %s",
    }

    def _filters(self, kind, topic, status, language=None):
        """Extra WHERE clauses and params for the topic, status and language filters."""
        clauses, params = self._claim_filters(kind, topic, status)
        if language:
            clause, lparams = LANGUAGE_CONDITIONS[kind]
            clauses.append(clause)
            params += [language] * lparams
        return clauses, params

    def _claim_filters(self, kind, topic, status):
        clauses, params = [], []
        if kind == "sources":
            # A source belongs to a topic (or a status) through the claims quoting it.
            conds, cparams = _claim_conditions("c2", topic, status)
            if topic is not None:
                # The few sources quoted on a topic's claims, found once from the claims' side:
                # probing each matching source would read all its assertions only to find none.
                clauses.append(
                    "AND s.id IN (SELECT a2.source_id FROM factcheck_assertion a2 JOIN factcheck_claim c2"
                    " ON c2.id = a2.claim_id WHERE " + " AND ".join(conds) + ")"
                )
                params += cparams
            elif conds:
                # A status most sources have: probing each stops at its first such claim.
                clauses.append(
                    "AND EXISTS (SELECT 1 FROM factcheck_assertion a2"
                    f" JOIN factcheck_claim c2{self.CLAIM_INDEX} ON c2.id = a2.claim_id WHERE a2.source_id = s.id AND "
                    + " AND ".join(conds)
                    + ")"
                )
                params += cparams
            return clauses, params
        conds, params = _claim_conditions("c", topic, status)
        return [f"AND {cond}" for cond in conds], params

    def _filtered(self, kind, topic, status, language, *, join, id, false, m="m"):
        """``(joins, where, params)`` for the filters and the notes' deleted flag; empty when none apply.

        Unfiltered, every index row has its document (the triggers keep them
        in step) and the joins follow foreign keys that cannot be null, so
        the index's matches alone give the same rows, for a fraction of the work.
        """
        _, _, extra = self.SELECTS[kind]
        filters, params = self._filters(kind, topic, status, language)
        if not (filters or extra):
            return "", "", []
        indexes = {"claim_index": self.CLAIM_INDEX, "assertion_index": "" if language else self.ASSERTION_INDEX}
        joins = self.FILTER_JOINS[kind].format(id=id, join=join, m=m, **indexes)
        where = [extra.format(false=false), *filters]
        if topic is not None and kind in self.ON_TOPIC and (topic.__dict__.get("claim_count") or 0) <= TOPIC_PROBE:
            # Says nothing the topic filter does not: a lookup in the topic's few documents, read once,
            # rejects a match before its joins are probed (SQLite: "+" keeps the full-text index from
            # being asked once per document instead, which recomputes bm25's statistics each time).
            where.append(f"AND {self.NO_INDEX}{m}.{id} IN ({self.ON_TOPIC[kind]})")
            params = [*params, topic.pk]
        return joins, " ".join(where), params

    def search(self, kind, query, *, topic=None, status=None, language=None, limit=10, offset=0, any_word=False):
        """One page of hits, ranked among the newest ``COUNT_CAP`` matches; two queries at most.

        Ranking every match of a common word costs time in proportion to the
        corpus, so the engine walks its matches newest first (by document id,
        with no score but for those it keeps) and stops after ``COUNT_CAP + 1``:
        that bounds the count (``capped``: there are more) and the ranking.
        Below the cap every match is ranked, exactly as a full ranking would:
        by score, ties by id. Only the page's documents are then joined and snippeted.
        """
        with self.conn.cursor() as cursor:
            cursor.execute(*self._candidates_sql(kind, query, topic, status, language, any_word, COUNT_CAP + 1))
            candidates = cursor.fetchall()
            capped = len(candidates) > COUNT_CAP
            candidates = candidates[:COUNT_CAP]
            # By score, ties by id: only the page's few are picked out, not all COUNT_CAP sorted.
            ranked = heapq.nsmallest(offset + limit, [(-float(score or 0), pk) for pk, score in candidates])
            scores = {pk: -negated for negated, pk in ranked[offset:]}
            page = list(scores)
            rows = []
            if page:
                cursor.execute(*self._rows_sql(kind, query, any_word, page))
                found = {row[0]: row for row in cursor.fetchall()}
                rows = [(pk, scores[pk], *found[pk][2:]) for pk in page if pk in found]
        return KindResults(kind=kind, total=len(candidates), hits=_hits(kind, rows), capped=capped)


# A language filter on each kind: a source in it, a quote in it (its own
# language, else its source's), a claim or note on a claim quoted in it.
_QUOTED_IN = (
    "(SELECT a3.claim_id FROM factcheck_assertion a3 JOIN factcheck_source s3 ON s3.id = a3.source_id"
    " WHERE a3.language = %s OR (a3.language = '' AND s3.language = %s))"
)
LANGUAGE_CONDITIONS = {
    "sources": ("AND s.language = %s", 1),
    "quotes": (
        "AND (a.language = %s OR (a.language = '' AND a.source_id IN"
        " (SELECT s3.id FROM factcheck_source s3 WHERE s3.language = %s)))",
        2,
    ),
    "claims": (f"AND c.id IN {_QUOTED_IN}", 2),
    "notes": (f"AND c.id IN {_QUOTED_IN}", 2),
}


def _claim_conditions(alias, topic, status):
    """The topic and status filters as conditions on the claim table named ``alias``, with their params."""
    conds, params = [], []
    if topic is not None:
        conds.append(f"{alias}.topic_id = %s")
        params.append(topic.pk)
    if status:
        conds.append(f"{alias}.status = %s")
        params.append(status)
    return conds, params
