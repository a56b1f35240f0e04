from django.core.management.base import BaseCommand, CommandError

from factcheck.evidence_eval import DEFAULT_SET, SEED_DIRS, EvalError, load_questions, run


class Command(BaseCommand):
    help = (
        "Measure the evidence finder on a question set: recall@1 and recall@5, beside plain BM25 over "
        "sentences. Seed sources missing from the database are added for the run and rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", default=str(DEFAULT_SET), help="JSON list of {query, source, passage}.")
        parser.add_argument("--seeds", action="append", help="Folder holding the seed files (repeatable).")
        parser.add_argument("--misses", action="store_true", help="List the questions not answered at rank 1.")

    def handle(self, *args, **options):
        try:
            report = run(load_questions(options["set"]), options["seeds"] or SEED_DIRS)
        except EvalError as exc:
            raise CommandError(str(exc)) from None
        if options["misses"]:
            for o in report.outcomes:
                if o.rank != 1:
                    self.stdout.write(f"#{o.question.get('id')} rank {o.rank or '>5'} (baseline {o.baseline_rank or '>5'}): "
                                      f"{o.question['query']}\n    want: {o.question['passage'][:100]}\n    got:  "
                                      + "\n          ".join(t[:100] for t in o.top[:2]))
        self.stdout.write(report.summary())
