from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import CorpusError, import_corpus, read_corpus_file
from factcheck.management.progress import Progress


class Command(BaseCommand):
    help = (
        "Import a corpus file: factcheck-corpus/1 JSON, or claims and assertions as CSV. "
        "Validates everything first; writes all or nothing; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .json corpus or a .csv of claims (one row per assertion).")
        parser.add_argument("--format", choices=["json", "csv"], help="Default: from the file name, else the content.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report what would change; write nothing.")
        parser.add_argument(
            "--progress", action="store_true", help="Report progress on stderr even when it is not a terminal."
        )

    def handle(self, *args, **options):
        path = options["file"]
        progress = Progress(self.stderr, requested=options["progress"])
        try:
            data, base_dir = read_corpus_file(path, fmt=options["format"])
            result = import_corpus(data, base_dir=base_dir, label=path, progress=progress, dry_run=options["dry_run"])
        except CorpusError as exc:
            progress.close()
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported:\n" + str(exc)) from None
        progress.close()
        if options["verbosity"] > 1:
            for line in result.changes:
                self.stdout.write(f"  {line}")
        if options["dry_run"]:
            self.stdout.write(f"Checked {path}, nothing written; importing it would leave: {result.summary()}.")
        else:
            self.stdout.write(f"Imported {path}: {result.summary()}.")
