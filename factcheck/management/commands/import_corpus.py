from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import CorpusError, EditorialWork, import_corpus, read_corpus_file
from factcheck.management.progress import Progress


class Command(BaseCommand):
    help = (
        "Import a corpus file: factcheck-corpus/2 JSON (or the older /1), or claims and assertions as CSV. "
        "Validates everything first; writes all or nothing; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .json corpus or a .csv of claims (one row per assertion).")
        parser.add_argument("--format", choices=["json", "csv"], help="Default: from the file name, else the content.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report what would change; write nothing.")
        parser.add_argument(
            "--replace-editorial",
            action="store_true",
            help="Let the import delete or change editors' notes, decisions (resolutions) and assertions, "
            "each recorded in history; without it an import that would is refused (see --dry-run for the list).",
        )
        parser.add_argument(
            "--progress", action="store_true", help="Report progress on stderr even when it is not a terminal."
        )

    def handle(self, *args, **options):
        path = options["file"]
        progress = Progress(self.stderr, requested=options["progress"])
        try:
            data, base_dir = read_corpus_file(path, fmt=options["format"])
            result = import_corpus(
                data,
                base_dir=base_dir,
                label=path,
                progress=progress,
                dry_run=options["dry_run"],
                replace_editorial=options["replace_editorial"],
            )
        except EditorialWork as exc:
            progress.close()
            raise CommandError(
                f"{path} would delete or change {len(exc.problems)} item(s) of editors' work; nothing was imported. "
                "Check each, then run again with --replace-editorial to replace them (recorded in history):\n"
                + "\n".join(f"  {item}" for item in exc.problems)
            ) from None
        except CorpusError as exc:
            progress.close()
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported:\n" + str(exc)) from None
        progress.close()
        if options["verbosity"] > 1:
            for line in result.changes:
                self.stdout.write(f"  {line}")
        if options["dry_run"]:
            self.stdout.write(f"Checked {path}, nothing written; importing it would leave: {result.summary()}.")
            if result.editorial:
                self.stdout.write(
                    f"It would delete or change {len(result.editorial)} item(s) of editors' work "
                    "(the import needs --replace-editorial):"
                )
        else:
            self.stdout.write(f"Imported {path}: {result.summary()}.")
            if result.editorial:
                self.stdout.write(f"Replaced {len(result.editorial)} item(s) of editors' work, recorded in history:")
        for item in result.editorial:
            self.stdout.write(f"  {item}")
