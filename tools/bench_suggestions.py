"""CPU time of matching a 30 KB document against every claim: "what this document speaks to" (issue 16).

    DATABASE_URL=sqlite:///var/bench/claims-100000.sqlite3 python -m tools.bench_suggestions [--kb 30]

``python -m tools.bench`` runs it on its corpus (``--suggestions on|only``).
The document is the seed texts (fixtures/sources/) joined and cut at a
sentence to the size asked for. Reported: the process's CPU seconds
(``time.process_time``: SQLite runs in this process, so its work counts too)
for a first run, in a fresh process, and the median of three more; the
database queries; the ratio to the 2 s target; and the ratio to a reference
measured on the same machine in the same process — cutting the document
into sentences and analysing them, the least any matching does — which
cancels most of the machine's speed.
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
if __name__ == "__main__":
    from tools.cli import setup_django

    setup_django()

import argparse
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.analyser import Analyzer, _cached_terms
from factcheck.evidence import load_vocabulary, split_passages
from factcheck.models import Claim
from factcheck.suggestions.matching import match_text

TARGET_CPU_SECONDS = 2.0
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "sources"


def document(kb):
    """The seed texts joined, cut at the last sentence that fits in ``kb`` KB (UTF-8)."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    limit = kb * 1024
    spans = [e for _s, e in split_passages(text) if len(text[:e].encode()) <= limit]
    return text[: spans[-1]] if spans else text[:limit]


def _cpu(fn):
    started = time.process_time()
    result = fn()
    return time.process_time() - started, result


def reference(text):
    """Cut and analyse the document's sentences, cold: the floor under any matching."""
    aliases, synonyms = load_vocabulary(None)
    _cached_terms.cache_clear()
    analyzer = Analyzer(aliases, synonyms, names_as_synonyms=True)
    cpu, _ = _cpu(lambda: [analyzer._terms(text[s:e]) for s, e in split_passages(text)])
    return cpu


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bench_suggestions", description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=30, help="document size in KB (default 30)")
    args = parser.parse_args(argv)
    text = document(args.kb)
    claims = Claim.objects.count()
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as captured:
        first, results = _cpu(lambda: match_text(text))
    queries = len(captured.captured_queries)
    warm = []
    for _ in range(3):
        _cached_terms.cache_clear()
        warm.append(_cpu(lambda: match_text(text))[0])
    ref = statistics.median(reference(text) for _ in range(3))
    suggested = sum(1 for p in results if p.matches)
    print(
        f"suggestions: a {len(text.encode()) / 1024:.1f} KB document ({len(results)} sentences, {suggested} with "
        f"a claim) against {claims:,} claims: {first:.2f} s CPU first run, {statistics.median(warm):.2f} s median "
        f"of 3 more; {queries} queries; {first / TARGET_CPU_SECONDS:.2f} of the {TARGET_CPU_SECONDS:g} s target; "
        f"{first / ref:.1f}× the reference (cutting and analysing its sentences: {ref:.3f} s CPU)"
    )


if __name__ == "__main__":
    main()
