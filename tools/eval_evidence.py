"""Measuring the evidence finder: recall@1 and recall@5 on a set of questions.

A question names a seed file and the passage (a substring of that file)
that answers it, and optionally (``also``) equally good answers in other
files. The finder answers it right at rank k when one of its first k
passages comes from such a source and overlaps an occurrence of its passage.
The same run scores plain BM25 over the same sentences, for comparison.

    python -m tools.eval_evidence [--set PATH] [--seeds DIR] [--misses]   # make eval
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
if __name__ == "__main__":
    from tools.cli import setup_django

    setup_django()

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck import evidence
from factcheck.models import Passage, Source, text_digest

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "evidence_eval" / "questions.json"
SEED_DIRS = [Path(settings.BASE_DIR) / "fixtures" / "sources", Path(settings.BASE_DIR).parent / "shared" / "seeds"]


class EvalError(Exception):
    pass


@dataclass
class Outcome:
    question: dict
    rank: int  # 1-based rank of the first right passage; 0 when not in the results
    baseline_rank: int
    top: list = field(default_factory=list)


@dataclass
class Report:
    outcomes: list

    def recall(self, k, baseline=False):
        ranks = [o.baseline_rank if baseline else o.rank for o in self.outcomes]
        return sum(1 for r in ranks if 0 < r <= k) / max(len(ranks), 1)

    def summary(self):
        return (
            f"{len(self.outcomes)} questions: evidence finder recall@1 {self.recall(1):.3f}, "
            f"recall@5 {self.recall(5):.3f}; plain BM25 over sentences recall@1 {self.recall(1, True):.3f}, "
            f"recall@5 {self.recall(5, True):.3f}"
        )


def load_questions(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"{path}: cannot read the question set ({exc})") from None
    if not isinstance(data, list) or not data:
        raise EvalError(f"{path}: expected a non-empty JSON list of questions")
    for i, q in enumerate(data):
        missing = [k for k in ("query", "source", "passage") if not isinstance(q, dict) or not q.get(k)]
        if not missing and not all(
            isinstance(a, dict) and a.get("source") and a.get("passage") for a in q.get("also", [])
        ):
            missing = ["source or passage of an 'also' answer"]
        if missing:
            raise EvalError(f"{path}: question {i}: missing {', '.join(missing)}")
    return data


def _seed_text(name, seed_dirs):
    for folder in seed_dirs:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise EvalError(f"seed file {name!r} not found in {', '.join(str(d) for d in seed_dirs)}")


def _spans(text, passage):
    spans, pos = [], text.find(passage)
    while pos != -1:
        spans.append((pos, pos + len(passage)))
        pos = text.find(passage, pos + 1)
    return spans


def run(questions, seed_dirs=SEED_DIRS, k=5):
    """Score every question; sources missing from the database are added for the run and rolled back."""
    with transaction.atomic():
        sources = {}
        names = {q["source"] for q in questions} | {a["source"] for q in questions for a in q.get("also", [])}
        for name in sorted(names):
            text = _seed_text(name, seed_dirs)
            source = Source.objects.filter(text_sha256=text_digest(text)).first()
            if source is None:
                source = Source.objects.create(
                    key=f"eval-{Path(name).stem}"[:100].replace("_", "-"), title=name, text=text
                )
            evidence.refresh_passages(source)
            sources[name] = source
        for source in evidence.stale_sources():
            evidence.refresh_passages(source)
        passages = [
            (p.pk, p) for p in Passage.objects.select_related(None).only("id", "source_id", "start", "end", "text")
        ]
        by_id = dict(passages)
        baseline = evidence.PlainBM25([(pk, p.text) for pk, p in passages])
        outcomes = []
        for q in questions:
            answers = set()
            for answer in [q, *q.get("also", [])]:
                found = _spans(sources[answer["source"]].text, answer["passage"])
                if not found:
                    raise EvalError(f"question {q.get('id')}: the passage does not occur in {answer['source']}")
                answers.update((sources[answer["source"]].pk, s, e) for s, e in found)

            def right(source_id, start, end, answers=answers):
                return any(source_id == sid and start < e and s < end for sid, s, e in answers)

            found = evidence.find_evidence(q["query"], limit=k)
            rank = next((i for i, e in enumerate(found, 1) if right(e.source_id, e.start, e.end)), 0)
            base = baseline.search(q["query"], k)
            base_rank = next(
                (i for i, pk in enumerate(base, 1) if right(by_id[pk].source_id, by_id[pk].start, by_id[pk].end)), 0
            )
            outcomes.append(Outcome(q, rank, base_rank, [e.text for e in found]))
        transaction.set_rollback(True)
    return Report(outcomes)


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
                    self.stdout.write(
                        f"#{o.question.get('id')} rank {o.rank or '>5'} (baseline {o.baseline_rank or '>5'}): "
                        f"{o.question['query']}\n    want: {o.question['passage'][:100]}\n    got:  "
                        + "\n          ".join(t[:100] for t in o.top[:2])
                    )
        self.stdout.write(report.summary())


if __name__ == "__main__":
    from tools.cli import run_command

    run_command(Command, "tools.eval_evidence")
