"""What every editorial write shares: the version check, attributed saves, checked text.

Every write that an editor bases on something they saw is optimistic-locked:
the caller passes the ``version`` the editor's form was built from; inside
one transaction the row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; on
SQLite the IMMEDIATE transaction mode already holds the database's write lock
from ``BEGIN``), the versions are compared, and a stale edit raises
``StaleEdit`` with the current object instead of overwriting someone else's
change. A fresh edit bumps the version and goes through ``save()`` so that
django-simple-history records it with its author: nothing here uses
``update()`` on a tracked field.
"""

from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Versioned(Protocol):
    version: int


V = TypeVar("V", bound=Versioned)

MAX_HISTORY_REASON_LENGTH = 100  # django-simple-history's history_change_reason column


class StaleEdit(Exception):
    """The edit was based on ``submitted_version``; ``current`` has moved on (or is gone: ``None``)."""

    def __init__(self, current: Versioned | None, submitted_version: int, what: str) -> None:
        self.current = current
        self.submitted_version = submitted_version
        self.what = what
        values = {"what": what, "submitted": submitted_version}
        if current is not None:
            message = _(
                "This %(what)s changed while you were editing it: you edited version %(submitted)s, "
                "it is now version %(current)s. Nothing was saved."
            ) % {**values, "current": current.version}
        else:
            message = (
                _(
                    "This %(what)s changed while you were editing it: you edited version %(submitted)s, "
                    "it is now deleted. Nothing was saved."
                )
                % values
            )
        super().__init__(message)


def check_version(current: V | None, version: int, what: str) -> V:
    """``current``, locked and still at ``version``; ``StaleEdit`` if it moved on or is gone."""
    if current is None or current.version != version:
        raise StaleEdit(current, version, what)
    return current


def attribute_to(obj: models.Model, user: AbstractBaseUser | None, reason: str | None = None) -> None:
    """Name ``user`` (and ``reason``) in the history row the next save or delete of ``obj`` writes."""
    # django-simple-history reads these attributes off the instance; no stubs declare them.
    obj._history_user = user  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]


def save_as(obj: models.Model, user: AbstractBaseUser | None, reason: str | None = None, **kwargs: Any) -> None:
    """``save()`` with the history row attributed to ``user`` even outside a request."""
    attribute_to(obj, user, reason)
    obj.save(**kwargs)


def delete_as(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """``delete()`` with the history rows it writes attributed to ``user``."""
    attribute_to(obj, user)
    obj.delete()


def clean_text(value: str | None, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Write something: this cannot be empty.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)s characters; this has %(has)s.")
                % {"max": f"{max_length:,}", "has": f"{len(value):,}"}
            }
        )
    return value
