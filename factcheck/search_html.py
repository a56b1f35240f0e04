"""The search page's result sections and topic facets, built in Python.

Every search request renders up to four sections of hits, each hit a few
lookups, a branch per kind, a badge tag, a filter, two or three ``{% url %}``
and a translation: that loop was about half the template's time on every
search. The HTML is the loops' in templates/factcheck/_search_results.html,
character for character, whitespace included:
tests/integration/test_search_html.py renders both and compares them.
Values are escaped here as the template's ``{{ }}`` escapes them (snippets
and titles arrive marked safe, so they pass as they are); numbers are
localized as it localizes them; translations are template text, left
unescaped as the template's tags leave them.
"""

import re
from html import escape
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from factcheck.links import url_maker
from factcheck.quotes import clip_words
from factcheck.templatetags.page_tags import stance_badge, status_badge

QUOTE_CLAIM_LENGTH = 120  # as the template's ``clip:120``

# What the slug converter accepts, and so what reverse() writes unquoted.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class QueryString:
    """``{% querystring %}`` over one request's ``request.GET``, each pair encoded once for all its links.

    Django's tag copies the whole ``QueryDict`` for each link; a page of
    results has a dozen links. Same keys in the same order, same encoding.
    """

    def __init__(self, query_dict):
        self.empty = not query_dict
        encoding = query_dict.encoding
        self.encoding = encoding
        self.lists = {
            key: [urlencode({key.encode(encoding): str(v).encode(encoding)}) for v in values]
            for key, values in query_dict.lists()
        }

    def __call__(self, **changes):
        """The escaped ``?…`` the tag writes for ``changes`` (each value a string, or None to drop the key)."""
        lists = dict(self.lists)
        for key, value in changes.items():
            if value is None:
                lists.pop(key, None)
            else:
                lists[key] = [urlencode({key.encode(self.encoding): str(value).encode(self.encoding)})]
        if not lists and self.empty:
            return ""
        return escape("?" + "&".join(pair for pairs in lists.values() for pair in pairs))


class _Links:
    """The pages hits link to, one ``reverse()`` per URL name and not per hit."""

    def __init__(self):
        self.source = url_maker("source-detail")
        self.claim = url_maker("claim-detail")
        before, after = reverse("topic-detail", args=["placeholder-slug"]).split("placeholder-slug")
        self._topic = escape(before), escape(after)
        self.topics = {}

    def topic(self, slug):
        url = self.topics.get(slug)
        if url is None:
            # A slug of other characters is left to reverse(): it quotes them, or refuses one the page never had.
            if _PLAIN_SLUG.fullmatch(slug):
                url = self._topic[0] + slug + self._topic[1]
            else:
                url = escape(reverse("topic-detail", args=[slug]))
            self.topics[slug] = url
        return url


def facets_html(facets, query_string):
    """The "narrow to a topic" links of ``facets`` (``(slug, title, n)``), as the template's loop writes them."""
    search = escape(reverse("search"))
    return mark_safe(
        " · ".join(
            f'<a href="{search}{query_string(page=None, topic=slug)}">{escape(title)} ({escape(str(localize(n)))})</a>'
            for slug, title, n in facets
        )
    )


def sections_html(results, *, kind, query_string):
    """Each kind's section of ``results`` (search.SearchResults), as the template's loop writes them.

    ``kind``: the kind the page is narrowed to ("" on the overview, which links each kind's own pages).
    """
    links = _Links()
    search = escape(reverse("search"))
    statuses, stances = {}, {}  # a few of each a page
    on = pgettext("a quote on a claim", "on")
    note_by = gettext("Note by %(author)s on")
    parts = []
    for kind_key, found in results.kinds.items():
        key = escape(kind_key)
        label = escape(str(found.label))
        if found.capped:
            count = gettext("more than %(n)s") % {"n": escape(intcomma(found.total))}
        else:
            count = escape(str(localize(found.total)))
        parts.append(
            f'\n<section class="search-section" aria-labelledby="r-{key}">\n'
            f'  <h2 id="r-{key}">{label} <span class="count">({count})</span></h2>\n  '
        )
        if not found.hits:
            lower = escape(str(found.label).lower())
            parts.append('\n  <p class="silent">' + gettext("No %(label)s match.") % {"label": lower} + "</p>\n  ")
            parts.append("\n</section>\n")
            continue
        paraphrased = ""
        if kind_key == "quotes" and results.paraphrased:
            paraphrased = (
                '<p class="hint">'
                + gettext("No quote has these words; these are quoted in the passages that say it in other words.")
                + "</p>"
            )
        parts.append(f'\n  {paraphrased}\n  <ol class="search-hits">\n    ')
        for hit in found.hits:
            parts.append(f'\n    <li class="search-hit search-hit-{key}">\n      ')
            if kind_key == "claims":
                badge = statuses.get(hit.status)
                if badge is None:
                    badge = statuses[hit.status] = status_badge(hit.status, hit.status_label)
                parts.append(
                    f'\n        <a class="hit-title" href="{escape(hit.url)}">{conditional_escape(hit.snippet)}</a>\n'
                    f'        <p class="hit-meta">{badge} · <a href="{links.topic(hit.topic_slug)}">'
                    f"{escape(hit.topic_title)}</a></p>\n      "
                )
            elif kind_key == "quotes":
                badge = stances.get(hit.stance)
                if badge is None:
                    badge = stances[hit.stance] = stance_badge(hit.stance, capfirst(hit.stance))
                parts.append(
                    '\n        <blockquote class="hit-snippet" dir="auto">'
                    f'<a href="{escape(hit.url)}">{conditional_escape(hit.snippet)}</a></blockquote>\n'
                    f'        <p class="hit-meta">{badge} — <a href="{escape(links.source(hit.source_id))}">'
                    f"{escape(hit.source_title)}</a>, {on} "
                    f'<a href="{escape(links.claim(hit.claim_id))}">'
                    f"{escape(clip_words(hit.claim_text, QUOTE_CLAIM_LENGTH))}</a></p>\n      "
                )
            elif kind_key == "notes":
                by = note_by % {"author": escape(hit.author)}
                parts.append(
                    f'\n        <p class="hit-snippet">{conditional_escape(hit.snippet)}</p>\n'
                    f'        <p class="hit-meta">{by} <a href="{escape(hit.url)}">'
                    f"{escape(clip_words(hit.claim_text, QUOTE_CLAIM_LENGTH))}</a></p>\n      "
                )
            else:
                parts.append(
                    f'\n        <a class="hit-title" href="{escape(hit.url)}">{conditional_escape(hit.title)}</a>\n'
                    f'        <p class="hit-snippet" dir="auto">{conditional_escape(hit.snippet)}</p>\n      '
                )
            parts.append("\n    </li>\n    ")
        parts.append("\n  </ol>\n  ")
        if not kind and (found.total > len(found.hits) or found.capped):
            more = f"{search}{query_string(page=None, kind=kind_key)}"
            lower = escape(str(found.label).lower())
            if found.capped:
                text = gettext("More than %(n)s %(label)s →") % {"n": escape(intcomma(found.total)), "label": lower}
            else:
                text = gettext("All %(total)s %(label)s →") % {
                    "total": escape(str(localize(found.total))),
                    "label": lower,
                }
            parts.append(f'<p class="more"><a href="{more}">{text}</a></p>')
        parts.append("\n  \n</section>\n")
    return mark_safe("".join(parts))
