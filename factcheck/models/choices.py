"""Text choices whose members carry more than a value and a label."""

import inspect
from typing import Any, Self

from django.db import models


class FactChoices(models.TextChoices):
    """Choices declared ``NAME = value, *facts, label``: what belongs to a member is written on its line.

    The facts are the attributes the subclass annotates, in their order (as a
    ``NamedTuple``'s fields); every member gives each of them. The stored
    value and the label stay what ``TextChoices`` makes of them, so
    ``choices`` and the migrations do not change, and ``Status("conflict")``
    still looks a member up by value.
    """

    def __new__(cls, value: str, *facts: Any) -> Self:
        # str's own __new__ would read the facts as an encoding and errors.
        member = str.__new__(cls, value)
        member._value_ = value
        names = inspect.get_annotations(cls)  # the subclass's own, lazy ones too (Python 3.14)
        for name, fact in zip(names, facts, strict=True):
            setattr(member, name, fact)
        return member
