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

from collections import namedtuple
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext, ngettext

from factcheck.comparison import CHANGED, CONFLICT, OPPOSED, pair_relation
from factcheck.models import Assertion, Resolution, Stance, Verdict

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


def _figures(source):
    """Statement counts and the decided claims, from one query over the source's statements."""
    through = Resolution.prevailing.through.objects
    rows = (
        Assertion.objects.filter(source=source)
        .annotate(
            verdict=F("claim__resolution__verdict"),
            # A draft decides nothing yet: it counts as open.
            is_open=ExpressionWrapper(
                Q(claim__resolution__is_open=True) | Q(claim__resolution__is_published=False),
                output_field=BooleanField(),
            ),
            prevails=Exists(through.filter(assertion_id=OuterRef("pk"), resolution__claim_id=OuterRef("claim_id"))),
            has_prevailing=Exists(through.filter(resolution__claim_id=OuterRef("claim_id"))),
        )
        .values_list(
            "claim_id",
            "stance",
            "speaker_id",
            "claim__source_count",
            "verdict",
            "is_open",
            "prevails",
            "has_prevailing",
        )
    )
    claims, only_source, resolved, on_resolved = set(), set(), set(), 0
    outcomes = {}
    count = 0
    for claim_id, stance, speaker_id, source_count, verdict, is_open, prevails, has_prevailing in rows:
        count += 1
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
        "assertions": count,
        "claims": len(claims),
        "resolved_claims": len(resolved),
        "on_resolved": on_resolved,
        "upheld": len(upheld),
        "overturned": len(overturned),
        "only_source": len(only_source),
        "upheld_claims": upheld,
        "overturned_claims": overturned,
    }


def track_record(source):
    """Upheld / overturned / only-source figures and conflicts with each other source.

    Three queries, whatever the corpus size:

    1. the source's statements with their claims' resolutions (whether each
       statement prevails, whether any does): Python then judges each decided
       claim by the rules above;
    2. claims in common with each other source, counted by the database;
    3. the supports/disputes statements on the source's claims, as rows;
       Python keeps the claims where this source and another take opposite
       sides in their own voices, then tells a conflict from a difference
       only in time (``pair_relation``),
       because a period's end depends on its precision and SQLite and
       PostgreSQL share no date arithmetic to compute it.
    """
    figures = _figures(source)
    own = Assertion.objects.filter(source=source)
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

    # Every supporting or disputing statement on the source's claims, as plain rows: which claims
    # set this source's own voice against another's is found here. Asked of the database (an
    # EXISTS per side and voice), it cost more to build and plan than these rows cost to read.
    # Reported speakers are skipped here too, not in SQL: given ``speaker IS NULL``, SQLite walked
    # the speaker index over nearly every assertion instead of this source's claims (0.4 s at 100,000 claims).
    rows = Assertion.objects.filter(claim_id__in=own_claims, stance__in=OPPOSED).values_list(
        "claim_id",
        "source_id",
        "speaker_id",
        "stance",
        "as_of",
        "as_of_precision",
        "period_end",
        "period_end_precision",
        "claim__kind",
    )
    statements, kinds = {}, {}
    for row in rows:
        statement = _Statement._make(row)
        if statement.speaker_id is not None:
            continue
        statements.setdefault(statement.claim_id, {}).setdefault(statement.source_id, []).append(statement)
        kinds[statement.claim_id] = statement.kind
    for claim_id, by_source in statements.items():
        mine = by_source.get(source.pk)
        if not mine:
            continue
        mine_stances = {a.stance for a in mine}
        for other_id, theirs in by_source.items():
            # No pair of opposite stances: they agree, which counts for nothing here.
            if other_id == source.pk or {a.stance for a in theirs} | mine_stances != OPPOSED:
                continue
            relation = pair_relation(mine, theirs, kinds[claim_id])
            if relation == CONFLICT:
                peers[other_id].conflicts += 1
            elif relation == CHANGED:
                peers[other_id].changed += 1
    ordered = sorted(peers.values(), key=lambda p: (-p.conflicts, -p.shared, p.title))
    return TrackRecord(peers=ordered, **figures)
