"""OCR of scanned PDFs through the real Tesseract binary (factcheck/intake/ocr.py).

Skipped only when the tesseract binary is missing; under CI (CI is set) that is a
failure instead, as for the browser tests: .ci/run installs it.
"""

import io
import os
import shutil

import pytest
from pypdf import PdfReader, PdfWriter

from factcheck.intake import IntakeError, extract
from tests.intake_docs import make_pdf, make_scanned_pdf

pytestmark = pytest.mark.slow  # starts a Tesseract process per page


@pytest.fixture(autouse=True)
def require_tesseract():
    if shutil.which("tesseract") is None:
        reason = "Tesseract is not installed (apt-get install tesseract-ocr)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide it", pytrace=False)
        pytest.skip(reason)


def merged(*documents: bytes) -> bytes:
    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(document)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_reads_a_scanned_pdf_by_ocr_page_by_page():
    scan = make_scanned_pdf(["The naval base at Tartus", "will stay open, officials said."])
    result = extract(scan, filename="scan.pdf")
    assert result.kind == "pdf-ocr"
    assert [s.label for s in result.segments] == ["page 1 (OCR)", "page 2 (OCR)"]
    first, second = (result.text[s.start : s.end] for s in result.segments)
    assert "naval base at Tartus" in first
    assert "officials said" in second
    assert result.warnings == ["pages 1-2 had no text layer and were read by OCR"]
    assert result.metadata["language"] == "en"
    # Pillow stamps the PDF with today's date: for a scan that is no publication date.
    assert result.metadata["published"] == ""


def test_it_reads_only_the_pages_without_a_text_layer_by_ocr():
    document = merged(make_pdf(["A page typed with a text layer."]), make_scanned_pdf(["Then a scanned letter"]))
    result = extract(document, filename="mixed.pdf")
    assert result.kind == "pdf-ocr"
    assert [s.label for s in result.segments] == ["page 1", "page 2 (OCR)"]
    assert result.text.startswith("A page typed with a text layer.\n\n")
    assert "scanned letter" in result.text
    assert result.warnings == ["page 2 had no text layer and was read by OCR"]


def test_it_reports_ocr_progress():
    seen = []
    extract(
        make_scanned_pdf(["First scanned page", "Second scanned page"]),
        filename="s.pdf",
        progress=lambda *a: seen.append(a),
    )
    assert (0, 2, "OCR page 1 of 2") in seen
    assert (1, 2, "OCR page 2 of 2") in seen


def test_it_refuses_a_scan_where_ocr_finds_nothing():
    with pytest.raises(IntakeError) as caught:
        extract(make_scanned_pdf(["", ""]), filename="blank.pdf")
    assert caught.value.code == "no-text"
    assert "“blank.pdf” has no text layer and OCR found no text" in caught.value.message


def test_it_keeps_a_document_whose_blank_scanned_page_has_nothing_to_read():
    document = merged(make_pdf(["Typed page with words."]), make_scanned_pdf([""]))
    result = extract(document, filename="mixed.pdf")
    assert result.kind == "pdf"
    assert result.text == "Typed page with words."
    assert result.warnings == ["page 2 had no text layer and OCR found nothing on it"]
