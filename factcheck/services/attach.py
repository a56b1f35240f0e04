"""A passage an editor selected in the source reader, attached to a claim or made into a new one.

Unlike a suggestion from the evidence finder (``assertions.assertion_create``,
held to the finder's sentences), a selection may be any stretch of the text:
the editor read it in place. What the browser sends is checked again here,
never trusted: the quote must be exactly ``Source.text[start:end]`` (the page
may be out of date, or the script wrong), and it is trimmed of surrounding
blanks and held between MIN_SELECTION and MAX_SELECTION characters.
"""

import uuid
from typing import NotRequired, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from factcheck.models import Assertion, Claim, ClaimKind, Source, Speaker, Stance, Topic
from factcheck.services import notify
from factcheck.services.assertions import AssertionExists, PartialDate, set_attribution
from factcheck.services.base import clean_text, save_as

# A quote is a statement: "Russia" is not one; twelve characters is two or three words.
MIN_SELECTION = 12
# A quote, not a chapter: longer passages are attached as several statements.
MAX_SELECTION = 2_000
MAX_CLAIM_TEXT = 1_000


def selection_check(source: Source, *, start: int, end: int, quote: str) -> tuple[int, int]:
    """The selection's offsets without surrounding blanks; ``ValidationError`` keyed by the field at fault."""
    text, title = source.text, source.title
    if not 0 <= start < len(text):
        raise ValidationError(
            {
                "start": _("Offset %(start)s is not within “%(title)s” (length %(length)s).")
                % {"start": start, "title": title, "length": f"{len(text):,}"}
            }
        )
    if not start < end <= len(text):
        raise ValidationError(
            {
                "end": _(
                    "Offset %(end)s is not after the start (%(start)s) and within “%(title)s” (length %(length)s)."
                )
                % {"end": end, "start": start, "title": title, "length": f"{len(text):,}"}
            }
        )
    if text[start:end] != quote:
        raise ValidationError(
            {
                "quote": _(
                    "The selected words are not the text of “%(title)s” at %(start)s–%(end)s: "
                    "the page may be out of date; reload it and select again."
                )
                % {"title": title, "start": start, "end": end}
            }
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    length = end - start
    if length < MIN_SELECTION:
        raise ValidationError(
            {
                "quote": _("The selection is %(length)s characters long; a quote is at least %(least)s (a few words).")
                % {"length": length, "least": MIN_SELECTION}
            }
        )
    if length > MAX_SELECTION:
        raise ValidationError(
            {
                "quote": _(
                    "The selection is %(length)s characters long; a quote is at most %(most)s: "
                    "attach a shorter passage, or several."
                )
                % {"length": f"{length:,}", "most": f"{MAX_SELECTION:,}"}
            }
        )
    return start, end


class Selection(TypedDict):
    """What the editor selected in the reader and said of it: the same for either way of attaching it."""

    source: Source
    start: int
    end: int
    quote: str
    stance: str
    speaker: NotRequired[Speaker | None]
    period_from: NotRequired[PartialDate | str | None]
    period_to: NotRequired[PartialDate | str | None]


def assertion_attach(*, claim: Claim, user: AbstractBaseUser, **selection: Unpack[Selection]) -> Assertion:
    """Make the selected ``quote`` at ``start``–``end`` of ``source`` an assertion of ``claim``, as ``user``.

    ``ValidationError`` keyed by parameter, or ``AssertionExists``; the history row is this write.
    """
    assertion = _selected(selection)
    assertion.claim = claim
    with transaction.atomic():
        _save_new(assertion, claim, user)
    return assertion


def claim_create_with_assertion(
    *,
    topic: Topic,
    text: str,
    kind: str = ClaimKind.EVENT,
    user: AbstractBaseUser,
    **selection: Unpack[Selection],
) -> Assertion:
    """A new claim in ``topic`` saying ``text``, with the selected passage as its first assertion; both or neither."""
    text = clean_text(text, "text", MAX_CLAIM_TEXT)
    if kind not in ClaimKind.values:
        kinds = ", ".join(ClaimKind.values)
        raise ValidationError(
            {"kind": _("“%(kind)s” is not a kind of claim; choose one of %(kinds)s.") % {"kind": kind, "kinds": kinds}}
        )
    assertion = _selected(selection)
    key = f"{slugify(text)[:60].strip('-') or 'claim'}-{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        claim = Claim(topic=topic, text=text, kind=kind, key=key)
        save_as(claim, user)
        assertion.claim = claim
        _save_new(assertion, claim, user)
    return assertion


def _selected(selection: Selection) -> Assertion:
    """The unsaved assertion the selection makes, its attribution set; ``ValidationError`` keyed by parameter."""
    source, stance = selection["source"], selection["stance"]
    if stance not in Stance.values:
        stances = ", ".join(Stance.values)
        raise ValidationError(
            {
                "stance": _("“%(stance)s” is not a stance; choose one of %(stances)s.")
                % {"stance": stance, "stances": stances}
            }
        )
    start, end = selection_check(source, start=selection["start"], end=selection["end"], quote=selection["quote"])
    assertion = Assertion(source=source, stance=stance, quote=source.text[start:end], start=start, end=end)
    set_attribution(
        assertion,
        speaker=selection.get("speaker"),
        stated_on=None,
        period_from=selection.get("period_from"),
        period_to=selection.get("period_to"),
    )
    return assertion


def _save_new(assertion: Assertion, claim: Claim, user: AbstractBaseUser) -> None:
    """Inside the caller's transaction: refuse a passage the claim already quotes, save, tell the watchers."""
    same = Assertion.objects.filter(claim=claim, source=assertion.source, start=assertion.start, end=assertion.end)
    if same.exists():
        raise AssertionExists(assertion.source)
    before = notify.status_now(claim.pk)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable for its own answer
            save_as(assertion, user)
    except IntegrityError:  # attached by someone else since the check
        raise AssertionExists(assertion.source) from None
    notify.evidence_added(claim=claim, actor=user, status_before=before)
