"""Word documents (.docx): paragraphs and tables in reading order, core properties.

A .docx is a ZIP archive, so the archive is inspected before python-docx opens it:
too many parts, too much uncompressed data or an implausible compression ratio is a
decompression bomb, and any part declaring a DTD is refused (OOXML never has one;
python-docx's parser does not resolve entities either, this is the second lock).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from .base import Extracted, IntakeError
from .text import join_parts

MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
# Small XML parts compress far better than bulk data; the ratio is judged on large ones only.
RATIO_FLOOR = 1024 * 1024
MAX_CELLS = 100_000
#: python-docx holds the whole body as a tree: 15 MB of document.xml took 11 s of CPU and
#: 250 MB of memory (about 400,000 paragraphs). A real 1,000-page report stays below this.
MAX_MAIN_PART = 20 * 1024 * 1024


def check_archive(data: bytes, *, filename: str) -> None:
    """Refuse a ZIP bomb or an XML part with a DTD before anything is decompressed in bulk."""
    bomb = _("“%(name)s” looks like a decompression bomb") % {"name": filename}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise IntakeError(
                "bomb",
                _("%(bomb)s: %(count)s parts, at most %(most)s are read")
                % {"bomb": bomb, "count": len(entries), "most": MAX_ENTRIES},
            )
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNCOMPRESSED:
            raise IntakeError(
                "bomb",
                _("%(bomb)s: it unpacks to %(size)s MB, at most %(most)s MB")
                % {"bomb": bomb, "size": f"{total / 1024 / 1024:.0f}", "most": MAX_UNCOMPRESSED // 1024 // 1024},
            )
        main = next((entry for entry in entries if entry.filename == "word/document.xml"), None)
        if main is not None and main.file_size > MAX_MAIN_PART:
            raise IntakeError(
                "too-big",
                _(
                    "the text of “%(name)s” unpacks to %(size)s; at most %(most)s is read "
                    "(split the document and try again)"
                )
                % {"name": filename, "size": _size(main.file_size), "most": _size(MAX_MAIN_PART)},
            )
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise IntakeError(
                    "bomb",
                    _("%(bomb)s: the part %(part)s is compressed %(ratio)s to 1")
                    % {"bomb": bomb, "part": entry.filename, "ratio": f"{ratio:.0f}"},
                )
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                # A DOCTYPE must precede the root element, so the start of the part suffices.
                with archive.open(entry) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise IntakeError(
                        "bomb",
                        _("“%(name)s”: the part %(part)s declares XML entities")
                        % {"name": filename, "part": entry.filename},
                    )


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def extract_docx(data: bytes, *, filename: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_archive(data, filename=filename)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError) as exc:
        raise IntakeError(
            "corrupt", _("“%(name)s” is not a complete Word document: %(why)s") % {"name": filename, "why": exc}
        ) from None
    blocks = [_block_text(block) for block in document.iter_inner_content()]
    text, segments = join_parts([("\n".join(block for block in blocks if block.strip()), "body")])
    return Extracted(text=text, kind="docx", segments=segments, metadata=_metadata(document))


def _block_text(block: Any) -> str:
    from docx.table import Table

    if not isinstance(block, Table):
        return str(block.text)
    rows = []
    cells = 0
    for row in block.rows:
        values = []
        for cell in row.cells:
            cells += 1
            if cells > MAX_CELLS:
                break
            values.append(cell.text)
        rows.append("\t".join(values))
    return "\n".join(rows)


def _metadata(document: Any) -> dict[str, str]:
    core = document.core_properties
    meta = {"title": core.title or "", "author": core.author or "", "language": core.language or ""}
    # No publication date in Word's properties; the date the document was created is closest.
    if core.created:
        meta["published"] = core.created
    return meta
