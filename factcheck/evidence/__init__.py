"""The evidence finder: which passages of which sources speak to a statement.

Source texts are cut into sentences (:func:`split_passages`) stored as
``Passage`` rows with their offsets. A query is answered in two steps:

1. the database's full-text index (the same engines as search) fetches the
   candidate sentences holding the query's rarer words, and the word
   statistics BM25 needs;
2. Python re-ranks the candidates with one analyser applied to query and
   passage alike: stemming, name aliases, a short list of irregular forms,
   demonyms and synonyms, British/American spellings, numbers written as
   words, and compounds ("air base" = "airbase"). The score is BM25 over the
   sentence plus a share of its neighbours' (a pronoun's antecedent often sits
   one sentence back), weighted by how much of the query the passage covers,
   with a bonus for query words that appear side by side.

Everything is deterministic and needs no model: the same input gives the
same ranking on SQLite and PostgreSQL.
"""

import functools
import hashlib
import math
import re
from dataclasses import dataclass

import snowballstemmer
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save

from factcheck.cache import corpus_cache_key
from factcheck.search import STOP_WORDS, AliasTable, fold, index_table

MAX_QUERY_LENGTH = 2000
MAX_LIMIT = 50
DEFAULT_LIMIT = 5
CANDIDATES = 300  # sentences re-ranked per query
RETRIEVAL_TERMS = 12  # rarest query terms used to fetch candidates
# Passages the engine may rank to fetch candidates, as a share of the corpus
# (at least RETRIEVAL_FLOOR): rarer terms are taken first until their
# matches would pass it. Ranking a hundred thousand matches of "Russia" to
# keep 300 costs the engine far more than it adds to the candidates.
RETRIEVAL_SHARE = 0.05
RETRIEVAL_FLOOR = 5000

# BM25 and the re-ranking weights.
K1, B = 1.2, 0.75
SYNONYM_WEIGHT = 0.7  # a synonym counts for less than the word itself
WINDOW_FACTOR = 0.8  # two sentences must score this much better than one to be shown instead
PAIR_BONUS = 0.25  # two query words side by side, per pair, times their idf
COVERAGE_POWER = 1.0

# ---------------------------------------------------------------------------
# Passages

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st mt no nos vs etc eg ie al pp p vol fig gen col lt maj capt sgt jr sr inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ""".split()
)
# A sentence ends at . ! ? … (with closing quotes, brackets and footnote
# marks like [3] after it) followed by space, before something that can
# start a sentence. Newlines always end a passage.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?:\s?\[\d+\])*(?=\s+["'“‘(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])""")
_LINE = re.compile(r"[^\n]+")


def split_passages(text):
    """``[(start, end), ...]`` of the sentences of ``text``; ``text[start:end]`` is the sentence."""
    spans = []
    for line in _LINE.finditer(text):
        start = line.start()
        for m in _BOUNDARY.finditer(line.group()):
            end = line.start() + m.end()
            if _is_abbreviation(text, line.start() + m.start()):
                continue
            spans.append((start, end))
            start = end
        spans.append((start, line.end()))
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            result.append((start, end))
    return result


def _is_abbreviation(text, dot):
    """True when the full stop at ``dot`` closes an abbreviation or an initial (“R. Politik”)."""
    if text[dot] != ".":
        return False
    m = re.search(r"(\w+)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isalpha():
        return True  # an initial, or U.S.
    return word.lower() in _ABBREVIATIONS


def refresh_passages(source):
    """Re-cut ``source``'s passages when its text changed since they were cut. Returns True if it did."""
    from factcheck.models import Passage

    current = Passage.objects.filter(source=source).values_list("digest", flat=True).first()
    if current == source.text_sha256 and current is not None:
        return False
    analyzer = Analyzer(AliasTable.load())
    spans = split_passages(source.text)
    rows = [
        Passage(
            source=source,
            position=n,
            start=start,
            end=end,
            text=source.text[start:end],
            gap_before=source.text[spans[n - 1][1] : start] if n else "",
            length=len(analyzer.terms(source.text[start:end])),
            digest=source.text_sha256,
        )
        for n, (start, end) in enumerate(spans)
    ]
    with transaction.atomic():
        Passage.objects.filter(source=source).delete()
        Passage.objects.bulk_create(rows, batch_size=500)
    return True


def stale_sources():
    """Sources whose passages are missing or were cut from an older text."""
    from factcheck.models import Passage, Source

    current = Passage.objects.filter(source=OuterRef("pk"), digest=OuterRef("text_sha256"))
    return Source.objects.exclude(text="").filter(~Exists(current)).only("id", "text", "text_sha256", "title")


def refresh_all_passages(force=False):
    """Bring every source's passages up to date; returns how many sources were re-cut."""
    from factcheck.models import Passage, Source

    if force:
        Passage.objects.all().delete()
        sources = Source.objects.exclude(text="").only("id", "text", "text_sha256")
    else:
        sources = stale_sources()
    done = 0
    for source in sources.iterator(chunk_size=100):
        done += refresh_passages(source)
    return done


def _source_saved(sender, instance, raw=False, **kwargs):
    # Fixture loading (raw) saves sources before anything else exists; the
    # post_migrate pass and rebuild_search_index cut those passages.
    if not raw:
        refresh_passages(instance)


def _post_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from factcheck.models import Passage

    if using == "default" and Passage._meta.db_table in connections[using].introspection.table_names():
        refresh_all_passages()


def connect_signals(app_config):
    from django.db.models.signals import post_migrate

    from factcheck.models import Source

    post_save.connect(_source_saved, sender=Source, dispatch_uid="evidence-source-saved")
    post_migrate.connect(_post_migrate, sender=app_config, dispatch_uid="evidence-post-migrate")


# ---------------------------------------------------------------------------
# The analyser

_stemmer = snowballstemmer.stemmer("english")

# Arabic articles in transliterated names (al-Assad): on their own they say nothing.
PARTICLES = frozenset({"al", "el", "ibn", "bin"})

# Irregular verb forms and plurals a stemmer cannot reach.
IRREGULAR = {
    "fled": "flee", "fell": "fall", "fallen": "fall", "met": "meet", "sought": "seek", "began": "begin",
    "begun": "begin", "led": "lead", "held": "hold", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "left": "leave", "went": "go", "gone": "go", "came": "come", "ran": "run", "told": "tell",
    "said": "say", "says": "say", "thought": "think", "bought": "buy", "sold": "sell", "won": "win",
    "lost": "lose", "kept": "keep", "sent": "send", "spent": "spend", "brought": "bring", "built": "build",
    "fought": "fight", "struck": "strike", "stood": "stand", "understood": "understand", "drew": "draw",
    "drawn": "draw", "grew": "grow", "grown": "grow", "knew": "know", "known": "know", "wrote": "write",
    "written": "write", "chose": "choose", "chosen": "choose", "broke": "break", "broken": "break",
    "spoke": "speak", "spoken": "speak", "froze": "freeze", "frozen": "freeze", "paid": "pay", "laid": "lay",
    "shot": "shoot", "hid": "hide", "hidden": "hide", "sank": "sink", "sunk": "sink", "rose": "rise",
    "risen": "rise", "overthrew": "overthrow", "overthrown": "overthrow", "withdrew": "withdraw",
    "withdrawn": "withdraw", "forgave": "forgive", "forgiven": "forgive", "became": "become", "men": "man",
    "women": "woman", "children": "child", "people": "person",
}

# Adjectives of nationality and their countries (and peoples' names).
DEMONYMS = {
    "russian": "russia", "russians": "russia", "syrian": "syria", "syrians": "syria", "soviet": "ussr",
    "soviets": "ussr", "israeli": "israel", "israelis": "israel", "turkish": "turkey", "turks": "turkey",
    "egyptian": "egypt", "egyptians": "egypt", "iranian": "iran", "iranians": "iran", "ukrainian": "ukraine",
    "ukrainians": "ukraine", "american": "america", "americans": "america", "french": "france",
    "british": "britain", "lebanese": "lebanon", "iraqi": "iraq", "libyan": "libya", "chinese": "china",
    "georgian": "georgia", "european": "europe", "arab": "arabia", "kurdish": "kurd", "kurds": "kurd",
    "german": "germany", "polish": "poland", "saudi": "arabia",
}

# Numbers written as words.
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "dozen": "12",
}
MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december",
}

# Two words written as one, or one as two.
COMPOUNDS = {
    ("air", "base"): "airbase", ("air", "field"): "airbase", ("airfield",): "airbase", ("air", "strike"): "airstrike",
    ("air", "strikes"): "airstrike", ("war", "ship"): "warship", ("head", "of", "state"): "president",
    ("per", "cent"): "percent", ("prime", "minister"): "premier", ("united", "states"): "america", ("security", "council"): "unsc",
}

# Phrasal verbs whose object may stand between verb and particle ("hand
# him over"): verb forms, particle, and the single word they mean.
PHRASAL = [
    ({"hand", "hands", "handed", "handing"}, "over", "extradite"),
    ({"hand", "hands", "handed", "handing"}, "back", "extradite"),
    ({"pull", "pulls", "pulled", "pulling"}, "out", "withdraw"),
    ({"pull", "pulls", "pulled", "pulling"}, "back", "withdraw"),
    ({"turn", "turns", "turned", "turning"}, "down", "reject"),
    ({"set", "sets", "setting"}, "up", "establish"),
    ({"cut", "cuts", "cutting"}, "off", "sever"),
    ({"call", "calls", "called", "calling"}, "off", "cancel"),
    ({"step", "steps", "stepped", "stepping"}, "down", "resign"),
    ({"take", "takes", "took", "taken", "taking"}, "over", "seize"),
    ({"come", "comes", "came", "coming"}, "back", "return"),
    ({"go", "goes", "went", "gone", "going"}, "back", "return"),
]

# Words that mean the same in the register of news and analysis, as groups
# of words. A match through a synonym counts SYNONYM_WEIGHT of a direct one.
# Capitals stand for their states ("Moscow said") as they do in news prose.
SYNONYMS = [
    "agreement accord treaty pact deal",
    "weapon arms armament weaponry",
    "troops soldiers forces army military",
    "kill death die dead casualties",
    "talks negotiations discussions",
    "begin start launch commence",
    "help aid assistance assist",
    "money funds cash currency banknotes",
    "debt loans",
    "buy purchase acquire",
    "sell sale",
    "big large",
    "overthrow oust topple depose",
    "collapse fall",
    "flee escape",
    "asylum refuge sanctuary shelter",
    "aircraft plane jet",
    "warship vessel",
    "navy naval",
    "port harbour",
    "ties relations",
    "ask request",
    "reject refuse decline",
    "keep retain maintain preserve",
    "leave depart withdraw",
    "expert analyst specialist",
    "meet meeting summit",
    "extradite surrender handover",
    "president leader ruler",
    "envoy diplomat ambassador",
    "want seek desire",
    "station deploy",
    "reconstruction rebuilding",
    "poll survey",
    "sanctions embargo",
    "facility installation",
    "stop end halt cease",
    "operation campaign intervention mission",
    "share proportion percentage percent",
    "jihadist islamist militant extremist",
    "airstrike bombing raid",
    "support back endorse",
    "establish open found",
    "break sever",
    "honour respect uphold abide",
    "rely depend dependent reliant",
    "move relocate transfer",
    "trade exchange swap",
    "presence footprint",
    "shrink decline decrease reduce",
    "review revisit reexamine",
    "conditions circumstances",
    "willing prepared ready",
    "comment remark",
    "condemn criticize denounce",
    "protect guard defend",
    "run control operate",
    "arrest detain",
    "warrant order",
    "compensation reparations",
    "russia moscow kremlin",
    "syria damascus",
    "ukraine kyiv kiev",
    "america washington",
    "turkey ankara",
    "iran tehran",
    "egypt cairo",
    "israel jerusalem",
]
QUESTION_WORDS = frozenset({"many", "much", "might", "must", "shall", "anything", "something", "whether", "either"})


def _stem(word):
    return _stemmer.stemWord(word)


def _spelling(word):
    """British spellings to American, applied to query and text alike."""
    if len(word) > 5:
        if word.endswith("our"):
            return word[:-3] + "or"
        if word.endswith("fence"):
            return word[:-5] + "fense"
        if word.endswith("tre"):
            return word[:-3] + "ter"
        for british, american in (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
                                  ("ises", "izes"), ("yse", "yze"), ("ysed", "yzed")):
            if word.endswith(british):
                return word[: -len(british)] + american
    if word == "programme":
        return "program"
    return word


@functools.lru_cache(maxsize=200_000)
def _normal_stem(word):
    """The stem a surface word is counted as (before synonyms)."""
    word = MONTHS.get(word, word)
    word = NUMBER_WORDS.get(word, word)
    word = IRREGULAR.get(word, word)
    word = DEMONYMS.get(word, word)
    if word.isdigit():
        return word
    return _stem(_spelling(word))


_SYNONYM_OF = {}
for _group in SYNONYMS:
    _stems = [_normal_stem(w) for w in _group.split()]
    for _s in _stems:
        _SYNONYM_OF.setdefault(_s, _stems[0])

# Questions that ask for a number or a date: passages holding one answer them.
_ASKS_NUMBER = re.compile(r"\b(how (many|much|long|far|large|big)|what (share|percentage|proportion|number|amount))\b", re.I)
_ASKS_DATE = re.compile(r"\b(when|what (year|date|month|day)|since when)\b", re.I)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_MONTH_STEMS = frozenset(_stem(m) for m in MONTHS.values()) | {_stem("may")}
ANSWER_TYPE_BOOST = 1.3

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\d+|%")


def _raw_tokens(text):
    out = []
    for tok in _TOKEN.findall(fold(text)):
        if tok == "%":
            out.append("percent")
        elif tok[0].isdigit():
            # 50,000 = 50000; 9.6 stays a decimal.
            out.append(re.sub(r",(?=\d{3}\b)", "", tok).rstrip(".,"))
        else:
            out.append(tok)
    return out


@dataclass(frozen=True)
class Term:
    cls: str  # what the term counts as: synonyms and aliases share one
    stem: str  # the word's own stem: an exact match counts more than a synonym
    surface: str  # the words as written, for the database's index


_PHRASAL_BY_VERB = {}
for _verbs, _particle, _target in PHRASAL:
    for _verb in _verbs:
        _PHRASAL_BY_VERB.setdefault(_verb, []).append((_particle, _target))


# Analysed sentences, keyed by the alias table's content (an analyzer is built
# per query) and the text. Bounded: a worker keeps a few thousand sentences.
_ANALYZERS = {}


@functools.lru_cache(maxsize=4096)
def _cached_terms(alias_key, text):
    return tuple(_ANALYZERS[alias_key]._terms(text))


class Analyzer:
    """Text → terms, the same way for queries and passages."""

    def __init__(self, aliases):
        self.aliases = aliases
        compounds = {}
        for seq, target in COMPOUNDS.items():
            compounds.setdefault(seq[0], []).append((seq, target))
        for entries in compounds.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.compounds = compounds

    @staticmethod
    def _phrasal(toks, i):
        """``(length, meaning, object word)`` of a phrasal verb at ``toks[i]``, split or not."""
        for particle, target in _PHRASAL_BY_VERB.get(toks[i], ()):
            if toks[i + 1 : i + 2] == [particle]:
                return 2, target, ""
            if toks[i + 2 : i + 3] == [particle]:
                return 3, target, toks[i + 1]
        return None

    def terms(self, text):
        """The text's terms; sentences recur from query to query, so they are cached."""
        key = self.aliases.key if self.aliases else 0
        if key not in _ANALYZERS:
            if len(_ANALYZERS) > 16:
                _ANALYZERS.clear()
                _cached_terms.cache_clear()
            _ANALYZERS[key] = self
        return _cached_terms(key, text)

    def _terms(self, text):
        toks = _raw_tokens(text)
        out = []
        i = 0
        while i < len(toks):
            length, group = self.aliases.match(toks, i) if self.aliases else (0, None)
            if group is not None:
                surface = " ".join(toks[i : i + length])
                out.append(Term(f"@{group}", f"@{group}", surface))
                i += length
                continue
            matched = None
            for seq, target in self.compounds.get(toks[i], ()):
                if tuple(toks[i : i + len(seq)]) == seq:
                    matched = (seq, target)
                    break
            if matched:
                seq, target = matched
                stem = _normal_stem(target)
                out.append(Term(_SYNONYM_OF.get(stem, stem), stem, " ".join(seq)))
                i += len(seq)
                continue
            phrasal = self._phrasal(toks, i)
            if phrasal:
                length, target, middle = phrasal
                if middle:
                    out.extend(self._terms(middle))
                stem = _normal_stem(target)
                out.append(Term(_SYNONYM_OF.get(stem, stem), stem, " ".join(toks[i : i + length])))
                i += length
                continue
            word = toks[i]
            i += 1
            if word in STOP_WORDS or word in PARTICLES or word in QUESTION_WORDS or (len(word) == 1 and not word.isdigit()):
                continue
            stem = _normal_stem(word)
            out.append(Term(_SYNONYM_OF.get(stem, stem), stem, word))
        return out


# Every surface form that analyses to a class, so the database (which has its
# own stemmer) can be asked for all of them.
def _class_surfaces(cls, stems, aliases):
    """``(exact, related)``: surface forms of the query's own words, and of their synonyms."""
    if cls.startswith("@"):
        group = int(cls[1:])
        spellings = aliases.spellings(group) + aliases.spellings(group, written=True)
        return {" ".join(seq) for seq in spellings}, set()
    exact, related = set(), set()
    for table in (IRREGULAR, DEMONYMS, NUMBER_WORDS, MONTHS):
        for surface, target in table.items():
            if _normal_stem(surface) in stems:
                exact.update((surface, target))
    for group in SYNONYMS:
        for word in group.split():
            if _SYNONYM_OF.get(_normal_stem(word)) == cls:
                (exact if _normal_stem(word) in stems else related).add(word)
    multiword = [(" ".join(seq), target) for seq, target in COMPOUNDS.items()]
    multiword += [(f"{verb} {particle}", target) for verbs, particle, target in PHRASAL for verb in verbs]
    for surface, target in multiword:
        stem = _normal_stem(target)
        if stem in stems:
            exact.add(surface)
        elif _SYNONYM_OF.get(stem, stem) == cls:
            related.add(surface)
    return exact, related


# ---------------------------------------------------------------------------
# Finding evidence


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

    def as_json(self):
        return {
            "source": {"id": self.source_id, "title": self.source_title, "publisher": self.source_publisher},
            "passage": self.passage_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
        }


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
        exact, related = _class_surfaces(qt.cls, qt.stems, analyzer.aliases)
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

    @functools.cached_property
    def version_key(self):
        """Where this corpus version's statistics are cached, or None (not cached: in a transaction)."""
        return corpus_cache_key("evidence", self.conn.alias)

    def _any(self, surface_sets):
        """``(sql, params)``: a match of any of the surfaces (FTS5 string or tsquery)."""
        phrases = sorted({_words(s) for surfaces in surface_sets for s in surfaces} - {""})
        if self.pg:
            sql = " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases))
            return f"({sql})", phrases
        return "%s", [" OR ".join(f'"{p}"' for p in phrases)]

    def corpus(self):
        """``(N, average length)`` of the current passages (not those cut from an older text).

        Reading them walks every passage, so they are kept in the cache under
        the corpus version, which every write to a passage or a source bumps.
        """
        key = f"{self.version_key}:corpus" if self.version_key else None
        found = caches["default"].get(key) if key else None
        if found is None:
            with self.conn.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*), coalesce(avg(p.length), 0) FROM factcheck_passage p"
                    " JOIN factcheck_source s ON s.id = p.source_id WHERE p.digest = s.text_sha256"
                )
                n, avgdl = cursor.fetchone()
            found = (n, float(avgdl or 0))
            if key:
                caches["default"].set(key, found)
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
        counted = dict(zip((qt.cls for qt in missing), self._count(missing))) if missing else {}
        if keys and counted:
            caches["default"].set_many({keys[cls]: pair for cls, pair in counted.items()})
        return [counted[qt.cls] if qt.cls in counted else known[keys[qt.cls]] for qt in qterms]

    def _count(self, qterms):
        # A word without synonyms has the same two sets: each distinct set is counted once.
        distinct = list(dict.fromkeys(frozenset(s) for qt in qterms for s in (qt.surfaces, qt.exact)))
        selects, params = [], []
        for surfaces in distinct:
            q, qparams = self._any([surfaces])
            if self.pg:
                selects.append(f"(SELECT count(*) FROM {self.fts} m WHERE m.vec @@ {q})")
            else:
                selects.append(f"(SELECT count(*) FROM {self.fts} WHERE {self.fts} MATCH {q})")
            params += qparams
        with self.conn.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(selects)}", params)
            counted = dict(zip(distinct, cursor.fetchone()))
        return [(counted[frozenset(qt.surfaces)], counted[frozenset(qt.exact)]) for qt in qterms]

    def candidates(self, qterms, exclude_sources, limit):
        """The ``limit`` best-matching current sentences by the engine's own rank, with their neighbours.

        The engine ranks its matches alone and only the ``limit`` best are
        joined to their passages, sources and neighbours: joining every match
        first (thousands for a common name) costs far more than ranking them.
        """
        q, params = self._any([qt.surfaces for qt in qterms])
        exclude = ""
        if exclude_sources:
            exclude = f" AND p.source_id NOT IN ({', '.join(['%s'] * len(exclude_sources))})"
        columns = (
            'p.id, p.source_id, p.start, p."end", p.text, s.title, s.publisher,'
            ' prev.text, prev.start, p.gap_before, nxt.text, nxt."end", nxt.gap_before'
        )
        neighbours = (
            " JOIN factcheck_source s ON s.id = p.source_id"
            " LEFT JOIN factcheck_passage prev ON prev.source_id = p.source_id AND prev.position = p.position - 1"
            " LEFT JOIN factcheck_passage nxt ON nxt.source_id = p.source_id AND nxt.position = p.position + 1"
        )
        if self.pg:
            # MATERIALIZED: the planner would otherwise join every passage
            # to its source before looking at the index.
            sql = (
                f"WITH hits AS MATERIALIZED (SELECT m.id, ts_rank(m.vec, tq.q) AS rank"
                f" FROM {self.fts} m CROSS JOIN (SELECT {q} AS q) tq"
                + (" JOIN factcheck_passage p ON p.id = m.id" if exclude else "")
                + f" WHERE m.vec @@ tq.q{exclude} ORDER BY rank DESC, m.id LIMIT %s)"
                f" SELECT {columns} FROM hits JOIN factcheck_passage p ON p.id = hits.id{neighbours}"
                " WHERE p.digest = s.text_sha256 ORDER BY hits.rank DESC, p.id"
            )
        else:
            # ORDER BY rank alone lets FTS5 sort its matches itself, so the
            # joins run only for the rows the LIMIT keeps.
            sql = (
                f"SELECT {columns} FROM {self.fts} m JOIN factcheck_passage p ON p.id = m.rowid{neighbours}"
                f" WHERE {self.fts} MATCH {q} AND p.digest = s.text_sha256{exclude} ORDER BY m.rank LIMIT %s"
            )
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params + list(exclude_sources) + [limit])
            return cursor.fetchall()


def find_evidence(text, *, limit=DEFAULT_LIMIT, exclude_sources=(), aliases=None, engine=None):
    """The passages most likely to support or dispute ``text``, best first."""
    analyzer = Analyzer(aliases if aliases is not None else AliasTable.load())
    qterms = _query_terms(text[:MAX_QUERY_LENGTH], analyzer)
    if not qterms:
        return []
    engine = engine or _Engine(connection)
    n, avgdl = engine.corpus()
    if n == 0:
        return []
    dfs = engine.document_frequencies(qterms)
    for qt, (df, exact_df) in zip(qterms, dfs):
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
    retrieval = _retrieval_terms(present, n)
    rows = engine.candidates(retrieval, exclude_sources, CANDIDATES)
    return rank(rows, qterms, analyzer, avgdl or 1.0, text, limit)


def _retrieval_terms(present, n):
    """The rarest terms, as many as fit the retrieval budget (always the rarest one)."""
    budget = max(RETRIEVAL_FLOOR, RETRIEVAL_SHARE * n)
    chosen, matches = [], 0
    for qt in sorted(present, key=lambda qt: qt.df)[:RETRIEVAL_TERMS]:
        if chosen and matches + qt.df > budget:
            break
        chosen.append(qt)
        matches += qt.df
    return chosen


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
    pairs = {frozenset((a, b)) for a, b in zip(order, order[1:]) if a != b}
    cache = {}
    wants = _answer_type(query_text)

    def terms_of(text):
        if text not in cache:
            cache[text] = analyzer.terms(text)
        return cache[text]

    units = {}
    for row in rows:
        pid, source_id, start, end, text, title, publisher, ptext, pstart, pgap, ntext, nend, ngap = row
        units[(source_id, start, end)] = (pid, title, publisher, text, terms_of(text), 1.0)
        if ptext is not None and pgap is not None and "\n" not in pgap:
            units.setdefault(
                (source_id, pstart, end),
                (pid, title, publisher, ptext + pgap + text, terms_of(ptext) + terms_of(text), WINDOW_FACTOR),
            )
        if ntext is not None and ngap is not None and "\n" not in ngap:
            units.setdefault(
                (source_id, start, nend),
                (pid, title, publisher, text + ngap + ntext, terms_of(text) + terms_of(ntext), WINDOW_FACTOR),
            )
    scored = []
    for (source_id, start, end), (pid, title, publisher, text, terms, factor) in units.items():
        covered = sum(by_cls[c].idf for c in {t.cls for t in terms} if c in by_cls) / total_idf
        score = _bm25(terms, by_cls, len(terms), avgdl) * covered**COVERAGE_POWER
        score = (score + _pair_bonus(terms, pairs, by_cls)) * factor
        if wants and _has_answer_type(terms, wants, by_cls):
            score *= ANSWER_TYPE_BOOST
        scored.append(Evidence(pid, source_id, title, publisher, text, start, end, score))
    scored.sort(key=lambda e: (-e.score, e.end - e.start, e.source_id, e.start))
    chosen, by_source = [], {}
    for e in scored:
        same_source = by_source.setdefault(e.source_id, [])
        if not any(c.start < e.end and e.start < c.end for c in same_source):
            chosen.append(e)
            same_source.append(e)
            if len(chosen) == limit:
                break
    return chosen


def _bm25(terms, by_cls, length, avgdl):
    tf = {}
    for t in terms:
        qt = by_cls.get(t.cls)
        if qt is not None:
            tf[t.cls] = tf.get(t.cls, 0.0) + (1.0 if t.stem in qt.stems else SYNONYM_WEIGHT)
    norm = K1 * (1 - B + B * length / avgdl)
    return sum(by_cls[c].idf * f * (K1 + 1) / (f + norm) for c, f in tf.items())


def _pair_bonus(terms, pairs, by_cls):
    """Query words that stand next to each other (in either order) in the passage too.

    ``pairs``: the query's neighbouring words, as frozensets of two classes.
    """
    if not pairs:
        return 0.0
    found = set()
    classes = [t.cls if t.cls in by_cls else None for t in terms]
    for i, c in enumerate(classes):
        if c is None:
            continue
        for d in classes[i + 1 : i + 3]:
            if d is not None and d != c:
                pair = frozenset((c, d))
                if pair in pairs:
                    found.add(pair)
    return PAIR_BONUS * sum(min(by_cls[c].idf for c in pair) for pair in found)


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
