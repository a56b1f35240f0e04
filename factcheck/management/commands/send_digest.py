"""One email per editor with the notifications of the last day: schedule it daily (cron, systemd timer)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from factcheck.services.digest import digest_queue


class Command(BaseCommand):
    help = "Queue a daily digest email for each editor with notifications in the last --hours (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="How far back the digest reaches (default 24).")

    def handle(self, *args, hours=24, **options):
        since = timezone.now() - dt.timedelta(hours=hours)
        queued = digest_queue(since=since)
        self.stdout.write(f"Digest: {queued} email{'s' if queued != 1 else ''} queued; run_worker sends them.")
