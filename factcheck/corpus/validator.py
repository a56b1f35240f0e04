"""The checks a corpus document's records and fields go through, each problem named by record and field.

:class:`Validator` collects the problems of one document (its label, the
record's path or CSV line, the field) rather than stopping at the first, and
reads a bad value as blank so the walk (checking.py, format2.py) goes on.
"""

import re

from factcheck import dates

SOURCE_FIELDS = ("title", "publisher", "author", "url", "published", "as_of", "kind", "language", "notes")
# Fields each record may carry; anything else is a typo that would silently
# drop data, so it is refused. "comment" is free text for the file's editors.
_ALLOWED_1 = {
    "document": {"format", "sources", "topics", "claims", "comment"},
    "source": {"key", *SOURCE_FIELDS, "text", "text_file", "comment"},
    "topic": {"slug", "title", "description", "comment"},
    "claim": {"key", "topic", "text", "assertions", "comment"},
    "assertion": {"source", "stance", "quote", "occurrence", "start", "end", "as_of", "comment"},
}
# Format 2 gives an assertion's dates as "stated_on" and "period"; its "as_of" is format 1's.
_ALLOWED_2 = {
    "document": _ALLOWED_1["document"] | {"speakers"},
    "speaker": {"slug", "name", "kind", "aliases", "description", "comment"},
    "source": _ALLOWED_1["source"] | {"derived_from"},
    "topic": _ALLOWED_1["topic"],
    "claim": _ALLOWED_1["claim"] | {"kind", "translations"},
    "assertion": (_ALLOWED_1["assertion"] - {"as_of"}) | {"speaker", "stated_on", "period", "language", "translation"},
}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class Validator:
    """One document's problems, and the field checks that report them."""

    def __init__(self, label, problems=(), version=2):
        self.label = label
        self.problems = list(problems)
        self.version = version
        self.allowed = _ALLOWED_2 if version == 2 else _ALLOWED_1
        # CSV names fields by their columns (period_from, not period.from).
        self.csv = False

    def fail(self, where, message):
        self.problems.append(f"{self.label}: {where}: {message}")

    def text(self, where, record, name, required=False, max_length=None, shown=None):
        shown = shown or name
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(where, f"field '{shown}' must be a string, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.fail(where, f"field '{shown}' is required")
        if max_length and len(value) > max_length:
            self.fail(where, f"field '{shown}' is longer than {max_length} characters")
        return value

    def key(self, where, record, name, shown=None):
        value = self.text(where, record, name, required=True, max_length=100, shown=shown).strip()
        if value and not _SLUG.match(value):
            self.fail(
                where, f"field '{shown or name}': {value!r} may only hold letters, digits, hyphens and underscores"
            )
        return value

    def partial_date(self, where, record, name):
        return self.date(where, record.get(name), name)

    def date(self, where, value, shown):
        """A ``YYYY[-MM[-DD]]`` string → ``(date, precision)``; blank (or reported bad) → ``(None, DAY)``."""
        if value in (None, ""):
            return None, dates.DAY
        if not isinstance(value, str):
            self.fail(where, f"field '{shown}' must be a date string, got {type(value).__name__}")
            return None, dates.DAY
        try:
            return dates.parse_partial_date(value)
        except ValueError as exc:
            self.fail(where, f"field '{shown}': {exc}")
            return None, dates.DAY

    def choice(self, where, value, choices, shown):
        """``value``, reported unless it is one of ``choices``."""
        if value not in choices:
            self.fail(where, f"field '{shown}': {value!r} is not one of {', '.join(choices)}")
        return value

    def list_field(self, where, value, name):
        """``value`` when it is a list; anything else is reported and read as empty."""
        if not isinstance(value, list):
            self.fail(where, f"field '{name}' must be a list")
            return []
        return value

    def known_fields(self, where, record, kind):
        unknown = sorted(set(record) - self.allowed[kind])
        if unknown:
            hint = ""
            if kind == "assertion" and "as_of" in unknown and self.version == 2:
                hint = " (format 2 gives the period as 'period': {'from', 'to'})"
            self.fail(where, f"unknown field(s) {', '.join(map(repr, unknown))}{hint}")


def list_records(v, data, name):
    """``(index, record)`` for each object of ``data[name]``; a non-list, or an item not an object, is reported."""
    value = data.get(name, [])
    if not isinstance(value, list):
        v.fail(name, "must be a list")
        return []
    good = []
    for i, record in enumerate(value):
        if isinstance(record, dict):
            good.append((i, record))
        else:
            v.fail(f"{name}[{i}]", "must be an object")
    return good


def unique_records(v, data, name, kind, key_field):
    """``(key, where, record)`` for each record of ``data[name]``, its fields checked; a repeated key is reported."""
    seen = set()
    for i, rec in list_records(v, data, name):
        key = v.key(f"{name}[{i}]", rec, key_field)
        where = f"{name}[{i}] ({key_field} {key!r})"
        v.known_fields(where, rec, kind)
        if key in seen:
            # Reported once; checking the rest against the first keeps other messages about real problems.
            v.fail(where, f"duplicate {kind} {key_field} {key!r}")
            continue
        seen.add(key)
        yield key, where, rec
