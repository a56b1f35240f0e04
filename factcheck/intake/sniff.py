"""What a file really is, from its first bytes; the name's extension is only checked against it."""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import IntakeError
from .text import has_unicode_bom

#: kind -> how messages name it.
NAMES = {
    "pdf": gettext_lazy("a PDF document"),
    "docx": gettext_lazy("a Word document"),
    "html": gettext_lazy("an HTML page"),
    "txt": gettext_lazy("plain text"),
}
#: extension -> the kind a file so named must be.
EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
}
RENAME_TO = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "txt": ".txt"}
ACCEPTED = gettext_lazy("a PDF, a Word document (.docx), an HTML page (.html) or plain UTF-8 text (.txt)")

# Formats people drop by mistake, named so the refusal says what the file is. A format
# with several magic numbers has them together: ``bytes.startswith`` takes a tuple.
_FOREIGN = (
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    ((b"GIF87a", b"GIF89a"), gettext_lazy("a GIF image")),
    ((b"II*\x00", b"MM\x00*"), gettext_lazy("a TIFF image")),  # little- and big-endian
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old-format Office document (.doc, .xls or .ppt)")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"\x7fELF", gettext_lazy("a program")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"%!PS", gettext_lazy("a PostScript file")),
)
# Magic numbers short enough to begin a sentence ("BMW said…", "MZ Wallace…"): they name
# the format only when binary bytes follow.
_WEAK_FOREIGN = (
    (b"BM", gettext_lazy("a BMP image")),
    (b"MZ", gettext_lazy("a Windows program")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"ID3", gettext_lazy("an audio file")),
)
# A comment's body cannot contain "-->": each comment then parses one way only, where
# ".*?" let a run of comments split 2^n ways on a failed match (an exponential ReDoS).
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I
)
_HTML_ANYWHERE = re.compile(rb"<(?:html|head|body|title|meta|p|div|article)\b[^>]*>", re.I)


def sniff(data: bytes, *, filename: str) -> str:
    """``"pdf"``, ``"docx"``, ``"html"`` or ``"txt"``; IntakeError("unsupported-type") otherwise."""
    head = data[:1024]
    # Acrobat accepts the header anywhere in the first kilobyte (junk before it is common).
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, filename)
    if data[8:12] in (b"WEBP", b"AVI ", b"WAVE") and data.startswith(b"RIFF"):
        raise _unsupported(filename, "a media file")
    for magic, name in _FOREIGN:
        if data.startswith(magic):
            raise _unsupported(filename, name)
    for magic, name in _WEAK_FOREIGN:
        if data.startswith(magic) and b"\x00" in data[:64]:
            raise _unsupported(filename, name)
    if has_unicode_bom(data):
        return _text_kind(data)
    # NUL bytes do not occur in UTF-8 text; a file with them is binary of some kind.
    if b"\x00" in data[:65536]:
        raise _unsupported(
            filename, "a binary file of a kind factcheck does not read (if it is text, save it as UTF-8)"
        )
    return _text_kind(data)


def _text_kind(data: bytes) -> str:
    head = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 by BOM: look at the decoded start
        head = data[:8192].decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    if _HTML_START.match(head) or len(_HTML_ANYWHERE.findall(head)) >= 3:
        return "html"
    return "txt"


def _zip_kind(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IntakeError(
            "corrupt", f"“{filename}” is damaged or incomplete: its ZIP archive cannot be read ({exc})"
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise _unsupported(filename, _("an Excel workbook"))
    if "ppt/presentation.xml" in names:
        raise _unsupported(filename, _("a PowerPoint presentation"))
    if "mimetype" in names and "content.xml" in names:
        raise _unsupported(filename, _("an OpenDocument file"))
    if "META-INF/container.xml" in names:
        raise _unsupported(filename, _("an EPUB book"))
    raise _unsupported(filename, _("a ZIP archive"))


def _unsupported(filename: str, what: str) -> IntakeError:
    message = _("“%(name)s” is %(what)s; factcheck accepts %(accepted)s")
    return IntakeError("unsupported-type", message % {"name": filename, "what": what, "accepted": ACCEPTED})


def check_extension(kind: str, filename: str) -> str:
    """The kind to read the file as; IntakeError("wrong-extension") when the name says otherwise.

    A file without a known extension is read as what its bytes are. HTML and plain text
    differ only in intent, so there the name decides: notes.txt full of tags is kept as text.
    """
    dot = filename.rfind(".")
    claimed = EXTENSIONS.get(filename[dot:].lower()) if dot > 0 else None
    if claimed is None or claimed == kind:
        return kind
    if {claimed, kind} == {"html", "txt"}:
        return claimed
    raise IntakeError(
        "wrong-extension",
        _("“%(name)s” is %(what)s, not %(claimed)s; rename it %(extension)s and try again")
        % {"name": filename, "what": NAMES[kind], "claimed": NAMES[claimed], "extension": RENAME_TO[kind]},
    )
