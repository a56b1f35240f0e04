import json

from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import export_corpus
from factcheck.models import Topic


class Command(BaseCommand):
    help = "Export the corpus (or some topics) as factcheck-corpus/1 JSON."

    def add_arguments(self, parser):
        parser.add_argument("--topic", action="append", default=[], help="Topic slug; repeat for several.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        topics = None
        if options["topic"]:
            topics = list(Topic.objects.filter(slug__in=options["topic"]))
            missing = set(options["topic"]) - {t.slug for t in topics}
            if missing:
                raise CommandError(f"Unknown topic(s): {', '.join(sorted(missing))}")
        data = export_corpus(topics=topics)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        summary = f"{len(data['sources'])} sources, {len(data['topics'])} topics, {len(data['claims'])} claims"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"Exported {summary} to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
            self.stderr.write(f"Exported {summary}.")
