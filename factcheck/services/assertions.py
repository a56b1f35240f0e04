"""Assertions added from evidence suggestions."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factcheck import excerpts, quotes
from factcheck.models import Assertion, Claim, Source, Stance
from factcheck.services.base import save_as


class AssertionExists(Exception):
    """The claim already has an assertion on exactly this passage of the source."""


def assertion_create(
    *,
    claim: Claim,
    source: Source,
    start: int,
    end: int,
    stance: str,
    as_of: tuple[dt.date, str] | None = None,
    user: AbstractBaseUser,
) -> Assertion:
    """Make ``source``'s passage ``start``–``end`` an assertion of ``claim``, as ``user``.

    The offsets must pass ``excerpts.check`` (within one suggested passage,
    on word boundaries, a few words at least). ``as_of`` is a
    ``(date, precision)`` pair from ``dates.parse_partial_date``, or None.
    Raises ``ValidationError`` keyed by parameter, or ``AssertionExists``.
    The history row is this write, now, by ``user``.
    """
    if stance not in Stance.values:
        raise ValidationError({"stance": f"“{stance}” is not a stance; choose one of {', '.join(Stance.values)}."})
    start, end = excerpts.check(source, start, end)
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=source.text[start:end])
    if as_of:
        assertion.as_of, assertion.as_of_precision = as_of
    # Offsets come from locate(), like every other assertion's: the occurrence
    # of the quote that starts where the passage does.
    occurrences = quotes.find_occurrences(source.text, assertion.quote)
    assertion.locate(next((n for n, o in enumerate(occurrences, 1) if o.start >= start), None))
    with transaction.atomic():
        if Assertion.objects.filter(claim=claim, source=source, start=assertion.start, end=assertion.end).exists():
            raise AssertionExists(source)
        try:
            save_as(assertion, user)
        except IntegrityError:  # added by someone else since the check: the transaction is rolled back
            raise AssertionExists(source) from None
    return assertion
