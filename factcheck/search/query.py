"""User input → a :class:`Query` of words and phrases, never the engines' query language."""

import re
from dataclasses import dataclass, field

from factcheck import analyser  # a module, not its names: it imports search.text, so this package
from factcheck.search.aliases import MAX_ALTERNATIVES, _contains
from factcheck.search.stemming import inflection_prefixes
from factcheck.search.text import STOP_WORDS, clean_query, raw_tokens

MAX_GROUPS = 24  # words or phrases used from one query; the rest are ignored
MIN_PREFIX = 3
MAX_INFLECTIONS = 24  # prefixes of Russian and Arabic forms in one group

_WORD = re.compile(r"\w+(?:['’\-‐]\w+)*")


@dataclass
class Group:
    """One thing the query asks for: any of ``alternatives`` (each a phrase, a tuple of tokens)."""

    alternatives: list
    prefix: str = ""  # also match words starting with this (the word being typed)
    label: str = ""
    forms: bool = False  # the alternatives are forms of one typed word (Russian, Russia)
    # Russian and Arabic words match their inflected forms by these prefixes (тартус: Тартуса, Тартусе).
    inflections: list = field(default_factory=list)


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
    for group in query.groups:
        found = (p for alt in group.alternatives for p in inflection_prefixes(" ".join(alt)))
        group.inflections = sorted(set(found))[:MAX_INFLECTIONS]
    last = query.groups[-1] if query.groups else None
    if (
        last
        and not text.endswith('"')
        and (len(last.alternatives) == 1 or last.forms)
        and len(last.alternatives[0]) == 1
    ):
        word = last.alternatives[0][0]
        if len(word) >= MIN_PREFIX and not word.isdigit():
            last.prefix = word
    return query


def _word_groups(part, aliases):
    """Plain words: stop words dropped, alias spellings (even across words) and word forms expanded.

    Word forms are the evidence finder's (the shared analyser): demonyms
    (Russian = Russia), irregular forms, numbers, compounds and phrasal verbs
    ("hand over" = extradite), which the engines' stemmers do not relate.
    """
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
        group = _forms_group(flat, toks, i)
        if group is not None:
            if group.label not in STOP_WORDS:
                groups.append(group)
            i += len(group.label.split())
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


def _forms_group(flat, toks, i):
    """The word (or compound, or phrasal verb) at ``toks[i]`` with its other forms; None inside a hyphenated word."""
    length, forms = analyser.search_forms(toks, i)
    words = [flat[j][2] for j in range(i, i + length)]
    whole = all(
        [w for _, _, w in flat].count(wi) == 1 for wi in words
    )  # each token a word of its own, not part of "al-Assad"
    if not whole or len(set(words)) != length:
        return None
    typed = tuple(w for _, w, _ in flat[i : i + length])
    if forms[0] != " ".join(toks[i : i + length]):
        typed = tuple(w for (f, w, _) in flat[i : i + length] if f in forms[0].split())
    alternatives = [typed] + [tuple(f.split()) for f in forms[1:]]
    return Group(alternatives=alternatives[:MAX_ALTERNATIVES], label=" ".join(toks[i : i + length]), forms=True)


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
