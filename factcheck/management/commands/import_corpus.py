import sys

from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import CorpusError, import_corpus, read_corpus_file


class Command(BaseCommand):
    help = "Import a factcheck corpus JSON file. Validates everything first; writes all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a factcheck-corpus/1 JSON file.")

    def handle(self, *args, **options):
        path = options["file"]
        show_progress = sys.stderr.isatty()

        def progress(done, total):
            if show_progress and (done == total or done % 100 == 0):
                self.stderr.write(f"\r  claims {done}/{total}", ending="")

        try:
            data, base_dir = read_corpus_file(path)
            result = import_corpus(data, base_dir=base_dir, label=path, progress=progress)
        except CorpusError as exc:
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported:\n" + str(exc)) from None
        if show_progress:
            self.stderr.write("")
        self.stdout.write(f"Imported {path}: {result.summary()}.")
