import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from factcheck import dates, quotes


class AttributedHistory(HistoricalRecords):
    """History rows that keep naming their author after the account is deleted.

    django-simple-history sets ``history_user`` to NULL when the user goes
    (and its foreign key would refuse a dangling id): the change would read as
    made by nobody. Here the id stays, without a database constraint, and
    ``DeletedUser`` keeps the name that went with it.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("user_db_constraint", False)
        super().__init__(*args, **kwargs)

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        user = fields.get("history_user")
        if isinstance(user, models.ForeignKey):
            fields["history_user"] = models.ForeignKey(
                user.remote_field.model,
                null=True,
                related_name=self.user_related_name,
                on_delete=models.DO_NOTHING,
                db_constraint=False,
            )
        return fields


class Precision(models.TextChoices):
    DAY = dates.DAY, "Day"
    MONTH = dates.MONTH, "Month"
    YEAR = dates.YEAR, "Year"


class PartialDateMixin:
    """Display and interval helpers for an ``as_of`` + ``as_of_precision`` pair."""

    @property
    def as_of_display(self):
        return dates.format_partial_date(self.as_of, self.as_of_precision)

    @property
    def as_of_value(self):
        return dates.serialize_partial_date(self.as_of, self.as_of_precision)


class Source(PartialDateMixin, models.Model):
    class Kind(models.TextChoices):
        ENCYCLOPEDIA = "encyclopedia", "Encyclopedia"
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        WIRE = "wire", "Wire"
        OFFICIAL = "official", "Official"
        ESSAY = "essay", "Essay"
        OTHER = "other", "Other"

    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="The date the document speaks as of.")
    as_of_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(max_length=10, default="en")
    notes = models.TextField(blank=True, help_text="What the text reveals of its origin.")
    text = models.TextField(help_text="The full text, verbatim. Every quote is checked against it.")
    text_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["text_sha256"])

    class Meta:
        ordering = ["title", "id"]
        # Lists page through sources in this order: read fifty rows of the index, not every long row.
        indexes = [models.Index(fields=["title", "id"], name="source_title_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.text_sha256 = text_digest(self.text)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None and "text" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_sha256"}
        super().save(*args, **kwargs)

    @property
    def speaks_as_of(self):
        """``(date, precision)`` the document speaks as of, if it says."""
        if self.as_of:
            return self.as_of, self.as_of_precision
        if self.published:
            return self.published, Precision.DAY
        return None, None


def text_digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TopicQuerySet(models.QuerySet):
    def by_conflicts(self):
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

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("topic-detail", args=[self.slug])


class Status(models.TextChoices):
    UNSOURCED = "unsourced", "No source yet"
    SINGLE = "single", "Single source"
    AGREEMENT = "agreement", "Agreement"
    CONFLICT = "conflict", "Conflict"
    CHANGED = "changed", "Changed over time"
    RESOLVED = "resolved", "Resolved"


class ClaimQuerySet(models.QuerySet):
    def with_status(self, status):
        return self.filter(status=status)

    def in_conflict(self):
        return self.filter(status=Status.CONFLICT)

    def citing(self, source):
        # Through the assertions' (source, start) index: the source's few hundred
        # claims, rather than an EXISTS probe for every claim in the corpus.
        return self.filter(pk__in=Assertion.objects.filter(source=source).values("claim_id"))

    def for_list(self):
        return self.select_related("topic").order_by("-updated_at", "-id")


class Claim(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claims")
    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by import and export.")
    text = models.TextField()
    # Derived from the assertions and the resolution by refresh_status(); kept
    # as columns so lists filter and count by status with plain indexed queries.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNSOURCED, editable=False)
    source_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["status", "source_count", "updated_at"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="claim_status_idx"),
            models.Index(fields=["topic", "status"], name="claim_topic_status_idx"),
            models.Index(fields=["-updated_at", "-id"], name="claim_recent_idx"),
        ]
        # Reverting brings back any earlier state of a claim, its quotes, notes
        # (deleted ones included) or decision: a power of its own, not implied by staff.
        permissions = [("revert_history", "Can restore what a recorded change replaced")]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("claim-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = f"{slugify(self.text)[:60].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"
        super().save(*args, **kwargs)

    def compute_status(self, assertions):
        """The agreement state these assertions and the resolution put the claim in."""
        if Resolution.objects.filter(claim=self, is_open=False).exists():
            return Status.RESOLVED
        return status_of(assertions)

    def refresh_status(self):
        """Recompute the derived columns and store them.

        ``update()`` rather than ``save()``: these columns are derived and kept
        out of history, so nothing editorial bypasses it here.
        """
        assertions = list(self.assertions.select_related("source"))
        self.status = self.compute_status(assertions)
        self.source_count = len({a.source_id for a in assertions})
        Claim.objects.filter(pk=self.pk).update(status=self.status, source_count=self.source_count)

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def verdict(self):
        resolution = getattr(self, "resolution", None)
        if resolution is not None and not resolution.is_open:
            return resolution.verdict
        return None


def status_of(assertions):
    """Single source / agreement / conflict / changed over time.

    A claim one source supports and another disputes is a conflict, unless the
    two sides speak as of periods that do not overlap: then the record changed
    over time and nobody contradicts anybody.
    """
    if not assertions:
        return Status.UNSOURCED
    stances = {a.stance for a in assertions}
    if Stance.SUPPORTS in stances and Stance.DISPUTES in stances:
        return Status.CHANGED if is_time_only_difference(assertions) else Status.CONFLICT
    if len({a.source_id for a in assertions}) < 2:
        return Status.SINGLE
    return Status.AGREEMENT


def is_time_only_difference(assertions):
    sides = {Stance.SUPPORTS: [], Stance.DISPUTES: []}
    for a in assertions:
        if a.stance not in sides:
            continue
        date, precision = a.speaks_as_of
        if date is None:
            return False
        sides[a.stance].append((date, dates.period_end(date, precision)))
    supports, disputes = sides[Stance.SUPPORTS], sides[Stance.DISPUTES]
    if not supports or not disputes:
        return False
    before = max(end for _, end in supports) < min(start for start, _ in disputes)
    after = max(end for _, end in disputes) < min(start for start, _ in supports)
    return before or after


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DISPUTES = "disputes", "Disputes"
    QUALIFIES = "qualifies", "Qualifies"


class Assertion(PartialDateMixin, models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assertions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="assertions")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    quote = models.TextField(help_text="The exact words of the source; whitespace and quote style may differ.")
    start = models.PositiveIntegerField(editable=False)
    end = models.PositiveIntegerField(editable=False)
    as_of = models.DateField(null=True, blank=True, help_text="The date the source speaks as of for this statement.")
    as_of_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["claim_id", "source__title", "start"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source", "start", "end"], name="assertion_unique_passage"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="assertion_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["source", "start"], name="assertion_source_start_idx"),
            # A source's claims, counted or listed from the index alone (source lists, track records).
            models.Index(fields=["source", "claim"], name="assertion_source_claim_idx"),
        ]

    def __str__(self):
        return f"{self.source} {self.stance} #{self.claim_id}"

    def get_absolute_url(self):
        return f"{reverse('source-detail', args=[self.source_id])}#a-{self.pk}"

    def locate(self, occurrence=None):
        """Find ``quote`` in the source text and set ``start``/``end``.

        Raises ``ValidationError`` on ``quote`` (absent, with the nearest
        passage) or ``occurrence`` (repeated quote, none or a bad one chosen).
        """
        text = self.source.text
        found = quotes.find_occurrences(text, self.quote)
        if not found:
            nearest = quotes.nearest_passage(text, self.quote)
            message = f"This quote does not occur in “{self.source.title}”."
            if nearest:
                message += f" Nearest passage: “{nearest}”"
            raise ValidationError({"quote": message}, code="quote_not_found")
        if len(found) > 1 and occurrence is None:
            raise ValidationError(
                {
                    "occurrence": f"This quote occurs {len(found)} times in “{self.source.title}”; "
                    f"choose which occurrence (1–{len(found)})."
                },
                code="quote_ambiguous",
            )
        occurrence = occurrence or 1
        if not 1 <= occurrence <= len(found):
            raise ValidationError(
                {"occurrence": f"Occurrence must be between 1 and {len(found)}; got {occurrence}."},
                code="bad_occurrence",
            )
        chosen = found[occurrence - 1]
        self.start, self.end = chosen.start, chosen.end
        return found

    def matches_source(self):
        return quotes.matches_at(self.source.text, self.quote, self.start, self.end)

    @property
    def speaks_as_of(self):
        if self.as_of:
            return self.as_of, self.as_of_precision
        return self.source.speaks_as_of

    @property
    def speaks_as_of_display(self):
        date, precision = self.speaks_as_of
        return dates.format_partial_date(date, precision)

    def in_context(self):
        return quotes.in_context(self.source.text, self.start, self.end)


class Annotation(models.Model):
    """An editor's note on a claim, or on one assertion of it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="annotations")
    assertion = models.ForeignKey(
        Assertion, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    is_deleted = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["body_html", "updated_at"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note by {self.author} on claim {self.claim_id}"

    def clean(self):
        if self.assertion_id and self.claim_id and self.assertion.claim_id != self.claim_id:
            raise ValidationError({"assertion": "This assertion belongs to another claim."})


class Verdict(models.TextChoices):
    """A ClaimReview-compatible scale; ``rating`` gives its ratingValue."""

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly-true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly-false", "Mostly false"
    FALSE = "false", "False"
    UNPROVEN = "unproven", "Unproven"
    OUTDATED = "outdated", "Outdated"


VERDICT_RATINGS = {
    Verdict.TRUE: 5,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.MIXED: 3,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.FALSE: 1,
}


class Resolution(models.Model):
    """An editor's decision on a claim: verdict, rationale, prevailing assertions."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="resolution")
    verdict = models.CharField(max_length=14, choices=Verdict.choices)
    rationale = models.TextField(help_text="Markdown.")
    rationale_html = models.TextField(editable=False, default="")
    prevailing = models.ManyToManyField(Assertion, blank=True, related_name="prevailing_in")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resolutions")
    is_open = models.BooleanField(default=False, help_text="A reopened resolution no longer decides the claim.")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(m2m_fields=[prevailing], excluded_fields=["rationale_html", "updated_at"])

    def __str__(self):
        return f"{self.get_verdict_display()}: claim {self.claim_id}"

    @property
    def rating(self):
        return VERDICT_RATINGS.get(self.verdict)


@receiver(post_save, sender=Assertion)
@receiver(post_delete, sender=Assertion)
def _assertion_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    claim = Claim.objects.filter(pk=instance.claim_id).first()
    if claim is not None:
        claim.refresh_status()


@receiver(post_save, sender=Resolution)
@receiver(post_delete, sender=Resolution)
def _resolution_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    claim = Claim.objects.filter(pk=instance.claim_id).first()
    if claim is not None:
        claim.refresh_status()


class DeletedUser(models.Model):
    """An account that was deleted, by its id: history rows still carry that id.

    Written whenever a user is deleted, by whatever path (admin, bulk action,
    shell), so history keeps saying who did what; backed up with the rest, and
    a restore keeps new accounts from being given one of these ids.
    """

    id = models.BigIntegerField(primary_key=True, help_text="The deleted account's id.")
    username = models.CharField(max_length=150)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.username} (deleted account)"


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _user_deleted(sender, instance, **kwargs):
    DeletedUser.objects.update_or_create(pk=instance.pk, defaults={"username": instance.get_username()})


# Search and the evidence finder (factcheck/search.py, factcheck/evidence.py).


class NameAliasQuerySet(models.QuerySet):
    def groups(self):
        """``{canonical: {canonical, variant, ...}}`` for every alias group."""
        found = {}
        for canonical, variant in self.values_list("canonical", "variant"):
            found.setdefault(canonical, {canonical}).add(variant)
        return found


class NameAlias(models.Model):
    """One spelling of a name that search treats as the same as its canonical form.

    Sources transliterate Arabic and Russian names differently (Hmeimim /
    Khmeimim, al-Shaibani / al-Shibani / Al-Schaibani); every variant of a
    canonical name finds every other.
    """

    canonical = models.CharField(max_length=100, help_text="The name as this newsroom writes it, e.g. “Hmeimim”.")
    variant = models.CharField(max_length=100, help_text="Another spelling found in sources, e.g. “Khmeimim”.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NameAliasQuerySet.as_manager()

    class Meta:
        ordering = ["canonical", "variant"]
        verbose_name_plural = "name aliases"
        constraints = [
            models.UniqueConstraint(fields=["canonical", "variant"], name="name_alias_unique"),
        ]

    def __str__(self):
        return f"{self.variant} → {self.canonical}"

    def clean(self):
        self.canonical, self.variant = self.canonical.strip(), self.variant.strip()
        if not any(ch.isalnum() for ch in self.canonical):
            raise ValidationError({"canonical": "A name needs at least one letter or digit."})
        if not any(ch.isalnum() for ch in self.variant):
            raise ValidationError({"variant": "A name needs at least one letter or digit."})


class Passage(models.Model):
    """One sentence of a source text, with its offsets, for the evidence finder.

    Derived from ``Source.text`` (see ``evidence.refresh_passages``); ``digest``
    is the source text's digest when the passage was cut, so a passage whose
    source changed behind our back is never served with wrong offsets.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(help_text="Index of the sentence in its source.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    # What stands between the previous passage and this one: a space between
    # two sentences of a paragraph, a newline between paragraphs. Kept here so
    # that joining neighbours never needs the (long) source text.
    gap_before = models.TextField(blank=True, default="")
    length = models.PositiveIntegerField(default=0, help_text="Number of indexed words, for BM25.")
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["source_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_source_position"),
        ]

    def __str__(self):
        return f"{self.source_id}:{self.start}–{self.end}"


class SynonymGroup(models.Model):
    """Words the evidence finder counts as meaning the same: “Moscow said” speaks to “Russia said”.

    An editorial choice, not a fact of English (those stay in
    factcheck/evidence/language.py), so editors keep the groups in the admin.
    A match through a synonym counts for less than the word itself. Groups
    apply oldest first: a word in two groups counts with the older one.
    """

    words = models.CharField(
        max_length=500,
        help_text="Two or more single words separated by spaces, e.g. “russia moscow kremlin”. "
        "Any form of a word finds the others (“treaty” also finds “treaties”).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.words

    def clean(self):
        from factcheck.evidence.vocabulary import synonym_words

        words, problems = synonym_words(self.words)
        if problems:
            raise ValidationError({"words": problems})
        if len(words) < 2:
            raise ValidationError({"words": "A group needs at least two different words."})
        self.words = " ".join(words)
