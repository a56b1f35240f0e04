"""SQLite FTS5 (porter stemming): the embedded default."""

from django.contrib.auth import get_user_model

from factcheck.search.base import _Backend, index_table
from factcheck.search.results import MARK_CLOSE, MARK_OPEN


def fts5_expression(query, any_word=False):
    """The query in FTS5 syntax: every alternative a quoted phrase."""
    parts = []
    for group in query.groups:
        alts = ['"' + " ".join(alt) + '"' for alt in group.alternatives]
        if group.prefix:
            alts.append(f'"{group.prefix}" *')
        alts.extend(f'"{p}" *' for p in group.inflections)
        parts.append("(" + " OR ".join(alts) + ")")
    return (" OR " if any_word else " AND ").join(parts)


class SqliteBackend(_Backend):
    vendor = "sqlite"
    NO_INDEX = "+"
    # A filter walks up to thousands of matches, reading each one's claim (and a quote's claim id): from
    # these covering indexes (migration 0023), not from the rows, whose texts spread them over ten times the pages.
    # SQLite's planner would always take the table's own key.
    CLAIM_INDEX = " INDEXED BY claim_filter_idx"
    ASSERTION_INDEX = " INDEXED BY assertion_claim_of_idx"

    def _candidates_sql(self, kind, query, topic, status, language, any_word, limit):
        """``(id, score)`` of the newest ``limit`` matches passing the filters, newest first.

        FTS5 walks its matches by rowid without scoring them; the score (bm25:
        a title match weighs ten times one in a source's body) is computed
        only for the rows the filters keep, and the walk stops at the LIMIT.
        """
        fts = index_table(kind)
        score = f"-bm25({fts}, 10.0, 1.0)" if kind == "sources" else f"-bm25({fts})"
        joins, where, params = self._filtered(
            kind, topic, status, language, join="CROSS JOIN", id="rowid", false="0", m=fts
        )
        # FTS5's ranking and snippet functions need the table's own name, not an alias. CROSS JOIN keeps
        # the index table the outer loop, where SQLite's planner would otherwise walk a filter's index
        # (every claim in conflict) and probe the full-text index once per row.
        sql = (
            f"SELECT {fts}.rowid, {score} FROM {fts} {joins} WHERE {fts} MATCH %s {where}"
            f" ORDER BY {fts}.rowid DESC LIMIT %s"
        )
        return sql, [fts5_expression(query, any_word), *params, limit]

    def _rows_sql(self, kind, query, any_word, ids):
        """The documents ``ids`` (already matched and filtered) with their joins and snippets."""
        fts = index_table(kind)
        # A quote's snippet is always the verified original, even when its translation matched.
        body_col = 1 if kind == "sources" else 0
        if kind == "sources":
            snip_body = f"snippet({fts}, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 32)"
            snip_title = f"highlight({fts}, 0, '{MARK_OPEN}', '{MARK_CLOSE}')"
        else:
            snip_body = f"snippet({fts}, {body_col}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 48)"
            snip_title = "''"
        select, joins, _ = self.SELECTS[kind]
        fmt = {
            "score": "0",  # the candidates' query scored them
            "snip_body": snip_body,
            "snip_title": snip_title,
            "fts": fts,
            "m": fts,
            "id": "rowid",
            "users": get_user_model()._meta.db_table,
            "join": "CROSS JOIN",
        }
        # MATCH again: the snippets mark what matched. One walk of the matches between the first and
        # the last id: asked for each id in turn, FTS5 would set up a prefix's terms once per id.
        sql = " ".join(
            [
                select.format(**fmt),
                joins.format(**fmt),
                f"WHERE {fts} MATCH %s AND {fts}.rowid BETWEEN %s AND %s",
                f"AND +{fts}.rowid IN ({', '.join(['%s'] * len(ids))})",
            ]
        )
        return sql, [fts5_expression(query, any_word), min(ids), max(ids), *ids]
