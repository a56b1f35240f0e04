"""A source's track record: how its statements fared in editors' decisions and against other sources."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from factcheck.comparison import CHANGED, CONFLICT, OPPOSED, pair_relation
from factcheck.models import Assertion, Resolution, Stance


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
            "claim_id",
            "source_id",
            "stance",
            "as_of",
            "as_of_precision",
            "source__title",
            "source__as_of",
            "source__as_of_precision",
            "source__published",
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
