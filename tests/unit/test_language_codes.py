"""Language codes: ISO 639-1 only, with a message that names the code meant."""

import pytest
from django.core.exceptions import ValidationError

from factcheck.language_codes import (
    LANGUAGE_CHOICES,
    language_name,
    text_direction,
    validate_language_code,
)


@pytest.mark.parametrize("code", ["en", "ru", "ar", "fr", "tr", "he"])
def test_it_accepts_iso_639_1_codes(code):
    validate_language_code(code)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("Russian", "“ru”"),
        ("RU", "“ru”"),
        ("French", "“fr”"),
        ("xx", "“en”, “ru”"),
        ("", "two-letter"),
        ("rus", "two-letter"),
    ],
)
def test_it_refuses_anything_else_naming_the_code_meant(value, hint):
    with pytest.raises(ValidationError) as caught:
        validate_language_code(value)
    assert hint in caught.value.messages[0]
    assert "not an ISO 639-1 language code" in caught.value.messages[0]


def test_it_names_and_orients_languages():
    assert language_name("ru") == "Russian"
    assert language_name("zz") == "zz"
    assert (text_direction("ar"), text_direction("he"), text_direction("ru")) == ("rtl", "rtl", "ltr")
    assert ("fr", "French (fr)") in LANGUAGE_CHOICES
    assert len(LANGUAGE_CHOICES) == 184
