"""The extraction contract: bytes in, one canonical text with segments and metadata out.

``extract()`` never lets anything but :class:`IntakeError` escape, whatever the bytes:
a parser's own exception is logged and turned into "corrupt" with the parser's reason.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from .base import MAX_BYTES, Extracted, IntakeError, Progress, Segment
from .metadata import finish_metadata
from .sniff import NAMES, check_extension, sniff
from .text import extract_txt, join_parts

__all__ = ["MAX_BYTES", "Extracted", "IntakeError", "Progress", "Segment", "extract", "extract_pasted"]

logger = logging.getLogger(__name__)
MAX_NAME = 120


def extract(data: bytes, *, filename: str, progress: Progress | None = None) -> Extracted:
    """Read an uploaded document (PDF, scanned PDF, DOCX, HTML, UTF-8 text)."""
    # The name is only for messages: its last path part, shortened (the extension kept).
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "the file"
    if len(filename) > MAX_NAME:
        filename = filename[: MAX_NAME - 11] + "…" + filename[-10:]
    if len(data) > MAX_BYTES:
        raise IntakeError(
            "too-big",
            _("“%(name)s” is %(size)s MB; the limit is %(limit)s MB")
            % {"name": filename, "size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024},
        )
    if not data.strip():
        raise IntakeError("empty", _("“%(name)s” is empty") % {"name": filename})
    kind = "file"
    try:
        kind = check_extension(sniff(data, filename=filename), filename)
        if progress and kind != "pdf":  # PDFs report page by page themselves
            progress(0, 1, _("Reading %(what)s") % {"what": NAMES[kind]})
        result = _READERS[kind](data, filename=filename, progress=progress)
        if progress and kind != "pdf":
            progress(1, 1, _("Read %(what)s") % {"what": NAMES[kind]})
    except IntakeError:
        raise
    except RecursionError:
        raise IntakeError("bomb", _("“%(name)s” is nested too deeply to read safely") % {"name": filename}) from None
    except MemoryError:
        raise IntakeError(
            "bomb", _("“%(name)s” expands to more than can be read safely") % {"name": filename}
        ) from None
    except Exception as exc:
        logger.warning("intake: %s could not be read as %s", filename, kind, exc_info=True)
        reason = str(exc).strip() or type(exc).__name__
        what = NAMES.get(kind, _("a document"))
        raise IntakeError(
            "corrupt",
            _("“%(name)s” is damaged or incomplete and could not be read as %(what)s: %(reason)s")
            % {"name": filename, "what": what, "reason": reason[:300]},
        ) from None
    if not result.text.strip():
        raise IntakeError("no-text", _("no text could be read from “%(name)s”") % {"name": filename})
    finish_metadata(result)
    return result


def extract_pasted(text: str) -> Extracted:
    """Text pasted into the form: normalised like any file, one segment "pasted text"."""
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_BYTES:
        raise IntakeError(
            "too-big", _("the pasted text is over the %(limit)s MB limit") % {"limit": MAX_BYTES // 1024 // 1024}
        )
    body, segments = join_parts([(text or "", "pasted text")])
    if not body:
        raise IntakeError("empty", _("the pasted text is empty"))
    result = Extracted(text=body, kind="paste", segments=segments)
    finish_metadata(result)
    return result


def _read_txt(data: bytes, *, filename: str, progress: Progress | None) -> Extracted:
    body, segments = extract_txt(data, filename=filename)
    return Extracted(text=body, kind="txt", segments=segments)


def _read_pdf(data: bytes, *, filename: str, progress: Progress | None) -> Extracted:
    from .pdf import extract_pdf

    return extract_pdf(data, filename=filename, progress=progress)


def _read_html(data: bytes, *, filename: str, progress: Progress | None) -> Extracted:
    from .html import extract_html

    return extract_html(data, filename=filename)


def _read_docx(data: bytes, *, filename: str, progress: Progress | None) -> Extracted:
    from .docx import extract_docx

    return extract_docx(data, filename=filename)


_READERS = {"txt": _read_txt, "pdf": _read_pdf, "html": _read_html, "docx": _read_docx}
