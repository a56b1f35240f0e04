"""Voices and independent origins: who is really speaking when a source says something.

A *voice* is what counting rules count (status, comparison, track record):

- an assertion with a ``speaker`` is that speaker's voice, carried by the
  source: ``("speaker", id)``. The Kremlin's denial reported by TRT World is
  the Kremlin disputing, not TRT World; Putin reported by two sources is one
  voice;
- an assertion in the source's own voice is the voice of the source's *root
  origin*: follow the source's ``SourceDerivation`` links that make its text
  someone else's (it republishes or translates another) to the source nothing
  is so derived from, ``("source", id)``, or to an outlet not stored as a
  source, ``("speaker", id)``. A republication or translation adds no
  independent origin.

A source that only *cites* another keeps its own voice: citing one report
does not make every sentence of an article that report's. What it takes from
the cited outlet is counted where it is quoted, as an assertion whose speaker
is that outlet. The citation is still recorded and shown.

A source with several such derivations follows the first one recorded (lowest
id): one root per source keeps "independent" a yes-or-no question. Chains are
followed at most :data:`MAX_DEPTH` links; a loop (which the services refuse,
but an import or raw SQL could write) ends at its lowest source id, so every
source in it has the same root.

The functions here are pure over rows already fetched, except the loaders,
which each run one query; migration 0010 uses them with historical models.
"""

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db import connections

Voice = tuple[str, int]
SPEAKER, SOURCE = "speaker", "source"
# The relations that make a source's own words another's: only these are followed to a root.
SAME_WORDS = ("republishes", "translates")
MAX_DEPTH = 8


class _Stated(Protocol):
    source_id: int


class Roots:
    """Each source's root origin, from the first derivation recorded for each source."""

    def __init__(self, first: Mapping[int, tuple[int | None, int | None]] | None = None) -> None:
        # source id -> (origin source id, origin speaker id) of its first derivation
        self._first = dict(first or {})
        self._memo: dict[int, Voice] = {}

    def __bool__(self) -> bool:
        return bool(self._first)

    def root(self, source_id: int) -> Voice:
        if source_id not in self._memo:
            self._memo[source_id] = self._walk(source_id)
        return self._memo[source_id]

    def _walk(self, source_id: int) -> Voice:
        path: list[int] = []
        current = source_id
        for _ in range(MAX_DEPTH + 1):
            link = self._first.get(current)
            if link is None:
                return (SOURCE, current)
            origin_source, origin_speaker = link
            if origin_speaker is not None:
                return (SPEAKER, origin_speaker)
            path.append(current)
            if origin_source is None:  # a row the constraint forbids: treat the source as its own root
                return (SOURCE, current)
            if origin_source in path:
                return (SOURCE, min(path[path.index(origin_source) :]))
            current = origin_source
        return (SOURCE, current)


def roots_from_rows(rows: Iterable[tuple[int, int, int | None, int | None]]) -> Roots:
    """``(derivation id, source id, origin source id, origin speaker id)`` rows → :class:`Roots`."""
    first: dict[int, tuple[int, int | None, int | None]] = {}
    for pk, source_id, origin_source, origin_speaker in rows:
        if source_id not in first or pk < first[source_id][0]:
            first[source_id] = (pk, origin_source, origin_speaker)
    return Roots({s: (o, sp) for s, (_, o, sp) in first.items()})


def _tables(model: Any = None) -> tuple[str, str]:
    if model is None:
        from factcheck.models import SourceDerivation

        model = SourceDerivation
    return model._meta.db_table, model._meta.get_field("source").related_model._meta.db_table


def load_roots(source_ids: Iterable[int], using: str = "default") -> Roots:
    """The roots of ``source_ids``: one recursive query, whatever the depth, or none for no ids."""
    ids = sorted(set(source_ids))
    if not ids:
        return Roots()
    from factcheck import cache  # noqa: PLC0415  (cache imports the models' app lazily)

    # Raw rows, not instances: a cached page showing roots depends on every derivation.
    cache.depends_on(_tables()[0])
    connection = connections[using]
    quote = connection.ops.quote_name
    derivation, source = (quote(t) for t in _tables())
    marks = ", ".join(["%s"] * len(ids))
    # Every source reachable from ``ids`` through any derivation (bounded, so a
    # loop ends), then the derivations of all of them; Python picks the first.
    sql = (
        f"WITH RECURSIVE reach(id, depth) AS ("
        f" SELECT id, 0 FROM {source} WHERE id IN ({marks})"
        f" UNION"
        f" SELECT d.origin_source_id, reach.depth + 1 FROM {derivation} d JOIN reach ON d.source_id = reach.id"
        f" WHERE d.origin_source_id IS NOT NULL AND d.relation IN (%s, %s) AND reach.depth < %s"
        f") SELECT d.id, d.source_id, d.origin_source_id, d.origin_speaker_id FROM {derivation} d"
        f" WHERE d.source_id IN (SELECT id FROM reach) AND d.relation IN (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *SAME_WORDS, MAX_DEPTH, *SAME_WORDS])
        return roots_from_rows(cursor.fetchall())


def load_all_roots(using: str = "default", model: Any = None) -> Roots:
    """Every source's root: one query over the whole (small) derivation table.

    ``model``: the ``SourceDerivation`` to read through (a migration's historical one).
    """
    if model is None:
        from factcheck.models import SourceDerivation

        model = SourceDerivation
    rows = (
        model.objects.using(using)
        .filter(relation__in=SAME_WORDS)
        .values_list("id", "source_id", "origin_source_id", "origin_speaker_id")
    )
    return roots_from_rows(rows)


def voice_of(assertion: _Stated, roots: Roots | None = None) -> Voice:
    """The voice an assertion counts for; ``roots`` None: every source is its own origin."""
    speaker_id = getattr(assertion, "speaker_id", None)
    if speaker_id is not None:
        return (SPEAKER, speaker_id)
    if roots is None:
        return (SOURCE, assertion.source_id)
    return roots.root(assertion.source_id)


def is_own_voice(assertion: object) -> bool:
    """Whether the source says it itself, rather than reporting a speaker."""
    return getattr(assertion, "speaker_id", None) is None


def origin_count(assertions: Iterable[_Stated], roots: Roots | None = None) -> int:
    """Independent origins among these assertions: their distinct voices."""
    return len({voice_of(a, roots) for a in assertions})


def voice_key(voice: Voice) -> str:
    """``"speaker:3"`` / ``"source:12"``: the voice as the JSON API gives it."""
    return f"{voice[0]}:{voice[1]}"


def sources_deriving_from(source_id: int, using: str = "default") -> set[int]:
    """``source_id`` and every source deriving from it, directly or through others (one query a level)."""
    from factcheck.models import SourceDerivation

    found, frontier = {source_id}, {source_id}
    for _ in range(MAX_DEPTH):
        frontier = (
            set(
                SourceDerivation.objects.using(using)
                .filter(origin_source_id__in=frontier, relation__in=SAME_WORDS)
                .values_list("source_id", flat=True)
            )
            - found
        )
        if not frontier:
            break
        found |= frontier
    return found
