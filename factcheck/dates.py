"""Dates with a precision: sources speak "as of July 2025" or "early 2021",
not only as of a day. A partial date is stored as its first day plus a
precision, and compared as the interval it covers."""

import calendar
import datetime as dt
import re

from django.utils import formats, translation
from django.utils.translation import gettext

DAY, MONTH, YEAR = "day", "month", "year"

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value):
    """``"2025"``, ``"2025-07"`` or ``"2025-07-15"`` → ``(date, precision)``.

    Raises ``ValueError`` with a message meant for people.
    """
    value = (value or "").strip()
    m = _PARTIAL.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day)), DAY
        if month:
            return dt.date(int(year), int(month), 1), MONTH
        return dt.date(int(year), 1, 1), YEAR
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date: {exc}") from None


def _house_style():
    """Whether the interface is in English, whose dates follow the house style below.

    Other languages take their month names and order from Django's locale
    formats (DATE_FORMAT, YEAR_MONTH_FORMAT). The API and the corpus files
    never use these strings: they carry ``serialize_*`` values.
    """
    return (translation.get_language() or "en").split("-")[0] == "en"


def format_partial_date(date, precision):
    """The form people read: ``"15 October 2025"``, ``"July 2025"``, ``"2021"`` (in the interface's language)."""
    if date is None:
        return ""
    if precision == YEAR:
        return str(date.year)
    if not _house_style():
        return formats.date_format(date, "YEAR_MONTH_FORMAT" if precision == MONTH else "DATE_FORMAT")
    if precision == MONTH:
        return f"{calendar.month_name[date.month]} {date.year}"
    return f"{date.day} {calendar.month_name[date.month]} {date.year}"


def serialize_partial_date(date, precision):
    """The inverse of :func:`parse_partial_date`."""
    if date is None:
        return None
    if precision == YEAR:
        return f"{date.year:04d}"
    if precision == MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def period_end(date, precision):
    """The last day the partial date covers."""
    if precision == YEAR:
        return dt.date(date.year, 12, 31)
    if precision == MONTH:
        return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return date


def period_interval(start, start_precision, end=None, end_precision=None):
    """``(first day, last day)`` a period covers, or None when it is undated.

    A period is its start (a partial date) and, optionally, its end; without
    an end it is the interval its start's precision covers ("2024" is the year).
    """
    if start is None:
        return None
    last = period_end(end, end_precision) if end is not None else period_end(start, start_precision)
    return start, last


def format_period(start, start_precision, end=None, end_precision=None, undated=None):
    """A period with its real precision: "1955–58", "October–December 2024", "3–31 July 2025".

    A period without a start is ``undated``. An end equal to the start shows
    once. Outside English both ends are written in full ("juillet 2025 –
    août 2025"): shortening them is a house style for English only.
    """
    if start is None:
        return gettext("undated") if undated is None else undated
    first = format_partial_date(start, start_precision)
    if end is None or (end == start and end_precision == start_precision):
        return first
    last = format_partial_date(end, end_precision)
    if not _house_style():
        return f"{first} – {last}"
    if start_precision != end_precision:
        return f"{first}–{last}"
    if start_precision == YEAR:
        # House style: the end's last two digits within one century ("1955–58", "2011–12").
        if end.year // 100 == start.year // 100:
            return f"{start.year}–{end.year % 100:02d}"
        return f"{start.year}–{end.year}"
    if start.year != end.year:
        return f"{first}–{last}"
    if start_precision == MONTH:
        return f"{calendar.month_name[start.month]}–{last}"
    if start.month == end.month:
        return f"{start.day}–{last}"
    return f"{start.day} {calendar.month_name[start.month]}–{last}"


def serialize_period(start, start_precision, end=None, end_precision=None):
    """``{"from": "YYYY[-MM[-DD]]", "to": ...|None}``, or None when undated (the API's and corpus's shape)."""
    if start is None:
        return None
    return {
        "from": serialize_partial_date(start, start_precision),
        "to": serialize_partial_date(end, end_precision) if end is not None else None,
    }
