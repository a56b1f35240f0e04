"""The editors' vocabulary: name aliases and synonym groups, read from the database.

Which words count as the same ("Moscow" for "Russia") is an editorial choice,
so it lives in ``SynonymGroup`` rows that editors change in the admin, beside
the ``NameAlias`` rows. Both come in one round trip per evidence query, kept
in the cache under the corpus version: every write to either table bumps the
version, so an edit shows in the next query. Inside a transaction (where the
version may be rolled back and reused) they are read afresh each time.
"""

from django.core.cache import caches
from django.db.models import CharField, IntegerField, Value

from factcheck.analyser import SynonymTable, _raw_tokens
from factcheck.language import PARTICLES, QUESTION_WORDS
from factcheck.last_built import LastBuilt
from factcheck.search import STOP_WORDS, AliasTable

_ALIAS, _SYNONYMS = 0, 1


def load_vocabulary(cache_key=None):
    """``(AliasTable, SynonymTable)``; ``cache_key``: the corpus version's key, or None (not cached)."""
    key = f"{cache_key}:vocabulary" if cache_key else None
    rows = caches["default"].get(key) if key else None
    if rows is None:
        rows = _read()
        if key:
            caches["default"].set(key, rows)
    return _tables(rows)


def _build_tables(rows):
    rows = sorted(rows, key=lambda row: (row[0], row[1]))
    aliases = AliasTable.from_pairs((first, second) for kind, _order, first, second in rows if kind == _ALIAS)
    return aliases, SynonymTable([second.split() for kind, _order, _first, second in rows if kind == _SYNONYMS])


# The vocabulary changes seldom, and building its tables cost each evidence query ~0.3 ms;
# comparing the rows read with the last ones costs ~3 µs.
_tables = LastBuilt(_build_tables)


def _read():
    from factcheck.models import NameAlias, SynonymGroup

    kind = IntegerField()
    aliases = NameAlias.objects.order_by().values_list(
        Value(_ALIAS, output_field=kind), Value(0, output_field=kind), "canonical", "variant"
    )
    # Groups apply in the order they were made (a word in two counts with the older).
    synonyms = SynonymGroup.objects.order_by().values_list(
        Value(_SYNONYMS, output_field=kind), "id", Value("", output_field=CharField()), "words"
    )
    return list(aliases.union(synonyms, all=True))


def synonym_words(text):
    """``(words, problems)``: ``text``'s words as the analyser reads them, and why any cannot be a synonym."""
    words, problems = [], []
    for raw in text.split():
        toks = _raw_tokens(raw)
        if len(toks) != 1:
            problems.append(f"“{raw}” is not one word as the finder reads it (no hyphens, apostrophes or spaces).")
            continue
        word = toks[0]
        if word in STOP_WORDS or word in PARTICLES or word in QUESTION_WORDS or (len(word) == 1 and not word.isdigit()):
            problems.append(f"“{raw}” is a word the finder ignores.")
        elif word not in words:
            words.append(word)
    return words, problems
