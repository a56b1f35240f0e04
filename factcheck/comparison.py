"""Source against source, topic timelines and source track records.

Every function here runs a fixed number of queries however large the corpus
is; the per-claim reasoning happens in Python over rows already fetched.

Two sources *conflict* on a claim when one supports it and the other disputes
it and the two statements speak as of periods that overlap (or either is
undated). When every such opposed pair speaks as of separate periods they
*differ only in time*: the situation changed, nobody contradicts anybody.
Pairs are judged statement by statement (``models.is_time_only_difference``
on each opposed pair), so a source that contradicts itself does not make it
look as if it contradicted the other source. Sources that speak to a claim
without opposing each other (both support, both dispute, or one qualifies)
*agree*.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from factcheck import dates
from factcheck.models import Assertion, Resolution, Source, Stance, Status, is_time_only_difference, status_of

AGREE, CONFLICT, CHANGED, ONLY_ONE = "agree", "conflict", "changed", "only_one"
GROUP_LABELS = {
    CONFLICT: "Conflict",
    CHANGED: "Differ only in time",
    AGREE: "Agree",
    ONLY_ONE: "Only one speaks",
}
# Most newsworthy first.
GROUP_ORDER = [CONFLICT, CHANGED, AGREE, ONLY_ONE]
OPPOSED = {Stance.SUPPORTS, Stance.DISPUTES}
MAX_COMPARED = 12


def _plural(n, word, plural=None):
    return f"{n} {word if n == 1 else (plural or word + 's')}"


# --- Source against source -------------------------------------------------


def opposed_pairs(xs, ys):
    """Every (x, y) where one statement supports and the other disputes."""
    return [(x, y) for x in xs for y in ys if {x.stance, y.stance} == OPPOSED]


def pair_relation(xs, ys):
    """How two sources' statements on one claim relate: agree, conflict or changed.

    ``None`` when either source says nothing on the claim.
    """
    if not xs or not ys:
        return None
    pairs = opposed_pairs(xs, ys)
    if not pairs:
        return AGREE
    if all(is_time_only_difference(pair) for pair in pairs):
        return CHANGED
    return CONFLICT


def claim_group(cells):
    """The group of one claim given each compared source's statements on it.

    With more than two sources the strongest pairwise relation wins: one
    conflicting pair makes the claim a conflict.
    """
    speaking = [cell for cell in cells if cell]
    if len(speaking) < 2:
        return ONLY_ONE
    relations = {pair_relation(x, y) for x, y in combinations(speaking, 2)}
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
        return [s for s, cell in zip(sources, self.cells) if cell]


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
            return "address no claim in common"
        return (
            f"agree on {self.agree} of {_plural(self.both, 'claim')} both address, "
            f"conflict on {self.conflict}, differ only in time on {self.changed}"
        )

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
            "summary": f"{self.a.title} and {self.b.title} {self.sentence}.",
        }


@dataclass
class Comparison:
    sources: list
    rows: list
    pairs: list
    topic: object = None

    @property
    def counts(self):
        found = {group: 0 for group in GROUP_ORDER}
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


def compare_sources(sources, topic=None):
    """Every claim any of ``sources`` speaks to, grouped; one query.

    ``sources`` are Source rows (the text may be deferred); ``topic`` limits
    the comparison to one topic's claims.
    """
    by_id = {s.pk: s for s in sources}
    assertions = (
        Assertion.objects.filter(source__in=list(by_id))
        .select_related("claim__topic", "claim__resolution")
        # Only what the comparison shows: hundreds of rows for a busy source.
        .only(
            "claim_id", "source_id", "stance", "quote", "start", "end", "as_of", "as_of_precision",
            "claim__text", "claim__status", "claim__topic__slug", "claim__topic__title",
            "claim__resolution__verdict", "claim__resolution__is_open", "claim__resolution__claim_id",
        )
        .order_by("claim__topic__title", "claim_id", "start", "id")
    )
    if topic is not None:
        assertions = assertions.filter(claim__topic=topic)
    claims, statements = {}, {}
    for a in assertions:
        a.source = by_id[a.source_id]  # already fetched: no query per row
        claims.setdefault(a.claim_id, a.claim)
        statements.setdefault((a.claim_id, a.source_id), []).append(a)
    rows = []
    for claim_id, claim in claims.items():
        cells = [statements.get((claim_id, s.pk), []) for s in sources]
        rows.append(CompareRow(claim=claim, cells=cells, group=claim_group(cells)))
    # Conflicts first, so the first page of a long comparison shows them.
    rows.sort(key=lambda row: GROUP_ORDER.index(row.group))
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(sources), 2):
        summary = PairSummary(a=a, b=b)
        for row in rows:
            xs, ys = row.cells[i], row.cells[j]
            relation = pair_relation(xs, ys)
            if relation is not None:
                setattr(summary, relation, getattr(summary, relation) + 1)
            elif xs:
                summary.only_a += 1
            elif ys:
                summary.only_b += 1
        pairs.append(summary)
    return Comparison(sources=list(sources), rows=rows, pairs=pairs, topic=topic)


# --- Topic timeline --------------------------------------------------------

_PRECISION_RANK = {dates.YEAR: 0, dates.MONTH: 1, dates.DAY: 2}


QUOTE_CHARS = 240


def short_quote(quote, limit=QUOTE_CHARS):
    # Django's truncatechars costs ~0.1 ms a call: too much for hundreds of entries.
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


class _Links:
    """Page addresses for many rows at the cost of one ``reverse()`` per URL name.

    ``reverse()`` costs ~0.2 ms here and a busy topic has hundreds of
    statements: reverse once with a placeholder id, then fill in each id.
    """

    _PLACEHOLDER = str(2**62)  # an id no row has, so it occurs once in the path

    def __init__(self):
        self.claim = self._pattern("claim-detail")
        self.source = self._pattern("source-detail")

    @classmethod
    def _pattern(cls, name):
        path = reverse(name, args=[cls._PLACEHOLDER])
        return lambda pk: path.replace(cls._PLACEHOLDER, str(pk))


@dataclass
class TimelineEntry:
    assertion: object
    claim: object
    date: object  # the first day of the period, or None
    precision: str | None
    date_from: str | None  # "statement", "source" or None when undated
    time_only: bool = False
    claim_url: str = ""
    source_url: str = ""

    @property
    def label(self):
        return dates.format_partial_date(self.date, self.precision)

    @property
    def value(self):
        return dates.serialize_partial_date(self.date, self.precision)

    @property
    def passage_url(self):
        """The quoted passage in the source (``Assertion.get_absolute_url``)."""
        return f"{self.source_url}#a-{self.assertion.pk}"

    @property
    def quote_short(self):
        return short_quote(self.assertion.quote)


@dataclass
class TimelinePeriod:
    label: str
    value: str | None  # None for the undated statements
    entries: list = field(default_factory=list)


@dataclass
class TimeChange:
    """A claim whose sources differ only in time, told in date order."""

    claim: object
    steps: list  # TimelineEntry, supports and disputes only, oldest first


@dataclass
class Timeline:
    periods: list  # dated periods in order
    undated: list  # entries
    changes: list

    @property
    def entry_count(self):
        return sum(len(p.entries) for p in self.periods) + len(self.undated)

    @property
    def all_periods(self):
        """The dated periods, then the undated statements as a last period (``value`` None)."""
        if not self.undated:
            return self.periods
        return [*self.periods, TimelinePeriod(label="Undated", value=None, entries=self.undated)]


def _speaks_as_of(assertion):
    if assertion.as_of:
        return assertion.as_of, assertion.as_of_precision, "statement"
    date, precision = assertion.source.speaks_as_of
    return date, precision, ("source" if date else None)


def topic_timeline(claims, assertions):
    """A topic's statements in the order of the dates they speak as of.

    No query: ``assertions`` come with their sources (``select_related``) and
    ``claims`` are the topic's claims. A statement without its own date takes
    its source's; a year sorts at the start of that year, before its months;
    undated statements come last. Claims whose sources differ only in time
    (by the same rule as the claim's status, even once an editor resolved
    them) are flagged and told as a change.
    """
    claims_by_id = {c.pk: c for c in claims}
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    time_only = {cid for cid, items in by_claim.items() if status_of(items) == Status.CHANGED}
    links = _Links()
    entries = []
    for a in assertions:
        date, precision, date_from = _speaks_as_of(a)
        entries.append(
            TimelineEntry(
                assertion=a,
                claim=claims_by_id[a.claim_id],
                date=date,
                precision=precision,
                date_from=date_from,
                time_only=a.claim_id in time_only,
                claim_url=links.claim(a.claim_id),
                source_url=links.source(a.source_id),
            )
        )
    entries.sort(
        key=lambda e: (
            e.date is None,
            e.date or dt.date.min,
            _PRECISION_RANK.get(e.precision, 3),
            e.assertion.source.title,
            e.claim.pk,
            e.assertion.start,
        )
    )
    periods, undated = [], []
    for e in entries:
        if e.date is None:
            undated.append(e)
        elif periods and periods[-1].value == e.value:
            periods[-1].entries.append(e)
        else:
            periods.append(TimelinePeriod(label=e.label, value=e.value, entries=[e]))
    changes = []
    for claim in claims:
        if claim.pk in time_only:
            steps = [e for e in entries if e.claim.pk == claim.pk and e.assertion.stance in OPPOSED]
            changes.append(TimeChange(claim=claim, steps=steps))
    return Timeline(periods=periods, undated=undated, changes=changes)


# --- Source track record ---------------------------------------------------


@dataclass
class PeerRecord:
    """How a source fares against one other source on the claims both address."""

    source_id: int
    title: str
    shared: int
    conflicts: int = 0
    changed: int = 0


@dataclass
class TrackRecord:
    assertions: int
    claims: int
    resolved_claims: int
    on_resolved: int
    upheld: int
    only_source: int
    peers: list

    @property
    def overturned(self):
        return self.on_resolved - self.upheld

    def as_dict(self):
        return {
            "assertions": self.assertions,
            "claims": self.claims,
            "resolved_claims": self.resolved_claims,
            "upheld": self.upheld,
            "overturned": self.overturned,
            "only_source": self.only_source,
            "peers": [
                {"source": p.source_id, "title": p.title, "shared": p.shared, "conflicts": p.conflicts,
                 "changed": p.changed}
                for p in self.peers
            ],
        }


def track_record(source):
    """Upheld / overturned / only-source figures and conflicts with each other source.

    Three queries, whatever the corpus size:

    1. one aggregate over the source's assertions. *Upheld*: the assertion is
       among the prevailing ones of its own claim's closed resolution.
       *Overturned*: its claim has a closed resolution and the assertion is not
       among the prevailing ones (whatever its stance). Reopened resolutions
       (``is_open``) decide nothing and count for neither.
    2. claims in common with each other source, counted by the database.
    3. the supports/disputes statements on the claims where this source and
       another take opposite sides; Python then tells a conflict from a
       difference only in time (``pair_relation``), because a period's end
       depends on its precision and SQLite and PostgreSQL share no date
       arithmetic to compute it.
    """
    own = Assertion.objects.filter(source=source)
    prevailing = Resolution.prevailing.through.objects.filter(
        assertion_id=OuterRef("pk"), resolution__claim_id=OuterRef("claim_id"), resolution__is_open=False
    )
    resolved = Q(claim__resolution__is_open=False)
    # Exists goes straight into the filter: Django 5.2.19 strips an annotation
    # that only an aggregate's filter refers to, and the count comes out 0.
    figures = own.aggregate(
        assertions=Count("id"),
        claims=Count("claim", distinct=True),
        resolved_claims=Count("claim", distinct=True, filter=resolved),
        on_resolved=Count("id", filter=resolved),
        upheld=Count("id", filter=Q(Exists(prevailing))),
        only_source=Count("claim", distinct=True, filter=Q(claim__source_count=1)),
    )

    own_claims = own.values("claim_id")
    shared = (
        Assertion.objects.filter(claim_id__in=own_claims)
        .exclude(source=source)
        .values("source_id", "source__title")
        .annotate(shared=Count("claim", distinct=True))
        .order_by("source__title", "source_id")
    )
    peers = {
        row["source_id"]: PeerRecord(source_id=row["source_id"], title=row["source__title"], shared=row["shared"])
        for row in shared
    }

    def stated(stance, mine):
        on_claim = Assertion.objects.filter(claim_id=OuterRef("claim_id"), stance=stance)
        return Exists(on_claim.filter(source=source) if mine else on_claim.exclude(source=source))

    opposed = (
        Assertion.objects.filter(claim_id__in=own_claims, stance__in=OPPOSED)
        .filter(
            (stated(Stance.SUPPORTS, True) & stated(Stance.DISPUTES, False))
            | (stated(Stance.DISPUTES, True) & stated(Stance.SUPPORTS, False))
        )
        .select_related("source")
        .only(
            "claim_id", "source_id", "stance", "as_of", "as_of_precision",
            "source__title", "source__as_of", "source__as_of_precision", "source__published",
        )
    )
    statements = {}
    for a in opposed:
        statements.setdefault(a.claim_id, {}).setdefault(a.source_id, []).append(a)
    for by_source in statements.values():
        mine = by_source.get(source.pk, [])
        for other_id, theirs in by_source.items():
            if other_id == source.pk:
                continue
            relation = pair_relation(mine, theirs)
            if relation == CONFLICT:
                peers[other_id].conflicts += 1
            elif relation == CHANGED:
                peers[other_id].changed += 1
    ordered = sorted(peers.values(), key=lambda p: (-p.conflicts, -p.shared, p.title))
    return TrackRecord(peers=ordered, **figures)


def source_choices():
    """Every source's ``(id, title)``, for the compare form; one query."""
    return list(Source.objects.order_by("title", "id").values_list("id", "title"))
