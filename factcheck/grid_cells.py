"""The cells of a claims × sources grid row, and its column headers, built in Python for the topic page.

A busy topic has hundreds of statements, and the template's loop over them
(a badge tag, two translations, a filter and five lookups per statement)
was most of the topic page's time. The HTML is the loop's in
templates/factcheck/_claim_grid_rows.html, character for character,
whitespace included: tests/integration/test_grid_cells.py renders both and
compares them (and the headers with topic_detail.html's loop). Every value
is escaped here (the standard library's escape, which Django's wraps at a
cost per call); translations are template text, left unescaped as the
template's tags leave them.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from factcheck.language_codes import text_direction
from factcheck.links import url_maker
from factcheck.quotes import clip_words
from factcheck.templatetags.page_tags import stance_badge, status_badge


class StatementLabels:
    """Who a page's statements come from: each source's title escaped once, and "reports NAME" lines.

    ``voice_class``: the class of the span around "reports NAME" (the grid's and the timeline's differ).
    """

    def __init__(self, voice_class):
        self.voice_class = voice_class
        self.reports = gettext("reports %(name)s")
        self.titles = {}  # a handful of sources a page, each title escaped once

    def title(self, a):
        title = self.titles.get(a.source_id)
        if title is None:
            title = self.titles[a.source_id] = escape(a.source.title)
        return title

    def voice(self, a):
        if not a.speaker_id:
            return ""
        return f'<span class="{self.voice_class}">' + self.reports % {"name": escape(a.speaker.name)} + "</span>"


def cells_html(rows, quote_length):
    """Set ``cells_html`` on each row (``{"claim", "cells"}``; each assertion with its ``passage_url``)."""
    labels = StatementLabels("cell-voice")
    about, undated = gettext("about %(period)s"), gettext("undated")
    empty = (
        '\n        <td class="cell-empty">\n          <span class="silent">—<span class="visually-hidden">'
        + gettext("not addressed")
        + "</span></span>\n          \n        </td>\n        "
    )
    badges, directions = {}, {}  # a handful of stances and languages a page
    for row in rows:
        parts = []
        for cell in row["cells"]:
            if not cell:
                parts.append(empty)
                continue
            parts.append("\n        <td>\n          ")
            for a in cell:
                badge = badges.get(a.stance)
                if badge is None:
                    badge = badges[a.stance] = stance_badge(a.stance, a.get_stance_display())
                title, voice = labels.title(a), labels.voice(a)
                if a.as_of:
                    period = '<span class="as-of">' + about % {"period": escape(a.period_display)} + "</span>"
                else:
                    period = '<span class="as-of undated">' + undated + "</span>"
                language = a.quote_language
                direction = directions.get(language)
                if direction is None:
                    direction = directions[language] = escape(text_direction(language))
                url = getattr(a, "passage_url", "") or a.get_absolute_url()
                parts.append(
                    '\n          <div class="cell-assertion">\n            <span class="cell-source">'
                    f"{title}</span>\n            {badge}\n            {voice}\n            {period}\n"
                    f'            <blockquote lang="{escape(language)}" dir="{direction}"><a href="{escape(url)}">'
                    f"{escape(clip_words(a.quote, quote_length))}</a></blockquote>\n          </div>\n          "
                )
            parts.append("\n        </td>\n        ")
        row["cells_html"] = mark_safe("".join(parts))


def claim_headers_html(rows):
    """Set ``header_html`` on each row (``{"claim", "claim_url"}``): the claim's ``<th>``, its topic not shown."""
    verdict = gettext("verdict: %(verdict)s")
    badges = {}  # a handful of statuses a page
    for row in rows:
        claim = row["claim"]
        badge = badges.get(claim.status)
        if badge is None:
            badge = badges[claim.status] = status_badge(claim.status, claim.status_label)
        decided = ""
        if claim.verdict:
            decided = "<span>" + verdict % {"verdict": escape(str(claim.resolution.get_verdict_display()))} + "</span>"
        row["header_html"] = mark_safe(
            f'<th scope="row">\n          <a href="{escape(row["claim_url"])}">{escape(claim.text)}</a>\n'
            f'          <div class="claim-meta">{badge}\n            {decided}\n            </div>\n        </th>'
        )


def column_headers_html(columns, *, compare_url, topic_slug):
    """The grid's ``<th>`` of each source in ``columns``, with its menu of comparisons with each other source.

    As templates/factcheck/topic_detail.html's loop writes them: n sources make
    n × (n − 1) links, each a translation and five lookups in the template.
    """
    source_url = url_maker("source-detail")
    compare, with_title = gettext("Compare"), gettext("with %(title)s")
    titles = [escape(source.title) for source in columns]
    base = f"{escape(compare_url)}?a="
    slug = escape(topic_slug)
    parts = []
    for source, title in zip(columns, titles, strict=True):
        parts.append(f'<th scope="col"><a href="{escape(source_url(source.pk))}">{title}</a>\n          ')
        if len(columns) > 1:
            parts.append(
                f'<details class="compare-with-menu"><summary>{compare}<span class="visually-hidden"> {title}</span>'
                "…</summary><ul>\n            "
            )
            for other, other_title in zip(columns, titles, strict=True):
                if other.pk != source.pk:
                    parts.append(
                        f'<li><a href="{base}{source.pk}&amp;b={other.pk}&amp;topic={slug}">'
                        f"{with_title % {'title': other_title}}</a></li>"
                    )
            parts.append("\n          </ul></details>")
        parts.append("</th>")
    return mark_safe("".join(parts))
