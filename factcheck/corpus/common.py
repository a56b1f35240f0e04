"""What every part of the corpus exchange shares: the format's name and its error."""

from factcheck import quotes

FORMAT = "factcheck-corpus/1"
KINDS = ("sources", "topics", "claims", "assertions")


class CorpusError(Exception):
    """Raised with every problem found; ``problems`` is a list of strings."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def occurrence_of(assertion):
    """Which occurrence of its quote the assertion points at, when the quote is repeated."""
    found = quotes.find_occurrences(assertion.source.text, assertion.quote)
    if len(found) < 2:
        return None
    for n, occurrence in enumerate(found, 1):
        if (occurrence.start, occurrence.end) == (assertion.start, assertion.end):
            return n
    return None
