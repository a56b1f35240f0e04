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
        ("Россия сохранит военно-морскую базу в Тартусе, заявили в Москве во вторник.", "ru"),
        ("قالت موسكو إن روسيا ستحتفظ بقاعدتها البحرية في طرطوس.", "ar"),
        ("La Russie conservera sa base navale de Tartous, a déclaré Moscou mardi.", "fr"),
        ("Russia will keep its naval base at Tartus, Moscow said on Tuesday.", "en"),
    ],
)
def test_it_detects_the_language_of_a_short_text(text, code):
    assert detect_language(text) == code


# Digits say nothing of a language, nor does a word too short to tell.
@pytest.mark.parametrize("text", ["", "  ", "   ", "12 345", "ok"])
def test_it_answers_blank_when_unsure(text):
    assert detect_language(text) == ""


def test_arabic_and_hebrew_read_right_to_left():
    assert [text_direction(c) for c in ("ar", "he", "ru", "fr", "en")] == ["rtl", "rtl", "ltr", "ltr", "ltr"]
