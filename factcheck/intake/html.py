"""HTML saved from a browser: trafilatura's main text, metadata from the page's own tags.

The page is parsed once by lxml's HTML parser, which never expands DTD entities; the
internal DTD subset is cut out beforehand anyway, so an entity bomb is never even read.
Scripts, styles and templates are dropped before any text is taken.
"""

from __future__ import annotations

import codecs
import copy
import functools
import json
import re
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from .base import Extracted, IntakeError
from .text import decode, has_unicode_bom, join_parts

# The one regular expression here cuts the DTD's internal subset (`<!DOCTYPE html [ ... ]>`)
# before parsing; the text itself is always taken from the parsed tree.
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)
_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""", re.I
)
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
#: trafilatura's time grows faster than the page (10,000 elements 0.4 s, 50,000 6 s,
#: 200,000 2 minutes): past this the page's whole text is kept instead, in linear time.
MAX_TREE_SIZE = 30_000
#: Tags in the raw page: past this it is refused before parsing (lxml holds ~300 bytes each).
MAX_TAGS = 1_000_000
_BLOCKS = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
_SPACES = re.compile(r"\s+")


def extract_html(data: bytes, *, filename: str) -> Extracted:
    import trafilatura

    warnings: list[str] = []
    tags = data.count(b"<")
    if tags > MAX_TAGS:
        raise IntakeError(
            "bomb",
            _("“%(name)s” has %(tags)s tags; a page of more than %(most)s is not read")
            % {"name": filename, "tags": f"{tags:,}", "most": f"{MAX_TAGS:,}"},
        )
    source = _decode(data, filename=filename, warnings=warnings)
    source = _without_internal_subset(source, filename=filename)
    tree = _parse(source)
    if tree is None:
        raise IntakeError("no-text", _("“%(name)s” contains no HTML to read") % {"name": filename})
    metadata = _tag_metadata(tree)  # before the scripts go: JSON-LD lives in one
    for element in list(tree.iter(*_NOT_TEXT)):
        element.drop_tree()

    size = sum(1 for _ in tree.iter())
    document = None
    if size <= MAX_TREE_SIZE:
        document = trafilatura.bare_extraction(
            copy.deepcopy(tree),  # trafilatura prunes the tree it is given; ours is the fallback
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(),
        )
    text = getattr(document, "text", None) or ""
    if not text.strip():
        body = tree.find(".//body")
        text = _plain_text(body if body is not None else tree)
        if text.strip():
            warnings.append(
                _("the page is too large to find its main article; the whole page's text was kept")
                if size > MAX_TREE_SIZE
                else _("no main article was found; the whole page's text was kept")
            )
    if document is not None:
        for key, attribute in (
            ("title", "title"),
            ("author", "author"),
            ("publisher", "sitename"),
            ("published", "date"),
        ):
            if not metadata.get(key) and getattr(document, attribute, None):
                metadata[key] = str(getattr(document, attribute))
        if not metadata.get("url") and getattr(document, "url", None):
            metadata["url"] = str(getattr(document, "url", ""))
    body_text, segments = join_parts([(text, "body")])
    return Extracted(text=body_text, kind="html", segments=segments, metadata=metadata, warnings=warnings)


def _plain_text(root: Any) -> str:
    """The text of ``root`` with one line per block element, whitespace collapsed as browsers do."""
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        block = element.tag.lower() in _BLOCKS
        if event == "start":
            parts.append("\n" if block else "")
            parts.append(_SPACES.sub(" ", element.text or ""))
        else:
            parts.append("\n" if block else "")
            if element is not root:
                parts.append(_SPACES.sub(" ", element.tail or ""))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _without_internal_subset(source: str, *, filename: str) -> str:
    """The page with its DOCTYPE's internal subset cut out; entity declarations are refused."""
    head = source[:65536]
    start = head.upper().find("<!DOCTYPE")
    if start < 0:
        return source
    declaration_end = head.find(">", start)
    bracket = head.find("[", start)
    if bracket < 0 or 0 <= declaration_end < bracket:
        return source
    if "<!ENTITY" in head[bracket:].upper():
        # No saved web page declares entities; a page that does is an expansion attack.
        raise IntakeError(
            "bomb",
            _("“%(name)s” declares XML entities (an entity-expansion attack); it was not read") % {"name": filename},
        )
    # One anchored attempt: linear in the head, whatever the page holds.
    subset = _INTERNAL_SUBSET.match(head, start)
    return "<!DOCTYPE html>" + source[subset.end() :] if subset else source


@functools.cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
    # htmldate's guesses from the body text are too loose for a publication date.
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def _decode(data: bytes, *, filename: str, warnings: list[str]) -> str:
    """The page as a string: by BOM, then its declared charset, then UTF-8."""
    if has_unicode_bom(data):
        return decode(data, filename=filename)
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = "utf-8"
        if codec != "utf-8":
            try:
                return data.decode(codec, errors="replace")
            except LookupError:  # a codec that is not a text encoding ("rot13", "hex")
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(_("some bytes were not valid UTF-8 and were replaced with �"))
        return data.decode("utf-8", errors="replace")


def _parse(source: str) -> Any:
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        return lxml_html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError):
        # A string carrying an XML encoding declaration: lxml wants bytes for those.
        try:
            return lxml_html.document_fromstring(source.encode("utf-8"), parser=parser)
        except (etree.ParserError, ValueError):
            return None


def _tag_metadata(tree: Any) -> dict[str, str]:
    """What the page declares: <html lang>, canonical link, meta tags, OpenGraph, JSON-LD."""
    meta: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        if not meta.get(key) and isinstance(value, str) and value.strip():
            meta[key] = value.strip()

    put("language", tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
    for link in tree.iterfind(".//link[@rel][@href]"):
        if "canonical" in link.get("rel", "").lower().split():
            put("url", link.get("href"))
    tags: dict[str, str] = {}
    for element in tree.iterfind(".//meta[@content]"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        tags.setdefault(name, element.get("content", ""))
    for key, names in _META_NAMES.items():
        for name in names:
            put(key, tags.get(name))
    for ld in _json_ld(tree):
        put("title", ld.get("headline") or ld.get("name"))
        put("author", _names(ld.get("author")))
        put("publisher", _names(ld.get("publisher")))
        put("published", ld.get("datePublished") or ld.get("dateCreated"))
        put("language", ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
        put("url", ld.get("url") if isinstance(ld.get("url"), str) else None)
    title = tree.find(".//title")
    if title is not None:
        put("title", title.text_content())
    return meta


_META_NAMES = {
    "title": ("og:title", "twitter:title", "dc.title", "citation_title"),
    "author": ("author", "article:author", "dc.creator", "citation_author", "byl"),
    "publisher": ("og:site_name", "publisher", "dc.publisher", "citation_publisher", "application-name"),
    "published": (
        "article:published_time",
        "datepublished",
        "date",
        "dc.date",
        "dc.date.issued",
        "citation_publication_date",
        "pubdate",
    ),
    "language": ("og:locale", "language", "dc.language", "content-language"),
    "url": ("og:url",),
}
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "report",
    "webpage",
    "analysisnewsarticle",
}


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Article-like JSON-LD objects, the page's own first (including those inside @graph)."""
    found: list[dict[str, Any]] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        queue = data if isinstance(data, list) else [data]
        # Bounded: a page's JSON-LD is a handful of objects, @graph included.
        index = 0
        while index < len(queue) and index < 100:
            item = queue[index]
            index += 1
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("@graph"), list):
                queue.extend(item["@graph"][:50])
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                found.append(item)
    return found


def _names(value: Any) -> str:
    """A person, an organisation or a list of them → "A; B"."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:10]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return "; ".join(names)
