"""Send what the outbox holds: notification emails and webhook calls, with retries."""

import time

from django.core.management.base import BaseCommand

from factcheck.outbox import process_due


class Command(BaseCommand):
    help = "Send due notification emails and webhook calls from the outbox, retrying failures with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls (default 5).")

    def handle(self, *args, once=False, interval=5.0, **options):
        if once:
            sent = process_due()
            self.stdout.write(f"Outbox: {sent} deliver{'y' if sent == 1 else 'ies'} attempted.")
            return
        self.stdout.write(f"Outbox worker: polling every {interval:g} s; Ctrl-C stops it.")
        try:
            while True:
                if not process_due():
                    time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Outbox worker stopped.")
