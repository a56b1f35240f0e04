"""Dates with a precision: sources speak "as of July 2025" or "early 2021",
not only as of a day. A partial date is stored as its first day plus a
precision, and compared as the interval it covers."""

import calendar
import datetime as dt
import re

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


def format_partial_date(date, precision):
    """The form people read: ``"15 October 2025"``, ``"July 2025"``, ``"2021"``."""
    if date is None:
        return ""
    if precision == YEAR:
        return str(date.year)
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
