"""Editors' Markdown, rendered and then sanitised.

Markdown lets raw HTML through by design, so the rendered HTML is cleaned by
nh3 (Rust's ammonia) against a short allow-list: text formatting, lists,
quotes, code, headings and links. Everything else is removed — scripts and
styles with their content, other elements keeping only their text — and so
are every attribute but a link's ``href`` and ``title``. Links may point only
at http, https or mailto URLs (or be relative) and always carry
``rel="nofollow noopener"``.
"""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "sub", "sup", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "a", "h4", "h5", "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# Notes sit under the claim's <h1>, its section <h2>s and the cards' <h3>s, so
# a note's "# Heading" becomes an <h4>.
_EXTENSIONS = ["fenced_code", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {"toc": {"baselevel": 4, "anchorlink": False, "permalink": False}}


def sanitize(html):
    """Clean HTML from any origin down to the allow-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text):
    """Markdown source to safe HTML, ready to be marked safe in a template."""
    html = markdown_lib.markdown(
        text or "", extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )
    return sanitize(html)
