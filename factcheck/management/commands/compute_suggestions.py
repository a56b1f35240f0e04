from django.core.management.base import BaseCommand, CommandError

from factcheck.models import Source
from factcheck.suggestions import compute


class Command(BaseCommand):
    help = (
        "Suggest what sources speak to (existing claims, possible new ones), as the intake's background task "
        "does, here and now: the given source ids, or --all. Editors' decisions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Source ids.")
        parser.add_argument("--all", action="store_true", help="Every source with a text.")

    def handle(self, *args, **options):
        if bool(options["ids"]) == options["all"]:
            raise CommandError("Give source ids, or --all (not both).")
        sources = Source.objects.exclude(text="").order_by("id")
        if options["ids"]:
            sources = sources.filter(pk__in=options["ids"])
            missing = set(options["ids"]) - set(sources.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No source with id {', '.join(map(str, sorted(missing)))}.")
        claims = new_claims = done = 0
        for source in sources.iterator(chunk_size=50):
            found, new = compute(source)
            claims, new_claims, done = claims + found, new_claims + new, done + 1
        self.stdout.write(f"Suggestions for {done} source(s): {claims} of existing claims, {new_claims} possible new.")
