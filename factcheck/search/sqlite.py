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

    def _page_sql(self, kind, query, topic, status, language, any_word, limit, offset):
        fts = index_table(kind)
        # A quote's snippet is always the verified original, even when its translation matched.
        body_col = 1 if kind == "sources" else 0
        if kind == "sources":
            # Title matches weigh ten times a match in the body.
            score = f"-bm25({fts}, 10.0, 1.0)"
            snip_body = f"snippet({fts}, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 32)"
            snip_title = f"highlight({fts}, 0, '{MARK_OPEN}', '{MARK_CLOSE}')"
        else:
            score = f"-bm25({fts})"
            snip_body = f"snippet({fts}, {body_col}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 48)"
            snip_title = "''"
        select, joins, extra = self.SELECTS[kind]
        fmt = {
            "score": score,
            "snip_body": snip_body,
            "snip_title": snip_title,
            # FTS5's ranking and snippet functions need the table's own name, not an alias.
            "fts": fts,
            "m": fts,
            "id": "rowid",
            "false": "0",
            "users": get_user_model()._meta.db_table,
            "join": "CROSS JOIN",
        }
        filters, params = self._filters(kind, topic, status, language)
        select = select.format(**fmt)
        # ORDER BY the rank column alone lets FTS5 sort its own matches (by
        # bm25, ties by rowid) and the joins, filters and snippets then run
        # only until the page is full; sorting by a bm25() expression would
        # make SQLite join and snippet every match before sorting.
        match = f"{fts} MATCH %s" + (f" AND {fts}.rank MATCH 'bm25(10.0, 1.0)'" if kind == "sources" else "")
        sql = " ".join([select, joins.format(**fmt), f"WHERE {match}", extra.format(**fmt), *filters])
        return f"{sql} ORDER BY {fts}.rank LIMIT %s OFFSET %s", [
            fts5_expression(query, any_word),
            *params,
            limit,
            offset,
        ]

    def _count_sql(self, kind, query, topic, status, language, any_word):
        """Counting needs neither scores nor snippets, and without a filter not even the joins."""
        fts = index_table(kind)
        joins, where, params = self._filtered(kind, topic, status, language, join="CROSS JOIN", id="rowid", false="0")
        sql = f"SELECT count(*) FROM {fts} m {joins} WHERE m.{fts} MATCH %s {where}"
        return sql, [fts5_expression(query, any_word), *params]
