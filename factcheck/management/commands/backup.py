from django.core.management.base import BaseCommand, CommandError

from factcheck.backup import describe, write_backup

SUFFIXES = (".json", ".json.gz", ".json.bz2", ".json.xz")


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database (users, corpus, annotations, resolutions, history) "
        "as JSON to FILE; .gz/.xz/.bz2 names are compressed. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="Where to write the backup.")

    def handle(self, *args, **options):
        path = options["output"]
        if not path.endswith(SUFFIXES):
            # loaddata reads the format from the name: keep it in the name.
            raise CommandError(f"{path}: the file name must end in one of {', '.join(SUFFIXES)}.")
        try:
            counts = write_backup(path)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from None
        self.stdout.write(f"Backed up {describe(counts)} to {path}.")
