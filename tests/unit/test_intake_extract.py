"""factcheck.intake.extract(): formats, metadata, normalisation and refusals (see docs/intake.md)."""

import pytest

from factcheck.intake import MAX_BYTES, IntakeError, extract, extract_pasted
from factcheck.intake.text import normalise


def refusal(data: bytes, filename: str) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        extract(data, filename=filename)
    return caught.value


def assert_segments_cover(result):
    assert result.segments[0].start == 0
    assert result.segments[-1].end == len(result.text)
    for before, after in zip(result.segments, result.segments[1:], strict=False):
        assert before.end == after.start


# --- Plain text and paste --------------------------------------------------------------


def test_it_reads_utf8_text_into_one_body_segment():
    result = extract("Die Gespräche gehen weiter.\nSecond line.".encode(), filename="notes.txt")
    assert result.kind == "txt"
    assert result.text == "Die Gespräche gehen weiter.\nSecond line."
    assert [(s.start, s.end, s.label) for s in result.segments] == [(0, len(result.text), "body")]


def test_it_reads_utf8_and_utf16_by_their_byte_order_marks():
    text = "Переговоры продолжаются."
    assert extract(b"\xef\xbb\xbf" + text.encode(), filename="a.txt").text == text
    assert extract(text.encode("utf-16"), filename="a.txt").text == text
    assert extract(text.encode("utf-16-be").join([b"\xfe\xff", b""]), filename="a.txt").text == text


def test_it_refuses_text_that_is_not_utf8_naming_the_first_bad_byte():
    error = refusal("line one\ncafé".encode("cp1252"), "old.txt")
    assert error.code == "unsupported-type"
    assert "byte 0xE9 at offset 12 (line 2)" in error.message
    assert "“old.txt”" in error.message


def test_it_normalises_line_ends_controls_and_composition():
    raw = "e\u0301t\u00e9\r\nnext\rline\x07 bell\x00\n\n\n\n\n\nafter\tTab\ufeff"
    assert normalise(raw) == "\u00e9t\u00e9\nnext\nline bell\n\n\nafter\tTab"


def test_it_keeps_at_most_two_blank_lines():
    assert normalise("a\n\nb\n\n\nc\n \n\t\n\n\nd") == "a\n\nb\n\n\nc\n\n\nd"


def test_it_reads_pasted_text_as_one_segment():
    result = extract_pasted("  Officials said the talks continue.\r\n")
    assert result.kind == "paste"
    assert result.text == "Officials said the talks continue."
    assert [s.label for s in result.segments] == ["pasted text"]
    assert set(result.metadata) == {"title", "author", "publisher", "published", "language", "url"}


def test_it_detects_the_language_of_text_without_a_declared_one():
    result = extract_pasted("Officials said on Monday that the talks about the naval base would continue next month.")
    assert result.metadata["language"] == "en"
    result = extract_pasted("Официальные лица заявили в понедельник, что переговоры о военно-морской базе продолжатся.")
    assert result.metadata["language"] == "ru"


def test_it_refuses_empty_input():
    assert refusal(b"", "a.txt").code == "empty"
    assert refusal(b"  \n\t ", "a.txt").code == "empty"
    with pytest.raises(IntakeError) as caught:
        extract_pasted(" \n ")
    assert caught.value.code == "empty"


def test_it_refuses_a_file_over_the_limit_before_reading_it():
    error = refusal(b"a" * (MAX_BYTES + 1), "big.txt")
    assert error.code == "too-big"
    assert "25 MB" in error.message


# --- Types and extensions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "JPEG image"),
        (b"MZ\x90\x00" + b"\0" * 20, "Windows program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, ".doc"),
    ],
)
def test_it_refuses_unsupported_types_saying_what_is_accepted(data, named):
    error = refusal(data, "upload.bin")
    assert error.code == "unsupported-type"
    assert named in error.message
    assert "accepts a PDF" in error.message
