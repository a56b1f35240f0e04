"""The analyser: text → terms, the same way for queries and passages.

Tokens are folded as the search engines fold them, then mapped to a stem
through name aliases, compounds, phrasal verbs, irregular forms, demonyms,
numbers and months, British spellings and the stemmer; synonyms share a class.

One analyser for the whole app: the evidence finder ranks with
:class:`Analyzer`, and site search (whose engines have their own, plainer
stemmers) asks :func:`search_forms` for the surface forms that analyse alike,
so "Russian" finds "Russia" in both.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

from factcheck.language import (
    COMPOUNDS,
    DEMONYMS,
    IRREGULAR,
    MONTHS,
    NUMBER_WORDS,
    PARTICLES,
    PHRASAL,
    QUESTION_WORDS,
    _spelling,
)
from factcheck.search.stemming import foreign_stem, word_language
from factcheck.search.text import STOP_WORDS, fold

_stemmer = snowballstemmer.stemmer("english")


def _stem(word):
    return _stemmer.stemWord(word)


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


class SynonymTable:
    """Groups of words counted as one class (``SynonymGroup`` rows, in order): each stem → its class.

    A word in two groups counts with the first. ``key`` identifies the
    content, for the cache of analysed text.
    """

    def __init__(self, groups):
        self.groups = tuple(tuple(group) for group in groups)
        self.key = hash(self.groups)
        self.of = {}
        for group in self.groups:
            stems = [_normal_stem(w) for w in group]
            for s in stems:
                self.of.setdefault(s, stems[0])


NO_SYNONYMS = SynonymTable(())

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\d+|%")


# _TOKEN for ASCII text, where \d and \w mean no more than this: about twice as fast. (Folding leaves
# capitals in a few: "№" is "No".)
_ASCII_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+|%")
# What the loop below changes: a per cent sign (``in``), a comma between digits. Without them (most sentences) the
# tokens stand. The comma comes first in the pattern: the regex engine then skips to each comma (\d,\d: 9 times slower).
_DIGIT_COMMA = re.compile(r",(?<=\d,)(?=\d)")


# Punctuation that is no part of any token, however folded (quotation marks, dashes, spaces of every width), as
# spaces: a sentence whose only other characters are ASCII then folds as ASCII does, without Unicode normalisation.
# A character class, not str.translate, which looks every character up in a dict (9 times slower).
_PUNCTUATION_CHARACTERS = "".join(
    ch
    for ch in map(chr, range(0x2000, 0x2070))
    if not re.search(r"[\w.,%]", fold(ch) + unicodedata.normalize("NFKD", ch))
)
_PUNCTUATION = re.compile(f"[{re.escape(_PUNCTUATION_CHARACTERS)}]")


def _raw_tokens(text):
    folded = fold(text if text.isascii() else _PUNCTUATION.sub(" ", text))
    if "%" not in folded and not _DIGIT_COMMA.search(folded):
        return (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)
    out = []
    for tok in _TOKEN.findall(folded):
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


# Words of one language an analyser keeps the term of (``Analyzer._word_term``): a bound above a corpus's vocabulary.
MAX_WORDS = 100_000
_UNSEEN = object()

# Analysed sentences, keyed by the content of the alias and synonym tables (an
# analyzer is built per query) and the text. Bounded: a worker keeps 4,096
# sentences (about 9 MB). An evidence query reads 500-900 of them (candidates
# and neighbours), so a few recurring queries fill it; a sentence missed costs
# little since each analyser keeps its words' terms (``Analyzer._word_term``),
# and a bigger cache would only flatter the benchmark's eight rotating queries.
_ANALYZERS = {}


@functools.lru_cache(maxsize=4096)
def _cached_terms(vocabulary_key, text, language=""):
    return tuple(_ANALYZERS[vocabulary_key]._terms(text, language))


class Analyzer:
    """Text → terms, the same way for queries and passages."""

    def __init__(self, aliases, synonyms=None, names_as_synonyms=False):
        """``names_as_synonyms``: a name's alias group counts in its synonym group (see alias_classes).

        Matching a document to claims wants it (a sentence about "Moscow"
        speaks to a claim about Russia); the evidence finder does not (a
        question naming Москва asks for the city's passages, not Russia's).
        """
        self.aliases = aliases
        self.synonyms = synonyms or NO_SYNONYMS
        self.alias_classes = alias_classes(aliases, self.synonyms) if names_as_synonyms else {}
        compounds = {}
        for seq, target in COMPOUNDS.items():
            compounds.setdefault(seq[0], []).append((seq, target))
        for entries in compounds.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.compounds = compounds
        # Words that may begin a name's spelling of several words, a compound or a phrasal verb: what they
        # mean depends on the words after them. Any other word means the same wherever it stands
        # (``_word_term``), a name spelt in one word ("Moscow") too.
        longer_names = (
            {seq[0] for entries in aliases.index.values() for seq, _ in entries if len(seq) > 1} if aliases else set()
        )
        self._lookahead = longer_names | set(compounds) | set(_PHRASAL_BY_VERB)
        self._words = {}  # {language: {word: term}}; languages are the few sources are written in

    @staticmethod
    def _phrasal(toks, i):
        """``(length, meaning, object word)`` of a phrasal verb at ``toks[i]``, split or not."""
        for particle, target in _PHRASAL_BY_VERB.get(toks[i], ()):
            if toks[i + 1 : i + 2] == [particle]:
                return 2, target, ""
            if toks[i + 2 : i + 3] == [particle]:
                return 3, target, toks[i + 1]
        return None

    def terms(self, text, language=""):
        """The text's terms; sentences recur from query to query, so they are cached.

        ``language`` is the text's ISO 639-1 code: it picks the Snowball
        stemmer for Latin-script words (see factcheck/search/stemming.py).
        """
        key = (self.aliases.key if self.aliases else 0, self.synonyms.key, bool(self.alias_classes))
        if key not in _ANALYZERS:
            if len(_ANALYZERS) > 16:
                _ANALYZERS.clear()
                _cached_terms.cache_clear()
            _ANALYZERS[key] = self
        return _cached_terms(key, text, "" if language == "en" else language)

    def _terms(self, text, language=""):
        toks = _raw_tokens(text)
        words = self._words.get(language)
        if words is None:
            words = self._words[language] = {}
        lookahead = self._lookahead
        if lookahead.isdisjoint(toks):
            # Every word stands for itself (about half the sentences): their known terms, in one pass.
            try:
                terms = [words[word] for word in toks]
            except KeyError:
                terms = [self._known_term(words, word, language) for word in toks]
            return [term for term in terms if term is not None]
        out = []
        i = 0
        while i < len(toks):
            word = toks[i]
            if word not in lookahead:
                # Most words: their term (or None) once per analyser, not once per sentence.
                term = words.get(word, _UNSEEN)
                if term is _UNSEEN:
                    if len(words) >= MAX_WORDS:
                        words.clear()
                    term = words[word] = self._word_term(word, language)
                if term is not None:
                    out.append(term)
                i += 1
                continue
            length, group = self.aliases.match(toks, i) if self.aliases else (0, None)
            if group is not None:
                surface = " ".join(toks[i : i + length])
                stem = f"@{group}"
                out.append(Term(self.alias_classes.get(group, stem), stem, surface))
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
                out.append(Term(self.synonyms.of.get(stem, stem), stem, " ".join(seq)))
                i += len(seq)
                continue
            phrasal = self._phrasal(toks, i)
            if phrasal:
                length, target, middle = phrasal
                if middle:
                    out.extend(self._terms(middle, language))
                stem = _normal_stem(target)
                out.append(Term(self.synonyms.of.get(stem, stem), stem, " ".join(toks[i : i + length])))
                i += length
                continue
            term = self._word_term(toks[i], language, aliased=False)
            i += 1
            if term is not None:
                out.append(term)
        return out

    def _known_term(self, words, word, language):
        """The term (or None) of a word that begins no longer unit: once per analyser, not once per sentence."""
        term = words.get(word, _UNSEEN)
        if term is _UNSEEN:
            if len(words) >= MAX_WORDS:
                words.clear()
            term = words[word] = self._word_term(word, language)
        return term

    def _word_term(self, word, language, aliased=True):
        """The term of one word that begins no longer unit; None for a word not counted (a stop word).

        ``aliased``: whether to look for a name's inflected spelling (the caller has not yet).
        """
        if aliased and self.aliases:
            _, group = self.aliases.match((word,), 0)
            if group is not None:
                stem = f"@{group}"
                return Term(self.alias_classes.get(group, stem), stem, word)
        if word in STOP_WORDS or word in PARTICLES or word in QUESTION_WORDS or (len(word) == 1 and not word.isdigit()):
            return None
        foreign = word_language(word, language)
        stem = foreign_stem(word, foreign) if foreign else _normal_stem(word)
        return Term(self.synonyms.of.get(stem, stem), stem, word)


_ALIAS_CLASSES = {}


def alias_classes(aliases, synonyms):
    """``{alias group: synonym class}`` for the names that are also words of a synonym group.

    A name with other spellings (Moscow, Москва) that editors also made a
    synonym of another word (Moscow for Russia, the capital for its state)
    keeps that synonym in every spelling: the alias says how the name is
    written, the synonym group what it stands for. The canonical spelling's
    group wins, then the first one-word spelling's in order.
    """
    if not aliases or not synonyms.of:
        return {}
    key = (aliases.key, synonyms.key)
    found = _ALIAS_CLASSES.get(key)
    if found is None:
        found = {}
        for group, seqs in aliases.groups.items():
            words = [tuple(_raw_tokens(aliases.canonical[group])), *seqs]
            for seq in words:
                target = synonyms.of.get(_normal_stem(seq[0])) if len(seq) == 1 else None
                if target:
                    found[group] = target
                    break
        if len(_ALIAS_CLASSES) > 16:
            _ALIAS_CLASSES.clear()
        _ALIAS_CLASSES[key] = found
    return found


def _alias_surfaces(aliases, group):
    spellings = aliases.spellings(group) + aliases.spellings(group, written=True)
    return {" ".join(seq) for seq in spellings}


# Every surface form that analyses to a class, so the database (which has its
# own stemmer) can be asked for all of them.
def _class_surfaces(cls, stems, aliases, synonyms=NO_SYNONYMS, name_classes=None):
    """``(exact, related)``: surface forms of the query's own words, and of their synonyms."""
    if cls.startswith("@"):
        return _alias_surfaces(aliases, int(cls[1:])), set()
    exact, related = set(), set()
    # Names counted in a synonym class (``Analyzer.alias_classes``): all their spellings.
    for group, target in (name_classes or {}).items():
        if target == cls:
            (exact if f"@{group}" in stems else related).update(_alias_surfaces(aliases, group))
    for table in (IRREGULAR, DEMONYMS, NUMBER_WORDS, MONTHS):
        for surface, target in table.items():
            if _normal_stem(surface) in stems:
                exact.update((surface, target))
    for group in synonyms.groups:
        for word in group:
            if synonyms.of.get(_normal_stem(word)) == cls:
                (exact if _normal_stem(word) in stems else related).add(word)
    multiword = [(" ".join(seq), target) for seq, target in COMPOUNDS.items()]
    multiword += [(f"{verb} {particle}", target) for verbs, particle, target in PHRASAL for verb in verbs]
    for surface, target in multiword:
        stem = _normal_stem(target)
        if stem in stems:
            exact.add(surface)
        elif synonyms.of.get(stem, stem) == cls:
            related.add(surface)
    return exact, related


_FORM_TABLES = (IRREGULAR, DEMONYMS, NUMBER_WORDS, MONTHS)


@functools.lru_cache(maxsize=4096)
def _word_forms(word):
    """Surface forms analysed as ``word`` is (Russian → russia, russians), the word itself first."""
    stem = _normal_stem(word)
    forms = [word]
    if _spelling(word) != word:
        forms.append(_spelling(word))  # the engines' stemmers keep British and American apart
    for table in _FORM_TABLES:
        for surface, target in table.items():
            if _normal_stem(surface) == stem:
                forms.extend(f for f in (surface, target) if f not in forms)
    return tuple(forms)


def _multiword_forms(toks, i):
    """``(length, forms)`` of a compound or phrasal verb at ``toks[i]``: every spelling of its meaning."""
    target, length = None, 0
    for seq, meaning in sorted(COMPOUNDS.items(), key=lambda e: -len(e[0])):
        if len(seq) > 1 and tuple(toks[i : i + len(seq)]) == seq:
            target, length = meaning, len(seq)
            break
    if target is None:
        phrasal = Analyzer._phrasal(toks, i)
        if not phrasal or phrasal[2]:  # "hand him over": the object stays a word of its own
            return 0, ()
        length, target, _ = phrasal
    if target in COMPOUNDS.values() and tuple(toks[i : i + length]) in COMPOUNDS:
        forms = [" ".join(toks[i : i + length])]
        forms.extend(" ".join(seq) for seq, meaning in COMPOUNDS.items() if meaning == target)
    else:
        # The particle is a stop word the engines drop: the verb alone finds
        # what the typed words found before, the meaning finds the rest.
        forms = [toks[i]]
    forms.extend(_word_forms(target))
    return length, tuple(dict.fromkeys(forms))


def search_forms(toks, i):
    """``(length, forms)``: what the folded query words from ``toks[i]`` mean, as search should find it.

    ``forms`` are strings of words the engines can match as phrases, the
    typed words first (a phrasal verb's verb alone); ``(1, (word,))`` when the
    word has no other form.
    """
    length, forms = _multiword_forms(toks, i)
    if length:
        return length, forms
    return 1, _word_forms(toks[i])
