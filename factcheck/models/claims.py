"""Topics, claims and the rules that give a claim its status from its assertions."""

import datetime as dt
import uuid
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from factcheck import dates, voices
from factcheck.models import upkeep
from factcheck.models.choices import FactChoices
from factcheck.models.users import AttributedHistory
from factcheck.quotes import clip_words

if TYPE_CHECKING:
    from factcheck.models.assertions import Assertion
    from factcheck.models.sources import Source


class TopicQuerySet(models.QuerySet["Topic"]):
    def by_conflicts(self) -> Self:
        """Most conflicts first: home's order, read from the counts' index."""
        return self.order_by("-conflict_count", "title", "id")


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300, help_text="The question the topic's claims answer.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Derived from the topic's claims and kept by database triggers
    # (factcheck/topic_counts.py), so lists sort by them without a join.
    # Plain integers: a CHECK on them could make a trigger refuse a claim's deletion.
    claim_count = models.IntegerField("claims", default=0, editable=False)
    conflict_count = models.IntegerField("conflicts", default=0, editable=False)
    agreement_count = models.IntegerField("agreements", default=0, editable=False)
    resolved_count = models.IntegerField("resolved", default=0, editable=False)

    history = AttributedHistory(excluded_fields=["claim_count", "conflict_count", "agreement_count", "resolved_count"])
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["-conflict_count", "title", "id"], name="topic_conflicts_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topic-detail", args=[self.slug])


class Status(FactChoices):
    """Where a claim's evidence stands.

    ``icon`` goes beside the label on badges and topic cards (so colour is never
    the only cue); ``phrase`` is how a count of claims reads: “19 in conflict”.
    """

    icon: str
    phrase: str

    # "±" for a change over time: the vendored fonts draw it (their cmaps hold U+00B1; ⏱ and ◷ are in neither).
    UNSOURCED = "unsourced", "○", "with no source yet", _("No source yet")
    SINGLE = "single", "①", "with one source", _("Single source")
    AGREEMENT = "agreement", "✓", "in agreement", _("Agreement")
    CONFLICT = "conflict", "⚡", "in conflict", _("Conflict")
    CHANGED = "changed", "±", "changed over time", _("Changed over time")
    QUALIFIED = "qualified", "○", "qualified", _("Qualified")
    RESOLVED = "resolved", "⚖", "resolved by editors", _("Resolved")


class Stance(FactChoices):
    """How an assertion's quote bears on its claim; ``icon`` goes beside the label on badges."""

    icon: str

    SUPPORTS = "supports", "✓", _("Supports")
    DISPUTES = "disputes", "✗", _("Disputes")
    QUALIFIES = "qualifies", "≈", _("Qualifies")


class ClaimKind(models.TextChoices):
    """An event happened or was said; a state holds and can change."""

    EVENT = "event", _("Event")
    STATE = "state", _("State")


class ClaimQuerySet(upkeep.StatusKeepingQuerySet["Claim"]):
    # Only a state's record may change over time: ``update(kind=...)`` refreshes the status too.
    status_fields = frozenset({"kind"})

    def claims_of(self, rows: models.QuerySet["Claim"]) -> models.QuerySet["Claim"]:
        return rows

    def with_status(self, status: str) -> Self:
        return self.filter(status=status)

    def in_conflict(self) -> Self:
        return self.filter(status=Status.CONFLICT)

    def citing(self, source: "Source") -> Self:
        # Through the assertions' (source, start) index: the source's few hundred
        # claims, rather than an EXISTS probe for every claim in the corpus.
        from factcheck.models.assertions import Assertion

        return self.filter(pk__in=Assertion.objects.filter(source=source).values("claim_id"))

    def in_language(self, code: str) -> Self:
        """Claims with a quote in language ``code``: the quote's own language, else its source's."""
        from factcheck.models.assertions import Assertion

        quoted = Assertion.objects.filter(
            models.Q(language=code) | models.Q(language="", source__language=code)
        ).values("claim_id")
        return self.filter(pk__in=quoted)

    def for_list(self) -> Self:
        return self.select_related("topic").order_by("-updated_at", "-id")


class Claim(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claims")
    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    text = models.TextField()
    kind = models.CharField(
        max_length=5,
        choices=ClaimKind.choices,
        default=ClaimKind.EVENT,
        help_text="Event: happened or was said. State: holds and can change; only a state's record changes over time.",
    )
    # Derived from the assertions and the resolution by refresh_status(); kept
    # as columns so lists filter and count by status with plain indexed queries.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNSOURCED, editable=False)
    source_count = models.PositiveIntegerField(default=0, editable=False)
    # Independent origins among the voices asserting the claim (see factcheck.voices).
    origin_count = models.PositiveIntegerField(default=0, editable=False)
    # When the claim entered its present status ("waiting since" in the review queue).
    status_since = models.DateTimeField(null=True, blank=True, editable=False)
    # The newest statement's date (when made, else its source's date): the queue's "stale" tab.
    newest_statement = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(
        excluded_fields=["status", "status_since", "source_count", "origin_count", "newest_statement", "updated_at"]
    )
    _loaded_kind: str | None = None
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_idx"),
            # A topic's claims of a status, newest first: the claim list filtered by both reads a few index
            # entries, where SQLite otherwise walks every claim of the status for the topic's.
            models.Index(fields=["topic", "status", "-updated_at", "-id"], name="claim_topic_status_recent_idx"),
            models.Index(fields=["-updated_at", "-id"], name="claim_recent_idx"),
            models.Index(fields=["newest_statement", "status"], name="claim_newest_statement_idx"),
        ]
        # Reverting brings back any earlier state of a claim, its quotes, notes
        # (deleted ones included) or decision: a power of its own, not implied by staff.
        permissions = [("revert_history", "Can restore what a recorded change replaced")]

    def __str__(self) -> str:
        return clip_words(self.text, 200)  # whole words: admin messages quote it

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.key:
            self.key = f"{slugify(self.text)[:60].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("claim-detail", args=[self.pk])

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        claim = super().from_db(db, field_names, values, **kwargs)
        # What the kind was when loaded: a save that changes it recomputes the status (_claim_saved).
        claim._loaded_kind = claim.__dict__.get("kind")
        return claim

    def compute_status(
        self,
        assertions: Collection["Assertion"],
        resolved: bool | None = None,
        roots: "voices.Roots | None" = None,
    ) -> Status:
        """The agreement state these assertions and the resolution put the claim in.

        ``resolved``: whether a closed resolution decides the claim, when the
        caller already knows (recomputing every claim); read here otherwise.
        ``roots``: the sources' root origins (``voices.load_roots``).
        """
        from factcheck.models.editorial import Resolution

        if resolved is None:
            resolved = Resolution.objects.filter(claim=self, is_open=False, is_published=True).exists()
        if resolved:
            return Status.RESOLVED
        return status_of(assertions, self.kind, roots)

    def refresh_status(self) -> None:
        """Recompute the derived columns and store them.

        Four queries whatever the claim: its assertions, its sources' root
        origins (one recursive query), its resolution, the update.
        ``update()`` rather than ``save()``: these columns are derived and kept
        out of history, so nothing editorial bypasses it here.
        """
        assertions = list(self.assertions.annotate(source_published=models.F("source__published")))
        roots = voices.load_roots({a.source_id for a in assertions}, using=self._state.db or "default")
        before = self.status
        self.status = self.compute_status(assertions, roots=roots)
        self.source_count = len({a.source_id for a in assertions})
        self.origin_count = voices.origin_count(assertions, roots)
        # source_published: annotated above, so the source rows need not be loaded.
        dated = [a.stated_on or getattr(a, "source_published") for a in assertions]  # noqa: B009
        self.newest_statement = max((d for d in dated if d is not None), default=None)
        changes: dict[str, Any] = {}
        if self.status != before or self.status_since is None:
            self.status_since = changes["status_since"] = timezone.now()
        Claim.objects.filter(pk=self.pk).update(
            status=self.status,
            source_count=self.source_count,
            origin_count=self.origin_count,
            newest_statement=self.newest_statement,
            **changes,
        )

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def verdict(self) -> str | None:
        resolution = getattr(self, "resolution", None)
        if resolution is not None and resolution.decides:
            return resolution.verdict
        return None


@receiver(post_save, sender=Claim)
def _claim_saved(sender: type[Claim], instance: Claim, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Only a state's record may change over time: a new kind can change the status."""
    loaded = getattr(instance, "_loaded_kind", None)
    instance._loaded_kind = instance.kind
    if raw or created or loaded is None or loaded == instance.kind:
        return
    upkeep.claim_changed(instance.pk, instance._state.db or "default", claim=instance)


def newest_statement_of() -> Subquery:
    """The claim's (``OuterRef("pk")``) newest statement date: when made, else its source's date; None if none.

    The same rule as ``refresh_status`` applies to the assertions it has loaded.
    """
    from factcheck.models.assertions import Assertion

    rows = (
        Assertion.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(newest=Max(Coalesce("stated_on", "source__published")))
        .values("newest")
    )
    return Subquery(rows[:1], output_field=models.DateField())


def refresh_newest_statements(claims: models.QuerySet[Claim]) -> int:
    """Store ``newest_statement`` where it is stale among ``claims``; how many were.

    Two queries and one UPDATE per 500 stale claims: the stored and the fresh
    values side by side, compared here (SQL's NULL never equals NULL).
    """
    rows = claims.order_by().annotate(fresh=newest_statement_of()).values_list("pk", "newest_statement", "fresh")
    stale = [pk for pk, stored, fresh in rows.iterator(chunk_size=2000) if stored != fresh]
    for start in range(0, len(stale), 500):
        Claim.objects.using(claims.db).filter(pk__in=stale[start : start + 500]).update(
            newest_statement=newest_statement_of()
        )
    return len(stale)


def recompute_statuses(claims: models.QuerySet[Claim], roots: "voices.Roots | None" = None) -> int:
    """Store the status, source count and origin count of every claim in ``claims``; how many were stale.

    A fixed number of queries however many claims: closed resolutions, every
    source's root origin (unless ``roots`` is given), the claims with their
    assertions (in chunks), then one UPDATE per claim whose values changed.
    """
    from factcheck.models.editorial import Resolution

    using = claims.db
    closed = set(
        Resolution.objects.using(using)
        .filter(is_open=False, is_published=True, claim__in=claims.values("pk"))
        .values_list("claim_id", flat=True)
    )
    if roots is None:
        roots = voices.load_all_roots(using)
    rows = claims.only("id", "kind", "status", "source_count", "origin_count").prefetch_related("assertions")
    stale = 0
    for claim in rows.order_by("id").iterator(chunk_size=500):
        assertions = list(claim.assertions.all())
        status = claim.compute_status(assertions, resolved=claim.pk in closed, roots=roots)
        source_count = len({a.source_id for a in assertions})
        origins = voices.origin_count(assertions, roots)
        if (status, source_count, origins) != (claim.status, claim.source_count, claim.origin_count):
            since = {"status_since": timezone.now()} if status != claim.status else {}
            Claim.objects.using(using).filter(pk=claim.pk).update(
                status=status, source_count=source_count, origin_count=origins, **since
            )
            stale += 1
    return stale + refresh_newest_statements(claims)


def status_of(
    assertions: Collection["Assertion"], kind: str = ClaimKind.EVENT, roots: "voices.Roots | None" = None
) -> Status:
    """The status the rules of issue 14 give these assertions; voices as ``factcheck.voices`` counts them.

    1. No assertion: unsourced.
    2. Supports against disputes: a conflict, unless the claim is a *state*
       whose two sides speak about periods that are all dated and do not
       overlap (one switch of stance, no reversal): then it changed over time.
       An event's opposed statements conflict whenever they were made, and so
       does one voice supporting and disputing (a text contradicting itself).
    3. Fewer than two voices: single source.
    4. Two or more voices on the side taken: agreement.
    5. Otherwise (one voice takes a side and others only qualify, or there
       are only qualifications): qualified.

    ``roots`` None counts every source as its own origin.
    """
    if not assertions:
        return Status.UNSOURCED
    supports = [a for a in assertions if a.stance == Stance.SUPPORTS]
    disputes = [a for a in assertions if a.stance == Stance.DISPUTES]
    if supports and disputes:
        if kind == ClaimKind.STATE and is_time_only_difference(assertions):
            return Status.CHANGED
        return Status.CONFLICT
    if voices.origin_count(assertions, roots) < 2:
        return Status.SINGLE
    side = supports or disputes
    if voices.origin_count(side, roots) >= 2:
        return Status.AGREEMENT
    return Status.QUALIFIED


def assertion_interval(assertion: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the period an assertion speaks about; None when undated.

    Read off the attributes so that rows built without a model (tools/bench_data.py) work too.
    """
    return dates.period_interval(
        assertion.as_of,
        assertion.as_of_precision,
        getattr(assertion, "period_end", None),
        getattr(assertion, "period_end_precision", None),
    )


def is_time_only_difference(assertions: Iterable["Assertion"]) -> bool:
    """Whether the supports and the disputes speak about separate periods, one side wholly before the other.

    Every one of them must be dated: an undated statement may speak about any
    time, so it could contradict the other side. Nothing falls back to the
    document's date. One side wholly before the other is one switch of stance
    with no reversal; a record that flips back (supported in October, disputed
    in November, supported in January) overlaps and is not a change in time.
    """
    sides: dict[str, list[tuple[dt.date, dt.date]]] = {Stance.SUPPORTS: [], Stance.DISPUTES: []}
    for a in assertions:
        if a.stance not in sides:
            continue
        interval = assertion_interval(a)
        if interval is None:
            return False
        sides[a.stance].append(interval)
    supports, disputes = sides[Stance.SUPPORTS], sides[Stance.DISPUTES]
    if not supports or not disputes:
        return False
    before = max(end for _, end in supports) < min(start for start, _ in disputes)
    after = max(end for _, end in disputes) < min(start for start, _ in supports)
    return before or after
