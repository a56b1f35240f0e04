"""The quotes of one source as its page shows them: plain rows, not model instances.

A much-quoted source has a few hundred quotes; building an Assertion, a
Claim and a Speaker instance for each (their signals, descriptors and
state) cost four times as much as reading the rows. The page reads these
attributes only; ``Quote`` has them under the same names, so the text's
highlights (views/browse.py) and the passage index (passage_index.py)
take either.
"""

from collections import namedtuple
from operator import itemgetter

from django.db import connections, router

from factcheck import dates, page_store
from factcheck.links import url_maker
from factcheck.models import Assertion, Claim, Speaker, Stance
from factcheck.track_record import OWN_STATEMENT, decision_sql

_ClaimText = namedtuple("_ClaimText", "text")
_SpeakerName = namedtuple("_SpeakerName", "name")


class Quote:
    """One assertion with its claim's text, its speaker's name and its claim's page."""

    __slots__ = (
        *("pk", "claim_id", "source_id", "stance", "start", "end", "speaker_id", "language"),
        *("as_of", "as_of_precision", "period_end", "period_end_precision"),
        *("claim", "speaker", "claim_url", "_stance_label", "_period"),
    )

    def get_stance_display(self):
        return self._stance_label

    @property
    def period_display(self):
        # Once per quote: the text's highlights and the passage index both show it, in the request's language.
        try:
            return self._period
        except AttributeError:
            self._period = dates.format_period(
                self.as_of, self.as_of_precision, self.period_end, self.period_end_precision
            )
            return self._period


# The assertion's columns the page reads, in Quote's order; then its claim's text and its speaker's name
# (``_QUOTE_WIDTH`` in all); then the track record's decision columns.
_COLUMNS = (
    *("id", "claim_id", "source_id", "stance", "start", "end", "speaker_id", "language"),
    *("as_of", "as_of_precision", "period_end", "period_end_precision"),
)
_QUOTE_WIDTH = len(_COLUMNS) + 2
_PERIOD = slice(_COLUMNS.index("as_of"), _COLUMNS.index("period_end_precision") + 1)  # format_period's arguments
# The track record's own columns (factcheck/track_record.py) of a row of ``_rows``, before its decision's.
_own_statement = itemgetter(*(_COLUMNS.index(name) for name in OWN_STATEMENT))


def _rows(source_id):
    """The quotes' rows, with their claims' decisions, in SQL of its own.

    The ORM took longer to build the query than SQLite to answer it. The
    decisions are the track record's (``decision_sql``): read here, with the
    same statements, rather than in a query of their own.
    """
    connection = connections[router.db_for_read(Assertion)]
    quote = connection.ops.quote_name  # "end" is a keyword
    assertion, claim, speaker = (quote(model._meta.db_table) for model in (Assertion, Claim, Speaker))
    columns = ", ".join(f"a.{quote(name)}" for name in _COLUMNS)
    decision, join = decision_sql(connection)
    sql = (
        f"SELECT {columns}, c.text, s.name, {decision} FROM {assertion} a JOIN {claim} c ON c.id = a.claim_id"
        f" LEFT JOIN {speaker} s ON s.id = a.speaker_id {join}"
        f" WHERE a.source_id = %s ORDER BY a.{quote('start')}, a.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_id])
        return cursor.fetchall()


def source_quotes(source_id):
    """The source's quotes, by position in its text; one query (``source_statements``)."""
    return source_statements(source_id)[0]


def source_statements(source_id):
    """``(quotes, own)``: the source's quotes, by position in its text, and its track record's own rows; one query.

    ``own`` is what ``track_record(source, own=own)`` would otherwise read.

    The rows are recorded for the page cache as the instances would have
    been (factcheck/page_store.py): an edit to any of them, their claims or
    their speakers renews the page.
    """
    rows = _rows(source_id)
    claim_url = url_maker("claim-detail")
    labels = {value: str(label) for value, label in Stance.choices}  # translated once, not per row
    periods = {}  # many quotes speak of the same period: formatted once each, in the request's language
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
        ) = row[:_QUOTE_WIDTH]
        quote.claim = _ClaimText(claim_text)
        quote.speaker = None if quote.speaker_id is None else _SpeakerName(speaker_name)
        quote.claim_url = claim_url(quote.claim_id)
        quote._stance_label = labels.get(quote.stance, quote.stance)
        if quote.as_of is not None:  # only dated quotes show a period
            key = row[_PERIOD]
            period = periods.get(key)
            if period is None:
                period = periods[key] = dates.format_period(*key)
            quote._period = period
        quotes.append(quote)
    page_store.record_loaded(Assertion, [q.pk for q in quotes])
    page_store.record_loaded(Claim, [q.claim_id for q in quotes])
    page_store.record_loaded(Speaker, [q.speaker_id for q in quotes if q.speaker_id is not None])
    own = [_own_statement(row) + row[_QUOTE_WIDTH:] for row in rows]
    return quotes, own
