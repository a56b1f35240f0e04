"""The topic page's timeline list, built in Python.

A busy topic has hundreds of statements, and the template's loop over them
(a dozen lookups, three conditions, two translations and a filter each) took
about as long as the rest of the topic page. The HTML is the loop's in
templates/factcheck/_timeline.html, character for character, whitespace
included: tests/integration/test_timeline_html.py renders both and compares
them. Values are escaped here (the standard library's escape, which Django's
wraps); translations are template text, left unescaped as the template's
tags leave them.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from factcheck.grid_cells import StatementLabels
from factcheck.templatetags.page_tags import status_icon

# As the template writes them, which is not quite ``Stance.icon``.
_STANCE_ICONS = {"supports": "✓", "disputes": "✗"}


def timeline_list_html(timeline):
    """The ``<ol class="timeline">`` of ``timeline`` (statement_timeline.Timeline), as the template renders it."""
    labels = StatementLabels("timeline-voice")
    source_date = '<span class="as-of">' + gettext("(the source's date)") + "</span>"
    changed = (
        '<span aria-hidden="true" class="status-icon">'
        + escape(status_icon("changed"))
        + "</span> "
        + gettext("changed over time")
        + "</a>\n            "
    )
    conflict = (
        '<span class="status status-conflict"><span aria-hidden="true" class="status-icon">⚡</span> '
        + gettext("Conflict")
        + "</span>"
    )
    undated_heading = (
        "<h3>"
        + gettext("Undated")
        + ' <span class="hint">— '
        + gettext("the statement speaks about no period it names")
        + "</span></h3>\n      "
    )
    stances = {}  # a few stances a page, each written once
    parts = ['<ol class="timeline">\n    ']
    for period in timeline.all_periods:
        if period.value is None:
            parts.append('\n    <li class="timeline-period timeline-undated">\n      ' + undated_heading)
        else:
            parts.append(
                '\n    <li class="timeline-period">\n      '
                f'<h3><time datetime="{escape(period.value)}">{escape(period.label)}</time></h3>'
            )
        parts.append("\n      <ul>\n        ")
        for e in period.entries:
            a = e.assertion
            stance = stances.get(a.stance)
            if stance is None:
                stance = stances[a.stance] = (
                    f'<span class="stance stance-{escape(a.stance)}"><span aria-hidden="true" class="stance-icon">'
                    f"{_STANCE_ICONS.get(a.stance, '≈')}</span> {escape(str(a.get_stance_display()))}</span>"
                )
            title, voice = labels.title(a), labels.voice(a)
            status = ""
            if e.time_only:
                status = f'<a class="status status-changed" href="#change-{e.claim.pk}">{changed}'
            elif e.claim.status == "conflict":
                status = conflict
            parts.append(
                f'\n        <li class="timeline-entry" id="t-{a.pk}">\n          <p class="timeline-meta">\n'
                f'            <a href="{escape(e.source_url)}">{title}</a>\n            {stance}\n'
                f"            {voice}\n"
                f"            {source_date if e.date_from == 'source' else ''}\n"
                f"            {status}\n          </p>\n"
                f'          <p class="timeline-claim"><a href="{escape(e.claim_url)}">{escape(e.claim.text)}</a></p>\n'
                f'          <blockquote><a href="{escape(e.passage_url)}">{escape(e.quote_short)}</a></blockquote>\n'
                "        </li>\n        "
            )
        parts.append("\n      </ul>\n    </li>\n    ")
    parts.append("\n  </ol>")
    return mark_safe("".join(parts))
