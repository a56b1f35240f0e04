"""Property: extract() on any bytes returns a well-formed Extracted or raises IntakeError.

Random bytes mostly die at sniffing, so the strategies also feed bytes behind real
magic numbers and mutated copies of real documents, which reach the parsers. Tesseract
is pointed nowhere: this checks the parsers' robustness, not OCR (tests/integration does).
Runs are derandomised: the same examples every run.
"""

import pytesseract
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.intake import IntakeError, extract
from factcheck.intake.base import METADATA_KEYS
from factcheck.intake.text import normalise
from tests.intake_docs import make_docx, make_encrypted_pdf, make_html, make_pdf, make_pdf_with_javascript

CODES = {
    "too-big",
    "empty",
    "unsupported-type",
    "wrong-extension",
    "encrypted",
    "corrupt",
    "no-text",
    "ocr-unavailable",
    "bomb",
}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.sampled_from(["a.pdf", "a.docx", "a.html", "a.txt", "upload", "a.PDF", "weird.name.htm"])
MAGIC = st.sampled_from(
    [b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"<!DOCTYPE html [", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]
)
SAMPLES = [
    make_pdf(["First page of words.", "Second page (with parentheses)."], {"title": "T", "created": "2024"}),
    make_pdf_with_javascript(),
    make_encrypted_pdf(user_password=""),
    make_docx(["A paragraph.", "Another one."], table=[["a", "b"]]),
    make_html(meta={"author": "A", "og:site_name": "P"}, json_ld={"@type": "NewsArticle", "headline": "H"}).encode(),
]


@pytest.fixture(autouse=True)
def no_tesseract(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")


def check(data: bytes, filename: str) -> None:
    try:
        result = extract(data, filename=filename)
    except IntakeError as exc:
        assert exc.code in CODES
        assert exc.message
        return
    assert result.text and normalise(result.text) == result.text
    assert result.kind in {"pdf", "pdf-ocr", "html", "docx", "txt"}
    assert set(result.metadata) == set(METADATA_KEYS)
    assert result.segments[0].start == 0 and result.segments[-1].end == len(result.text)
    for before, after in zip(result.segments, result.segments[1:], strict=False):
        assert before.end == after.start


@FUZZ
@given(magic=MAGIC, body=st.binary(max_size=4096), filename=NAMES)
def test_it_only_ever_raises_intake_errors_on_random_bytes(magic, body, filename):
    check(magic + body, filename)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 20))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    return bytes(data)


@FUZZ
@given(data=mutated(), filename=NAMES)
def test_it_only_ever_raises_intake_errors_on_damaged_documents(data, filename):
    check(data, filename)
