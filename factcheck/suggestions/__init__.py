"""What a document speaks to: the existing claims each of its passages may support, dispute or qualify.

``matching`` finds and scores claims for the sentences of a text through the
claims' full-text index; ``cues`` reads stance, reported speaker and
check-worthiness off the words; ``store`` keeps the results of
``compute_suggestions`` (a django-tasks task) as ``Suggestion`` rows, with
the editors' decisions kept across recomputes.
"""

from factcheck.suggestions.matching import match_text
from factcheck.suggestions.store import compute
from factcheck.suggestions.tasks import compute_suggestions

__all__ = ["compute", "compute_suggestions", "match_text"]
