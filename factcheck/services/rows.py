"""Writes of a row as the admin edits it: the whole row at once, with no version to check.

Topics, sources' details, search vocabulary, webhooks: the admin's form has
validated the row, and the write is one save or delete in a transaction of its
own, its history row (where the model keeps one) attributed to ``user``. The
callers that name no user write rows that keep no history.
"""

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from factcheck.services.base import delete_as, save_as

M = TypeVar("M", bound=models.Model)


def save_atomically(obj: M, user: AbstractBaseUser | None = None) -> M:
    with transaction.atomic():
        save_as(obj, user)
    return obj


def delete_atomically(obj: models.Model, user: AbstractBaseUser | None = None) -> None:
    # Atomic although one call: a delete cascades, and history writes a row per object deleted.
    with transaction.atomic():
        delete_as(obj, user)
