from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.backup import describe, is_empty, restore_backup, summary_counts


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into a migrated database. Refuses to replace "
        "a database that already holds data unless --force is given; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="A backup written by `manage.py backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data already in the database with the backup's."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such backup file.")
        if not options["force"] and not is_empty():
            raise CommandError(
                f"The database is not empty ({describe(summary_counts())}). "
                "Restoring would replace all of it; run again with --force to do so."
            )
        try:
            counts = restore_backup(path)
        except CommandError:
            raise
        except Exception as exc:  # loaddata wraps bad input in many types; nothing was written
            raise CommandError(f"{path}: not restored, the database is unchanged: {exc}") from None
        self.stdout.write(f"Restored {describe(counts)} from {path}.")
