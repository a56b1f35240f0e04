"""The evidence finder's candidate query on PostgreSQL.

The query asks for the newest ``budget`` passages matching any of the
retrieval terms' forms, then lets ``ts_rank`` keep the best of them. Two
things make that cheap whatever the corpus's size:

* The match is tested with a simpler tsquery than the one ranked: every
  phrase is asked for stemmed as English and as written, and a word's forms
  often stem alike, so the same operand recurs (Tartus: 21 operands, 11
  distinct), and a prefix or a single word makes any operand it implies
  redundant (``'тартус':*`` covers ``'тартус'``, ``'hand'`` covers ``'hand' <->
  'back'``; Tartus keeps 9). PostgreSQL tests each operand against each row it
  looks at: the simpler query matches exactly the same rows for less (Tartus,
  walking the same rows: 31 → 18.5 ms). ``ts_rank`` counts every operand, so
  it keeps the original query and the order stays what it was.
* The engine's document frequencies say how many rows match, so the engine,
  not the planner (whose estimates of such OR-ed queries run high), picks the
  plan: with few matches, fetch them all through the GIN index; with many,
  walk the passages newest first and stop at the budget's last match, which
  comes after about ``rows * budget / matches`` rows.
* Fetching through the index, the newest ``budget`` matches are looked for
  first among the newest passages only, where about ``RANGE_MARGIN`` times
  the budget of them should be (``floor``): only the matches above it are
  sorted, so a common name's twelve thousand matches are not all sorted to
  keep two thousand. The id is written ``m.id + 0`` there: given the key, the
  planner walks its range newest first instead, testing every row in it. When
  fewer than the budget match there, the query is asked again without the
  floor: the passages ranked are always the newest ``budget`` matches.
"""

# What each plan costs, in µs of the server's CPU, measured on the benchmark's
# 100,000-claim corpus: a row walked newest first and tested (more for each
# tsquery the phrases and prefixes give), or a match fetched through the GIN
# index, its heap row visited out of id order.
WALK_ROW_COST = 0.15
WALK_PART_COST = 0.016
INDEX_MATCH_COST = 1.1
# How many times the budget's matches the floor's range should hold, were
# matches spread evenly over the passages: room for them not to be.
RANGE_MARGIN = 2


def tsqueries(phrases, prefixes):
    """``(SQL expressions, params)``: one tsquery for each phrase's two readings and each prefix."""
    parts = ["phraseto_tsquery('english', %s)", "phraseto_tsquery('simple', %s)"] * len(phrases)
    parts += ["to_tsquery('simple', %s)"] * len(prefixes)
    # Lower case, as the index folds it (search_index._folded), whatever the database's locale.
    return parts, [p.lower() for p in phrases for _ in (0, 1)] + [f"'{p}':*" for p in prefixes]


def simplified(parts):
    """SQL for one tsquery matching what any of ``parts`` does, with fewer operands (see the module's docstring).

    ``factcheck_tsquery_any`` (migration 0026, which search uses too) drops an
    operand when another single-lexeme operand implies it: a prefix that one
    of its lexemes starts with, or a word it requires (a phrase requires each
    of its lexemes; one holding | or ! would not, and is kept).
    """
    return f"factcheck_tsquery_any(ARRAY[{', '.join(parts)}])"


def walks(matches, rows, budget, parts):
    """True when walking the passages newest first costs less than fetching every match through the index.

    ``matches``: how many rows match (at most), of ``rows``; ``parts``: how many tsqueries make the match.
    """
    walked = rows * budget / matches if matches > budget else rows
    return walked * (WALK_ROW_COST + WALK_PART_COST * parts) < matches * INDEX_MATCH_COST


def floor(matches, rows, top, budget):
    """The lowest passage id the index is asked for, or None (all of them): see the module's docstring.

    ``top``: the highest id of the current passages.
    """
    if not top or matches <= budget * RANGE_MARGIN:
        return None
    return max(0, int(top - rows * budget * RANGE_MARGIN / matches))


def candidates_sql(fts, parts, exclude, columns, neighbours, walk, floor=None):
    """The candidate query.

    Its params: ``parts``' params, the floor (when given), the excluded
    sources, budget, ``parts``' again, limit. Each row ends with how many
    matches were ranked, to tell whether the floor let enough through.
    """
    # ts_match_vq is the @@ operator as a plain function: the planner cannot
    # use the GIN index for it, so it walks the primary key newest first.
    test = "ts_match_vq(m.vec, {q})" if walk else "m.vec @@ {q}"
    # Through the index, the id as an expression keeps the planner off the primary key, which it
    # prefers for the floor's range and the order: walking the range newest first tests every row
    # in it (extradition: 44,000 rows, 27 ms) where the index's matches above the floor cost 9 ms.
    key = "m.id" if walk else "(m.id + 0)"
    ranked = f"({' || '.join(parts)})"
    # MATERIALIZED: the planner would otherwise join every passage to its
    # source before looking at the index, or rank every match.
    return (
        f"WITH newest AS MATERIALIZED (SELECT m.id, m.vec FROM {fts} m"
        + (" JOIN factcheck_passage p ON p.id = m.id" if exclude else "")
        + f" WHERE {test.format(q=simplified(parts))}"
        + (f" AND {key} >= %s" if floor is not None else "")
        + f"{exclude} ORDER BY {key} DESC LIMIT %s),"
        f" hits AS MATERIALIZED (SELECT id, ts_rank(vec, {ranked}) AS rank FROM newest"
        " ORDER BY rank DESC, id LIMIT %s)"
        f" SELECT {columns}, (SELECT count(*) FROM newest) FROM hits JOIN factcheck_passage p ON p.id = hits.id"
        f"{neighbours} WHERE p.digest = s.text_sha256 ORDER BY hits.rank DESC, p.id"
    )
