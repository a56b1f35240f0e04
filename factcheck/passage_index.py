"""The source page's index of quoted passages, built in Python.

A much-quoted source has a few hundred passages, and the template loop (a
badge tag, two translations and a filter per row) cost about as much as the
rest of the page. The HTML is the loop's, character for character,
whitespace included: tests/integration/test_source_passage_index.py renders
both and compares them.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from factcheck.quotes import clip_words
from factcheck.templatetags.page_tags import stance_badge

ROW = (
    '\n      <li><a href="#a-{}">{}</a>\n        {}\n        <a href="{}">{}</a>\n'
    '        <span class="period{}">{}</span></li>\n      '
)


def passage_items(assertions):
    """The ``<li>`` of each assertion (with its ``claim_url``, ``claim`` and ``speaker`` loaded), in order."""
    # Translated once per page, not per row; a translation is template text, left unescaped as the tags leave it.
    reported, about, undated = gettext("%(name)s, reported:"), gettext("about %(period)s"), gettext("undated")
    rows = []
    for a in assertions:
        voice = ""
        if a.speaker_id:
            voice = format_html(
                '<span class="passage-voice">{}</span>',
                mark_safe(reported % {"name": conditional_escape(a.speaker.name)}),
            )
        period = mark_safe(about % {"period": conditional_escape(a.period_display)}) if a.as_of else mark_safe(undated)
        rows.append(
            format_html(
                ROW,
                a.pk,
                stance_badge(a.stance, a.get_stance_display()),
                voice,
                a.claim_url,
                clip_words(a.claim.text, 120),
                "" if a.as_of else " undated",
                period,
            )
        )
    return mark_safe("".join(rows))  # each row escaped by format_html
