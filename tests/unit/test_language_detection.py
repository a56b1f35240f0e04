"""factcheck.language_codes.detect_language on short texts written for the tests."""

import pytest

from factcheck.language_codes import detect_language, text_direction


@pytest.mark.parametrize(
    "text, code",
    [
        ("Министерство обороны заявило, что корабли останутся в порту до конца года.", "ru"),
        ("قالت الحكومة إن القاعدة البحرية ستبقى تحت السيطرة الروسية مؤقتا.", "ar"),
        ("Selon le ministère, la flotte russe quittera la base navale au printemps.", "fr"),
        ("Officials said the navy will keep its ships at the naval base.", "en"),
    ],
)
def test_it_detects_the_language_of_a_short_text(text, code):
    assert detect_language(text) == code


def test_it_answers_nothing_for_no_text():
    assert detect_language("  ") == ""
    assert detect_language("12 345") == ""  # digits say nothing of a language


def test_arabic_and_hebrew_read_right_to_left():
    assert [text_direction(c) for c in ("ar", "he", "ru", "fr", "en")] == ["rtl", "rtl", "ltr", "ltr", "ltr"]
