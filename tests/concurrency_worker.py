"""One process of the concurrency test (tests/integration/test_concurrency.py), run as a subprocess.

    python -m tests.concurrency_worker setup --workers N     # users, claims, notes; prints the targets
    python -m tests.concurrency_worker work --worker I --ops M --go FILE --barrier DIR --workers N
    python -m tests.concurrency_worker dump                   # final state and history, as JSON

The database comes from DATABASE_URL, like the app's. Each save carries the
version its worker read just before, through the editors' services
(factcheck.services): exactly what a view does with a form's hidden version.

Each worker's first save is a certain collision: every worker reads the first
hot note, waits at a barrier until all have read it, then saves. All of them
saved from the same version, so exactly one may win. The other saves are left
to chance, with the editors typing for random short times between read and save.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()


def setup(workers):
    from django.contrib.auth import get_user_model

    from factcheck.models import Assertion, Claim, Source, Topic
    from factcheck.roles import ensure_editor_group
    from factcheck.services import annotation_create

    group = ensure_editor_group()
    users = []
    for i in range(workers):
        user = get_user_model().objects.create_user(f"editor{i}", password="unused-password-123")
        user.groups.add(group)
        users.append(user)
    text = "Russia keeps its naval base at Tartus. Talks about the bases are active as of July 2025."
    a = Source.objects.create(key="conc-a", title="A", text=text)
    b = Source.objects.create(key="conc-b", title="B", text=text + " (B)")
    topic = Topic.objects.create(slug="conc", title="Concurrency?")
    claims = []
    for i in range(2 + workers):
        claim = Claim.objects.create(topic=topic, key=f"conc-{i}", text=f"Contended claim {i}.")
        for source, stance, quote in (
            (a, "supports", "Russia keeps its naval base at Tartus."),
            (b, "disputes", "Talks about the bases are active as of July 2025."),
        ):
            assertion = Assertion(claim=claim, source=source, stance=stance, quote=quote)
            assertion.locate()
            assertion.save()
        claims.append(claim)
    # Two hot notes and two hot claims everyone edits; one cold note and claim per worker.
    notes = [annotation_create(claim=c, author=users[0], body=f"Note on {c.key}.") for c in claims]
    targets = {
        "hot_notes": [n.pk for n in notes[:2]],
        "hot_claims": [c.pk for c in claims[:2]],
        "cold_notes": [n.pk for n in notes[2:]],
        "cold_claims": [c.pk for c in claims[2:]],
        "users": [u.pk for u in users],
    }
    print(json.dumps(targets))


def _barrier(directory, worker, workers):
    """Return once all ``workers`` have arrived: each leaves a file in ``directory``."""
    Path(directory, str(worker)).touch()
    while len(os.listdir(directory)) < workers:
        time.sleep(0.001)


def work(worker, ops, go, targets, seed, barrier, workers):
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from factcheck.models import Annotation, Claim, Resolution, Verdict
    from factcheck.services import StaleEdit, annotation_update, resolution_save

    rng = random.Random(seed * 1000 + worker)
    user = get_user_model().objects.get(pk=targets["users"][worker])
    verdicts = list(Verdict.values)
    while not os.path.exists(go):  # start together, to collide
        time.sleep(0.01)
    for op in range(ops):
        collide = op == 0
        hot = collide or rng.random() < 0.7
        kind = "note" if collide or rng.random() < 0.5 else "resolution"
        if collide:
            pk = targets["hot_notes"][0]
        elif kind == "note":
            pk = rng.choice(targets["hot_notes"]) if hot else targets["cold_notes"][worker]
        else:
            pk = rng.choice(targets["hot_claims"]) if hot else targets["cold_claims"][worker]
        text = f"worker {worker} op {op}"
        record = {"worker": worker, "op": op, "kind": kind, "pk": pk, "text": text}
        try:
            if kind == "note":
                note = Annotation.objects.get(pk=pk)  # what the editor's form was built from
                record["based_on"] = note.version
                if collide:
                    _barrier(barrier, worker, workers)  # everyone has read this version; now all save
                else:
                    time.sleep(rng.random() * 0.005)  # the editor types
                saved = annotation_update(annotation=note, user=user, body=text, version=note.version)
            else:
                claim = Claim.objects.get(pk=pk)
                current = Resolution.objects.filter(claim=claim).first()
                record["based_on"] = current.version if current else 0
                time.sleep(rng.random() * 0.005)
                saved = resolution_save(
                    publish=True,
                    claim=claim,
                    user=user,
                    verdict=rng.choice(verdicts),
                    rationale=text,
                    prevailing=[],
                    version=record["based_on"],
                )
            record.update(result="ok", version=saved.version)
        except StaleEdit as exc:
            record.update(result="stale", current=exc.current.version if exc.current else None)
        except Exception as exc:  # anything else is a failure the test reports
            record.update(result="error", error=f"{type(exc).__name__}: {exc}")
        print(json.dumps(record), flush=True)
        close_old_connections()


def dump():
    from factcheck.models import Annotation, Resolution

    state = {"note": {}, "resolution": {}}
    for note in Annotation.objects.all():
        state["note"][note.pk] = {
            "version": note.version,
            "text": note.body,
            "history": [[h.version, h.body, h.history_type] for h in note.history.order_by("history_id")],
        }
    for res in Resolution.objects.all():
        state["resolution"][res.claim_id] = {
            "version": res.version,
            "text": res.rationale,
            "claim_status": res.claim.status,
            "history": [[h.version, h.rationale, h.history_type] for h in res.history.order_by("history_id")],
        }
    print(json.dumps(state))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["setup", "work", "dump"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--ops", type=int, default=30)
    parser.add_argument("--go", default="")
    parser.add_argument("--barrier", default="")
    parser.add_argument("--targets", default="{}")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _django()
    if args.action == "setup":
        setup(args.workers)
    elif args.action == "work":
        work(args.worker, args.ops, args.go, json.loads(args.targets), args.seed, args.barrier, args.workers)
    else:
        dump()


if __name__ == "__main__":
    sys.exit(main())
