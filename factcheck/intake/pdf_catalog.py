"""What a PDF says about itself: metadata (information dictionary, XMP, /Lang) and
whether it carries JavaScript or attached files, which are never run or opened.

Every read here is best effort: a malformed catalog costs a warning or a field, never
the document's text.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def active_content(reader: Any, *, max_pages: int) -> list[str]:
    """Warnings for JavaScript and attached files, which are never run or read."""
    warnings = []
    try:
        root = _resolve(reader.trailer["/Root"])
        names = _resolve(root.get("/Names")) or {}
        scripted = "/JavaScript" in names or _is_js(root.get("/OpenAction")) or _any_js(root.get("/AA"))
        for page in reader.pages[:max_pages]:
            if scripted:
                break
            annotations = [_resolve(a) for a in (_resolve(page.get("/Annots")) or [])[:1000]]
            scripted = _any_js(page.get("/AA")) or any(
                _is_js(a.get("/A")) or _any_js(a.get("/AA")) for a in annotations if hasattr(a, "get")
            )
        if scripted:
            warnings.append(_("the PDF carries JavaScript; it was ignored"))
        if "/EmbeddedFiles" in names:
            warnings.append(_("the PDF carries attached files; they were ignored"))
    except Exception:  # a malformed catalog: the text is read, the check is best effort
        logger.info("intake: could not inspect the PDF catalog", exc_info=True)
    return warnings


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _is_js(action: Any) -> bool:
    action = _resolve(action)
    return hasattr(action, "get") and action.get("/S") == "/JavaScript"


def _any_js(triggers: Any) -> bool:
    """Whether an additional-actions dictionary (/AA) runs JavaScript on any trigger."""
    triggers = _resolve(triggers)
    return hasattr(triggers, "values") and any(_is_js(action) for action in list(triggers.values())[:50])


def catalog_metadata(reader: Any, *, scanned: bool) -> dict[str, str]:
    """Title, author, publisher, date and language from the info dictionary and XMP.

    Each value is read on its own: a malformed date must not cost the title.
    """
    meta: dict[str, str] = {}

    def attempt(key: str, read: Any) -> None:
        if meta.get(key):
            return
        try:
            value = read()
        except Exception:
            return
        if value:
            meta[key] = str(value)

    xmp = _xmp(reader)
    info: Any = reader.metadata or {}
    attempt("title", lambda: info.title)
    attempt("title", lambda: next(iter(xmp.dc_title.values()), ""))
    attempt("author", lambda: info.author)
    attempt("author", lambda: "; ".join(xmp.dc_creator))
    attempt("publisher", lambda: info.get("/Publisher"))
    attempt("publisher", lambda: "; ".join(xmp.dc_publisher))
    # The document's own date (XMP dc:date) first; the file's creation date is a fallback,
    # except for scans, where it is the day of the scanning.
    attempt("published", lambda: xmp.dc_date[0])
    if not scanned:
        attempt("published", lambda: info.creation_date)
    attempt("language", lambda: reader.trailer["/Root"].get("/Lang"))
    attempt("language", lambda: xmp.dc_language[0])
    return meta


def _xmp(reader: Any) -> Any:
    """The XMP packet, unless it declares entities (XMP never needs them; they only expand)."""
    try:
        stream = reader.trailer["/Root"].get("/Metadata")
        if stream is None or b"<!ENTITY" in stream.get_object().get_data()[:65536].upper():
            return _NoXmp()
        return reader.xmp_metadata or _NoXmp()
    except Exception:
        return _NoXmp()


class _NoXmp:
    dc_title: dict[str, str] = {}
    dc_creator: list[str] = []
    dc_publisher: list[str] = []
    dc_date: list[Any] = []
    dc_language: list[str] = []
