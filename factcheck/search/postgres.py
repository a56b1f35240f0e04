"""PostgreSQL full-text search (``english`` configuration), in production."""

from django.contrib.auth import get_user_model

from factcheck.search.base import _Backend, index_table
from factcheck.search.results import MARK_CLOSE, MARK_OPEN


def tsquery_sql(query, any_word=False):
    """``(sql, params)`` building the query as a PostgreSQL ``tsquery`` from bound parameters."""
    parts, params = [], []
    for group in query.groups:
        alts = []
        for alt in group.alternatives:
            # Also unstemmed: texts in other languages are indexed as written too (search_index._pg_text).
            # Lower case, as the index folds it (search_index._folded), whatever the database's locale.
            alts.append("phraseto_tsquery('english', %s) || phraseto_tsquery('simple', %s)")
            params += [" ".join(alt).lower()] * 2
        if group.prefix:
            alts.append("to_tsquery('english', %s)")
            params.append(f"'{group.prefix.lower()}':*")
        for prefix in group.inflections:
            alts.append("to_tsquery('simple', %s)")
            params.append(f"'{prefix}':*")
        parts.append("(" + " || ".join(alts) + ")")
    return "(" + (" || " if any_word else " && ").join(parts) + ")", params


HEADLINE_SHORT = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"
HEADLINE_LONG = (
    f'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
)


class PostgresBackend(_Backend):
    vendor = "postgresql"

    def _matching(self, kind, query, topic, status, language, any_word, columns):
        """``SELECT columns`` of the index rows matching the query and passing the filters."""
        fts = index_table(kind)
        tsq, tsq_params = tsquery_sql(query, any_word)
        joins, where, params = self._filtered(kind, topic, status, language, join="JOIN", id="id", false="false")
        sql = f"SELECT {columns} FROM {fts} m {joins} CROSS JOIN (SELECT {tsq} AS q) q WHERE m.vec @@ q.q {where}"
        return sql, tsq_params + params

    def _count_sql(self, kind, query, topic, status, language, any_word):
        return self._matching(kind, query, topic, status, language, any_word, "count(*)")

    def _page_sql(self, kind, query, topic, status, language, any_word, limit, offset):
        """The page's hits ranked from the index alone, then joined and headlined: only those rows.

        Asked for ranks, joins and headlines in one statement, the planner
        joins every match (thousands of quotes for a common name) to its
        assertion, claim, topic and source before sorting; the MATERIALIZED
        step keeps it from folding the ranking back into the joins.
        """
        ranked, params = self._matching(
            kind, query, topic, status, language, any_word, "m.id, ts_rank(m.vec, q.q) AS rank, q.q AS q"
        )
        select, joins, _ = self.SELECTS[kind]
        users = get_user_model()._meta.db_table
        column = {"claims": "c.text", "quotes": "a.quote", "notes": "n.body", "sources": "s.text"}[kind]
        fmt = {
            "score": "hits.rank",
            "snip_body": f"ts_headline('english', {column}, hits.q, %s)",
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
        sql = (
            f"WITH hits AS MATERIALIZED ({ranked} ORDER BY rank DESC, m.id LIMIT %s OFFSET %s)"
            f" {select.format(**fmt)} {joins.format(**fmt)} ORDER BY hits.rank DESC, hits.id"
        )
        return sql, params + [limit, offset] + options
