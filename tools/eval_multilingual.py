"""Recall of search and the evidence finder across languages, on a small set written for the tests.

The set (tests/multilingual_eval/set.json) holds short documents in Russian,
Arabic, French and English and, for each claim or query, every document that
answers it in any language. Recall is the share of those documents found:
in the evidence finder's first five passages, and among site search's hits.
The documents are added for the run and rolled back.

    python -m tools.eval_multilingual [--set PATH]   # part of make eval
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
if __name__ == "__main__":
    from tools.cli import setup_django

    setup_django()

import json
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck import evidence, search
from factcheck.models import Source

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "multilingual_eval" / "set.json"
# The five English seed documents, added as distractors: they speak of Tartus and Hmeimim at length.
SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"
EVIDENCE_K = 5
SEARCH_LIMIT = 50


def load_set(path=DEFAULT_SET):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        keys = {d["key"] for d in data["documents"]}
        for case in data["evidence"] + data["search"]:
            unknown = set(case["answers"]) - keys
            if unknown:
                raise ValueError(f"{case['query']!r} names unknown documents {sorted(unknown)}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"{path}: not a multilingual evaluation set ({exc})") from None
    return data


def add_documents(documents):
    """The set's documents as sources, their passages cut: ``{key: source}``."""
    sources = {}
    for doc in documents:
        source = Source(
            key=f"eval-{doc['key']}", title=f"Eval {doc['key']}", language=doc["language"], text=doc["text"]
        )
        source.save()
        evidence.refresh_passages(source)
        sources[doc["key"]] = source
    return sources


def add_distractors(folder):
    from factcheck.models import text_digest

    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not Source.objects.filter(text_sha256=text_digest(text)).exists():
            source = Source(key=f"eval-seed-{path.stem}"[:100].replace("_", "-"), title=path.name, text=text)
            source.save()
            evidence.refresh_passages(source)


def measure(data, distractors=None):
    """``{"evidence": {language: (found, wanted)}, "search": {...}, "misses": [...]}`` over the set.

    ``distractors``: a folder of English texts added beside the set's documents.
    """
    by_language = {d["key"]: d["language"] for d in data["documents"]}
    tallies = {"evidence": defaultdict(lambda: [0, 0]), "search": defaultdict(lambda: [0, 0])}
    misses = []
    with transaction.atomic():
        if distractors:
            add_distractors(distractors)
        sources = add_documents(data["documents"])
        key_of = {s.pk: key for key, s in sources.items()}
        for kind, cases in (("evidence", data["evidence"]), ("search", data["search"])):
            for case in cases:
                if kind == "evidence":
                    found = {key_of.get(e.source_id) for e in evidence.find_evidence(case["query"], limit=EVIDENCE_K)}
                else:
                    hits = search.search(case["query"], kinds=("sources",), limit=SEARCH_LIMIT).kinds["sources"].hits
                    found = {key_of.get(h.id) for h in hits}
                for key in case["answers"]:
                    tally = tallies[kind][by_language[key]]
                    tally[1] += 1
                    if key in found:
                        tally[0] += 1
                    else:
                        misses.append(f"{kind}: {case['query']!r} missed {key}")
        transaction.set_rollback(True)
    return {kind: {lang: tuple(t) for lang, t in sorted(tally.items())} for kind, tally in tallies.items()} | {
        "misses": misses
    }


def summary(result):
    lines = []
    for kind in ("evidence", "search"):
        found = sum(f for f, _ in result[kind].values())
        wanted = sum(w for _, w in result[kind].values())
        per = ", ".join(f"{lang} {f}/{w}" for lang, (f, w) in result[kind].items())
        label = f"evidence finder recall@{EVIDENCE_K}" if kind == "evidence" else "search recall"
        lines.append(f"multilingual {label} {found / max(wanted, 1):.3f} ({found}/{wanted}; {per})")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Measure search and evidence recall across Russian, Arabic, French and English on the multilingual set."

    def add_arguments(self, parser):
        parser.add_argument("--set", default=str(DEFAULT_SET), help="The multilingual set (JSON).")
        parser.add_argument("--misses", action="store_true", help="List every answer not found.")

    def handle(self, *args, **options):
        data = load_set(options["set"])
        for label, distractors in (("alone", None), ("beside the 5 English seed documents", SEED_DIR)):
            result = measure(data, distractors)
            if options["misses"]:
                for line in result["misses"]:
                    self.stdout.write(line)
            self.stdout.write(f"The set {label}:")
            self.stdout.write(summary(result))


if __name__ == "__main__":
    from tools.cli import run_command

    run_command(Command, "tools.eval_multilingual")
