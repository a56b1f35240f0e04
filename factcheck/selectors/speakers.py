"""Speakers as their pages, the claim page's editors and search read them."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, SourceDerivation, Speaker


def listed_speakers(q: str = "") -> QuerySet[Speaker]:
    """Speakers whose name or an alias contains ``q`` (all without one), with what each is on record saying."""
    speakers = Speaker.objects.annotate(
        statement_count=Count("assertions", distinct=True),
        claim_count=Count("assertions__claim", distinct=True),
        source_count=Count("assertions__source", distinct=True),
        origin_of_count=Count("derived_sources", distinct=True),
    ).order_by(Lower("name"), "id")
    if q:
        speakers = speakers.filter(Q(name__icontains=q) | Q(aliases__icontains=q) | Q(slug__icontains=q))
    return speakers


def speakers_named(name: str) -> list[Speaker]:
    """The speakers called exactly ``name`` (any case), by their name or one of their aliases."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return []
    candidates = Speaker.objects.filter(Q(name__iexact=wanted) | Q(aliases__icontains=wanted))
    return [s for s in candidates if wanted in {s.name.casefold(), *(a.casefold() for a in s.alias_list)}]


def speaker_names() -> list[tuple[str, str]]:
    """``(name, kind label)`` of every speaker, for the editors' pick list."""
    labels = dict(Speaker.Kind.choices)
    return [(name, labels.get(kind, kind)) for name, kind in Speaker.objects.values_list("name", "kind")]


@dataclass
class SpokenClaim:
    claim: Claim
    statements: list[Assertion] = field(default_factory=list)


@dataclass
class SpeakerRecord:
    speaker: Speaker
    claims: list[SpokenClaim]
    statement_count: int
    source_count: int
    carried_by: list[SourceDerivation]  # sources recorded as deriving from this outlet


def speaker_record(speaker: Speaker) -> SpeakerRecord:
    """What ``speaker`` is reported saying, grouped by claim (newest claim first): two queries."""
    statements = (
        Assertion.objects.filter(speaker=speaker)
        .select_related("claim__topic", "claim__resolution", "source")
        .defer("source__text")
        .order_by("claim__topic__title", "claim_id", "as_of", "source__title", "start")
    )
    by_claim: dict[int, SpokenClaim] = {}
    sources = set()
    for a in statements:
        by_claim.setdefault(a.claim_id, SpokenClaim(claim=a.claim)).statements.append(a)
        sources.add(a.source_id)
    carried_by = list(
        SourceDerivation.objects.filter(origin_speaker=speaker).select_related("source").defer("source__text")
    )
    return SpeakerRecord(
        speaker=speaker,
        claims=list(by_claim.values()),
        statement_count=sum(len(c.statements) for c in by_claim.values()),
        source_count=len(sources),
        carried_by=carried_by,
    )


def source_origins(source_id: int) -> tuple[list[SourceDerivation], list[SourceDerivation]]:
    """``(what the source derives from, the sources derived from it)``: one query.

    One query for both lists: most sources have neither, and building a
    query cost more than SQLite took to answer it (issue 19).
    """
    both = list(
        SourceDerivation.objects.filter(Q(source_id=source_id) | Q(origin_source_id=source_id))
        .select_related("source", "origin_source", "origin_speaker")
        .defer("source__text", "origin_source__text")
        .order_by("source__title", "id")  # the database's collation, as the derived sources were always listed
    )
    # A source cannot derive from itself (derivation_not_self): each row is in one list.
    derived_from = sorted((d for d in both if d.source_id == source_id), key=lambda d: d.pk)
    return derived_from, [d for d in both if d.source_id != source_id]


@dataclass
class LinkedClaim:
    url: str
    text: str


def decided_claims(
    right_ids: list[int], wrong_ids: list[int], texts: dict[int, str]
) -> tuple[list[LinkedClaim], list[LinkedClaim]]:
    """The claims a track record was right and wrong on, for its links.

    No query: ``texts`` are the texts of the source's claims, which the
    source page has already read with its assertions.
    """
    claim_url = url_maker("claim-detail")

    def linked(ids: list[int]) -> list[LinkedClaim]:
        return [LinkedClaim(url=claim_url(pk), text=texts[pk]) for pk in ids if pk in texts]

    return linked(right_ids), linked(wrong_ids)
