"""Each source's MinHash fingerprint, kept current as its text changes, and the reprint lookup that reads it.

Derived state (factcheck/derived.py, "fingerprints"): a ``post_save`` of
``Source`` refreshes the source's row when its text changed;
``ensure_fingerprints`` fills in what fixtures or ``update()`` left out, and
``manage.py recompute_derived`` rebuilds them all.
"""

from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.signals import post_save

from factcheck import near_duplicates

# Candidates read per lookup, most shared bands first: bounded work whatever the corpus.
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class NearDuplicate:
    source_id: int
    similarity: float


def refresh_fingerprint(source, *, force=False):
    """Store ``source``'s fingerprint unless it is current. Returns True if it wrote one."""
    from factcheck.models import FingerprintBand, SourceFingerprint

    current = SourceFingerprint.objects.filter(source_id=source.pk).values_list("text_sha256", flat=True).first()
    if current == source.text_sha256 and not force:
        return False
    sig = near_duplicates.signature(source.text)
    with transaction.atomic():
        SourceFingerprint.objects.update_or_create(
            source_id=source.pk, defaults={"text_sha256": source.text_sha256, "signature": sig}
        )
        FingerprintBand.objects.filter(source_id=source.pk).delete()
        FingerprintBand.objects.bulk_create(
            FingerprintBand(source_id=source.pk, key=key) for key in near_duplicates.band_keys(sig)
        )
    return True


def stale_sources():
    from factcheck.models import Source, SourceFingerprint

    current = SourceFingerprint.objects.filter(source=OuterRef("pk"), text_sha256=OuterRef("text_sha256"))
    return Source.objects.filter(~Exists(current)).only("id", "text", "text_sha256")


def refresh_all(force=False):
    """Bring every source's fingerprint up to date; returns how many were written."""
    from factcheck.models import Source

    sources = Source.objects.only("id", "text", "text_sha256") if force else stale_sources()
    return sum(refresh_fingerprint(source, force=force) for source in sources.iterator(chunk_size=100))


def ensure_fingerprints(using="default"):
    from factcheck.models import SourceFingerprint

    if using == "default" and SourceFingerprint._meta.db_table in connections[using].introspection.table_names():
        refresh_all()


def recompute_fingerprints(using="default"):
    return refresh_all(force=True) if using == "default" else 0


def find_near_duplicate(text, *, exclude=None, threshold=near_duplicates.THRESHOLD):
    """The stored source ``text`` most resembles, if at least ``threshold`` alike; else None.

    Reads the band index for candidates (sources sharing a band with the
    text), then compares at most ``MAX_CANDIDATES`` signatures.
    """
    from factcheck.models import FingerprintBand, SourceFingerprint

    sig = near_duplicates.signature(text)
    candidates = FingerprintBand.objects.filter(key__in=near_duplicates.band_keys(sig))
    if exclude is not None:
        candidates = candidates.exclude(source_id=exclude)
    ranked = list(
        candidates.values("source_id").annotate(shared=Count("id")).order_by("-shared", "source_id")[:MAX_CANDIDATES]
    )
    best = None
    stored = SourceFingerprint.objects.filter(source_id__in=[row["source_id"] for row in ranked])
    for source_id, other in stored.values_list("source_id", "signature"):
        alike = near_duplicates.similarity(sig, other)
        if alike >= threshold and (best is None or (alike, -source_id) > (best.similarity, -best.source_id)):
            best = NearDuplicate(source_id, alike)
    return best


def _source_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_fingerprint(instance)


def connect_signals():
    from factcheck.models import Source

    post_save.connect(_source_saved, sender=Source, dispatch_uid="fingerprint-source-saved")
