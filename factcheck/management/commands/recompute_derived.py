from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck import derived


class Command(BaseCommand):
    help = (
        "Recreate every derived-state trigger and recompute every derived value from scratch "
        "(claim status, topic counts, search index, passages, corpus version); see factcheck/derived.py. "
        "With --check, change nothing: report stale claims and missing triggers, and exit 1 if there are any."
    )
    # The repair for what the derived-state check reports: it must run when that check fails.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to repair (default: default).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report how many claims' stored status differs from the rules' and what is missing; write nothing.",
        )

    def handle(self, *args, **options):
        using = options["database"]
        if options["check"]:
            return self._check(using)
        done = derived.recompute_all(using)
        stale = done.get("claim status") or 0
        self.stdout.write(
            f"claim status: {stale} claim(s) had a stale status, source count or origin count, now repaired"
        )
        self.stdout.write(f"passages: {done.get('passages') or 0} source(s) re-cut")
        self.stdout.write(f"search index: rebuilt {', '.join(done.get('search index') or []) or 'nothing'}")
        self.stdout.write("topic counts: recounted; corpus version: bumped")
        left = derived.problems(using)
        for problem in left:
            self.stderr.write(f"{problem.id} {problem.derived}: {problem.message}")
        if not left:
            self.stdout.write(self.style.SUCCESS("Every derived value is in place and current."))

    def _check(self, using):
        # The repair's own rules, rolled back: what it would change is what is stale.
        with transaction.atomic(using=using):
            stale = derived.recompute_claim_status(using)
            transaction.set_rollback(True, using=using)
        left = derived.problems(using)
        self.stdout.write(f"claim status: {stale} claim(s) with a stale status, source count or origin count")
        for problem in left:
            self.stderr.write(f"{problem.id} {problem.derived}: {problem.message}")
        if stale or left:
            raise CommandError(
                f"{stale} stale claim(s), {len(left)} derived-state problem(s): run manage.py recompute_derived."
            )
        self.stdout.write(self.style.SUCCESS("Every claim's status is current and every trigger in place."))
