"""Periods shown with their real precision, and compared as the days they cover (factcheck/dates.py)."""

import datetime as dt

import pytest

from factcheck import dates
from factcheck.models import Assertion, Claim, ClaimKind, Source, Status, status_of

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ((None, None), (None, None), "undated"),
        ((D(2025, 10, 15), "day"), (None, None), "15 October 2025"),
        ((D(2025, 7, 1), "month"), (None, None), "July 2025"),
        ((D(1955, 1, 1), "year"), (D(1958, 1, 1), "year"), "1955–58"),
        ((D(2011, 1, 1), "year"), (D(2012, 1, 1), "year"), "2011–12"),
        ((D(1998, 1, 1), "year"), (D(2003, 1, 1), "year"), "1998–2003"),
        ((D(2024, 10, 1), "month"), (D(2024, 12, 1), "month"), "October–December 2024"),
        ((D(2024, 11, 1), "month"), (D(2025, 2, 1), "month"), "November 2024–February 2025"),
        ((D(2025, 7, 3), "day"), (D(2025, 7, 31), "day"), "3–31 July 2025"),
        ((D(2025, 7, 3), "day"), (D(2025, 8, 5), "day"), "3 July–5 August 2025"),
        ((D(2024, 1, 1), "year"), (D(2025, 3, 1), "month"), "2024–March 2025"),
        ((D(2025, 7, 1), "month"), (D(2025, 7, 1), "month"), "July 2025"),
    ],
)
def test_it_shows_a_period_at_its_precision(start, end, shown):
    assert dates.format_period(*start, *end) == shown


def test_it_compares_a_period_as_the_days_it_covers():
    assert dates.period_interval(None, None) is None
    assert dates.period_interval(D(2025, 7, 1), "month") == (D(2025, 7, 1), D(2025, 7, 31))
    assert dates.period_interval(D(1955, 1, 1), "year", D(1958, 1, 1), "year") == (D(1955, 1, 1), D(1958, 12, 31))
    assert dates.serialize_period(D(1955, 1, 1), "year", D(1958, 1, 1), "year") == {"from": "1955", "to": "1958"}
    assert dates.serialize_period(None, None) is None


def _assertion(stance, source, as_of=None, period_end=None, **fields):
    a = Assertion(stance=stance, source=source, **fields)
    if as_of:
        a.as_of, a.as_of_precision = dates.parse_partial_date(as_of)
    if period_end:
        a.period_end, a.period_end_precision = dates.parse_partial_date(period_end)
    return a


def test_an_undated_statement_stays_undated_whatever_its_source_says():
    source = Source(pk=1, title="Old", published=D(2026, 1, 5), as_of=D(2026, 1, 1), as_of_precision="month")
    undated = _assertion("supports", source)
    assert (undated.period_display, undated.period_interval, undated.speaks_as_of_display) == ("undated", None, "")
    assert undated.period_value is None


def test_a_statement_date_left_blank_is_the_sources_shown_as_a_default():
    published = Source(pk=1, title="Wire", published=D(2025, 1, 20), as_of=D(2024, 12, 1), as_of_precision="month")
    assert _assertion("supports", published).stated_on_display == "20 January 2025 (publication date)"
    as_of_only = Source(pk=2, title="Essay", as_of=D(2021, 1, 1), as_of_precision="year")
    assert _assertion("supports", as_of_only).stated_on_display == "2021 (source’s date)"
    own = _assertion("supports", published, stated_on=D(2025, 7, 3), stated_on_precision="day")
    assert (own.stated_on_display, own.stated_on_value) == ("3 July 2025", "2025-07-03")
    assert _assertion("supports", Source(pk=3, title="Bare")).stated_on_display == ""


def test_status_of_needs_no_database():
    a, b = Source(pk=1), Source(pk=2)
    opposed = [_assertion("supports", a, "2024-10"), _assertion("disputes", b, "2024-11")]
    assert status_of(opposed, ClaimKind.STATE) == Status.CHANGED
    assert status_of(opposed) == Status.CONFLICT  # an event, by default
    assert Claim(kind=ClaimKind.STATE).compute_status(opposed, resolved=False) == Status.CHANGED
