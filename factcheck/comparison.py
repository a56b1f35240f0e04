"""Source against source: how the statements of two or more sources on each claim relate.

Every function here runs a fixed number of queries however large the corpus
is; the per-claim reasoning happens in Python over rows already fetched.

Sources are compared by *voice* (factcheck/voices.py): only what a source
says in its own voice is its position. A statement it reports (the Kremlin's
denial in TRT World) is the speaker's, shown in the source's cell but not
counted for or against the source.

Two sources *conflict* on a claim when one supports it and the other disputes
it in their own voices. On a *state* claim (one that holds and can change)
they *differ only in time* when all those opposed statements are dated and
one side's periods all come before the other's: the situation changed,
nobody contradicts anybody. A record that flips back (supported in October,
disputed in November, supported in January) is a conflict, and so is every
opposition on an *event* claim, whenever the statements were made. Sources
that speak to a claim without opposing each other (both support, both
dispute, or one qualifies) *agree*. A source that only reports others on a
claim does not speak to it in its own voice.
"""

from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext, gettext_lazy, ngettext

from factcheck.models import Assertion, Claim, ClaimKind, Stance, is_time_only_difference
from factcheck.voices import is_own_voice

AGREE, CONFLICT, CHANGED, ONLY_ONE = "agree", "conflict", "changed", "only_one"
GROUP_LABELS = {
    CONFLICT: gettext_lazy("Conflict"),
    CHANGED: gettext_lazy("Differ only in time"),
    AGREE: gettext_lazy("Agree"),
    ONLY_ONE: gettext_lazy("Only one speaks"),
}
# Most newsworthy first.
GROUP_ORDER = [CONFLICT, CHANGED, AGREE, ONLY_ONE]
OPPOSED = {Stance.SUPPORTS, Stance.DISPUTES}
MAX_COMPARED = 12


# --- Source against source -------------------------------------------------


def own_voice(statements):
    """The statements a source makes itself, not the speakers it reports."""
    return [a for a in statements if is_own_voice(a)]


def opposed_pairs(xs, ys):
    """Every (x, y) of the two sources' own statements where one supports and the other disputes."""
    return [(x, y) for x in own_voice(xs) for y in own_voice(ys) if {x.stance, y.stance} == OPPOSED]


def pair_relation(xs, ys, kind=ClaimKind.EVENT):
    """How two sources' statements on one claim of ``kind`` relate: agree, conflict or changed.

    ``None`` when either source says nothing on the claim in its own voice.
    """
    xs, ys = own_voice(xs), own_voice(ys)
    if not xs or not ys:
        return None
    pairs = opposed_pairs(xs, ys)
    if not pairs:
        return AGREE
    # Only the statements that oppose the other source: one contradicting
    # itself does not make it look as if it contradicted the other.
    involved = list({id(a): a for pair in pairs for a in pair}.values())
    if kind == ClaimKind.STATE and is_time_only_difference(involved):
        return CHANGED
    return CONFLICT


def claim_group(cells, kind=ClaimKind.EVENT):
    """The group of one claim (of ``kind``) given each compared source's statements on it.

    With more than two sources the strongest pairwise relation wins: one
    conflicting pair makes the claim a conflict.
    """
    speaking = [cell for cell in cells if own_voice(cell)]
    if len(speaking) < 2:
        return ONLY_ONE
    relations = {pair_relation(x, y, kind) for x, y in combinations(speaking, 2)}
    for group in (CONFLICT, CHANGED):
        if group in relations:
            return group
    return AGREE


@dataclass
class CompareRow:
    claim: object
    cells: list  # one list of assertions per compared source, in the sources' order
    group: str

    @property
    def group_label(self):
        return GROUP_LABELS[self.group]

    def speakers(self, sources):
        return [s for s, cell in zip(sources, self.cells, strict=True) if cell]


@dataclass
class PairSummary:
    a: object
    b: object
    agree: int = 0
    conflict: int = 0
    changed: int = 0
    only_a: int = 0
    only_b: int = 0

    @property
    def both(self):
        return self.agree + self.conflict + self.changed

    @property
    def sentence(self):
        """“agree on 7 of 12 claims both address, conflict on 3, differ only in time on 2”."""
        if not self.both:
            return gettext("address no claim in common")
        return ngettext(
            "agree on %(agree)s of %(both)s claim both address, conflict on %(conflict)s, "
            "differ only in time on %(changed)s",
            "agree on %(agree)s of %(both)s claims both address, conflict on %(conflict)s, "
            "differ only in time on %(changed)s",
            self.both,
        ) % {"agree": self.agree, "both": self.both, "conflict": self.conflict, "changed": self.changed}

    def as_dict(self):
        return {
            "a": self.a.pk,
            "b": self.b.pk,
            "both_address": self.both,
            "agree": self.agree,
            "conflict": self.conflict,
            "changed": self.changed,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "summary": gettext("%(a)s and %(b)s %(sentence)s.")
            % {"a": self.a.title, "b": self.b.title, "sentence": self.sentence},
        }


@dataclass
class Comparison:
    sources: list
    rows: list
    pairs: list
    topic: object = None

    @property
    def counts(self):
        found = dict.fromkeys(GROUP_ORDER, 0)
        for row in self.rows:
            found[row.group] += 1
        return found

    @property
    def groups(self):
        """``[(key, label, count)]`` in GROUP_ORDER, empty groups included."""
        counts = self.counts
        return [(g, GROUP_LABELS[g], counts[g]) for g in GROUP_ORDER]

    def sections(self, rows):
        """``rows`` (a page of ``self.rows``) as ``[(key, label, rows, total in group)]``, non-empty only."""
        counts = self.counts
        found = []
        for g in GROUP_ORDER:
            mine = [r for r in rows if r.group == g]
            if mine:
                found.append((g, GROUP_LABELS[g], mine, counts[g]))
        return found

    @property
    def pair(self):
        """The one pair when exactly two sources are compared."""
        return self.pairs[0] if len(self.sources) == 2 else None


def compare_sources(sources, topic=None, language=""):
    """Every claim any of ``sources`` speaks to, grouped; one query.

    ``sources`` are Source rows (the text may be deferred); ``topic`` limits
    the comparison to one topic's claims, ``language`` to claims quoted in
    that language (every statement on them is still compared).
    """
    by_id = {s.pk: s for s in sources}
    assertions = (
        Assertion.objects.filter(source__in=list(by_id))
        .select_related("claim__topic", "claim__resolution", "speaker")
        # Only what the comparison shows: hundreds of rows for a busy source.
        .only(
            "claim_id",
            "source_id",
            "stance",
            "quote",
            "language",
            "translation",
            "translation_language",
            "translator",
            "start",
            "end",
            "as_of",
            "as_of_precision",
            "period_end",
            "period_end_precision",
            "stated_on",
            "stated_on_precision",
            "speaker__slug",
            "speaker__name",
            "speaker__kind",
            "claim__text",
            "claim__kind",
            "claim__status",
            "claim__topic__slug",
            "claim__topic__title",
            "claim__resolution__verdict",
            "claim__resolution__is_open",
            "claim__resolution__is_published",
            "claim__resolution__claim_id",
        )
        .order_by("claim__topic__title", "claim_id", "start", "id")
    )
    if topic is not None:
        assertions = assertions.filter(claim__topic=topic)
    if language:
        assertions = assertions.filter(claim__in=Claim.objects.in_language(language))
    claims, statements = {}, {}
    for a in assertions:
        a.source = by_id[a.source_id]  # already fetched: no query per row
        claims.setdefault(a.claim_id, a.claim)
        statements.setdefault((a.claim_id, a.source_id), []).append(a)
    rows = []
    for claim_id, claim in claims.items():
        cells = [statements.get((claim_id, s.pk), []) for s in sources]
        rows.append(CompareRow(claim=claim, cells=cells, group=claim_group(cells, claim.kind)))
    # Conflicts first, so the first page of a long comparison shows them.
    rows.sort(key=lambda row: GROUP_ORDER.index(row.group))
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(sources), 2):
        summary = PairSummary(a=a, b=b)
        for row in rows:
            xs, ys = own_voice(row.cells[i]), own_voice(row.cells[j])
            relation = pair_relation(xs, ys, row.claim.kind)
            if relation is not None:
                setattr(summary, relation, getattr(summary, relation) + 1)
            elif xs:
                summary.only_a += 1
            elif ys:
                summary.only_b += 1
        pairs.append(summary)
    return Comparison(sources=list(sources), rows=rows, pairs=pairs, topic=topic)
