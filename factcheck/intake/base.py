"""The shapes the extraction contract hands back (re-exported by ``extract`` and the package)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MAX_BYTES = 25 * 1024 * 1024

#: ``(done, total, stage)``, e.g. ``(3, 12, "OCR page 3 of 12")``.
Progress = Callable[[int, int, str], None]

METADATA_KEYS = ("title", "author", "publisher", "published", "language", "url")


@dataclass(frozen=True)
class Segment:
    """A stretch ``text[start:end]`` and where it came from, e.g. "page 3" or "page 4 (OCR)"."""

    start: int
    end: int
    label: str


@dataclass
class Extracted:
    text: str
    kind: str  # "pdf" | "pdf-ocr" | "html" | "docx" | "txt" | "paste"
    segments: list[Segment]
    metadata: dict[str, str] = field(default_factory=lambda: dict.fromkeys(METADATA_KEYS, ""))
    warnings: list[str] = field(default_factory=list)


class IntakeError(Exception):
    """Why a document was refused; ``code`` is for programs, ``message`` for people.

    Codes: "too-big", "empty", "unsupported-type", "wrong-extension", "encrypted",
    "corrupt", "no-text", "ocr-unavailable", "bomb".
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"IntakeError({self.code!r}, {self.message!r})"
