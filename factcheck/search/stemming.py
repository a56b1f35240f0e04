"""Which Snowball stemmer a word gets: by its script, else by the language of the text it is in.

Cyrillic words are stemmed as Russian and Arabic-script words as Arabic
whatever the source's language says (an English article quoting a Russian
name keeps the name's grammar); a Latin-script word is stemmed in the
language of its text (French, Turkish, German…), English when there is none.
English keeps the analyser's own rules (irregular forms, demonyms, numbers).
"""

import functools
import unicodedata

import snowballstemmer

# ISO 639-1 → Snowball algorithm, for the languages it has.
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Scripts that name their language well enough for stemming.
_SCRIPT_LANGUAGE = {"CYRILLIC": "ru", "ARABIC": "ar", "GREEK": "el", "ARMENIAN": "hy", "HEBREW": "he"}

# Arabic one-letter proclitics (and, in, for, so, like) written onto the next word.
ARABIC_PROCLITICS = "وفبلك"


def script_language(word):
    """The language a word's script implies (``ru`` for Cyrillic, ``ar`` for Arabic script), or ""."""
    for ch in word:
        if ch.isalpha() and not ch.isascii():
            name = unicodedata.name(ch, "")
            return _SCRIPT_LANGUAGE.get(name.split(" ")[0], "")
        if ch.isalpha():
            return ""
    return ""


def dominant_script(text, sample=2000):
    """The script most letters of ``text`` are written in: "LATIN", "CYRILLIC", "ARABIC"…; "" without letters."""
    counts = {}
    for ch in text[:sample]:
        if ch.isalpha():
            script = "LATIN" if ch.isascii() else unicodedata.name(ch, "").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else ""


@functools.cache
def _stemmer(algorithm):
    return snowballstemmer.stemmer(algorithm)


def word_language(word, language=""):
    """The language to stem ``word`` in: its script's, else the text's (``language``), "" for English."""
    return script_language(word) or ("" if language in ("", "en") else language)


@functools.lru_cache(maxsize=100_000)
def foreign_stem(word, language):
    """The Snowball stem of a (folded) non-English word; the word itself when Snowball lacks the language."""
    algorithm = SNOWBALL.get(language)
    return _stemmer(algorithm).stemWord(word) if algorithm else word


# Shorter prefixes would match too many unrelated words.
MIN_INFLECTION_PREFIX = 4


def inflection_prefixes(phrase):
    """For one Russian or Arabic word, the (folded) prefixes its inflected forms share; () otherwise.

    Arabic also writes one-letter words onto the next (بطرطوس, "in Tartus"):
    each such letter before the stem is a prefix of its own.
    """
    from factcheck.search.text import fold

    words = phrase.split()
    if len(words) != 1:
        return ()
    word = fold(words[0])
    language = script_language(word)
    if language not in ("ru", "ar"):
        return ()
    prefix = foreign_stem(word, language)
    if len(prefix) < MIN_INFLECTION_PREFIX or not word.startswith(prefix):
        prefix = word if language == "ar" else ""
    if not prefix:
        return ()
    if language == "ar":
        return (prefix, *(clitic + prefix for clitic in ARABIC_PROCLITICS))
    return (prefix,)
