"""Every word a template shows readers is marked for translation.

A template's text, with its tags and blocktranslate blocks taken out, must
hold no words; nor may the attributes people read (aria-label, title,
placeholder, alt, hx-confirm). What is left on purpose: the brand name, code
(``<code>``), HTML entities.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Not the interface: JSON-LD for search engines, and the API's reference page (the API stays English).
NOT_SHOWN = {"factcheck/_claimreview.html", "factcheck/api_docs.html"}
# The brand, and an algorithm's name that no language translates (the source page's "SHA-256").
ALLOWED = {"factcheck", "SHA"}
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt|hx-confirm)="([^"]*)"')
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}


def _text_outside_tags(source):
    """The template with every tag and variable as "§", and translated or commented blocks dropped."""
    out, closing = [], None
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK and token.contents else ""
        if closing:
            if name == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif name in SKIPPED_BLOCKS:
            closing = SKIPPED_BLOCKS[name]
            out.append("§")
        elif token.token_type != TokenType.COMMENT:
            out.append("§")
    return "".join(out)


def untranslated(source):
    html = re.sub(r"<!--.*?-->", " ", _text_outside_tags(source), flags=re.S)
    found = [value for value in READ_ATTRIBUTES.findall(html) if re.search(r"[A-Za-z]{2,}", value.replace("§", ""))]
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"&\w+;", " ", re.sub(r"<[^>]*>", " ", html))
    found += [w for w in re.findall(r"[A-Za-z]{2,}(?:[ ’'.-]+[A-Za-z]{2,})*", text) if w not in ALLOWED]
    return found


SHOWN = sorted(
    name for name in (str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")) if name not in NOT_SHOWN
)


@pytest.mark.parametrize("name", SHOWN)
def test_every_shown_word_is_marked_for_translation(name):
    assert untranslated((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_it_finds_an_unmarked_word():
    assert untranslated('{% load i18n %}<p>{% translate "Claims" %}</p><p>Sources</p>') == ["Sources"]
    assert untranslated('<input placeholder="Search…">') == ["Search…"]
    assert (
        untranslated('<a title="{% translate "Share" %}">{% blocktranslate %}{{ n }} claims{% endblocktranslate %}</a>')
        == []
    )
