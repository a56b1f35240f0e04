"""Speakers as their pages, the claim page's editors and search read them."""

import functools
from dataclasses import dataclass, field

from django.db import connection, connections, router
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from factcheck import page_store
from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, Source, SourceDerivation, Speaker


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


# Stands in for the words while the speakers' query is compiled once (see _speakers_found_sql):
# NUL never reaches a search (views.search drops it), nor does LIKE escaping touch it.
_WORDS = "\x00words\x00"


def speakers_found(q: str, limit: int) -> list[Speaker]:
    """``listed_speakers(q)[:limit]`` with only their ``statement_count``, all search shows of them.

    Every search overview asks, and compiling even this one-count query cost
    more than running it, so it is compiled once per database and limit and
    only its LIKE patterns change: the ORM's own SQL and its own escaping of ``q``.
    """
    sql, params = _speakers_found_sql(connection.vendor, limit)
    words = connection.ops.prep_for_like_query(q)
    return list(Speaker.objects.raw(sql, [p.replace(_WORDS, words) if isinstance(p, str) else p for p in params]))


@functools.cache
def _speakers_found_sql(vendor: str, limit: int) -> tuple[str, tuple[object, ...]]:
    speakers = Speaker.objects.filter(
        Q(name__icontains=_WORDS) | Q(aliases__icontains=_WORDS) | Q(slug__icontains=_WORDS)
    )
    speakers = speakers.annotate(statement_count=Count("assertions", distinct=True)).order_by(Lower("name"), "id")
    sql, params = speakers[:limit].query.sql_with_params()
    return sql, tuple(params)


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


_RELATIONS = dict(SourceDerivation.Relation.choices)


@dataclass
class _Titled:
    title: str


@dataclass
class _Outlet:
    slug: str
    name: str


@dataclass
class Origin:
    """One derivation as the source page shows it, under the names a ``SourceDerivation`` gives them.

    Its fields are the columns of ``source_origins``' query, in their order.
    """

    pk: int
    source_id: int
    relation: str
    note: str
    origin_source_id: int | None
    origin_speaker_id: int | None
    source_title: str
    origin_source_title: str | None
    origin_speaker_slug: str | None
    origin_speaker_name: str | None

    @property
    def source(self) -> _Titled:
        return _Titled(self.source_title)

    @property
    def origin_source(self) -> _Titled | None:
        return None if self.origin_source_id is None else _Titled(self.origin_source_title or "")

    @property
    def origin_speaker(self) -> _Outlet | None:
        if self.origin_speaker_id is None:
            return None
        return _Outlet(self.origin_speaker_slug or "", self.origin_speaker_name or "")

    def get_relation_display(self) -> str:
        return str(_RELATIONS.get(self.relation, self.relation))


def source_origins(source_id: int) -> tuple[list[Origin], list[Origin]]:
    """``(what the source derives from, the sources derived from it)``: one query, plain rows.

    Most sources have neither: building the ORM's query (three models
    joined) cost several times what SQLite took to find nothing (issue 19).
    The rows are recorded for the page cache as the instances would have
    been (factcheck/page_store.py).
    """
    connection = connections[router.db_for_read(SourceDerivation)]
    derivation, source, speaker = (
        connection.ops.quote_name(model._meta.db_table) for model in (SourceDerivation, Source, Speaker)
    )
    sql = (
        "SELECT d.id, d.source_id, d.relation, d.note, d.origin_source_id, d.origin_speaker_id,"
        f" s.title, o.title, sp.slug, sp.name FROM {derivation} d JOIN {source} s ON s.id = d.source_id"
        f" LEFT JOIN {source} o ON o.id = d.origin_source_id LEFT JOIN {speaker} sp ON sp.id = d.origin_speaker_id"
        # The database's collation, as the derived sources were always listed.
        " WHERE d.source_id = %s OR d.origin_source_id = %s ORDER BY s.title, d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_id, source_id])
        rows = cursor.fetchall()
    both = [Origin(*row) for row in rows]
    page_store.record_loaded(SourceDerivation, [o.pk for o in both])
    page_store.record_loaded(
        Source, {o.source_id for o in both} | {o.origin_source_id for o in both if o.origin_source_id}
    )
    page_store.record_loaded(Speaker, {o.origin_speaker_id for o in both if o.origin_speaker_id})
    # A source cannot derive from itself (derivation_not_self): each row is in one list.
    derived_from = sorted((o for o in both if o.source_id == source_id), key=lambda o: o.pk)
    return derived_from, [o for o in both if o.source_id != source_id]


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
