"""What embeds, share cards and feeds show of a claim or a topic: one read each."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext

from factcheck.models import Claim, Stance, Status

STANCES = [Stance.SUPPORTS, Stance.DISPUTES, Stance.QUALIFIES]


@dataclass
class ClaimCard:
    claim: Claim
    # ``[(stance, label, count)]`` in STANCES order, every stance included.
    counts: list = field(default_factory=list)
    sources: list = field(default_factory=list)  # each source once, by title

    @property
    def verdict_label(self):
        """The published verdict's name, or "" while no closed resolution decides the claim."""
        return self.claim.resolution.get_verdict_display() if self.claim.verdict else ""

    @property
    def headline(self):
        """What the card says of the claim: its verdict once decided, else its status."""
        return (
            gettext("Verdict: %(verdict)s") % {"verdict": self.verdict_label}
            if self.verdict_label
            else self.claim.status_label
        )


def claim_card(pk):
    """The claim (404 naming it), its counts per stance and its sources: two queries."""
    claim = Claim.objects.select_related("topic", "resolution").filter(pk=pk).first()
    if claim is None:
        raise Http404(f"There is no claim with id {pk}.")
    assertions = list(
        claim.assertions.select_related("source").only(
            "id", "stance", "claim_id", "source__id", "source__title", "source__publisher", "source__url"
        )
    )
    counts = [(s, s.label, sum(1 for a in assertions if a.stance == s)) for s in STANCES]
    sources = sorted({a.source.pk: a.source for a in assertions}.values(), key=lambda s: (s.title.lower(), s.pk))
    return ClaimCard(claim=claim, counts=counts, sources=sources)


def topic_conflicts(topic):
    """The topic's claims in conflict, with their counts per stance: one query."""
    return list(
        Claim.objects.filter(topic=topic, status=Status.CONFLICT)
        .annotate(
            supports=Count("assertions", filter=Q(assertions__stance=Stance.SUPPORTS)),
            disputes=Count("assertions", filter=Q(assertions__stance=Stance.DISPUTES)),
            qualifies=Count("assertions", filter=Q(assertions__stance=Stance.QUALIFIES)),
        )
        .order_by("-updated_at", "-id")
    )
