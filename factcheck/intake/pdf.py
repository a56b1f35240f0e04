"""PDF: pypdf's text layer page by page, OCR for pages without one, info and XMP metadata.

JavaScript, forms and attachments are never run or opened: pypdf only parses, pdfium
(used to render pages for OCR) is built without a JavaScript engine. Their presence is
reported as a warning so the editor knows the file was not plain.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import ocr
from .base import Extracted, IntakeError, Progress
from .pdf_catalog import active_content, catalog_metadata
from .pdf_cost import page_cost
from .text import join_parts

# PDFium may not be called from two threads at once, even on different documents
# (pypdfium2's documentation); a threaded server or worker shares this process.
PDFIUM_LOCK = threading.RLock()

MAX_PAGES = 2000
#: Decompressed page content: pypdf reads a page up to MAX_PAGE_CONTENT and a document up
#: to PYPDF_BUDGET (about 1 s of CPU per MB of drawing), pdfium (~0.05 s per MB) reads the
#: rest, and a document past MAX_CONTENT_TOTAL is refused.
MAX_PAGE_CONTENT = 512 * 1024
PYPDF_BUDGET = 16 * 1024 * 1024
MAX_CONTENT_TOTAL = 300 * 1024 * 1024
# A page with fewer letters than this has no usable text layer (a scan, perhaps with a
# stamped page number) and is read by OCR instead.
MIN_LETTERS = 3


def extract_pdf(data: bytes, *, filename: str, progress: Progress | None = None) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(io.BytesIO(data), strict=False)
    via_pdfium = False
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            opened = None  # AES needs the cryptography package; pdfium decrypts it instead
        if opened == 0:
            raise _encrypted(filename)
        via_pdfium = opened is None
    warnings: list[str] = []
    if via_pdfium:
        texts = _pdfium_texts(data, filename=filename, progress=progress)
    else:
        texts = _pypdf_texts(reader, data, filename=filename, progress=progress)
    count = len(texts)
    if progress:
        progress(count, count, _("Read %(count)s pages") % {"count": count})

    blank = [i for i, text in enumerate(texts) if sum(ch.isalnum() for ch in text) < MIN_LETTERS]
    ocr_done: list[int] = []
    if blank and len(blank) < count and not ocr.tesseract_available():
        # The text layer carries the document; say which pages could not be read.
        warnings.append(
            ngettext(
                "page %(pages)s had no text layer and could not be read: %(hint)s",
                "pages %(pages)s had no text layer and could not be read: %(hint)s",
                len(blank),
            )
            % {"pages": _pages(blank), "hint": ocr.INSTALL_HINT}
        )
    elif blank:
        ocr_done, gave_up = _ocr_pages(data, blank, texts, filename=filename, progress=progress)
        if ocr_done:
            warnings.append(
                ngettext(
                    "page %(pages)s had no text layer and was read by OCR",
                    "pages %(pages)s had no text layer and were read by OCR",
                    len(ocr_done),
                )
                % {"pages": _pages(ocr_done)}
            )
        if gave_up:
            warnings.append(
                ngettext(
                    "OCR gave up on page %(pages)s after %(seconds)s s a page",
                    "OCR gave up on pages %(pages)s after %(seconds)s s a page",
                    len(gave_up),
                )
                % {"pages": _pages(gave_up), "seconds": ocr.PAGE_TIMEOUT}
            )
        unread = [i for i in blank if i not in ocr_done and i not in gave_up]
        if unread and len(unread) < count:
            warnings.append(
                ngettext(
                    "page %(pages)s had no text layer and OCR found nothing on it",
                    "pages %(pages)s had no text layer and OCR found nothing on them",
                    len(unread),
                )
                % {"pages": _pages(unread)}
            )

    by_ocr = set(ocr_done)
    labels = [f"page {i + 1} (OCR)" if i in by_ocr else f"page {i + 1}" for i in range(count)]
    text, segments = join_parts(zip(texts, labels, strict=True))
    if not text:
        raise IntakeError(
            "no-text", _("“%(name)s” has no text layer and OCR found no text on its pages") % {"name": filename}
        )
    if not via_pdfium:
        warnings.extend(active_content(reader, max_pages=MAX_PAGES))
    metadata = {} if via_pdfium else catalog_metadata(reader, scanned=bool(ocr_done))
    kind = "pdf-ocr" if ocr_done else "pdf"
    return Extracted(text=text, kind=kind, segments=segments, metadata=metadata, warnings=warnings)


def _pypdf_texts(reader: Any, data: bytes, *, filename: str, progress: Progress | None) -> list[str]:
    """Every page's text layer by pypdf; a page whose drawing is huge goes to pdfium instead.

    pypdf interprets content streams in Python: fine for text, slow for a detailed vector
    map or a crafted stream (see pdf_cost), so such pages are read by pdfium (C++) instead.
    """
    from pypdf.errors import LimitReachedError

    count = len(reader.pages)
    _check_count(count, filename)
    texts = []
    total = by_pypdf = 0
    memo: dict[Any, int] = {}
    for index in range(count):
        if progress:
            progress(index, count, _("Reading page %(page)s of %(count)s") % {"page": index + 1, "count": count})
        page = reader.pages[index]
        try:
            size = page_cost(page, limit=MAX_CONTENT_TOTAL, memo=memo)
        except LimitReachedError:
            size = MAX_CONTENT_TOTAL + 1
        total += size
        if total > MAX_CONTENT_TOTAL:
            raise IntakeError(
                "bomb",
                _("“%(name)s” draws more than %(most)s MB of page content by page %(page)s; it was not read further")
                % {"name": filename, "most": MAX_CONTENT_TOTAL // 1024 // 1024, "page": index + 1},
            )
        if size > MAX_PAGE_CONTENT or by_pypdf + size > PYPDF_BUDGET:
            texts.append(_pdfium_page_text(data, index))
        else:
            by_pypdf += size
            texts.append(page.extract_text() or "")
    return texts


def _pdfium_page_text(data: bytes, index: int) -> str:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK, pdfium.PdfDocument(data) as document:
        return str(document[index].get_textpage().get_text_bounded())


def _check_count(count: int, filename: str) -> None:
    if count == 0:
        raise IntakeError("no-text", _("“%(name)s” has no pages") % {"name": filename})
    if count > MAX_PAGES:
        raise IntakeError(
            "bomb",
            _("“%(name)s” has %(count)s pages; at most %(most)s are read")
            % {"name": filename, "count": count, "most": MAX_PAGES},
        )


def _encrypted(filename: str) -> IntakeError:
    return IntakeError(
        "encrypted",
        _("“%(name)s” is protected by a password; remove the protection and try again") % {"name": filename},
    )


def _pdfium_texts(data: bytes, *, filename: str, progress: Progress | None) -> list[str]:
    """Every page's text layer read by pdfium (for encryption pypdf cannot undo on its own)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
                raise _encrypted(filename) from None
            raise
    with PDFIUM_LOCK, document:
        count = len(document)
        _check_count(count, filename)
        texts = []
        for index in range(count):
            if progress:
                progress(index, count, _("Reading page %(page)s of %(count)s") % {"page": index + 1, "count": count})
            texts.append(str(document[index].get_textpage().get_text_bounded()))
    return texts


def _ocr_pages(
    data: bytes, pages: list[int], texts: list[str], *, filename: str, progress: Progress | None
) -> tuple[list[int], list[int]]:
    """OCR ``pages`` in place into ``texts``: the pages where OCR found text, and those it gave up on."""
    if len(pages) > ocr.MAX_OCR_PAGES:
        raise IntakeError(
            "bomb",
            _("“%(name)s” has %(count)s pages without a text layer; OCR reads at most %(most)s")
            % {"name": filename, "count": len(pages), "most": ocr.MAX_OCR_PAGES},
        )
    lang = ocr.languages()
    found, gave_up = [], []
    for done, index in enumerate(pages):
        if progress:
            progress(done, len(pages), _("OCR page %(page)s of %(count)s") % {"page": done + 1, "count": len(pages)})
        text = ocr.ocr_image(_render(data, index), lang=lang)
        if text is None:
            gave_up.append(index)
        elif sum(ch.isalnum() for ch in text) >= MIN_LETTERS:
            texts[index] = text
            found.append(index)
    if progress:
        progress(len(pages), len(pages), _("OCR of %(count)s pages done") % {"count": len(pages)})
    return found, gave_up


def _render(data: bytes, index: int) -> Any:
    """Page ``index`` as a grayscale Pillow image for OCR, its size bounded by ocr.render_scale."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK, pdfium.PdfDocument(data) as document:
        page = document[index]
        width, height = page.get_size()
        # A copy: the bitmap's buffer goes with the document.
        return page.render(scale=ocr.render_scale(width, height), grayscale=True).to_pil().copy()


def _pages(indexes: list[int]) -> str:
    """[2, 3, 4, 7] → "3-5 and 8" (1-based, as people count pages); the message says "page" or "pages"."""
    runs: list[list[int]] = []
    for i in sorted(indexes):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [f"{r[0] + 1}-{r[-1] + 1}" if len(r) > 1 else f"{r[0] + 1}" for r in runs]
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}
