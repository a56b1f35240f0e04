"""Metadata shared by every format: the fixed keys, dates and the language."""

from __future__ import annotations

import datetime as dt
import re

from factcheck.dates import parse_partial_date, serialize_partial_date
from factcheck.language_codes import LANGUAGES, detect_language

from .base import METADATA_KEYS, Extracted
from .text import normalise

_DATE_PREFIX = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?=$|[T\s+Z]|[^\d])")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
# Longer than any real title or name; keeps a hostile meta tag from filling a form field.
MAX_VALUE = 500


def clean_value(value: object) -> str:
    """One line of NFC text without control characters, at most MAX_VALUE long."""
    text = " ".join(normalise(str(value or "")).split())
    return text[:MAX_VALUE]


def clean_url(value: str) -> str:
    """An absolute http(s) URL, or "": the value may become a link (no ``javascript:``)."""
    value = value.strip()
    if len(value) >= MAX_VALUE or not _URL.match(value):
        return ""
    return value


def normalise_date(value: object) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from a date, datetime or common date string; else ""."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if 1000 <= value.year <= 9999 else ""
    text = str(value or "").strip()
    m = _PDF_DATE.match(text) or _DATE_PREFIX.match(text)
    if not m:
        return ""
    year, month, day = m.groups()
    candidate = "-".join(part.zfill(2) for part in (year, month, day) if part)
    try:
        date, precision = parse_partial_date(candidate)
    except ValueError:
        return ""
    return serialize_partial_date(date, precision) if date.year >= 1000 else ""


def normalise_language(value: object) -> str:
    """ "en-GB", "EN", "en_US" → "en"; "" for anything that is not an ISO 639-1 code."""
    code = re.split(r"[-_]", str(value or "").strip(), maxsplit=1)[0].lower()
    return code if code in LANGUAGES else ""


def finish_metadata(result: Extracted) -> None:
    """Every key present and clean; the language declared if valid, else detected."""
    meta = {key: clean_value(result.metadata.get(key, "")) for key in METADATA_KEYS}
    meta["published"] = normalise_date(meta["published"])
    meta["url"] = clean_url(meta["url"])
    meta["language"] = normalise_language(meta["language"]) or detect_language(result.text)
    result.metadata = meta
