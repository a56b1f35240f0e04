"""Embeds: a claim's card and a topic's conflicts, for other sites to put in an iframe.

Only these views let any site frame them (``frame-ancestors *`` and no
X-Frame-Options); every other page stays ``DENY``. The relaxing decorators sit
outside ``cached_page`` because they mark the response object, which a cache
hit builds anew. Links open the full page in the top window, never inside
the frame.
"""

from csp.decorators import csp_replace
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from factcheck.api_http import conditional_on_corpus
from factcheck.cache import cached_page
from factcheck.models import Topic
from factcheck.selectors.publishing import claim_card, topic_conflicts
from factcheck.views.common import get_or_404

ANY_FRAME = {"frame-ancestors": ["*"]}


def embeddable(view):
    return xframe_options_exempt(csp_replace(ANY_FRAME)(conditional_on_corpus(view)))


@embeddable
@require_safe
@cached_page
def claim_embed(request, pk):
    card = claim_card(pk)
    return render(request, "factcheck/embed_claim.html", {"card": card, "claim": card.claim})


@embeddable
@require_safe
@cached_page
def topic_embed(request, slug):
    topic = get_or_404(Topic.objects.all(), "topic", slug=slug)
    return render(request, "factcheck/embed_topic.html", {"topic": topic, "claims": topic_conflicts(topic)})
