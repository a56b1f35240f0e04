"""The corpus audit: the five patterns a standards editor found in the seed corpus, as checks.

Each rule returns findings, one per claim, saying why (issue 14):

- ``one-origin``: a claim stored as an agreement whose side rests on fewer
  than two independent origins (voices: a speaker, or a source's root origin);
- ``attribution-cut``: a quote that begins right after an attribution phrase
  ("said that", "according to …,", "reported that", "insisted … that",
  "says", "told … that") without including it, so that someone else's
  statement reads as the source's own;
- ``undated-event``: an event claim with an assertion that gives no period;
- ``dated-differently``: the same passage (same source and offsets, or the
  same normalised quote in the same source) dated differently in two places;
- ``two-propositions``: a claim text joining two propositions with "rather
  than" or "both … and".

A finding may be justified in ``fixtures/AUDIT.md``, under a heading
"Justified findings", one list item per finding: the rule, the claim key
and the reason, e.g. ``- one-origin treaty-1980-still-in-force: the only
other source is the treaty's text``. A justified finding is reported as such
and does not fail the audit. See docs/data.md, "Auditing the corpus".
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from factcheck import quotes, voices
from factcheck.models import Assertion, Claim, ClaimKind, Stance, Status

RULES = ("one-origin", "attribution-cut", "undated-event", "dated-differently", "two-propositions")

# How far back before a quote to look for an attribution: the rest of its sentence, at most this much.
LOOKBACK = 200

_VERB = (
    r"(?:said|says|say|reported|reports|report|insisted|insists|stated|states|added|adds|noted|notes|"
    r"claimed|claims|announced|announces|mentioned|reaffirmed|reaffirms|confirmed|confirms|declared|declares|"
    r"wrote|writes|argued|argues|warned|warns|stressed|stresses|emphasi[sz]ed|explained|acknowledged|"
    r"maintained|asserted|asserts|promised|pledged|vowed|denied|denies|told|tells|believes|thinks)"
)
# Before a quote with no "that": only verbs of speech that are neither nouns ("The United States",
# "the notes") nor common in other senses ("maintained close ties,").
_SPEECH = (
    r"(?:said|says|insisted|insists|stated|added|declared|wrote|writes|argued|warned|stressed|announced|"
    r"mentioned|reaffirmed|confirmed|denied|acknowledged|asserted|promised|pledged|vowed|explained|"
    r"emphasi[sz]ed|told|tells)"
)
_ATTRIBUTION = re.compile(
    "|".join(
        [
            # "X said that", "Shaibani insisted after the visit that", "it was reported that", "told Reuters that"
            rf"\b{_VERB}\b[^.;!?\n]{{0,80}}?\bthat\s*$",
            # "X said:", "says", "told reporters," right before the quote
            rf"\b{_SPEECH}(?:\s+[^\s.;!?\n]+){{0,2}}?\s*[:,]?\s*[\"“‘']?\s*$",
            # "according to Omar Alhariri," / "according to the ministry:"
            r"\baccording to\b[^.;!?\n]{0,100}?[,:]?\s*$",
            # "as the independent Russian outlet, The Insider, reported on 16 October,"
            rf"\bas\b[^.;!?\n]{{0,120}}\b{_VERB}\b[^.;!?\n]{{0,40}},\s*$",
        ]
    ),
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"[.!?…]\s+|\n")
_RATHER_THAN = re.compile(r"\brather than\b", re.IGNORECASE)
_BOTH_AND = re.compile(r"\bboth\b\s+\S.{0,120}?\band\b", re.IGNORECASE)

_JUSTIFIED_HEADING = re.compile(r"^(#{1,6})\s+Justified findings\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s")
_JUSTIFICATION = re.compile(r"^\s*[-*]\s+`?(?P<rule>[a-z-]+)`?\s+`?(?P<claim>[-\w]+)`?\s*(?::|—|–|-)\s*(?P<why>\S.*)$")


@dataclass
class Finding:
    rule: str
    claim: str
    why: str
    justified: str = ""

    def line(self):
        text = f"{self.claim} [{self.rule}]: {self.why}"
        return f"{text} (justified: {self.justified})" if self.justified else text

    def as_dict(self):
        return asdict(self)


def attribution_before(text, start):
    """The attribution phrase that ends right where a quote starts, or None."""
    before = text[max(0, start - LOOKBACK) : start]
    sentence = list(_SENTENCE_START.finditer(before))
    if sentence:
        before = before[sentence[-1].end() :]
    match = _ATTRIBUTION.search(before)
    return " ".join(match.group(0).split()) if match else None


def two_propositions(text):
    """What joins two propositions in a claim's text, or None."""
    if match := _RATHER_THAN.search(text):
        return f"“{match.group(0)}”"
    if _BOTH_AND.search(text):
        return "“both … and”"
    return None


def _by_claim(assertions):
    grouped = defaultdict(list)
    for a in assertions:
        grouped[a.claim_id].append(a)
    return grouped


def _period(a):
    return a.period_display if a.as_of is not None else "undated"


def run_rules(claims, assertions, roots):
    """Every finding for ``claims`` (a list) and their ``assertions`` (with ``source``), before justification."""
    findings = []
    by_claim = _by_claim(assertions)
    for claim in claims:
        own = by_claim.get(claim.pk, [])
        if claim.status == Status.AGREEMENT:
            stance = Stance.SUPPORTS if any(a.stance == Stance.SUPPORTS for a in own) else Stance.DISPUTES
            side = [a for a in own if a.stance == stance]
            origins = {voices.voice_of(a, roots) for a in side}
            if len(origins) < 2:
                findings.append(
                    Finding(
                        "one-origin",
                        claim.key,
                        f"an agreement whose {len(side)} {stance} statement(s) rest on "
                        f"{len(origins)} independent origin(s)",
                    )
                )
        for a in own:
            if phrase := attribution_before(a.source.text, a.start):
                findings.append(
                    Finding(
                        "attribution-cut",
                        claim.key,
                        f"the quote from “{a.source.title}” at {a.start} (“{a.quote[:60]}”) begins right after "
                        f"“{phrase}”; include the attribution in the quote",
                    )
                )
        if claim.kind == ClaimKind.EVENT:
            undated = [a for a in own if a.as_of is None]
            if undated:
                names = ", ".join(sorted({f"“{a.source.title}”" for a in undated}))
                findings.append(
                    Finding(
                        "undated-event", claim.key, f"an event claim with {len(undated)} undated assertion(s): {names}"
                    )
                )
        if joined := two_propositions(claim.text):
            findings.append(
                Finding("two-propositions", claim.key, f"the claim's text joins two propositions with {joined}")
            )
    findings += _dated_differently(claims, assertions)
    order = {rule: n for n, rule in enumerate(RULES)}
    keys = {c.key: n for n, c in enumerate(claims)}
    return sorted(findings, key=lambda f: (keys.get(f.claim, 0), order[f.rule], f.why))


def _dated_differently(claims, assertions):
    keys = {c.pk: c.key for c in claims}
    groups = defaultdict(list)
    for a in assertions:
        groups[("at", a.source_id, a.start, a.end)].append(a)
        groups[("quote", a.source_id, quotes.normalize_quote(a.quote).casefold())].append(a)
    findings, seen = [], set()
    for group in groups.values():
        periods = {
            (a.as_of, a.as_of_precision, a.period_end, a.period_end_precision) if a.as_of else None for a in group
        }
        if len(periods) < 2:
            continue
        for a in group:
            others = [b for b in group if b.claim_id != a.claim_id and _period(b) != _period(a)]
            if not others or (a.claim_id, a.source_id, a.start) in seen:
                continue
            seen.add((a.claim_id, a.source_id, a.start))
            elsewhere = "; ".join(sorted({f"{_period(b)} in {keys.get(b.claim_id, b.claim_id)}" for b in others}))
            findings.append(
                Finding(
                    "dated-differently",
                    keys.get(a.claim_id, str(a.claim_id)),
                    f"the passage of “{a.source.title}” at {a.start}–{a.end} is dated {_period(a)} here, {elsewhere}",
                )
            )
    return findings


def read_justifications(path):
    """``{(rule, claim key): reason}`` from the "Justified findings" section of ``path``; problems as a list."""
    path = Path(path)
    if not path.exists():
        return {}, []
    justified, problems = {}, []
    level = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if heading := _HEADING.match(line):
            if _JUSTIFIED_HEADING.match(line):
                level = len(heading.group(1))
                continue
            if level is not None and len(heading.group(1)) <= level:
                level = None
            continue
        if level is None or not line.strip().startswith(("-", "*")):
            continue
        match = _JUSTIFICATION.match(line)
        if not match or match.group("rule") not in RULES:
            problems.append(
                f"{path}: line {n}: expected “- <rule> <claim-key>: <reason>” with a rule among {', '.join(RULES)}"
            )
            continue
        justified[(match.group("rule"), match.group("claim"))] = match.group("why").strip()
    return justified, problems


def audit(*, justifications=None):
    """Every finding on the stored corpus, each marked with its justification if it has one."""
    claims = list(Claim.objects.only("id", "key", "text", "kind", "status").order_by("key"))
    assertions = list(
        Assertion.objects.select_related("source").only(
            *("id", "claim_id", "source_id", "speaker_id", "stance", "quote", "start", "end"),
            *("as_of", "as_of_precision", "period_end", "period_end_precision"),
            *("source__id", "source__title", "source__text"),
        )
    )
    findings = run_rules(claims, assertions, voices.load_all_roots())
    for finding in findings:
        finding.justified = (justifications or {}).get((finding.rule, finding.claim), "")
    return findings
