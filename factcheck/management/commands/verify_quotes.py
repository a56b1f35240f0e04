from django.core.management.base import BaseCommand, CommandError

from factcheck import quotes
from factcheck.models import Assertion


class Command(BaseCommand):
    help = "Re-check every stored quote against its source text; exit non-zero listing each failure."

    def handle(self, *args, **options):
        failures = []
        checked = 0
        assertions = Assertion.objects.select_related("source").order_by("source_id", "id")
        for assertion in assertions.iterator(chunk_size=500):
            checked += 1
            if not assertion.matches_source():
                nearest = quotes.nearest_passage(assertion.source.text, assertion.quote)
                failures.append(
                    f"assertion {assertion.pk} (claim {assertion.claim_id}, source {assertion.source_id} "
                    f"“{assertion.source.title}”, {assertion.start}–{assertion.end}): quote “{assertion.quote[:120]}” "
                    f"no longer matches; nearest passage: “{nearest}”"
                )
        if failures:
            raise CommandError(f"{len(failures)} of {checked} quotes do not match:\n" + "\n".join(failures))
        self.stdout.write(f"All {checked} quotes match their sources.")
