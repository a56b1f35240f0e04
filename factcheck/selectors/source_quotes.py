"""The quotes of one source as its page shows them: plain rows, not model instances.

A much-quoted source has a few hundred quotes; building an Assertion, a
Claim and a Speaker instance for each (their signals, descriptors and
state) cost four times as much as reading the rows. The page reads these
attributes only; ``Quote`` has them under the same names, so the text's
highlights (views/browse.py) and the passage index (passage_index.py)
take either.
"""

from collections import namedtuple

from factcheck import dates, page_store
from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, Speaker, Stance

_FIELDS = (
    *("id", "claim_id", "source_id", "stance", "start", "end", "speaker_id", "language"),
    *("as_of", "as_of_precision", "period_end", "period_end_precision"),
    *("claim__text", "speaker__name"),
)
_ClaimText = namedtuple("_ClaimText", "text")
_SpeakerName = namedtuple("_SpeakerName", "name")


class Quote:
    """One assertion with its claim's text, its speaker's name and its claim's page."""

    __slots__ = (
        *("pk", "claim_id", "source_id", "stance", "start", "end", "speaker_id", "language"),
        *("as_of", "as_of_precision", "period_end", "period_end_precision"),
        *("claim", "speaker", "claim_url", "_stance_label"),
    )

    def get_stance_display(self):
        return self._stance_label

    @property
    def period_display(self):
        return dates.format_period(self.as_of, self.as_of_precision, self.period_end, self.period_end_precision)


def source_quotes(source_id):
    """The source's quotes, by position in its text; one query.

    The rows are recorded for the page cache as the instances would have
    been (factcheck/page_store.py): an edit to any of them, their claims or
    their speakers renews the page.
    """
    rows = Assertion.objects.filter(source_id=source_id).order_by("start", "id").values_list(*_FIELDS)
    claim_url = url_maker("claim-detail")
    labels = {value: str(label) for value, label in Stance.choices}  # translated once, not per row
    quotes = []
    for row in rows:
        quote = Quote()
        (
            quote.pk,
            quote.claim_id,
            quote.source_id,
            quote.stance,
            quote.start,
            quote.end,
            quote.speaker_id,
            quote.language,
            quote.as_of,
            quote.as_of_precision,
            quote.period_end,
            quote.period_end_precision,
            claim_text,
            speaker_name,
        ) = row
        quote.claim = _ClaimText(claim_text)
        quote.speaker = None if quote.speaker_id is None else _SpeakerName(speaker_name)
        quote.claim_url = claim_url(quote.claim_id)
        quote._stance_label = labels.get(quote.stance, quote.stance)
        quotes.append(quote)
    page_store.record_loaded(Assertion, [q.pk for q in quotes])
    page_store.record_loaded(Claim, [q.claim_id for q in quotes])
    page_store.record_loaded(Speaker, [q.speaker_id for q in quotes if q.speaker_id is not None])
    return quotes
