from django.core.management.base import BaseCommand

from factcheck import derived


class Command(BaseCommand):
    help = (
        "Recreate every derived-state trigger and recompute every derived value from scratch "
        "(claim status, topic counts, search index, passages, corpus version); see factcheck/derived.py."
    )
    # The repair for what the derived-state check reports: it must run when that check fails.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database to repair (default: default).")

    def handle(self, *args, **options):
        using = options["database"]
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
