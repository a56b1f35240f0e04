"""The evidence finder scores a passage the same in every process, whatever its string hashing."""

import os
import subprocess
import sys

from django.conf import settings

# Idfs (log ratios, as real ones are) whose float sum depends on the order they are added in.
SCORE = """
from factcheck.analyser import Term
from factcheck.evidence.ranking import QueryTerm, rank

words = ["alpha", "beta", "gamma", "delta", "epsilon"]
idfs = [2.302585092994046, 0.6931471805599453, 1.0986122886681098, 4.605170185988092, 0.1053605156578263]
qterms = [QueryTerm(w, {w}, {w}, idf=i) for w, i in zip(words, idfs)]
terms = [Term(w, w, w) for w in ["beta", "alpha", "gamma", "epsilon", "delta", "alpha", "beta"]]

class Analyzer:
    def terms(self, text, language):
        return terms

row = (1, 1, 0, 10, "text", "title", "publisher", None, None, None, None, None, None)
print(repr(rank([row], qterms, Analyzer(), avgdl=7.0)[0].score))
"""


def test_it_scores_a_passage_the_same_whatever_the_processs_hash_seed():
    scores = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        out = subprocess.run(
            [sys.executable, "-c", SCORE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
        )
        scores.add(out.stdout.strip())
    assert len(scores) == 1, scores
