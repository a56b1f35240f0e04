"""Assertions added from evidence suggestions, and who said each one and about when.

A partial date is a ``(date, precision)`` pair, as ``dates.parse_partial_date``
returns it, or the ``"YYYY[-MM[-DD]]"`` text it parses.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factcheck import dates, excerpts, quotes
from factcheck.models import Assertion, Claim, Precision, Source, Speaker, Stance
from factcheck.services import notify
from factcheck.services.base import check_version, save_as
from factcheck.services.speakers import speaker_create
from factcheck.services.translations import check_languages

PartialDate = tuple[dt.date, str]


class AssertionExists(Exception):
    """The claim already has an assertion on exactly this passage of the source."""


def assertion_create(
    *,
    claim: Claim,
    source: Source,
    start: int,
    end: int,
    stance: str,
    as_of: PartialDate | str | None = None,
    user: AbstractBaseUser,
    speaker: Speaker | None = None,
    stated_on: PartialDate | str | None = None,
    period_end: PartialDate | str | None = None,
) -> Assertion:
    """Make ``source``'s passage ``start``–``end`` an assertion of ``claim``, as ``user``.

    The offsets must pass ``excerpts.check`` (within one suggested passage,
    on word boundaries, a few words at least). ``as_of`` is a
    ``(date, precision)`` pair from ``dates.parse_partial_date``, or None:
    the start of the period the statement speaks about (``period_end`` its
    end). ``speaker`` is whom the source reports; None is its own voice.
    Raises ``ValidationError`` keyed by parameter, or ``AssertionExists``.
    The history row is this write, now, by ``user``.
    """
    if stance not in Stance.values:
        raise ValidationError({"stance": f"“{stance}” is not a stance; choose one of {', '.join(Stance.values)}."})
    start, end = excerpts.check(source, start, end)
    assertion = Assertion(claim=claim, source=source, stance=stance, quote=source.text[start:end])
    set_attribution(assertion, speaker=speaker, stated_on=stated_on, period_from=as_of, period_to=period_end)
    # Offsets come from locate(), like every other assertion's: the occurrence
    # of the quote that starts where the passage does.
    occurrences = quotes.find_occurrences(source.text, assertion.quote)
    assertion.locate(next((n for n, o in enumerate(occurrences, 1) if o.start >= start), None))
    check_languages(assertion)
    with transaction.atomic():
        if Assertion.objects.filter(claim=claim, source=source, start=assertion.start, end=assertion.end).exists():
            raise AssertionExists(source)
        before = notify.status_now(claim.pk)
        try:
            save_as(assertion, user)
        except IntegrityError:  # added by someone else since the check: the transaction is rolled back
            raise AssertionExists(source) from None
        notify.evidence_added(claim=claim, actor=user, status_before=before)
    return assertion


def assertion_attribute(
    *,
    assertion: Assertion,
    user: AbstractBaseUser,
    version: int,
    speaker: Speaker | None,
    stated_on: PartialDate | str | None,
    period_from: PartialDate | str | None,
    period_to: PartialDate | str | None = None,
    new_speaker: tuple[str, str] | None = None,
    stance: str | None = None,
    language: str | None = None,
    translation: tuple[str, str, str] | None = None,
) -> Assertion:
    """Set who said ``assertion``, when, and the period it speaks about, on top of ``version``.

    ``stance``: what the statement does to the claim, if it changes (None keeps it).

    ``new_speaker``: ``(name, kind)`` of a speaker to create and attribute the
    statement to, in the same transaction (``speaker`` is then ignored).
    ``language`` (the quote's; "" for its source's) and ``translation``
    (``(text, language, translator)``, all "" for none) are left as they are
    when None.

    Every argument replaces what is stored: None is the source's own voice,
    the source's publication date, no period (undated). Bad dates raise
    ``ValidationError`` keyed ``stated_on``, ``period_from`` or ``period_to``;
    an assertion changed since ``version`` raises ``StaleEdit``. Nothing
    changed: saved with the same version, as the admin does.
    """
    if stance is not None and stance not in Stance.values:
        raise ValidationError({"stance": f"“{stance}” is not a stance; choose one of {', '.join(Stance.values)}."})
    with transaction.atomic():
        current = Assertion.objects.select_for_update().select_related("source").filter(pk=assertion.pk).first()
        current = check_version(current, version, "assertion")
        if new_speaker is not None:
            name, kind = new_speaker
            speaker = speaker_create(name=name, kind=kind, user=user)
        before = (current.stance, _attribution(current))
        set_attribution(current, speaker=speaker, stated_on=stated_on, period_from=period_from, period_to=period_to)
        current.stance = stance or current.stance
        if language is not None:
            current.language = language.strip()
        if translation is not None:
            current.translation, current.translation_language, current.translator = translation
        check_languages(current)
        if (current.stance, _attribution(current)) != before:
            current.version = version + 1
            save_as(current, user)
    return current


def set_attribution(
    assertion: Assertion,
    *,
    speaker: Speaker | None,
    stated_on: PartialDate | str | None,
    period_from: PartialDate | str | None,
    period_to: PartialDate | str | None = None,
) -> None:
    """Check and set the speaker and dates on an unsaved ``assertion``; ``ValidationError`` naming each bad one."""
    errors: dict[str, str] = {}
    parsed: dict[str, PartialDate | None] = {}
    for field, value in (("stated_on", stated_on), ("period_from", period_from), ("period_to", period_to)):
        try:
            parsed[field] = _partial(value)
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise ValidationError(errors)
    if speaker is not None and speaker.pk is None:
        raise ValidationError({"speaker": "Save the speaker before attributing a statement to it."})
    assertion.speaker = speaker
    assertion.stated_on, assertion.stated_on_precision = parsed["stated_on"] or (None, Precision.DAY)
    assertion.as_of, assertion.as_of_precision = parsed["period_from"] or (None, Precision.DAY)
    assertion.period_end, assertion.period_end_precision = parsed["period_to"] or (None, Precision.DAY)
    check_timing(assertion)


def check_timing(assertion: Assertion) -> None:
    """``ValidationError`` if the assertion's dates cannot stand: a bad precision, a period ending before it starts.

    The admin's form and the import call it on what they built; the services above call it on every write.
    """
    errors: dict[str, str] = {}
    for field in ("stated_on_precision", "as_of_precision", "period_end_precision"):
        value = getattr(assertion, field)
        if value not in Precision.values:
            errors[field] = f"“{value}” is not a precision; choose one of {', '.join(Precision.values)}."
    if errors:
        raise ValidationError(errors)
    if assertion.period_end is not None:
        if assertion.as_of is None:
            errors["period_from"] = "A period with an end needs a start; give “from” (or only “from” for one date)."
        else:
            start = assertion.as_of
            end = dates.period_end(assertion.period_end, assertion.period_end_precision)
            if end < start:
                shown_from = dates.format_partial_date(assertion.as_of, assertion.as_of_precision)
                shown_to = dates.format_partial_date(assertion.period_end, assertion.period_end_precision)
                errors["period_to"] = f"The period ends ({shown_to}) before it starts ({shown_from})."
    if errors:
        raise ValidationError(errors)


def _partial(value: PartialDate | str | None) -> PartialDate | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        date, precision = dates.parse_partial_date(value)
        return date, precision
    date, precision = value
    if precision not in Precision.values:
        raise ValueError(f"“{precision}” is not a precision; choose one of {', '.join(Precision.values)}.")
    return date, precision


def _attribution(a: Assertion) -> tuple[object, ...]:
    return (
        a.language,
        a.translation,
        a.translation_language,
        a.translator,
        a.speaker_id,
        a.stated_on,
        a.stated_on_precision,
        a.as_of,
        a.as_of_precision,
        a.period_end,
        a.period_end_precision,
    )
