"""What every part of the corpus exchange shares: the format's names and its error."""

from factcheck import quotes

# What export writes: speakers, source origins, statement and period dates, claim kinds.
FORMAT = "factcheck-corpus/2"
# Still imported: an assertion's ``as_of`` becomes the start of its period.
FORMAT_1 = "factcheck-corpus/1"
FORMATS = (FORMAT_1, FORMAT)
KINDS = ("speakers", "sources", "derivations", "topics", "claims", "assertions")
# How an import's history rows begin; tells the import's own records from editors' work.
IMPORT_REASON_PREFIX = "imported from "


class CorpusError(Exception):
    """Raised with every problem found; ``problems`` is a list of strings."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class EditorialWork(CorpusError):
    """The import would delete or change editors' work and was not told it may; ``problems`` names each item."""


def occurrence_of(assertion):
    """Which occurrence of its quote the assertion points at, when the quote is repeated."""
    found = quotes.find_occurrences(assertion.source.text, assertion.quote)
    if len(found) < 2:
        return None
    for n, occurrence in enumerate(found, 1):
        if (occurrence.start, occurrence.end) == (assertion.start, assertion.end):
            return n
    return None
