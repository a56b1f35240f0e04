import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.corpus import CorpusError, EditorialWork, import_corpus, read_corpus_file
from factcheck.roles import ensure_editor_group, ensure_moderator_group, ensure_publisher_group

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"


class Command(BaseCommand):
    help = "Load the seed corpus and, with DEBUG on only, create the demo accounts 'editor', 'publisher' and 'admin'."

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true", help="Load the corpus only.")

    def handle(self, *args, **options):
        try:
            data, base_dir = read_corpus_file(SEED)
            result = import_corpus(data, base_dir=base_dir, label=str(SEED))
        except EditorialWork as exc:
            # `make run` calls this every time: editors' work on the demo outlives a restart.
            result = None
            self.stderr.write(
                f"Seed corpus not reloaded: it would delete or change {len(exc.problems)} item(s) of editors' work "
                f"(see manage.py import_corpus {SEED} --dry-run)."
            )
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        group = ensure_editor_group()
        # Staff put in it may revert history; the demo 'admin', a superuser, may anyway.
        ensure_moderator_group()
        # Approving decisions for publication: the demo's 'publisher', a second editor (docs/editors.md).
        publishers = ensure_publisher_group()
        if result is not None:
            self.stdout.write(f"Seed corpus: {result.summary()}.")
        if options["no_accounts"]:
            return
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts are only created with DJANGO_DEBUG=1; production has no default accounts."
            )
        User = get_user_model()
        lines = []
        for username, is_staff in (("editor", False), ("publisher", False), ("admin", True)):
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = is_staff
            user.set_password(password)
            user.save()
            user.groups.add(group)
            if username == "publisher":
                user.groups.add(publishers)
            lines.append(f"  {username:7} {password}")
        self.stdout.write("Demo accounts (new passwords on every run):\n" + "\n".join(lines))
