"""Queries and time of the review queue's tabs and the inbox on a large corpus (issue 17).

    DATABASE_URL=sqlite:///var/bench-desk/claims-100000.sqlite3 python -m tools.bench_desk [--notifications N]

Run against a database built by ``python -m tools.bench_data``: makes an
editor with N notifications (default 5,000) and a few hundred draft
decisions and assignments, then requests each queue tab (page and htmx
partial), the inbox and its badge through Django's test client, printing
per URL the number of queries and the median of 5 timings. Writes nothing
but those rows; the corpus it measures is a throwaway.
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
if __name__ == "__main__":
    from tools.cli import setup_django

    setup_django()

import argparse
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from factcheck.models import Claim, Event, Notification, Resolution
from factcheck.roles import ensure_editor_group
from factcheck.selectors.queue import QUEUE_TABS

ROUNDS = 5


def _desk(notifications):
    User = get_user_model()
    editor, _ = User.objects.get_or_create(username="bench-desk-editor")
    editor.groups.add(ensure_editor_group())
    if not Notification.objects.filter(recipient=editor).exists():
        claims = list(Claim.objects.order_by("id").values_list("id", flat=True)[:notifications])
        Notification.objects.bulk_create(
            Notification(recipient=editor, event=Event.MENTION, claim_id=pk, text=f"Mention {i}", url=f"/claims/{pk}/")
            for i, pk in enumerate(claims)
        )
        # Some drafts to approve and some claims of one's own.
        drafts = list(Resolution.objects.order_by("id").values_list("id", flat=True)[:300])
        Resolution.objects.filter(pk__in=drafts).update(is_published=False)
        Claim.objects.filter(pk__in=claims[:300]).update(assigned_to=editor)
    return editor


def _measure(client, path, **headers):
    timings, queries, status = [], None, None
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            timings.append(time.perf_counter() - started)
        status, queries = response.status_code, len(captured.captured_queries)
    return status, queries, statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=5_000)
    args = parser.parse_args()
    editor = _desk(args.notifications)
    client = Client()
    client.force_login(editor)
    print(
        f"corpus: {Claim.objects.count():,} claims, {Notification.objects.count():,} notifications, "
        f"at {timezone.now():%Y-%m-%d %H:%M}"
    )
    print(f"{'url':<36} {'status':>6} {'queries':>7} {'median ms':>9}")
    paths = [(f"/review/?tab={tab}", {}) for tab, _label in QUEUE_TABS]
    paths += [(f"/review/?tab={tab}&sort=sources", {"HX-Request": "true"}) for tab, _label in QUEUE_TABS]
    paths += [("/inbox/", {}), ("/inbox/", {"HX-Request": "true"}), ("/inbox/badge/", {"HX-Request": "true"})]
    with override_settings(DEBUG=False):
        for path, headers in paths:
            status, queries, median = _measure(client, path, **headers)
            label = path + (" (htmx)" if headers else "")
            print(f"{label:<36} {status:>6} {queries:>7} {median * 1000:>9.1f}")


if __name__ == "__main__":
    main()
