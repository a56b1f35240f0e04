"""PostgreSQL full-text search (``english`` configuration), in production."""

from django.contrib.auth import get_user_model

from factcheck.search.base import _Backend, index_table
from factcheck.search.results import MARK_CLOSE, MARK_OPEN

# Kinds whose index rows keep their claim's status beside the vector (search_index
# maintains it): a status filter is then a condition on the index table, whose own
# (status, id) index walks that status's rows newest first, not a join for each
# match — a status most matches lack had the search read most of the index.
STATUS_KINDS = ("claims", "quotes", "notes")


def tsquery_sql(query, any_word=False, simplified=False):
    """``(sql, params)`` building the query as a PostgreSQL ``tsquery`` from bound parameters.

    ``simplified``: each word's alternatives through ``factcheck_tsquery_any``
    (migration 0026): the same rows match, with fewer operands to test on
    each; ``ts_rank`` counts operands, so a rank needs the query as written.
    """
    parts, params = [], []
    for group in query.groups:
        alts = []
        for alt in group.alternatives:
            # Also unstemmed: texts in other languages are indexed as written too (search_index._pg_text).
            # Lower case, as the index folds it (search_index._folded), whatever the database's locale.
            alts += ["phraseto_tsquery('english', %s)", "phraseto_tsquery('simple', %s)"]
            params += [" ".join(alt).lower()] * 2
        if group.prefix:
            alts.append("to_tsquery('english', %s)")
            params.append(f"'{group.prefix.lower()}':*")
        for prefix in group.inflections:
            alts.append("to_tsquery('simple', %s)")
            params.append(f"'{prefix}':*")
        if simplified:
            parts.append(f"factcheck_tsquery_any(ARRAY[{', '.join(alts)}])")
        else:
            parts.append("(" + " || ".join(alts) + ")")
    return "(" + (" || " if any_word else " && ").join(parts) + ")", params


HEADLINE_SHORT = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"
# A source's snippet is cut from the sentences around the first one that holds
# any of the words, as the evidence finder's passages give them (start and end
# in the text, cut from this very text when the digests agree), and never from
# the whole text: ts_headline parses and stems everything it is given, 2–30 KB
# for each source shown, where these few sentences are enough for two fragments
# of 40 words. ts_match_vq tests the source's own passages in order (the GIN
# index would fetch every passage of the corpus that matches a common word).
# Without such a passage (not cut yet, or the words only meet across sentences,
# or only in the title) the whole text is headlined, as before.
# The digest is tested inside the match (a passage of another digest is given a
# NULL query, and ts_match_vq, strict, is NULL: not kept), not beside it: the
# planner took "digest = the source's" for a test one passage in 2,000 passes,
# so it fetched all the source's passages (~230), tested each and sorted the
# matches, where walking them in order stops at the first (~20). Same passages.
SOURCE_WINDOW = """coalesce((SELECT substr(s.text, f.start + 1, max(e."end") - f.start)
  FROM (SELECT p.position, p.start FROM factcheck_passage p JOIN factcheck_fts_passages fp ON fp.id = p.id
        WHERE p.source_id = s.id AND ts_match_vq(fp.vec, CASE WHEN p.digest = s.text_sha256 THEN hits.any_q END)
        ORDER BY p.position LIMIT 1) f
  JOIN factcheck_passage e ON e.source_id = s.id AND e.position BETWEEN f.position AND f.position + %s
  GROUP BY f.start), s.text)"""
# Sentences in the window: the first match's and the next ones, room for both fragments.
WINDOW_SENTENCES = 2

HEADLINE_LONG = (
    f'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
)


class PostgresBackend(_Backend):
    vendor = "postgresql"

    def _filtered(self, kind, topic, status, language, *, join, id, false, m="m"):
        """As the engines share it, but a claim-bound kind's status is read from its index row (no join)."""
        if not status or kind not in STATUS_KINDS:
            return super()._filtered(kind, topic, status, language, join=join, id=id, false=false, m=m)
        joins, where, params = super()._filtered(kind, topic, None, language, join=join, id=id, false=false, m=m)
        return joins, f"{where} AND {m}.status = %s", [*params, status]

    def _claim_filters(self, kind, topic, status):
        """As the engines share it, but a source's status is read from its quotes' index rows.

        The quotes' rows keep their source and their claim's status, with a
        (source, status) index: one probe a source, where the join tested the
        source's quotes' claims one by one until one had the status (tens of
        them for a status most claims lack; 16–37 ms a search of sources).
        """
        if kind != "sources" or not status or topic is not None:
            return super()._claim_filters(kind, topic, status)
        quotes = index_table("quotes")
        return [f"AND EXISTS (SELECT 1 FROM {quotes} q2 WHERE q2.source_id = s.id AND q2.status = %s)"], [status]

    def _candidates_sql(self, kind, query, topic, status, language, any_word, limit):
        """``(id, rank)`` of the newest ``limit`` matches passing the filters, newest first.

        Only the rows the LIMIT keeps are ranked: the planner cannot move
        ``ts_rank`` (which reads each vector) below a subquery's LIMIT, so a
        plan fetching every match through the GIN index does not rank them all.
        Not a MATERIALIZED CTE: that copies each kept row, vector and all, into
        a tuple store (a source's 6 KB vector, kept in its row, spills to disk),
        where the subquery hands the walk's rows straight to ``ts_rank``.
        The query is written out in the condition, not joined from a subquery:
        the planner then estimates its matches from the index's statistics and
        walks the ids backwards only for a common word, where it soon finds
        enough (for a rare one that walk would read most of the table).
        """
        fts = index_table(kind)
        tsq, tsq_params = tsquery_sql(query, any_word)
        match, match_params = tsquery_sql(query, any_word, simplified=True)
        joins, where, params = self._filtered(kind, topic, status, language, join="JOIN", id="id", false="false")
        sql = (
            f"SELECT id, ts_rank(vec, {tsq}) FROM (SELECT m.id, m.vec FROM {fts} m {joins}"
            f" WHERE m.vec @@ {match} {where} ORDER BY m.id DESC LIMIT %s) newest ORDER BY id DESC"
        )
        return sql, [*tsq_params, *match_params, *params, limit]

    def _rows_sql(self, kind, query, any_word, ids):
        """The documents ``ids`` (already matched and filtered) joined and headlined."""
        fts = index_table(kind)
        tsq, tsq_params = tsquery_sql(query, any_word)
        any_tsq, any_params = tsquery_sql(query, True, simplified=True) if kind == "sources" else ("NULL::tsquery", [])
        select, joins, _ = self.SELECTS[kind]
        users = get_user_model()._meta.db_table
        column = {"claims": "c.text", "quotes": "a.quote", "notes": "n.body", "sources": "s.text"}[kind]
        fmt = {
            "score": "0",  # the candidates' query ranked them
            "snip_body": f"ts_headline('english', {SOURCE_WINDOW if kind == 'sources' else column}, hits.q, %s)",
            "snip_title": "ts_headline('english', s.title, hits.q, %s)",
            "fts": "hits",
            "m": "hits",
            "id": "id",
            "users": users,
            "join": "JOIN",
        }
        options = [HEADLINE_LONG if kind == "sources" else HEADLINE_SHORT] + (
            [HEADLINE_SHORT] if kind == "sources" else []
        )
        if kind == "sources":
            options.insert(0, WINDOW_SENTENCES)
        sql = (
            f"WITH hits AS MATERIALIZED (SELECT m.id, q.q, q.any_q FROM {fts} m"
            f" CROSS JOIN (SELECT {tsq} AS q, {any_tsq} AS any_q) q"
            f" WHERE m.id = ANY(%s)) {select.format(**fmt)} {joins.format(**fmt)}"
        )
        return sql, [*tsq_params, *any_params, list(ids), *options]
