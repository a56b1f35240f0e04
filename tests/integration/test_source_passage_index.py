"""The source page's passage index, built in Python, is the template loop it replaced, character for character."""
# ruff: noqa: E501 -- the template below is quoted verbatim, long lines and all

import pytest
from django.template import Context, Template
from django.utils import translation

from factcheck.links import url_maker
from factcheck.passage_index import passage_items
from tests.conftest import make_quoted_source

pytestmark = pytest.mark.django_db

# The loop as templates/factcheck/source_detail.html had it.
LOOP = Template(
    """{% load i18n page_tags %}<ol>
      {% for a in assertions %}
      <li><a href="#a-{{ a.pk }}">{% stance_badge a.stance a.get_stance_display %}</a>
        {% if a.speaker_id %}<span class="passage-voice">{% blocktranslate with name=a.speaker.name %}{{ name }}, reported:{% endblocktranslate %}</span>{% endif %}
        <a href="{{ a.claim_url }}">{{ a.claim.text|clip:120 }}</a>
        <span class="period{% if not a.as_of %} undated{% endif %}">{% if a.as_of %}{% blocktranslate with period=a.period_display %}about {{ period }}{% endblocktranslate %}{% else %}{% translate "undated" %}{% endif %}</span></li>
      {% empty %}
      <li>{% translate "No passage of this source is quoted yet." %}</li>
      {% endfor %}
    </ol>"""
)
NEW = Template(
    """{% load i18n %}<ol>
      {% if assertions %}{{ passage_items }}{% else %}
      <li>{% translate "No passage of this source is quoted yet." %}</li>
      {% endif %}
    </ol>"""
)


def _both(assertions):
    claim_url = url_maker("claim-detail")
    for a in assertions:
        a.claim_url = claim_url(a.claim_id)
    context = {"assertions": assertions}
    return LOOP.render(Context(context)), NEW.render(Context({**context, "passage_items": passage_items(assertions)}))


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_renders_what_the_template_loop_rendered(language):
    long_text = "Russia <keeps> its “naval base” at Tartus & more, " * 5
    source, _ = make_quoted_source(long_text)
    assertions = list(source.assertions.select_related("claim", "speaker").order_by("start", "id"))
    with translation.override(language):
        old, new = _both(assertions)
    assert "passage-voice" in old and "undated" in old and "&lt;b&gt;" in old  # every branch is exercised
    assert new == old


def test_it_leaves_the_empty_list_to_the_template():
    old, new = _both([])
    assert new == old
