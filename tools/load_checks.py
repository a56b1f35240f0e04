"""The load test's work inside Django, run in a subprocess against its scratch database.

    python -m tools.load_checks targets N      # create N editors; print what the users will visit (JSON)
    python -m tools.load_checks integrity FILE # check the database against FILE's records (JSON)

``tools/loadtest.py`` runs these with DATABASE_URL set to the scratch database;
the load test's own process never loads Django.
"""

import json
import sys
from pathlib import Path

EDITOR_PASSWORD = "load-test-passphrase-42"


def targets(editors):
    from django.contrib.auth import get_user_model

    from factcheck.models import Claim, Source, Topic
    from factcheck.roles import ensure_editor_group

    group = ensure_editor_group()
    names = []
    for i in range(editors):
        user = get_user_model().objects.create_user(f"load-editor-{i}", password=EDITOR_PASSWORD)
        user.groups.add(group)
        names.append(user.username)
    return {
        "editors": names,
        "claims": list(Claim.objects.values_list("id", flat=True)),
        "conflicts": list(Claim.objects.in_conflict().values_list("id", flat=True)),
        "topics": list(Topic.objects.values_list("slug", flat=True)),
        "sources": list(Source.objects.values_list("id", flat=True)),
    }


def integrity(records):
    """The integrity check of the database after a run; returns a report dict."""
    from django.db import connection

    from factcheck.models import Annotation, Claim, Resolution

    problems = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            result = cursor.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                problems.append(f"PRAGMA integrity_check: {result[:5]}")
            fk = cursor.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"PRAGMA foreign_key_check: {fk[:5]}")
    claims = Claim.objects.prefetch_related("assertions__source")
    checked = 0
    for claim in claims:
        assertions = list(claim.assertions.all())
        expected = claim.compute_status(assertions)
        sources = len({a.source_id for a in assertions})
        if (claim.status, claim.source_count) != (expected, sources):
            problems.append(
                f"claim {claim.pk}: stored {claim.status}/{claim.source_count}, derived {expected}/{sources}"
            )
        checked += 1
    claim_ids = set(Claim.objects.values_list("id", flat=True))
    orphans = Annotation.objects.exclude(claim_id__in=claim_ids).count()
    orphans += Resolution.objects.exclude(claim_id__in=claim_ids).count()
    through = Resolution.prevailing.through.objects.select_related("assertion", "resolution")
    orphans += sum(1 for row in through if row.assertion.claim_id != row.resolution.claim_id)
    if orphans:
        problems.append(f"{orphans} orphan rows")
    notes = {n.pk: n for n in Annotation.objects.all()}
    unrendered = [pk for pk, n in notes.items() if n.body and not n.body_html]
    if unrendered:
        problems.append(f"notes without rendered HTML: {unrendered[:10]}")
    historyless = [pk for pk, n in notes.items() if not n.history.filter(history_type="+").exists()]
    if historyless:
        problems.append(f"notes without a creation history row: {historyless[:10]}")
    for model in (Annotation, Resolution):
        for obj in model.objects.all():
            rows = obj.history.count()
            if rows < obj.version:  # one row per save; a save bumps the version
                problems.append(f"{model.__name__} {obj.pk}: version {obj.version} but {rows} history rows")
    lost = []
    for pk, body in records["acknowledged"].items():
        note = notes.get(int(pk))
        allowed = {body, *records["uncertain"].get(pk, [])}
        if note is None or note.body not in allowed:
            lost.append(int(pk))
    if lost:
        problems.append(f"acknowledged writes missing: notes {lost[:10]}")
    acknowledged_ids = {int(pk) for pk in records["acknowledged"]}
    unacknowledged = [n for pk, n in notes.items() if pk not in acknowledged_ids and n.body.startswith("Load note by")]
    cut = records["created_uncertain"]
    if len(unacknowledged) > len(cut):
        problems.append(f"{len(unacknowledged)} notes nobody was told about, but only {len(cut)} creates were cut off")
    return {
        "vendor": connection.vendor,
        "claims_checked": checked,
        "notes": len(notes),
        "acknowledged_notes": len(records["acknowledged"]),
        "lost_writes": len(lost),
        "cut_off_creates_that_landed": len(unacknowledged),
        "problems": problems,
    }


def main(argv):
    from tools.cli import setup_django

    setup_django()
    if argv[0] == "targets":
        print(json.dumps(targets(int(argv[1]))))
    elif argv[0] == "integrity":
        print(json.dumps(integrity(json.loads(Path(argv[1]).read_text()))))
    else:
        sys.exit(f"load_checks: unknown action {argv[0]!r}; expected targets or integrity")


if __name__ == "__main__":
    main(sys.argv[1:])
