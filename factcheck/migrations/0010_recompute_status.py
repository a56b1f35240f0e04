"""Recompute every claim's status and origin count under issue 14's rules.

Migration 0009 added ``Claim.origin_count`` (0 everywhere) and the rules
changed (voices, origins, event and state claims, "qualified"): stored
statuses are stale until recomputed. This runs the rules once, through the
historical models, so ``migrate`` alone carries a database over.

It imports two things from the app, both pure functions of rows already
fetched: ``status_of`` and ``factcheck.voices``. They read only fields that
exist as of 0009 (stance, speaker, source, the period, the claim's kind). If
a later change makes them read a field added after 0009, copy today's
versions here. ``manage.py recompute_derived`` does the same work with the
current models and remains the repair for anything left stale later.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from factcheck import voices
    from factcheck.models.claims import status_of

    using = schema_editor.connection.alias
    Claim = apps.get_model("factcheck", "Claim")
    Resolution = apps.get_model("factcheck", "Resolution")
    SourceDerivation = apps.get_model("factcheck", "SourceDerivation")
    closed = set(Resolution.objects.using(using).filter(is_open=False).values_list("claim_id", flat=True))
    roots = voices.load_all_roots(using, model=SourceDerivation)
    claims = Claim.objects.using(using).only("id", "kind", "status", "source_count", "origin_count")
    for claim in claims.prefetch_related("assertions").order_by("id").iterator(chunk_size=500):
        assertions = list(claim.assertions.all())
        status = "resolved" if claim.pk in closed else str(status_of(assertions, claim.kind, roots))
        source_count = len({a.source_id for a in assertions})
        origins = voices.origin_count(assertions, roots)
        if (status, source_count, origins) != (claim.status, claim.source_count, claim.origin_count):
            Claim.objects.using(using).filter(pk=claim.pk).update(
                status=status, source_count=source_count, origin_count=origins
            )


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0009_speakers_periods_origins")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
