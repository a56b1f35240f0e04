"""Editors' Markdown, rendered and then sanitised.

The parser is markdown-it-py (CommonMark). Python-Markdown, used before, is
quadratic in unmatched brackets: a note of 10,000 ``[`` took 10 to 45 s to
render, holding a worker. markdown-it's time grows linearly with the input,
and it stops nesting (blockquotes, lists, brackets) at MAX_NESTING levels —
text nested deeper is not shown; the source keeps it — so any text up to the
services' length limits renders in bounded time. tests/unit/test_markdown.py holds
the pathological inputs.

Markdown lets raw HTML through by design, so the rendered HTML is cleaned by
nh3 (Rust's ammonia) against a short allow-list: text formatting, lists,
quotes, code, headings and links. Everything else is removed — scripts and
styles with their content, other elements keeping only their text — and so
are every attribute but a link's ``href`` and ``title``. Links may point only
at http, https or mailto URLs (or be relative) and always carry
``rel="nofollow noopener"``.
"""

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "sub",
    "sup",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# Notes sit under the claim's <h1>, its section <h2>s and the cards' <h3>s, so
# a note's "# Heading" becomes an <h4>; deeper levels stop at <h6>.
HEADING_SHIFT = 3
# CommonMark preset's own value, said here because it bounds the work: an
# unmatched "[" costs work at each level, so the worst input costs about
# MAX_NESTING times a plain character.
MAX_NESTING = 20
# Longer note texts are not remembered by note_html (256 of these at most per worker).
MEMO_LIMIT = 4000


def _shift_headings(state):
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


def _parser():
    # Raw HTML stays enabled ("html": True, as CommonMark has it) so that the
    # allow-listed inline tags editors use (<sub>, <kbd>, ...) keep working:
    # nh3, not the parser, is what makes the output safe.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    # A CommonMark HTML block takes its lines raw, Markdown and all, up to its
    # end condition; "<script>…</script>[x](javascript:…)" would show its link
    # as source text. As inline HTML only, tags sit inside paragraphs and the
    # Markdown around them still renders, which is what editors expect.
    md.disable("html_block")
    # markdown-it leaves a link whose URL it distrusts (javascript:, vbscript:,
    # most data:) as literal text, "[click](javascript:...)". nh3's scheme
    # allow-list is stricter than that deny-list and drops the href itself, so
    # every link is let through to it: the reader sees "click", as before.
    md.validateLink = lambda url: True
    md.core.ruler.push("shift_headings", _shift_headings)
    return md


_md = _parser()


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
    """Markdown source to safe HTML, ready to be marked safe in a template.

    Pure and bounded in time: services call it before opening their write
    transaction, so a long note never holds the database's write lock.
    """
    # markdown-it ends every block with a newline; the stored HTML never had a trailing one.
    return sanitize(_md.render(text or "").rstrip("\n"))


# Bare addresses and @mentions in notes. A URL ends before whitespace or a
# bracket; trailing punctuation belongs to the sentence, not the address.
_URL = re.compile(r"https?://[^\s<>\"'`]+")
_TRAILING = ".,;:!?)]}'\""
# A username as Django allows it, after a start, a space or an opening mark (not "a@b.c").
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]{1,150})")


def _mention_end(name):
    # "@ana." at a sentence's end mentions "ana".
    return name.rstrip(".-+@")


def mentioned_names(text):
    """Every ``@name`` in ``text`` (candidates: the caller keeps those that are users)."""
    return {_mention_end(m.group(1)) for m in MENTION.finditer(text or "")} - {""}


def _split_text(state, content, mentions):
    """``content`` as text, link and mention tokens; ``None`` when it holds neither."""
    spans = []
    for match in _URL.finditer(content):
        url = match.group(0).rstrip(_TRAILING)
        spans.append((match.start(), match.start() + len(url), "url", url))
    for match in MENTION.finditer(content):
        name = _mention_end(match.group(1))
        if name in mentions and not any(s <= match.start() < e for s, e, _k, _v in spans):
            spans.append((match.start(), match.start() + 1 + len(name), "mention", name))
    if not spans:
        return None
    tokens, at = [], 0
    for start, end, kind, value in sorted(spans):
        if start < at:
            continue
        if start > at:
            tokens.append(_text_token(state, content[at:start]))
        href = value if kind == "url" else mentions[value]
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": href, **({"class": "mention"} if kind == "mention" else {})}
        tokens += [opening, _text_token(state, content[start:end]), Token("link_close", "a", -1)]
        at = end
    if at < len(content):
        tokens.append(_text_token(state, content[at:]))
    return tokens


def _text_token(state, content):
    token = Token("text", "", 0)
    token.content = content
    return token


def _link_bare(state):
    """Bare URLs and known @mentions outside links and code become links (env ``mentions``: name → URL)."""
    mentions = state.env.get("mentions") or {}
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "text" and depth == 0:
                split = _split_text(state, token.content, mentions)
                if split is not None:
                    children += split
                    continue
            children.append(token)
        block.children = children


def _note_parser():
    md = _parser()
    md.core.ruler.push("link_bare", _link_bare)
    return md


_note_md = _note_parser()


def render_note(text, mentions=None):
    """A note's Markdown to safe HTML, with bare URLs and ``@name`` of ``mentions`` ({name: url}) linked.

    Sanitised as ``render``: the links made here pass the same allow-list.
    """
    html = _note_md.render(text or "", {"mentions": dict(mentions or {})})
    return nh3.clean(
        html.rstrip("\n"),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title", "class"}},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


@functools.lru_cache(maxsize=256)
def _note_html(text):
    return render_note(text)


def note_html(text):
    """``render_note(text)`` without mentions, remembered for the texts seen lately.

    The claim page's timeline shows every note's words again after each new
    note; rendering is pure, so a worker renders each text once. Long texts
    are rendered each time, to keep what a worker holds small.
    """
    if text is not None and len(text) <= MEMO_LIMIT:
        return _note_html(text)
    return render_note(text)
