"""Full-text search over claims, quotes, editors' notes and source texts.

One interface, two engines: SQLite FTS5 (porter stemming) on the embedded
default and PostgreSQL full-text search (``english`` configuration) in
production. Each kind of document has its own index table keyed by the
document's id, kept current by database triggers, so every write path — the
pages, the admin, the corpus import, ``QuerySet.update()`` — keeps search
correct without remembering to.

User input never reaches the engine's query language: :func:`parse_query`
reduces it to words and quoted phrases of word characters, and each engine's
query is built from those with every term quoted (FTS5) or passed as a bound
parameter to ``phraseto_tsquery`` (PostgreSQL).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

KINDS = ("claims", "quotes", "notes", "sources")
KIND_LABELS = {"claims": "Claims", "quotes": "Quotes", "notes": "Editors' notes", "sources": "Sources"}

MAX_GROUPS = 24  # words or phrases used from one query; the rest are ignored
MAX_ALTERNATIVES = 12  # spellings of one name
MAX_TOKEN_LENGTH = 60
MIN_PREFIX = 3

# English function words: PostgreSQL's english configuration drops these, so
# dropping them here too keeps both engines answering the same query.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours yourself
    yourselves s t""".split()
)

# Private-use characters mark highlights inside the engines' snippets; the
# snippet is HTML-escaped first and only then are they turned into <mark>.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"

_WORD = re.compile(r"\w+(?:['’\-‐]\w+)*")
_TOKEN = re.compile(r"\w+")


_LATIN_MARKS = re.compile(r"(?<=[a-z\u00c0-\u024f])[\u0300-\u036f]+")


def fold(text):
    """Lower case, Latin letters without diacritics (Türkiye = turkiye), as FTS5's unicode61 folds.

    Only Latin: in Cyrillic “й” is a letter of its own, not “и” with a mark.
    """
    text = text.casefold()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text)))


def tokens(text):
    return [t[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall(fold(text))]


def raw_tokens(text):
    """``[(folded, as written), ...]``: folded to compare, as written to send to the engine.

    PostgreSQL lower-cases and stems by its own rules (and only ASCII under
    the C locale), so it is given the words as the user wrote them.
    """
    out = []
    for t in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
        t = t[:MAX_TOKEN_LENGTH]
        folded = fold(t)
        if _TOKEN.fullmatch(folded):
            out.append((folded, t))
        else:  # folding split or emptied it (rare): compare and send the folded form
            out.extend((f, f) for f in _TOKEN.findall(folded))
    return out


def clean_query(raw):
    """The query with control characters (NUL included) removed and spaces collapsed."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Aliases


class AliasTable:
    """Name variants as token sequences, for matching inside queries and texts.

    ``groups`` maps a group number to its variants (tuples of folded tokens);
    ``written`` to the same variants as written (for the engines);
    ``index`` maps the first token of a variant to ``(variant, group)`` pairs,
    longest first, so matching is greedy on the longest spelling.
    """

    def __init__(self, groups):
        # Identifies the table's content, for caches of analysed text.
        self.key = hash(tuple(sorted((c, tuple(sorted(v))) for c, v in groups.items())))
        self.groups = {}
        self.written = {}
        self.index = {}
        self.canonical = {}
        for n, (canonical, variants) in enumerate(sorted(groups.items())):
            pairs = {}
            for v in variants:
                toks = raw_tokens(v)
                if toks:
                    pairs.setdefault(tuple(f for f, _ in toks), tuple(w for _, w in toks))
            if not pairs:
                continue
            self.groups[n] = sorted(pairs, key=lambda s: (len(s), s))
            self.written[n] = pairs
            self.canonical[n] = canonical
            for seq in pairs:
                self.index.setdefault(seq[0], []).append((seq, n))
        for entries in self.index.values():
            entries.sort(key=lambda e: -len(e[0]))

    @classmethod
    def load(cls):
        from factcheck.models import NameAlias

        return cls(NameAlias.objects.groups())

    def match(self, toks, i):
        """``(length, group)`` of the longest variant starting at ``toks[i]``, or ``(0, None)``."""
        for seq, group in self.index.get(toks[i], ()):
            if tuple(toks[i : i + len(seq)]) == seq:
                return len(seq), group
        return 0, None

    def spellings(self, group, written=False):
        """The group's variants, minus those that contain a shorter one (an OR needs only that)."""
        kept = []
        for seq in self.groups[group]:
            if not any(_contains(seq, shorter) for shorter in kept):
                kept.append(seq)
        kept = kept[:MAX_ALTERNATIVES]
        return [self.written[group][seq] for seq in kept] if written else kept


def _contains(seq, part):
    n = len(part)
    return any(tuple(seq[i : i + n]) == part for i in range(len(seq) - n + 1))


# ---------------------------------------------------------------------------
# Queries


@dataclass
class Group:
    """One thing the query asks for: any of ``alternatives`` (each a phrase, a tuple of tokens)."""

    alternatives: list
    prefix: str = ""  # also match words starting with this (the word being typed)
    label: str = ""


@dataclass
class Query:
    text: str
    groups: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def words(self):
        return [g.label for g in self.groups]


def parse_query(raw, aliases=None):
    """Words and "quoted phrases" of ``raw`` as :class:`Group` s; never raises.

    Every syntax character of either engine is a separator here, so what
    remains are runs of word characters: safe to quote. Unbalanced quotes are
    ignored; a hyphenated or apostrophised word is a phrase (``al-Sharaa``).
    Alternatives are tuples of words as written; matching aliases and stop
    words is done on their folded forms.
    """
    text = clean_query(raw)
    query = Query(text=text)
    parts = re.split(r'"', text)
    # Odd-numbered parts are inside balanced quotes; a trailing unbalanced
    # quote leaves an even count, and its text is read as plain words.
    balanced = len(parts) % 2 == 1
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and (balanced or i < len(parts) - 1)
        if quoted:
            toks = raw_tokens(part)
            if toks:
                query.groups.append(_phrase_group(toks, aliases, part.strip()))
        else:
            query.groups.extend(_word_groups(part, aliases))
        if len(query.groups) >= MAX_GROUPS:
            break
    query.groups = query.groups[:MAX_GROUPS]
    last = query.groups[-1] if query.groups else None
    if last and not text.endswith('"') and len(last.alternatives) == 1 and len(last.alternatives[0]) == 1:
        word = last.alternatives[0][0]
        if len(word) >= MIN_PREFIX and not word.isdigit():
            last.prefix = word
    return query


def _word_groups(part, aliases):
    """Plain words: stop words dropped, alias spellings (even across words) expanded."""
    flat = [(f, w, wi) for wi, word in enumerate(_WORD.findall(part)) for f, w in raw_tokens(word)]
    toks = [f for f, _, _ in flat]
    groups = []
    i = 0
    while i < len(toks):
        length, group = aliases.match(toks, i) if aliases else (0, None)
        if group is not None:
            typed, typed_folded = tuple(w for _, w, _ in flat[i : i + length]), tuple(toks[i : i + length])
            alternatives = aliases.spellings(group, written=True)
            # As typed too, unless a shorter spelling already covers it: the
            # engine may fold case differently from us (PostgreSQL's C locale).
            shorter = [k for k in aliases.spellings(group) if k != typed_folded and _contains(typed_folded, k)]
            if typed not in alternatives and not shorter:
                alternatives.append(typed)
            groups.append(Group(alternatives=alternatives, label=" ".join(toks[i : i + length])))
            i += length
            continue
        # A hyphenated or apostrophised word stays one phrase.
        wi = flat[i][2]
        end = i
        while end < len(toks) and flat[end][2] == wi:
            if aliases and end > i and aliases.match(toks, end)[1] is not None:
                break
            end += 1
        folded = tuple(toks[i:end])
        written = tuple(w for _, w, _ in flat[i:end])
        i = end
        if len(folded) == 1 and folded[0] in STOP_WORDS:
            continue
        groups.append(Group(alternatives=[written], label=" ".join(folded)))
    return groups


def _phrase_group(toks, aliases, label):
    """A quoted phrase; alias spellings inside it give alternative phrases (capped)."""
    folded = [f for f, _ in toks]
    variants = [()]
    i = 0
    while i < len(toks):
        length, group = aliases.match(folded, i) if aliases else (0, None)
        if group is None:
            options, length = [(toks[i][1],)], 1
        else:
            options = list(aliases.written[group].values())
        variants = [v + o for v in variants for o in options][:MAX_ALTERNATIVES]
        i += length
    return Group(alternatives=variants, label=label)


def fts5_expression(query, any_word=False):
    """The query in FTS5 syntax: every alternative a quoted phrase."""
    parts = []
    for group in query.groups:
        alts = ['"' + " ".join(alt) + '"' for alt in group.alternatives]
        if group.prefix:
            alts.append(f'"{group.prefix}" *')
        parts.append("(" + " OR ".join(alts) + ")")
    return (" OR " if any_word else " AND ").join(parts)


def tsquery_sql(query, any_word=False):
    """``(sql, params)`` building the query as a PostgreSQL ``tsquery`` from bound parameters."""
    parts, params = [], []
    for group in query.groups:
        alts = []
        for alt in group.alternatives:
            alts.append("phraseto_tsquery('english', %s)")
            params.append(" ".join(alt))
        if group.prefix:
            alts.append("to_tsquery('english', %s)")
            params.append(f"'{group.prefix}':*")
        parts.append("(" + " || ".join(alts) + ")")
    return "(" + (" || " if any_word else " && ").join(parts) + ")", params


def render_snippet(raw):
    """Escape an engine's snippet, then turn our markers (and only them) into <mark>."""
    html = escape(raw or "")
    html = re.sub(f"{MARK_OPEN}(.*?){MARK_CLOSE}", r"<mark>\1</mark>", html, flags=re.S)
    return mark_safe(html.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))


# ---------------------------------------------------------------------------
# Results


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    snippet: str
    url: str
    title: str = ""
    claim_id: int = None
    claim_text: str = ""
    source_id: int = None
    source_title: str = ""
    topic_slug: str = ""
    topic_title: str = ""
    status: str = ""
    stance: str = ""
    author: str = ""

    @property
    def status_label(self):
        from factcheck.models import Status

        return Status(self.status).label if self.status in Status.values else ""


@dataclass
class KindResults:
    kind: str
    total: int
    hits: list

    @property
    def label(self):
        return KIND_LABELS[self.kind]


@dataclass
class SearchResults:
    query: Query
    kinds: dict
    any_word: bool = False  # no document had every word; these have some

    @property
    def total(self):
        return sum(r.total for r in self.kinds.values())


def search(raw, *, kinds=KINDS, topic=None, status=None, limit=10, offset=0, aliases=None):
    """Ranked hits of each requested kind, with highlighted snippets.

    When no document holds every word of a query of several words, the
    query is run again asking for any of them (``results.any_word``).
    """
    query = parse_query(raw, aliases if aliases is not None else AliasTable.load())
    results = SearchResults(query=query, kinds={})
    if not query:
        return results
    backend = get_backend()
    for kind in kinds:
        results.kinds[kind] = backend.search(kind, query, topic=topic, status=status, limit=limit, offset=offset)
    if results.total == 0 and len(query.groups) > 1:
        results.any_word = True
        for kind in kinds:
            results.kinds[kind] = backend.search(
                kind, query, topic=topic, status=status, limit=limit, offset=offset, any_word=True
            )
    return results


# ---------------------------------------------------------------------------
# Engines


# Each kind of document: the table it lives in, the indexed columns, and how
# its rows join the claim (for the topic and status filters).
INDEXED = {
    "claims": {"table": "factcheck_claim", "columns": ["text"]},
    "quotes": {"table": "factcheck_assertion", "columns": ["quote"]},
    "notes": {"table": "factcheck_annotation", "columns": ["body"]},
    "sources": {"table": "factcheck_source", "columns": ["title", "text"]},
    "passages": {"table": "factcheck_passage", "columns": ["text"]},
}


def index_table(kind):
    return f"factcheck_fts_{kind}"


def get_backend(conn=None):
    conn = conn or connection
    if conn.vendor == "postgresql":
        return PostgresBackend(conn)
    if conn.vendor == "sqlite":
        return SqliteBackend(conn)
    raise NotImplementedError(f"factcheck search supports SQLite and PostgreSQL, not {conn.vendor}")


class _Backend:
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
            "AND n.is_deleted = {false}",
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
        "claims": "{join} factcheck_claim c ON c.id = m.{id}",
        "quotes": "{join} factcheck_assertion a ON a.id = m.{id} {join} factcheck_claim c ON c.id = a.claim_id",
        "notes": "{join} factcheck_annotation n ON n.id = m.{id} {join} factcheck_claim c ON c.id = n.claim_id",
        "sources": "{join} factcheck_source s ON s.id = m.{id}",
    }

    def _filters(self, kind, topic, status):
        """Extra WHERE clauses and params for the topic and status filters."""
        clauses, params = [], []
        if kind == "sources":
            # A source belongs to a topic (or a status) through the claims quoting it.
            conds, cparams = [], []
            if topic is not None:
                conds.append("c2.topic_id = %s")
                cparams.append(topic.pk)
            if status:
                conds.append("c2.status = %s")
                cparams.append(status)
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
                    "AND EXISTS (SELECT 1 FROM factcheck_assertion a2 JOIN factcheck_claim c2 ON c2.id = a2.claim_id"
                    " WHERE a2.source_id = s.id AND " + " AND ".join(conds) + ")"
                )
                params += cparams
            return clauses, params
        if topic is not None:
            clauses.append("AND c.topic_id = %s")
            params.append(topic.pk)
        if status:
            clauses.append("AND c.status = %s")
            params.append(status)
        return clauses, params

    def _filtered(self, kind, topic, status, *, join, id, false):
        """``(joins, where, params)`` for the filters and the notes' deleted flag; empty when none apply.

        Unfiltered, every index row has its document (the triggers keep them
        in step) and the joins follow foreign keys that cannot be null, so
        the index's matches alone give the same rows, for a fraction of the work.
        """
        _, _, extra = self.SELECTS[kind]
        filters, params = self._filters(kind, topic, status)
        if not (filters or extra):
            return "", "", []
        joins = self.FILTER_JOINS[kind].format(id=id, join=join)
        return joins, " ".join([extra.format(false=false), *filters]), params

    def search(self, kind, query, *, topic=None, status=None, limit=10, offset=0, any_word=False):
        """One page of hits; the total is counted by a second query only when the page is full."""
        with self.conn.cursor() as cursor:
            cursor.execute(*self._page_sql(kind, query, topic, status, any_word, limit, offset))
            rows = cursor.fetchall()
            if (rows and len(rows) < limit) or (not rows and not offset):
                total = offset + len(rows)
            else:
                cursor.execute(*self._count_sql(kind, query, topic, status, any_word))
                total = cursor.fetchone()[0]
        return KindResults(kind=kind, total=total, hits=[_hit(kind, row) for row in rows])


def _hit(kind, row):
    pk, score, snippet, claim_id, claim_text, source_id, source_title, slug, topic_title, status, stance, author = row[
        :12
    ]
    title = row[12]
    if kind == "claims":
        url = reverse("claim-detail", args=[pk])
    elif kind == "quotes":
        url = f"{reverse('source-detail', args=[source_id])}#a-{pk}"
    elif kind == "notes":
        url = f"{reverse('claim-detail', args=[claim_id])}#annotation-{pk}"
    else:
        url = reverse("source-detail", args=[pk])
    return Hit(
        kind=kind,
        id=pk,
        score=float(score or 0),
        snippet=render_snippet(snippet),
        url=url,
        title=render_snippet(title) if title else "",
        claim_id=claim_id,
        claim_text=claim_text or "",
        source_id=source_id,
        source_title=source_title or "",
        topic_slug=slug or "",
        topic_title=topic_title or "",
        status=status or "",
        stance=stance or "",
        author=author or "",
    )


class SqliteBackend(_Backend):
    vendor = "sqlite"

    def _page_sql(self, kind, query, topic, status, any_word, limit, offset):
        fts = index_table(kind)
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
        filters, params = self._filters(kind, topic, status)
        select = select.format(**fmt)
        # ORDER BY the rank column alone lets FTS5 sort its own matches (by
        # bm25, ties by rowid) and the joins, filters and snippets then run
        # only until the page is full; sorting by a bm25() expression would
        # make SQLite join and snippet every match before sorting.
        match = f"{fts} MATCH %s" + (f" AND {fts}.rank MATCH 'bm25(10.0, 1.0)'" if kind == "sources" else "")
        sql = " ".join([select, joins.format(**fmt), f"WHERE {match}", extra.format(**fmt), *filters])
        return f"{sql} ORDER BY {fts}.rank LIMIT %s OFFSET %s", [fts5_expression(query, any_word), *params, limit, offset]

    def _count_sql(self, kind, query, topic, status, any_word):
        """Counting needs neither scores nor snippets, and without a filter not even the joins."""
        fts = index_table(kind)
        joins, where, params = self._filtered(kind, topic, status, join="CROSS JOIN", id="rowid", false="0")
        sql = f"SELECT count(*) FROM {fts} m {joins} WHERE m.{fts} MATCH %s {where}"
        return sql, [fts5_expression(query, any_word), *params]


HEADLINE_SHORT = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"
HEADLINE_LONG = (
    f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=40, MinWords=20, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


class PostgresBackend(_Backend):
    vendor = "postgresql"

    def _matching(self, kind, query, topic, status, any_word, columns):
        """``SELECT columns`` of the index rows matching the query and passing the filters."""
        fts = index_table(kind)
        tsq, tsq_params = tsquery_sql(query, any_word)
        joins, where, params = self._filtered(kind, topic, status, join="JOIN", id="id", false="false")
        sql = f"SELECT {columns} FROM {fts} m {joins} CROSS JOIN (SELECT {tsq} AS q) q WHERE m.vec @@ q.q {where}"
        return sql, tsq_params + params

    def _count_sql(self, kind, query, topic, status, any_word):
        return self._matching(kind, query, topic, status, any_word, "count(*)")

    def _page_sql(self, kind, query, topic, status, any_word, limit, offset):
        """The page's hits ranked from the index alone, then joined and headlined: only those rows.

        Asked for ranks, joins and headlines in one statement, the planner
        joins every match (thousands of quotes for a common name) to its
        assertion, claim, topic and source before sorting; the MATERIALIZED
        step keeps it from folding the ranking back into the joins.
        """
        ranked, params = self._matching(kind, query, topic, status, any_word, "m.id, ts_rank(m.vec, q.q) AS rank, q.q AS q")
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
        options = [HEADLINE_LONG if kind == "sources" else HEADLINE_SHORT] + ([HEADLINE_SHORT] if kind == "sources" else [])
        sql = (
            f"WITH hits AS MATERIALIZED ({ranked} ORDER BY rank DESC, m.id LIMIT %s OFFSET %s)"
            f" {select.format(**fmt)} {joins.format(**fmt)} ORDER BY hits.rank DESC, hits.id"
        )
        return sql, params + [limit, offset] + options

