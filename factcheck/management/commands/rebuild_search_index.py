from django.core.management.base import BaseCommand, CommandError

from factcheck import evidence, search_index


class Command(BaseCommand):
    help = (
        "Recreate the search index tables and triggers, rebuild every index from the documents, and re-cut "
        "the evidence finder's passages. --check only reports what is out of date (exit 1 if anything is)."
    )

    def add_arguments(self, parser):
        # A check changes nothing, so asking it to re-cut passages as well is refused, not ignored.
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true", help="Report without changing anything.")
        mode.add_argument(
            "--passages-only", action="store_true", help="Re-cut only the passages of new or changed sources."
        )

    def handle(self, *args, **options):
        if options["check"]:
            problems = [
                f"{kind}: {docs} documents, {indexed} indexed"
                for kind, (docs, indexed) in search_index.index_counts().items()
                if docs != indexed
            ]
            stale = evidence.stale_sources().count()
            if stale:
                problems.append(f"passages: {stale} source(s) with missing or outdated passages")
            if problems:
                raise CommandError("Search index out of date:\n" + "\n".join(problems))
            self.stdout.write("Search index and passages are up to date.")
            return
        recut = evidence.refresh_all_passages(force=not options["passages_only"])
        rebuilt = [] if options["passages_only"] else search_index.ensure_search_schema(force_rebuild=True)
        counts = search_index.index_counts()
        summary = ", ".join(f"{kind} {indexed}" for kind, (_docs, indexed) in counts.items())
        self.stdout.write(f"Re-cut passages of {recut} source(s); rebuilt {len(rebuilt)} index(es): {summary}.")
