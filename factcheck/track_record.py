"""A source's track record: how its statements fared in editors' decisions and against other sources.

Only the source's own voice counts (factcheck/voices.py): a statement it
reports (the Kremlin's denial in TRT World) is the speaker's record, not the
source's. It is counted per decided *claim*, not per quote: a source quoting
three passages in support of a claim judged true is right once, on that claim.

How an own-voice statement fares on a claim a closed resolution decides:

- verdict true or mostly true: supporting statements are upheld, disputing
  ones overturned; false or mostly false: the reverse. Qualifications count
  for neither. The prevailing set does not matter here: "True, no single
  source prevails" still upholds every source that supported the claim;
- mixed, unproven, outdated: the editors' prevailing set decides, when they
  chose one: a prevailing statement is upheld, a supporting or disputing one
  that does not prevail is overturned (a qualification that does not prevail
  counts for neither). Without a prevailing set these count for neither.

A claim is *upheld* for the source when its judged statements there are all
upheld, *overturned* when any is overturned (a source contradicting itself on
a claim was not right about it). "Right in X of Y decided claims (Z%)": X the
upheld claims, Y the upheld and overturned ones. Reopened resolutions decide
nothing.
"""

from collections import Counter, namedtuple
from dataclasses import dataclass, field

from django.db import connections, router
from django.utils.translation import gettext, ngettext

from factcheck.comparison import CHANGED, CONFLICT, OPPOSED, pair_relation
from factcheck.models import Assertion, Claim, Resolution, Source, Stance, Verdict

UPHELD, OVERTURNED = "upheld", "overturned"
_SIDE_TAKEN = {
    Verdict.TRUE: Stance.SUPPORTS,
    Verdict.MOSTLY_TRUE: Stance.SUPPORTS,
    Verdict.FALSE: Stance.DISPUTES,
    Verdict.MOSTLY_FALSE: Stance.DISPUTES,
}


def judge(verdict, stance, prevails, has_prevailing):
    """``UPHELD``, ``OVERTURNED`` or None for one own-voice statement on a decided claim."""
    right_side = _SIDE_TAKEN.get(verdict)
    if right_side is not None:
        if stance not in OPPOSED:
            return None
        return UPHELD if stance == right_side else OVERTURNED
    if not has_prevailing:
        return None
    if prevails:
        return UPHELD
    return OVERTURNED if stance in OPPOSED else None


# One supporting or disputing statement, as much of it as telling a conflict from a change in time reads.
_Statement = namedtuple(
    "_Statement",
    "claim_id source_id speaker_id stance as_of as_of_precision period_end period_end_precision kind",
)


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
    upheld: int  # decided claims the source was right about
    only_source: int
    peers: list
    overturned: int = 0  # decided claims the source was wrong about
    upheld_claims: list = field(default_factory=list)  # their ids, for links
    overturned_claims: list = field(default_factory=list)

    @property
    def decided(self):
        """Decided claims on which the source's own statements were judged."""
        return self.upheld + self.overturned

    @property
    def right(self):
        return self.upheld

    @property
    def right_percent(self):
        return round(100 * self.upheld / self.decided) if self.decided else None

    @property
    def summary(self):
        """“right in 1 of 2 decided claims (50%)”."""
        if not self.decided:
            return gettext("no decided claims yet")
        return ngettext(
            "right in %(right)s of %(decided)s decided claim (%(percent)s%%)",
            "right in %(right)s of %(decided)s decided claims (%(percent)s%%)",
            self.decided,
        ) % {"right": self.upheld, "decided": self.decided, "percent": self.right_percent}

    def as_dict(self):
        return {
            "assertions": self.assertions,
            "claims": self.claims,
            "resolved_claims": self.resolved_claims,
            "upheld": self.upheld,
            "overturned": self.overturned,
            "only_source": self.only_source,
            "decided": self.decided,
            "right_percent": self.right_percent,
            "summary": self.summary,
            "upheld_claims": self.upheld_claims,
            "overturned_claims": self.overturned_claims,
            "peers": [
                {
                    "source": p.source_id,
                    "title": p.title,
                    "shared": p.shared,
                    "conflicts": p.conflicts,
                    "changed": p.changed,
                }
                for p in self.peers
            ],
        }


# What of each own statement the record reads, in this order, before ``decision_sql``'s columns: the
# source page reads them with its quotes (selectors/source_quotes.py) rather than in a query of their own.
OWN_STATEMENT = ("claim_id", "stance", "speaker_id", "as_of", "as_of_precision", "period_end", "period_end_precision")


def decision_sql(connection):
    """``(columns, join)``: SQL reading, beside each statement ``a`` of claim ``c``, its claim's decision.

    The columns are the last six of an own row (``_figures``): the claim's
    kind and source count, the verdict, whether the resolution decides
    nothing (reopened, or a draft), whether this statement prevails, and
    whether any does. Per statement, through the indexes, on both databases:
    PostgreSQL hashed the whole resolution table for the join, and the whole
    prevailing table for each EXISTS (4 ms of 5 at 100,000 claims, growing
    with the decisions); a lateral subquery it cannot flatten (``OFFSET 0``)
    and ``LIMIT 1`` lookups keep it to the source's own statements, which is
    what SQLite does anyway.
    """
    quote = connection.ops.quote_name
    resolution = quote(Resolution._meta.db_table)
    prevailing = quote(Resolution.prevailing.through._meta.db_table)
    columns = (
        "c.kind, c.source_count, r.verdict, (r.is_open OR NOT r.is_published),"  # a draft decides nothing yet
        f" (SELECT 1 FROM {prevailing} p WHERE p.resolution_id = r.id AND p.assertion_id = a.id LIMIT 1) IS NOT NULL,"
        f" (SELECT 1 FROM {prevailing} p WHERE p.resolution_id = r.id LIMIT 1) IS NOT NULL"
    )
    if connection.vendor == "postgresql":
        join = (
            f"LEFT JOIN LATERAL (SELECT id, verdict, is_open, is_published FROM {resolution}"
            " WHERE claim_id = a.claim_id OFFSET 0) r ON true"
        )
    else:
        join = f"LEFT JOIN {resolution} r ON r.claim_id = a.claim_id"
    return columns, join


def _read_own(source_id):
    """The source's statements with their claims' decisions (``OWN_STATEMENT``, then ``decision_sql``'s); one query."""
    connection = connections[router.db_for_read(Assertion)]
    quote = connection.ops.quote_name
    assertion, claim = (quote(model._meta.db_table) for model in (Assertion, Claim))
    columns, join = decision_sql(connection)
    statement = ", ".join(f"a.{quote(name)}" for name in OWN_STATEMENT)
    sql = (
        f"SELECT {statement}, {columns} FROM {assertion} a JOIN {claim} c ON c.id = a.claim_id {join}"
        " WHERE a.source_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_id])
        return cursor.fetchall()


def _read_others(source_id):
    """Other sources' statements on the source's claims, with their titles; one query.

    SQL of its own, as ``_read_own``: built by the ORM (an EXISTS per
    statement, default orderings joining the sources to sort by title), the
    three queries these replaced cost more to compile and convert than SQLite
    took to run them (issue 19). Dates arrive as dates: Django's SQLite
    connection converts columns declared ``date``, as psycopg does. Plain
    rows, as the ORM's values were: the page depends on them through the
    claims its quotes load (a statement or a decision bumps its claim's tag)
    and on the peers' titles (factcheck/views/browse.py).
    """
    connection = connections[router.db_for_read(Assertion)]
    quote = connection.ops.quote_name
    assertion, source = (quote(model._meta.db_table) for model in (Assertion, Source))
    sql = (
        "SELECT a.claim_id, a.source_id, a.speaker_id, a.stance, a.as_of, a.as_of_precision, a.period_end,"
        f" a.period_end_precision, s.title FROM {assertion} a JOIN {source} s ON s.id = a.source_id"
        f" WHERE a.claim_id IN (SELECT claim_id FROM {assertion} WHERE source_id = %s) AND a.source_id <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_id, source_id])
        return cursor.fetchall()


def _figures(own):
    """Statement counts and the decided claims, from the source's statements."""
    claims, only_source, resolved, on_resolved = set(), set(), set(), 0
    outcomes = {}
    for claim_id, stance, speaker_id, *_, source_count, verdict, is_open, prevails, has_prevailing in own:
        claims.add(claim_id)
        if source_count == 1:
            only_source.add(claim_id)
        if verdict is None or is_open:
            continue
        resolved.add(claim_id)
        on_resolved += 1
        if speaker_id is not None:  # the speaker's record, carried by the source
            continue
        outcome = judge(verdict, stance, prevails, has_prevailing)
        if outcome is not None:
            outcomes.setdefault(claim_id, set()).add(outcome)
    upheld = sorted(c for c, found in outcomes.items() if found == {UPHELD})
    overturned = sorted(c for c, found in outcomes.items() if OVERTURNED in found)
    return {
        "assertions": len(own),
        "claims": len(claims),
        "resolved_claims": len(resolved),
        "on_resolved": on_resolved,
        "upheld": len(upheld),
        "overturned": len(overturned),
        "only_source": len(only_source),
        "upheld_claims": upheld,
        "overturned_claims": overturned,
    }


def track_record(source, own=None):
    """Upheld / overturned / only-source figures and conflicts with each other source.

    Two queries, whatever the corpus size, or one if the source's ``own``
    rows were read already (``decision_sql``):

    1. the source's statements with their claims' resolutions (whether each
       statement prevails, whether any does): Python then judges each decided
       claim by the rules above;
    2. every other source's statements on the source's claims, with its
       title: Python counts the claims in common with each, keeps the claims
       where this source and another take opposite sides in their own voices,
       then tells a conflict from a difference only in time
       (``pair_relation``), because a period's end depends on its precision
       and SQLite and PostgreSQL share no date arithmetic to compute it.
    """
    if own is None:
        own = _read_own(source.pk)
    others = _read_others(source.pk)
    kinds = {row[0]: row[7] for row in own}
    # This source's own supporting or disputing statements, per claim; reported speakers are the speaker's.
    mine = {}
    for claim_id, stance, speaker_id, *dates, kind in (row[:8] for row in own):
        if speaker_id is None and stance in OPPOSED:
            mine.setdefault(claim_id, []).append(_Statement(claim_id, source.pk, None, stance, *dates, kind))
    # Claims in common, counted once per other source however often it is quoted on one.
    shared = Counter(source_id for _, source_id in {(row[0], row[1]) for row in others})
    titles = {row[1]: row[8] for row in others}
    peers = {pk: PeerRecord(source_id=pk, title=titles[pk], shared=n) for pk, n in shared.items()}
    theirs = {}
    for row in others:  # claim_id, source_id, speaker_id, stance, four dates' columns, title
        claim_id = row[0]
        if claim_id in mine and row[2] is None and row[3] in OPPOSED:
            statement = _Statement(claim_id, row[1], None, row[3], *row[4:8], kinds[claim_id])
            theirs.setdefault((claim_id, row[1]), []).append(statement)
    for (claim_id, other_id), statements in theirs.items():
        # No pair of opposite stances: they agree, which counts for nothing here.
        if {a.stance for a in statements} | {a.stance for a in mine[claim_id]} != OPPOSED:
            continue
        relation = pair_relation(mine[claim_id], statements, kinds[claim_id])
        if relation == CONFLICT:
            peers[other_id].conflicts += 1
        elif relation == CHANGED:
            peers[other_id].changed += 1
    # By title, then id, as the peers were read before they were sorted by conflicts (a stable sort).
    ordered = sorted(peers.values(), key=lambda p: (-p.conflicts, -p.shared, p.title, p.source_id))
    return TrackRecord(peers=ordered, **_figures(own))
