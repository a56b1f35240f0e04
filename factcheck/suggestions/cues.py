"""Cues read off a passage's words: its stance towards a claim, whom it reports, whether it is worth checking.

General rules of English only, no word of any particular document: a
negation or a denial on one side but not the other turns a match into a
dispute; a hedge or a condition the claim does not carry makes it a
qualification; a reporting verb or "according to" near a known speaker's
name makes that speaker the suggested voice. They are suggestions an editor
confirms or corrects before anything is written.
"""

import re
from dataclasses import dataclass

from factcheck.language import MONTHS, NUMBER_WORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot nowhere lack lacks lacked absence".split()
)
DENIALS = frozenset(
    """deny denies denied denial denials reject rejects rejected rejection refute refutes refuted dismiss dismisses
    dismissed false untrue baseless unfounded groundless contradict contradicts contradicted disputed disputes
    debunked fabricated refused refuses refuse failed fails""".split()
)
# Several words that only together deny.
DENIAL_PHRASES = ("contrary to", "rather than", "instead of", "far from", "no longer", "fell through")
# Words that make a statement tentative or partial. Contrast markers ("however", "although") and
# approximations ("about", "nearly") are left out: in news prose they mostly accompany plain support.
HEDGES = frozenset(
    """may might could reportedly allegedly possibly perhaps probably apparently appear appears appeared seem seems
    seemed suggest suggests suggested unclear unconfirmed uncertain partly partially implying implied implies""".split()
)
CONDITIONS = frozenset("if unless provided providing depending conditional conditioned".split())
CONDITION_PHRASES = ("as long as", "on condition", "in exchange for", "subject to", "only when")

REPORTING = frozenset(
    """said says say told tells stated states announced announces declared declares claimed claims insisted insists
    denied denies warned warns added adds noted notes stressed stresses affirmed reaffirmed promised promises
    pledged pledges argued argues confirmed confirms explained explains wrote writes asserted asserts acknowledged
    acknowledges admitted admits emphasised emphasized underlined reiterated reiterates quoted assured assures
    accused accuses called calls""".split()
)
REPORTING_PHRASES = ("according to", "in the words of", "quoted as saying")

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"\d")
_MONTH_WORDS = frozenset(MONTHS.values()) - {"may"}
_NUMBER_WORD_SET = frozenset(w.lower() for w in NUMBER_WORDS)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _has_phrase(lowered: str, phrases: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", lowered) for p in phrases)


def negated(text: str) -> bool:
    """A negation or a denial: "did not", "never", "denied", "contrary to"."""
    ws = words(text)
    if any(w in NEGATIONS or w in DENIALS or w.endswith("n't") for w in ws):
        return True
    return _has_phrase(" ".join(ws), DENIAL_PHRASES)


def hedged(text: str) -> bool:
    """A hedge or a condition: "reportedly", "may", "if", "as long as"."""
    ws = words(text)
    if any(w in HEDGES or w in CONDITIONS for w in ws):
        return True
    return _has_phrase(" ".join(ws), CONDITION_PHRASES)


def stance(passage: str, claim: str) -> str:
    """``supports``, ``disputes`` or ``qualifies``: the passage's stance towards the claim, by its cues.

    Polarity is compared, not read off the passage alone: a passage saying
    "no agreement was signed" supports the claim "no agreement was signed".
    """
    if negated(passage) != negated(claim):
        return "disputes"
    if hedged(passage) and not hedged(claim):
        return "qualifies"
    return "supports"


def reports_speech(text: str) -> bool:
    ws = words(text)
    return any(w in REPORTING for w in ws) or _has_phrase(" ".join(ws), REPORTING_PHRASES)


@dataclass(frozen=True)
class SpeakerNames:
    """Every speaker's name and aliases as one pattern: a passage is searched once, whatever their number."""

    pattern: re.Pattern[str] | None
    by_name: dict[str, int]

    @classmethod
    def build(cls, rows: list[tuple[int, str, str]]) -> "SpeakerNames":
        """``rows``: ``(speaker id, name, aliases one per line)``."""
        by_name: dict[str, int] = {}
        for pk, name, aliases in rows:
            for spelling in [name, *aliases.splitlines()]:
                spelling = spelling.strip()
                # Two letters are an initialism at best and match inside too much text.
                if len(spelling) >= 3:
                    by_name.setdefault(spelling, pk)
        if not by_name:
            return cls(None, {})
        alternatives = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), by_name)

    def reported(self, text: str) -> int | None:
        """The id of the known speaker the passage reports ("X said", "according to X"), or None.

        Without a reporting verb a name is only mentioned, not quoted. With
        several names, the one nearest a reporting word is the speaker.
        """
        if self.pattern is None or not reports_speech(text):
            return None
        mentions = [(m.start(), m.end(), self.by_name[m.group()]) for m in self.pattern.finditer(text)]
        if not mentions:
            return None
        cues = [m.start() for m in _WORD.finditer(text) if m.group().lower() in REPORTING]
        lowered = text.lower()
        for phrase in REPORTING_PHRASES:
            cues += [m.end() for m in re.finditer(re.escape(phrase), lowered)]
        if not cues:
            return mentions[0][2]

        def distance(mention: tuple[int, int, int]) -> int:
            start, end, _ = mention
            return min(min(abs(c - end), abs(start - c)) for c in cues)

        return min(mentions, key=distance)[2]


def check_worthiness(text: str, mentions_speaker: bool = False) -> int:
    """How many marks of a checkable statement the passage bears: a number, a date, a named actor, reported speech.

    Headings, captions and fragments bear none or are too short to be a statement.
    """
    ws = words(text)
    if not 8 <= len(ws) <= 90 or text.lstrip().startswith("="):
        return 0
    marks = 0
    if _NUMBER.search(_YEAR.sub("", text)) or any(w in _NUMBER_WORD_SET for w in ws):
        marks += 1
    if _YEAR.search(text) or any(w in _MONTH_WORDS for w in ws):
        marks += 1
    if mentions_speaker or _CAPITALISED.search(text):
        marks += 1
    if reports_speech(text):
        marks += 1
    return marks
