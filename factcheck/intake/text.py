"""Plain text: decoding ``.txt`` bytes, and the normalisation every format shares.

Quotes are verified against ``Extracted.text`` by offset, so the text is put into one
canonical form (NFC, ``\\n`` line ends, no control characters but ``\\n`` and ``\\t``,
no soft hyphens, ligatures or Arabic presentation forms, at most two blank lines in a
row) *before* any offset is taken: segments are computed on normalised pieces, never
mapped back through the normalisation.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable

from .base import IntakeError, Segment

# C0 and C1 controls except tab and line feed; also DEL, the BOM/ZWNBSP (a BOM in the
# middle of a text is an artefact of concatenated files) and the Unicode line and
# paragraph separators, which would break lines the way "\n" does without being "\n".
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]")
# Invisible breaks a PDF or web page inserts inside words (soft hyphen, zero-width space):
# a quote typed or copied from elsewhere never has them, so they would break matching.
_INVISIBLE = re.compile("[\u00ad\u200b]")
# Typographic ligatures (ﬁ, ﬂ) and Arabic presentation forms, which PDFs often yield for
# "fi" and for Arabic letters: compatibility-decomposed (NFKC) so quotes in plain letters
# match. Everything else stays NFC: NFKC would also rewrite ², ½ and full-width forms.
_COMPATIBILITY = re.compile("[\ufb00-\ufb06\ufb13-\ufb17\ufb50-\ufdff\ufe70-\ufefe]+")
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_NEWLINES = re.compile(r"\r\n?|\u0085")
# Pages and other parts are joined by one blank line.
JOIN = "\n\n"


def normalise(text: str) -> str:
    """The canonical form quotes verify against (see the module docstring)."""
    text = _NEWLINES.sub("\n", text)
    text = _COMPATIBILITY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    # Three or more line breaks with only spaces between: keep two blank lines at most.
    text = _BLANK_RUN.sub(lambda m: "\n\n\n" if m.group().count("\n") > 3 else m.group(), text)
    return text.strip()


def join_parts(parts: Iterable[tuple[str, str]]) -> tuple[str, list[Segment]]:
    """Normalise each ``(text, label)`` part and join the non-empty ones with a blank line.

    Segments are contiguous: each covers its part and the separator after it, so every
    offset of the text falls in exactly one segment and the last one ends at ``len(text)``.
    """
    kept = [(normalise(text), label) for text, label in parts]
    kept = [(text, label) for text, label in kept if text]
    pieces: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for index, (text, label) in enumerate(kept):
        piece = text if index == len(kept) - 1 else text + JOIN
        segments.append(Segment(start=offset, end=offset + len(piece), label=label))
        pieces.append(piece)
        offset += len(piece)
    return "".join(pieces), segments


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def has_unicode_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _, _ in _BOMS)


def decode(data: bytes, *, filename: str) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/32 announced by a BOM; anything else is refused.

    Guessing a legacy code page silently corrupts quotes (é read as Ã©), so a file that is
    not valid UTF-8 is refused with the place of the first bad byte instead.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _bad_bytes(data, exc, filename, name) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad_bytes(data, exc, filename, "UTF-8") from None


def _bad_bytes(data: bytes, exc: UnicodeDecodeError, filename: str, encoding: str) -> IntakeError:
    line = data.count(b"\n", 0, exc.start) + 1
    bad = data[exc.start : exc.start + 1].hex().upper()
    return IntakeError(
        "unsupported-type",
        f"“{filename}” is not {encoding} text: byte 0x{bad} at offset {exc.start} (line {line}) is not valid "
        f"{encoding}; save the file as UTF-8 and try again",
    )


def extract_txt(data: bytes, *, filename: str) -> tuple[str, list[Segment]]:
    return join_parts([(decode(data, filename=filename), "body")])
