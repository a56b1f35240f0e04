"""OCR of rendered PDF pages with Tesseract (Debian's ``tesseract-ocr``) through pytesseract.

Bounded on every side: at most ``MAX_OCR_PAGES`` pages per document, a timeout per page,
and renders capped at ``MAX_PIXELS`` so a page declared a mile wide cannot exhaust memory.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from .base import IntakeError

#: Tesseract's names for the languages the newsroom reads, tried together on every page.
WANTED_LANGUAGES = ("eng", "rus", "ara", "fra")
MAX_OCR_PAGES = 100
PAGE_TIMEOUT = 120  # seconds of Tesseract per page
DPI = 300
#: A Letter page at 300 dpi is 8.4 megapixels; this allows A3 and posters at lower dpi.
MAX_PIXELS = 40_000_000
INSTALL_HINT = gettext_lazy("install Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng)")


def _tesseract_cmd() -> str:
    import pytesseract

    return str(pytesseract.pytesseract.tesseract_cmd)


@functools.cache
def _installed_languages(cmd: str) -> frozenset[str]:
    # pytesseract.get_languages() would do, but it caches its first answer whatever
    # tesseract_cmd becomes; this cache is per binary.
    try:
        listing = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in listing.stdout.splitlines()[1:] if line.strip())


def tesseract_available() -> bool:
    return shutil.which(_tesseract_cmd()) is not None


def languages() -> str:
    """The ``-l`` argument: the wanted languages that are installed, e.g. "eng+rus+ara+fra"."""
    cmd = _tesseract_cmd()
    if shutil.which(cmd) is None:
        raise IntakeError(
            "ocr-unavailable",
            _("this document needs OCR and Tesseract is not installed; %(hint)s") % {"hint": INSTALL_HINT},
        )
    installed = _installed_languages(shutil.which(cmd) or cmd)
    chosen = [lang for lang in WANTED_LANGUAGES if lang in installed]
    if not chosen:
        raise IntakeError(
            "ocr-unavailable",
            _("this document needs OCR and Tesseract has none of the languages %(languages)s; %(hint)s")
            % {"languages": ", ".join(WANTED_LANGUAGES), "hint": INSTALL_HINT},
        )
    return "+".join(chosen)


def render_scale(width_pt: float, height_pt: float) -> float:
    """Scale from PDF points to pixels: DPI, lowered when the page would pass the pixel cap."""
    # Within Pillow's own decompression-bomb limit too, should it be set lower than ours.
    cap = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    scale = DPI / 72
    area = max(width_pt, 1.0) * max(height_pt, 1.0) * scale * scale
    if area > cap:
        scale *= (cap / area) ** 0.5
    return scale


def ocr_image(image: Image.Image, *, lang: str) -> str | None:
    """The page's text, or None when Tesseract gave up after PAGE_TIMEOUT seconds."""
    import pytesseract

    try:
        return str(pytesseract.image_to_string(image, lang=lang, timeout=PAGE_TIMEOUT))
    except RuntimeError as exc:
        # pytesseract signals its timeout as a bare RuntimeError; anything else is real.
        if "timeout" in str(exc).lower():
            return None
        raise
    except pytesseract.TesseractNotFoundError:
        raise IntakeError(
            "ocr-unavailable", _("Tesseract could not be started; %(hint)s") % {"hint": INSTALL_HINT}
        ) from None
