"""Home's topic cards, built in Python.

Fifty cards a page, each a plural translation and a loop over every status
with a condition, a tag and three lookups per status: that template loop was
most of home's time. The HTML is the loop's in
templates/factcheck/_topic_cards.html, character for character, whitespace
included: tests/integration/test_topic_cards.py renders both and compares
them. Values are escaped and numbers localized here as the template's
``{{ }}`` does it; translations are template text, left unescaped as the
template's tags leave them.
"""

from html import escape

from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from factcheck.templatetags.page_tags import status_icon


def cards_html(topics):
    """The cards of ``topics`` (each with ``url`` and ``status_counts`` as ``home`` sets them), in order."""
    numbers, statuses = {}, {}  # a few hundred counts a page, most of them repeated; eight statuses

    def number(n):
        shown = numbers.get(n)
        if shown is None:
            shown = numbers[n] = escape(str(localize(n)))
        return shown

    parts = []
    for topic in topics:
        url = escape(topic.url)
        description = f"<p>{escape(topic.description)}</p>" if topic.description else ""
        count = topic.claim_count
        claims = ngettext("%(counter)s claim", "%(counter)s claims", count) % {"counter": number(count)}
        links = []
        for value, label, n in topic.status_counts:
            if not n:
                continue
            shown = statuses.get((value, label))
            if shown is None:
                shown = statuses[value, label] = (escape(value), escape(status_icon(value)), escape(str(label)))
            value_, icon, label_ = shown
            links.append(
                f'<a class="status status-{value_}" href="{url}?status={value_}"><span aria-hidden="true">{icon}</span>'
                f" {number(n)} {label_}</a>"
            )
        parts.append(
            f'\n  <li class="topic-card">\n    <h3><a href="{url}">{escape(topic.title)}</a></h3>\n'
            f"    {description}\n"
            f'    <p class="counts">\n      <span>{claims}</span>\n      {"".join(links)}\n    </p>\n  </li>\n  '
        )
    return mark_safe("".join(parts))
