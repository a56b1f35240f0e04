"""What a model shows of a language it holds as an ISO 639-1 code."""

from collections.abc import Callable
from typing import Any, Self, overload

from factcheck.language_codes import language_name, text_direction


class LanguageFact:
    """A read-only attribute: ``fact`` of the language code in the attribute ``code_from``.

    Templates read it beside the text: ``lang="{{ a.quote_language }}"
    dir="{{ a.quote_direction }}"``. ``code_from`` may be a field or a property.
    """

    def __init__(self, fact: Callable[[str], str], code_from: str) -> None:
        self.fact = fact
        self.code_from = code_from

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str: ...

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return self.fact(getattr(obj, self.code_from))


def direction_of(code_from: str) -> LanguageFact:
    """ "rtl" or "ltr": the ``dir`` of text in the language ``code_from`` names."""
    return LanguageFact(text_direction, code_from)


def name_of(code_from: str) -> LanguageFact:
    """The name of the language ``code_from`` names, e.g. "Arabic"."""
    return LanguageFact(language_name, code_from)
