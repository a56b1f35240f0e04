"""A topic's statements in the order of the periods they speak about (not its edit history: see history.py).

A statement's period is its own (``Assertion.as_of`` to ``period_end``):
nothing takes the document's date any more, so a statement without a period
is listed as undated, never at its source's date.
"""

import datetime as dt
from dataclasses import dataclass, field

from factcheck import dates, quotes
from factcheck.comparison import OPPOSED
from factcheck.links import url_maker
from factcheck.models import Status, status_of

_PRECISION_RANK = {dates.YEAR: 0, dates.MONTH: 1, dates.DAY: 2}


QUOTE_CHARS = 240


def short_quote(quote, limit=QUOTE_CHARS):
    return quotes.clip_words(quote, limit)


@dataclass
class TimelineEntry:
    assertion: object
    claim: object
    date: object  # the first day of the period, or None when undated
    precision: str | None
    date_from: str | None  # "statement", or None when undated (the source's date is never used)
    time_only: bool = False
    claim_url: str = ""
    source_url: str = ""
    end: object = None  # the period's end, None for a single date
    end_precision: str | None = None

    @property
    def label(self):
        """ "July 2025", "1955–58"; "" when undated."""
        if self.date is None:
            return ""
        return dates.format_period(self.date, self.precision, self.end, self.end_precision)

    @property
    def value(self):
        """The period's start as ``YYYY[-MM[-DD]]``: a valid ``<time datetime>``."""
        return dates.serialize_partial_date(self.date, self.precision)

    @property
    def period(self):
        """``{"from", "to"}``, or None when undated."""
        return dates.serialize_period(self.date, self.precision, self.end, self.end_precision)

    @property
    def key(self):
        return (self.value, dates.serialize_partial_date(self.end, self.end_precision))

    @property
    def passage_url(self):
        """The quoted passage in the source (``Assertion.get_absolute_url``)."""
        return f"{self.source_url}#a-{self.assertion.pk}"

    @property
    def quote_short(self):
        return short_quote(self.assertion.quote)


@dataclass
class TimelinePeriod:
    label: str
    value: str | None  # the start, None for the undated statements
    entries: list = field(default_factory=list)
    key: tuple = ()  # (start, end): "1955" and "1955–58" are two periods


@dataclass
class TimeChange:
    """A claim whose sources differ only in time, told in date order."""

    claim: object
    steps: list  # TimelineEntry, supports and disputes only, oldest first


@dataclass
class Timeline:
    periods: list  # dated periods in order
    undated: list  # entries
    changes: list
    list_html: str = ""  # the page's list of periods, when built in Python (timeline_html.py)

    @property
    def entry_count(self):
        return sum(len(p.entries) for p in self.periods) + len(self.undated)

    @property
    def all_periods(self):
        """The dated periods, then the undated statements as a last period (``value`` None)."""
        if not self.undated:
            return self.periods
        return [*self.periods, TimelinePeriod(label="Undated", value=None, entries=self.undated)]


def topic_timeline(claims, assertions):
    """A topic's statements in the order of the periods they speak about.

    No query: ``assertions`` come with their sources (``select_related``) and
    ``claims`` are the topic's claims. A year sorts at the start of that year,
    before its months, and a period before a longer one starting the same
    day; undated statements come last. State claims whose sources differ only
    in time (by the same rule as the claim's status, even once an editor
    resolved them) are flagged and told as a change.
    """
    claims_by_id = {c.pk: c for c in claims}
    by_claim = {}
    for a in assertions:
        by_claim.setdefault(a.claim_id, []).append(a)
    time_only = {cid for cid, items in by_claim.items() if status_of(items, claims_by_id[cid].kind) == Status.CHANGED}
    claim_url, source_url = url_maker("claim-detail"), url_maker("source-detail")
    entries = []
    for a in assertions:
        dated = a.as_of is not None
        entries.append(
            TimelineEntry(
                assertion=a,
                claim=claims_by_id[a.claim_id],
                date=a.as_of,
                precision=a.as_of_precision if dated else None,
                date_from="statement" if dated else None,
                end=a.period_end if dated else None,
                end_precision=a.period_end_precision if dated and a.period_end else None,
                time_only=a.claim_id in time_only,
                claim_url=claim_url(a.claim_id),
                source_url=source_url(a.source_id),
            )
        )
    entries.sort(
        key=lambda e: (
            e.date is None,
            e.date or dt.date.min,
            _PRECISION_RANK.get(e.precision, 3),
            e.end or dt.date.min,
            e.assertion.source.title,
            e.claim.pk,
            e.assertion.start,
        )
    )
    periods, undated = [], []
    for e in entries:
        if e.date is None:
            undated.append(e)
        elif periods and periods[-1].key == e.key:
            periods[-1].entries.append(e)
        else:
            periods.append(TimelinePeriod(label=e.label, value=e.value, entries=[e], key=e.key))
    changes = []
    for claim in claims:
        if claim.pk in time_only:
            steps = [e for e in entries if e.claim.pk == claim.pk and e.assertion.stance in OPPOSED]
            changes.append(TimeChange(claim=claim, steps=steps))
    return Timeline(periods=periods, undated=undated, changes=changes)
