"""Claim status follows every ORM write path: one saved row, or a whole QuerySet.

A claim's status, source count and origin count (``Claim.refresh_status``)
come from its assertions, its kind, its resolution and its sources' origins.
Those rules are Python (voices, periods, "changed over time"), so they are
kept here rather than in SQL triggers, which would need them written twice
(SQLite and PostgreSQL) and kept in step with ``status_of``:

- ``save()`` and ``delete()`` of one row: the post_save/post_delete receivers
  in the models' modules call :func:`claim_changed` / :func:`claims_changed`;
- ``update()``, ``bulk_create()`` and ``bulk_update()``, which send no
  signal: the default managers' QuerySets (:class:`StatusKeepingQuerySet`)
  refresh the claims they touched, in the same transaction;
- ``QuerySet.delete()`` sends post_delete for each row: it runs under
  :func:`deferred`, so each claim is refreshed once, not once per row.

Raw SQL bypasses all of this: ``manage.py recompute_derived --check``
reports the claims it left stale, and ``recompute_derived`` repairs them.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connections, models, transaction

if TYPE_CHECKING:
    from factcheck.models.claims import Claim

# (database alias, claim id) pairs waiting for the end of a deferred() block; None outside one.
_pending: ContextVar[set[tuple[str, int]] | None] = ContextVar("factcheck_status_pending", default=None)

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

# Ids per ``pk__in`` list: well under SQLite's limit on a statement's parameters, whatever a write touched.
CHUNK = 500


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def deferred() -> Iterator[None]:
    """Refresh every claim changed inside the block once, when it ends (nested blocks join the outer one)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get() or set()
    finally:
        _pending.reset(token)
    by_database: dict[str, set[int]] = {}
    for using, pk in pending:
        by_database.setdefault(using, set()).add(pk)
    for using, ids in sorted(by_database.items()):
        # A block that ends marked for rollback (an import's dry run) has nothing to keep.
        if not connections[using].needs_rollback:
            _refresh(ids, using)


def claim_changed(pk: int | None, using: str, claim: "Claim | None" = None) -> None:
    """The claim ``pk``'s assertions, kind or resolution changed: store its status anew.

    ``claim``: the instance, when the caller has it (saves loading it again).
    """
    if pk is None:
        return
    pending = _pending.get()
    if pending is not None:
        pending.add((using, pk))
    elif claim is not None:
        claim.refresh_status()
    else:
        _refresh({pk}, using)


def claims_changed(claims: "models.QuerySet[Claim]") -> None:
    """Store anew the status of every claim in ``claims`` (a lazy QuerySet: read once)."""
    pending = _pending.get()
    if pending is not None:
        pending.update((claims.db, pk) for pk in claims.values_list("pk", flat=True))
        return
    from factcheck.models.claims import recompute_statuses

    recompute_statuses(claims)


def _refresh(ids: set[int], using: str) -> None:
    from factcheck.models.claims import Claim, recompute_statuses

    if len(ids) == 1:
        # One claim: its own sources' roots, not every source's (Claim.refresh_status).
        claim = Claim.objects.using(using).filter(pk=next(iter(ids))).first()
        if claim is not None:
            claim.refresh_status()
    else:
        for chunk in _chunks(sorted(ids)):
            recompute_statuses(Claim.objects.using(using).filter(pk__in=chunk))


def claims_citing(source_ids: Iterable[int], using: str) -> "models.QuerySet[Claim]":
    """Claims citing these sources, or any source republishing or translating one of them.

    Past :data:`CHUNK` sources, every claim: a superset, and no statement with thousands of parameters.
    """
    from factcheck import voices
    from factcheck.models.assertions import Assertion
    from factcheck.models.claims import Claim
    from factcheck.models.speakers import SourceDerivation

    # The sources whose root origin may change with these: one query a level, as voices.sources_deriving_from.
    found, frontier = set(source_ids), set(source_ids)
    for _ in range(voices.MAX_DEPTH):
        if not frontier or len(found) > CHUNK:
            break
        frontier = (
            set(
                SourceDerivation.objects.using(using)
                .filter(origin_source_id__in=frontier, relation__in=voices.SAME_WORDS)
                .values_list("source_id", flat=True)
            )
            - found
        )
        found |= frontier
    claims = Claim.objects.using(using)
    if len(found) > CHUNK:
        return claims.all()
    return claims.filter(pk__in=Assertion.objects.using(using).filter(source_id__in=found).values("claim_id"))


class StatusKeepingQuerySet(models.QuerySet[M]):
    """A QuerySet whose signal-less writes refresh the claims they touch.

    A subclass names the fields a claim's status reads (``status_fields``) and
    how rows lead to claims (:meth:`claims_of`); a write that changes none of
    those fields refreshes nothing.
    """

    status_fields: frozenset[str] = frozenset()

    def claims_of(self, rows: "models.QuerySet[M]") -> "models.QuerySet[Claim]":
        """The claims whose status reads ``rows`` (evaluated once, before and after the write)."""
        raise NotImplementedError

    def claim_ids_of_objects(self, objs: Sequence[M]) -> set[int]:
        """The claims whose status reads these (just written) objects."""
        return self._claim_ids_of_rows([obj.pk for obj in objs if obj.pk is not None])

    def _claim_ids_of_rows(self, pks: Iterable[Any]) -> set[int]:
        ids: set[int] = set()
        for chunk in _chunks(pks):
            ids |= self._affected_ids(self.model._default_manager.using(self.db).filter(pk__in=chunk))
        return ids

    def _touches(self, fields: Iterable[str]) -> bool:
        return bool(self.status_fields & set(fields))

    def _affected_ids(self, rows: "models.QuerySet[M]") -> set[int]:
        return set(self.claims_of(rows).values_list("pk", flat=True))

    def _refresh_ids(self, ids: set[int]) -> None:
        from factcheck.models.claims import Claim

        for chunk in _chunks(sorted(ids)):
            claims_changed(Claim.objects.using(self.db).filter(pk__in=chunk))

    def update(self, **kwargs: Any) -> int:
        if not self._touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            ids = self._claim_ids_of_rows(pks)
            count = super().update(**kwargs)
            ids |= self._claim_ids_of_rows(pks)
            self._refresh_ids(ids)
        return count

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            self._refresh_ids(self.claim_ids_of_objects(created))
        return created

    def bulk_update(self, objs: Iterable[M], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs, fields = list(objs), list(fields)
        if not self._touches(fields):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        with transaction.atomic(using=self.db):
            before = self._claim_ids_of_rows([obj.pk for obj in objs])
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            self._refresh_ids(before | self.claim_ids_of_objects(objs))
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        # The post_delete receivers queue each row's claims; deferred() refreshes them once.
        with transaction.atomic(using=self.db), deferred():
            return super().delete()
