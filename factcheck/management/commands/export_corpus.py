import io
import json

from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import export_corpus, export_csv
from factcheck.management.progress import Progress
from factcheck.models import Topic


class Command(BaseCommand):
    help = (
        "Export the corpus (or some topics) as factcheck-corpus/2 JSON, "
        "or its claims and assertions as CSV (one row per assertion)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--topic", action="append", default=[], help="Topic slug; repeat for several.")
        parser.add_argument("--format", choices=["json", "csv"], help="Default: from the -o file name, else json.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--progress", action="store_true", help="Report progress on stderr even when it is not a terminal."
        )

    def handle(self, *args, **options):
        topics = None
        if options["topic"]:
            topics = list(Topic.objects.filter(slug__in=options["topic"]))
            missing = set(options["topic"]) - {t.slug for t in topics}
            if missing:
                raise CommandError(f"Unknown topic(s): {', '.join(sorted(missing))}")
        output = options["output"]
        fmt = options["format"] or ("csv" if output and output.lower().endswith(".csv") else "json")
        progress = Progress(self.stderr, requested=options["progress"])
        if fmt == "csv":
            buffer = io.StringIO(newline="")
            rows = export_csv(buffer, topics=topics, progress=progress)
            text = buffer.getvalue()
            summary = f"{rows} rows"
        else:
            data = export_corpus(topics=topics, progress=progress)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            summary = f"{len(data['sources'])} sources, {len(data['topics'])} topics, {len(data['claims'])} claims"
        progress.close()
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}") from None
            self.stderr.write(f"Exported {summary} as {fmt.upper()} to {output}.")
        else:
            self.stdout.write(text, ending="")
            self.stderr.write(f"Exported {summary} as {fmt.upper()}.")
