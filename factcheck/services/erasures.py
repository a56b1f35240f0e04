"""Notes and resolutions removed outright: a staff power of the admin.

Editors delete a note by tombstoning it (``notes.annotation_delete``) and
reopen a resolution (``decisions.resolution_reopen``); these remove the row,
its history kept, with the removal recorded by ``user``.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from factcheck.models import Annotation, Resolution
from factcheck.services.base import delete_as


def annotation_erase(*, annotation: Annotation, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        delete_as(annotation, user)


def resolution_delete(*, resolution: Resolution, user: AbstractBaseUser) -> None:
    """Remove the resolution; the claim's status goes back to what its sources say (a signal recomputes it)."""
    with transaction.atomic():
        delete_as(resolution, user)
