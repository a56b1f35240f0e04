"""A source's details (title, dates, classification) and the source as a whole; its text: ``sources``."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from factcheck.models import Source
from factcheck.services.base import delete_as, save_as


def source_create(*, source: Source, user: AbstractBaseUser) -> Source:
    """Save a new source: nothing cites it yet, so there are no quotes to check."""
    with transaction.atomic():
        save_as(source, user)
    return source


def source_update_details(*, source: Source, user: AbstractBaseUser) -> Source:
    """Save ``source`` with the caller's changes to anything but its text (``source_update_text`` for that)."""
    with transaction.atomic():
        save_as(source, user)
    return source


def source_delete(*, source: Source, user: AbstractBaseUser) -> None:
    """Delete a source no assertion cites (they protect it: ``ProtectedError`` otherwise)."""
    with transaction.atomic():
        delete_as(source, user)
