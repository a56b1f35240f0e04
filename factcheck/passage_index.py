"""The source page's index of quoted passages, built in Python.

A much-quoted source has a few hundred passages, and the template loop (a
badge tag, two translations and a filter per row) cost about as much as the
rest of the page. The HTML is the loop's, character for character,
whitespace included: tests/integration/test_source_passage_index.py renders
both and compares them.
"""

from html import escape

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
    # The standard library's escape, as views/browse.py's builders use: Django's wraps it, at a cost per call.
    # Translated once per page, not per row; a translation is template text, left unescaped as the tags leave it.
    reported, about, undated = gettext("%(name)s, reported:"), gettext("about %(period)s"), gettext("undated")
    badges = {}  # one per stance: three at most
    rows = []
    for a in assertions:
        badge = badges.get(a.stance)
        if badge is None:
            badge = badges[a.stance] = stance_badge(a.stance, a.get_stance_display())
        voice = ""
        if a.speaker_id:
            voice = '<span class="passage-voice">' + reported % {"name": escape(a.speaker.name)} + "</span>"
        period = about % {"period": escape(a.period_display)} if a.as_of else undated
        # Every value is escaped here, or is HTML built above (the badge, the voice, the period).
        rows.append(
            ROW.format(
                a.pk,
                badge,
                voice,
                escape(a.claim_url),
                escape(clip_words(a.claim.text, 120)),
                "" if a.as_of else " undated",
                period,
            )
        )
    return mark_safe("".join(rows))
