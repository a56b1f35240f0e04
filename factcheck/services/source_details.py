"""A source's details (title, dates, classification) and the source as a whole; its text: ``sources``."""

from django.contrib.auth.models import AbstractBaseUser

from factcheck.models import Source
from factcheck.services.rows import delete_atomically, save_atomically


def source_create(*, source: Source, user: AbstractBaseUser) -> Source:
    """Save a new source, or a stored one's changes to anything but its text (``source_update_text`` for that).

    Neither moves a quote: nothing cites a new source yet, and the text is what quotes point into.
    """
    return save_atomically(source, user)


# The admin calls each case by its name; the write is the same.
source_update_details = source_create


def source_delete(*, source: Source, user: AbstractBaseUser) -> None:
    """Delete a source no assertion cites (they protect it: ``ProtectedError`` otherwise)."""
    delete_atomically(source, user)
