"""A source's full text: changing it moves the quotes that cite it, or is refused."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck import corpus
from factcheck.models import Assertion, Source
from factcheck.services.base import save_as

MOVED_REASON = "source text changed; quote moved"


# A quote the new text moves: the assertion, and its new start and end.
Move = tuple[Assertion, int, int]


def source_update_text(*, source: Source, text: str, user: AbstractBaseUser) -> list[Move]:
    """Save ``source`` with ``text`` as its full text, and move each quote citing it to where the text now has it.

    ``source`` may carry other unsaved changes (the admin's form): they are
    saved with the text, in the same history row, by ``user``. A text that
    loses a quote, or holds it a different number of times so that which
    one is meant is unclear, is refused whole (``ValidationError`` on
    ``text``, nothing saved). Each quote that moves gets new offsets, a new
    version and a history row by ``user`` saying why. Returns the moves,
    ``(assertion, start, end)`` each.
    """
    with transaction.atomic():
        # Compared with the stored text under a lock: no quote added or moved since the form was checked is missed.
        stored = Source.objects.select_for_update().only("text").get(pk=source.pk)
        moves: list[Move]
        problems: list[str]
        moves, problems = corpus.quotes_after_text_change(stored, text) if text != stored.text else ([], [])
        if problems:
            raise ValidationError(
                {"text": [f"The new text would break {len(problems)} quote(s); nothing was saved.", *problems]}
            )
        source.text = text
        save_as(source, user)
        for assertion, start, end in moves:
            assertion.source = source  # the saved one, new text and all, not the locked copy of the old
            assertion.start, assertion.end = start, end
            assertion.version += 1
            save_as(assertion, user, reason=MOVED_REASON)
    return moves
