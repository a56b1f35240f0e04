"""Name aliases: every spelling of a name finds every other (NameAlias rows)."""

from django.db import connection

from factcheck.last_built import LastBuilt
from factcheck.search.stemming import ARABIC_PROCLITICS, foreign_stem, script_language
from factcheck.search.text import raw_tokens

MAX_ALTERNATIVES = 12  # spellings of one name
# Russian and Arabic inflect names (Тартуса, Тартусе, Москвы): at most this
# many letters of ending on a one-word spelling still name it.
MAX_ENDING = 3


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
        # One-word spellings in scripts whose names inflect, by themselves and by their stem.
        self.inflecting = {}
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
                language = script_language(seq[0]) if len(seq) == 1 else ""
                if language:
                    self.inflecting.setdefault(seq[0], n)
                    self.inflecting.setdefault((language, foreign_stem(seq[0], language)), n)
        for entries in self.index.values():
            entries.sort(key=lambda e: -len(e[0]))

    @classmethod
    def load(cls):
        """The table of the NameAlias rows as they are now: one query, and the table rebuilt only when they changed.

        Every search reads them; building the table (each spelling tokenised,
        stemmed and indexed) cost more than the query, for rows that seldom
        change. The query is plain SQL: the ORM's compiling it cost as much again.
        """
        from factcheck.models import NameAlias

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT canonical, variant FROM {NameAlias._meta.db_table}")
            return _table_of(frozenset(cursor.fetchall()))

    @classmethod
    def from_pairs(cls, pairs):
        """The table of ``(canonical, variant)`` pairs: each canonical name with all its spellings."""
        groups = {}
        for canonical, variant in pairs:
            groups.setdefault(canonical, {canonical}).add(variant)
        return cls(groups)

    def match(self, toks, i):
        """``(length, group)`` of the longest variant starting at ``toks[i]``, or ``(0, None)``."""
        for seq, group in self.index.get(toks[i], ()):
            if tuple(toks[i : i + len(seq)]) == seq:
                return len(seq), group
        if self.inflecting:
            group = self._inflected(toks[i])
            if group is not None:
                return 1, group
        return 0, None

    def _inflected(self, tok):
        """The group of a one-word Russian or Arabic spelling ``tok`` inflects (Тартусе) or prefixes (بطرطوس)."""
        language = script_language(tok)
        if not language:
            return None
        bases = [tok]
        if language == "ar" and len(tok) > 3 and tok[0] in ARABIC_PROCLITICS:
            bases.append(tok[1:])
        for base in bases:
            for cut in range(min(MAX_ENDING, len(base) - 3) + 1):
                group = self.inflecting.get(base[: len(base) - cut])
                if group is not None:
                    return group
            group = self.inflecting.get((language, foreign_stem(base, language)))
            if group is not None:
                return group
        return None

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


_table_of = LastBuilt(AliasTable.from_pairs)  # AliasTable.load's rows, and the table last built from them
