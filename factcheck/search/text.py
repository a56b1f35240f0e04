"""Words as both engines see them: folding, tokens, stop words, cleaned input."""

import re
import unicodedata

MAX_TOKEN_LENGTH = 60

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

_TOKEN = re.compile(r"\w+")


_LATIN_MARKS = re.compile(r"(?<=[a-z\u00c0-\u024f])[\u0300-\u036f]+")
# Marks readers do not write when they search: Arabic short vowels and the
# tatweel, the stress accent of Russian textbooks.
_OPTIONAL_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]|(?<=[\u0400-\u04ff])\u0301")
# Hamza on or under alef is written or left out at will: أسد, اسد.
_ALEF = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627"})


def fold(text):
    """Lower case, Latin letters without diacritics (Türkiye = turkiye), as FTS5's unicode61 folds.

    Only Latin: in Cyrillic “й” is a letter of its own, not “и” with a mark.
    Arabic loses its optional vowel marks and hamza-on-alef, Russian its
    stress accents: no reader types them.
    """
    text = text.casefold()
    if text.isascii():
        return text
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", _OPTIONAL_MARKS.sub("", text)).translate(_ALEF)


def tokens(text):
    return [t[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall(fold(text))]


def raw_tokens(text):
    """``[(folded, as written), ...]``: folded to compare, as written to send to the engine.

    PostgreSQL lower-cases and stems by its own rules (and only ASCII under
    the C locale), so it is given the words as the user wrote them.
    """
    out = []
    for t in _TOKEN.findall(_OPTIONAL_MARKS.sub("", unicodedata.normalize("NFKC", text))):
        t = t[:MAX_TOKEN_LENGTH]
        folded = fold(t)
        if _TOKEN.fullmatch(folded):
            out.append((folded, t))
        else:  # folding split or emptied it (rare): compare and send the folded form
            out.extend((f, f) for f in _TOKEN.findall(folded))
    return out


def clean_query(raw):
    """The query with control characters (NUL included) removed and spaces collapsed."""
    text = _OPTIONAL_MARKS.sub("", unicodedata.normalize("NFKC", raw or ""))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())
