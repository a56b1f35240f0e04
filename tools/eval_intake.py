"""Measuring "what this document speaks to", leaving one source out at a time.

    python -m tools.eval_intake [--misses]      # make eval

Loads the seed corpus (fixtures/seed_corpus.json) into a scratch SQLite
database. For each of its sources, the source's assertions are taken out
and the matching is run on its text: an assertion is found at rank k when
its claim is among the first k claims suggested for a sentence its quote
overlaps. Prints recall@5 and recall@10 per source and over all, the
accuracy of the suggested stance (and speaker) on the assertions found at
10, and the stance confusion (right stance → suggested).
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
import os
import tempfile

if __name__ == "__main__":
    _SCRATCH = tempfile.TemporaryDirectory(prefix="factcheck-eval-intake-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_SCRATCH.name}/eval.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "eval-intake")
    from tools.cli import setup_django

    setup_django()

import collections
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from factcheck.models import Assertion, Source
from factcheck.suggestions.matching import match_text

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"
K = 10


@dataclass
class SourceReport:
    title: str
    ranks: list = field(default_factory=list)  # per assertion: 1-based rank of its claim, 0 if not in the first K
    claim_ranks: dict = field(default_factory=dict)  # per claim attached: its best rank over its assertions
    stances: list = field(default_factory=list)  # (right, suggested) for assertions found at K
    speakers: list = field(default_factory=list)  # (right speaker id, suggested) for assertions found at K

    def recall(self, k):
        """Of the claims the source was attached to, the share found at rank k for one of its quotes."""
        ranks = list(self.claim_ranks.values())
        return sum(1 for r in ranks if 0 < r <= k) / max(len(ranks), 1)

    def quote_recall(self, k):
        """Stricter: of the quotes, the share whose own sentence has the claim at rank k."""
        return sum(1 for r in self.ranks if 0 < r <= k) / max(len(self.ranks), 1)


def evaluate_source(source, k=K):
    """Match ``source``'s text against every claim, as if none of its assertions existed."""
    report = SourceReport(source.title)
    matched = match_text(source.text, limit=k)
    for a in Assertion.objects.filter(source=source).order_by("start", "id"):
        best = None
        for p in matched:
            if p.start < a.end and a.start < p.end:
                for rank, m in enumerate(p.matches, 1):
                    if m.claim_id == a.claim_id and (best is None or rank < best[0]):
                        best = (rank, m.stance, p.speaker_id)
        report.ranks.append(best[0] if best else 0)
        rank = best[0] if best else 0
        known = report.claim_ranks.get(a.claim_id, 0)
        report.claim_ranks[a.claim_id] = min(r for r in (known, rank) if r) if known or rank else 0
        if best:
            report.stances.append((a.stance, best[1]))
            report.speakers.append((a.speaker_id, best[2]))
    return report


def run(k=K):
    """Every seed source in turn; the corpus must already be loaded."""
    return [evaluate_source(s, k) for s in Source.objects.order_by("id")]


def table(reports):
    lines = [
        f"{'source':<40} {'claims':>6} {'r@5':>6} {'r@10':>6} {'quotes':>6} {'q r@5':>6} {'q r@10':>6}"
        f" {'stance':>7} {'speaker':>8}"
    ]
    everything = SourceReport("all five sources")
    for r in [*reports, None]:
        if r is None:
            r = everything
            lines.append("-" * 98)
        else:
            everything.ranks += r.ranks
            everything.claim_ranks.update({(r.title, c): rank for c, rank in r.claim_ranks.items()})
            everything.stances += r.stances
            everything.speakers += r.speakers
        stance = sum(1 for a, b in r.stances if a == b) / max(len(r.stances), 1)
        speaker = sum(1 for a, b in r.speakers if a == b) / max(len(r.speakers), 1)
        lines.append(
            f"{r.title[:40]:<40} {len(r.claim_ranks):>6} {r.recall(5):>6.3f} {r.recall(10):>6.3f}"
            f" {len(r.ranks):>6} {r.quote_recall(5):>6.3f} {r.quote_recall(10):>6.3f} {stance:>7.3f} {speaker:>8.3f}"
        )
    confusion = collections.Counter(everything.stances)
    lines.append("")
    lines.append(
        "stance confusion (right → suggested): "
        + ", ".join(f"{a} → {b}: {n}" for (a, b), n in sorted(confusion.items()))
    )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Leave-one-source-out recall@5/@10 and stance accuracy of the document → claims matching, on the seeds."

    def add_arguments(self, parser):
        parser.add_argument("--misses", action="store_true", help="List the assertions not found at rank 10.")

    def handle(self, *args, **options):
        call_command("migrate", "--noinput", verbosity=0)
        from factcheck.corpus import import_corpus, read_corpus_file

        with transaction.atomic():
            data, base_dir = read_corpus_file(SEED)
            import_corpus(data, base_dir=base_dir, label=str(SEED))
            reports = run()
            if options["misses"]:
                for source, r in zip(Source.objects.order_by("id"), reports, strict=True):
                    assertions = Assertion.objects.filter(source=source).order_by("start", "id")
                    for a, rank in zip(assertions.select_related("claim"), r.ranks, strict=True):
                        if not rank:
                            self.stdout.write(
                                f"miss {source.title[:30]}: {a.quote[:90]}\n   claim: {a.claim.text[:90]}"
                            )
            transaction.set_rollback(True)
        self.stdout.write(table(reports))


if __name__ == "__main__":
    from tools.cli import run_command

    run_command(Command, "tools.eval_intake")
